"""Refusals specific to inventory, each a runtime DomainError so callers get the right status."""

from __future__ import annotations

from cangpei.runtime.errors import AlreadyExists, FailedPrecondition, NotFound


class InsufficientStock(FailedPrecondition):
    """Fewer units available than asked; nothing was reserved or moved."""


class UnknownSku(NotFound):
    def __init__(self, skus: list[str]) -> None:
        names = ", ".join(repr(s) for s in sorted(skus))
        super().__init__(f"unknown sku {names}: register it with RegisterSku first")
        self.skus = sorted(skus)


class UnknownLocation(NotFound):
    def __init__(self, location_ids: list[str]) -> None:
        names = ", ".join(repr(s) for s in sorted(location_ids))
        super().__init__(f"unknown location {names}: register it with RegisterLocation first")
        self.location_ids = sorted(location_ids)


class ReservationNotFound(NotFound):
    def __init__(self, reservation_id: str) -> None:
        super().__init__(f"no reservation {reservation_id!r}")


class IdempotencyKeyReused(AlreadyExists):
    def __init__(self, key: str) -> None:
        super().__init__(
            f"idempotency key {key!r} was already used for a different request; "
            "send the original content to get its answer, or use a new key"
        )


class ReservationClosed(FailedPrecondition):
    """The reservation is no longer active, and not in the state the caller asks for."""
