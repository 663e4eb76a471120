"""Domain errors, each tied to the gRPC status a caller should see.

Plain Python on purpose: the domain raises these without knowing about gRPC or NATS;
the entrypoints (gRPC interceptor, NATS request/reply) translate them.
"""

from __future__ import annotations


class DomainError(Exception):
    """A refusal a caller can act on. ``code`` is the name of a ``grpc.StatusCode``."""

    code = "FAILED_PRECONDITION"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class InvalidArgument(DomainError):
    code = "INVALID_ARGUMENT"


class NotFound(DomainError):
    code = "NOT_FOUND"


class AlreadyExists(DomainError):
    code = "ALREADY_EXISTS"


class FailedPrecondition(DomainError):
    code = "FAILED_PRECONDITION"


class PermissionDenied(DomainError):
    code = "PERMISSION_DENIED"


class Unauthenticated(DomainError):
    code = "UNAUTHENTICATED"


class ResourceExhausted(DomainError):
    code = "RESOURCE_EXHAUSTED"


class Aborted(DomainError):
    code = "ABORTED"


class Unavailable(DomainError):
    code = "UNAVAILABLE"


class DeadlineExceeded(DomainError):
    code = "DEADLINE_EXCEEDED"


class Internal(DomainError):
    """A fault on the other side of a request, already logged there."""

    code = "INTERNAL"


ERRORS_BY_CODE: dict[str, type[DomainError]] = {
    cls.code: cls
    for cls in (
        InvalidArgument,
        NotFound,
        AlreadyExists,
        FailedPrecondition,
        PermissionDenied,
        Unauthenticated,
        ResourceExhausted,
        Aborted,
        Unavailable,
        DeadlineExceeded,
        Internal,
    )
}


def error_for_code(code: str, message: str) -> DomainError:
    """Rebuild the domain error a remote service raised, from its status code name."""
    return ERRORS_BY_CODE.get(code, DomainError)(message)
