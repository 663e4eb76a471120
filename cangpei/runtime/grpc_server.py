"""The gRPC server skeleton every service uses: status mapping, call logging, health, reflection."""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Callable
from typing import Any

import grpc
from grpc_health.v1 import health, health_pb2, health_pb2_grpc
from grpc_reflection.v1alpha import reflection

from cangpei.runtime.errors import DomainError
from cangpei.runtime.settings import TlsSettings

log = logging.getLogger("cangpei.grpc")

# A call that took this long is logged at INFO even when it succeeded.
SLOW_CALL_MS = 500.0

ALWAYS_ALLOWED = ("/grpc.health.v1.Health/", "/grpc.reflection.")


class ServiceInterceptor(grpc.aio.ServerInterceptor):
    """Maps domain errors to their status, hides internal faults, logs every call with its duration
    (refusals, failures and slow calls at INFO, the rest at DEBUG).

    ``is_serving`` lets the app refuse new work with UNAVAILABLE while a dependency
    (database, NATS) is down, instead of failing halfway through it.
    """

    def __init__(self, service: str, is_serving: Callable[[], str | None]) -> None:
        self._service = service
        self._not_serving_reason = is_serving
        # Wrapped handlers by method, built once: building one per call (a new handler and
        # two closures) was a measurable share of a cheap call's CPU.
        self._wrapped: dict[str, tuple[grpc.RpcMethodHandler, grpc.RpcMethodHandler]] = {}

    async def intercept_service(self, continuation, handler_call_details):  # type: ignore[no-untyped-def]
        handler = await continuation(handler_call_details)
        if handler is None:
            return None
        method = handler_call_details.method
        if method.startswith(ALWAYS_ALLOWED):
            return handler
        cached = self._wrapped.get(method)
        if cached is not None and cached[0] is handler:
            return cached[1]
        wrapped = self._wrap(method, handler)
        self._wrapped[method] = (handler, wrapped)
        return wrapped

    def _wrap(self, method: str, handler: grpc.RpcMethodHandler) -> grpc.RpcMethodHandler:
        if handler.unary_unary:
            return grpc.unary_unary_rpc_method_handler(
                self._wrap_unary(method, handler.unary_unary),
                handler.request_deserializer,
                handler.response_serializer,
            )
        if handler.stream_unary:
            return grpc.stream_unary_rpc_method_handler(
                self._wrap_unary(method, handler.stream_unary),
                handler.request_deserializer,
                handler.response_serializer,
            )
        if handler.unary_stream:
            return grpc.unary_stream_rpc_method_handler(
                self._wrap_stream(method, handler.unary_stream),
                handler.request_deserializer,
                handler.response_serializer,
            )
        return grpc.stream_stream_rpc_method_handler(
            self._wrap_stream(method, handler.stream_stream),
            handler.request_deserializer,
            handler.response_serializer,
        )

    def _wrap_unary(self, method: str, behaviour: Callable[..., Any]) -> Callable[..., Any]:
        async def call(request: Any, context: grpc.aio.ServicerContext) -> Any:
            started = time.perf_counter()
            outcome = "OK"
            try:
                self._refuse_when_not_serving()
                return await behaviour(request, context)
            except Exception as exc:
                code, message = self._status_for(method, exc)
                outcome = code.name
                await context.abort(code, message)
            finally:
                self._log(method, outcome, started)

        return call

    def _wrap_stream(self, method: str, behaviour: Callable[..., Any]) -> Callable[..., Any]:
        async def call(request: Any, context: grpc.aio.ServicerContext) -> Any:
            started = time.perf_counter()
            outcome = "OK"
            try:
                self._refuse_when_not_serving()
                async for response in behaviour(request, context):
                    yield response
            except Exception as exc:
                code, message = self._status_for(method, exc)
                outcome = code.name
                await context.abort(code, message)
            finally:
                self._log(method, outcome, started)

        return call

    def _refuse_when_not_serving(self) -> None:
        reason = self._not_serving_reason()
        if reason:
            raise _NotServing(f"{self._service} is not serving right now: {reason}; retry shortly")

    def _status_for(self, method: str, exc: Exception) -> tuple[grpc.StatusCode, str]:
        if isinstance(exc, grpc.aio.AbortError):
            raise exc  # the servicer aborted with its own status already
        if isinstance(exc, _NotServing):
            code, message = grpc.StatusCode.UNAVAILABLE, str(exc)
        elif isinstance(exc, DomainError):
            code, message = grpc.StatusCode[exc.code], exc.message
        else:
            log.exception("%s failed", method)
            code = grpc.StatusCode.INTERNAL
            message = f"{method} failed on an internal error; it has been logged"
        return code, message

    def _log(self, method: str, outcome: str, started: float) -> None:
        # Refusals, failures and slow calls at INFO; every other call at DEBUG
        # (CANGPEI_LOG_LEVEL=DEBUG): a line per call at hundreds of calls a second took
        # about 5 % of a busy service's CPU.
        millis = (time.perf_counter() - started) * 1000
        level = logging.INFO if outcome != "OK" or millis >= SLOW_CALL_MS else logging.DEBUG
        if log.isEnabledFor(level):
            log.log(level, "%s %s %.1f ms", method, outcome, millis)


class _NotServing(Exception):
    pass


# Set to 1 by a service that runs several processes on one port (SO_REUSEPORT: the kernel
# spreads incoming connections over them); see services/inventory/__main__.py.
SHARE_PORT_ENV = "CANGPEI_GRPC_SHARE_PORT"


def make_server(
    service: str,
    is_serving: Callable[[], str | None],
    max_message_bytes: int,
) -> grpc.aio.Server:
    return grpc.aio.server(
        interceptors=[ServiceInterceptor(service, is_serving)],
        options=[
            ("grpc.max_receive_message_length", max_message_bytes),
            ("grpc.max_send_message_length", max_message_bytes),
            # Fail loudly when the port is taken instead of sharing it with a stranger,
            # unless this process is one of a service's own processes sharing it.
            ("grpc.so_reuseport", 1 if os.environ.get(SHARE_PORT_ENV) == "1" else 0),
        ],
    )


def add_health_and_reflection(
    server: grpc.aio.Server, service_names: list[str]
) -> health.aio.HealthServicer:
    health_servicer = health.aio.HealthServicer()
    health_pb2_grpc.add_HealthServicer_to_server(health_servicer, server)
    reflection.enable_server_reflection(
        [*service_names, health.SERVICE_NAME, reflection.SERVICE_NAME], server
    )
    return health_servicer


async def set_health(
    health_servicer: health.aio.HealthServicer, service_names: list[str], serving: bool
) -> None:
    status = (
        health_pb2.HealthCheckResponse.SERVING
        if serving
        else health_pb2.HealthCheckResponse.NOT_SERVING
    )
    for name in ["", *service_names]:
        await health_servicer.set(name, status)


def server_credentials(tls: TlsSettings) -> grpc.ServerCredentials:
    """TLS with the service's certificate; with a client CA, clients must present a certificate."""
    assert tls.cert_file is not None and tls.key_file is not None
    client_ca = tls.client_ca_file.read_bytes() if tls.client_ca_file else None
    return grpc.ssl_server_credentials(
        [(tls.key_file.read_bytes(), tls.cert_file.read_bytes())],
        root_certificates=client_ca,
        require_client_auth=client_ca is not None,
    )


def channel_credentials(tls: TlsSettings) -> grpc.ChannelCredentials | None:
    """Credentials to call a TLS service (None: plaintext), with our client certificate if set."""
    if tls.ca_file is None:
        return None
    key = tls.client_key_file.read_bytes() if tls.client_key_file else None
    cert = tls.client_cert_file.read_bytes() if tls.client_cert_file else None
    return grpc.ssl_channel_credentials(tls.ca_file.read_bytes(), key, cert)
