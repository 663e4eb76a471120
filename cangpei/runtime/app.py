"""ServiceApp: one service process — gRPC door, database, NATS, outbox relay, consumers, jobs."""

from __future__ import annotations

import asyncio
import contextlib
import functools
import importlib
import logging
import os
import signal
from collections.abc import Awaitable, Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

import grpc
from google.protobuf.message import Message
from nats.aio.client import Client as NATS
from nats.js import JetStreamContext

from cangpei.runtime import messaging
from cangpei.runtime.db import Database
from cangpei.runtime.errors import Unavailable
from cangpei.runtime.grpc_server import (
    add_health_and_reflection,
    make_server,
    server_credentials,
    set_health,
)
from cangpei.runtime.migrations import Migration, migrate
from cangpei.runtime.outbox import RUNTIME_MIGRATIONS
from cangpei.runtime.settings import ServiceSettings
from cangpei.runtime.uow import UnitOfWork

log = logging.getLogger("cangpei.app")

T = TypeVar("T")
R = TypeVar("R", bound=Message)
# Set to 1 for a service process whose outbox another process of the service publishes
# (services/inventory/__main__.py can run its relay apart from its gRPC servers): this
# one then writes its events to the outbox as always but runs no relay of its own.
RELAY_ELSEWHERE_ENV = "CANGPEI_OUTBOX_RELAY_ELSEWHERE"
Wire = Callable[["ServiceApp"], None]
Task = Callable[["ServiceApp"], Awaitable[None]]


class ServiceApp:
    """Holds a service's parts; ``wire`` (in services/<name>/bootstrap.py) registers them."""

    def __init__(self, settings: ServiceSettings) -> None:
        self.settings = settings
        self.name = settings.service
        self.db = Database(settings.database_url)
        self.migrations: Sequence[Migration] = ()
        self.nc: NATS | None = None
        self.js: JetStreamContext | None = None
        self.relay: messaging.OutboxRelay | None = None
        self.consumers: list[messaging.EventConsumer] = []
        self.grpc_port: int | None = None
        self._grpc_services: list[tuple[Callable[[Any, grpc.aio.Server], None], Any, str]] = []
        self._rpcs: list[tuple[str, type[Message], messaging.RpcHandler]] = []
        self._consumer_specs: list[dict[str, Any]] = []
        self._task_factories: list[Task] = []
        self._running: list[asyncio.Task[None]] = []
        self._io_pool = ThreadPoolExecutor(max_workers=16, thread_name_prefix=f"{self.name}-io")
        self._cpu_pool = ThreadPoolExecutor(max_workers=2, thread_name_prefix=f"{self.name}-cpu")
        self._server: grpc.aio.Server | None = None
        self._health = None
        self._problem: str | None = "starting"

    # ------------------------------------------------------------ registration (from wire)

    def add_grpc(
        self, add_to_server: Callable[[Any, grpc.aio.Server], None], servicer: Any, full_name: str
    ) -> None:
        self._grpc_services.append((add_to_server, servicer, full_name))

    def add_rpc(
        self, subject: str, request_type: type[Message], handler: messaging.RpcHandler
    ) -> None:
        self._rpcs.append((subject, request_type, handler))

    def add_consumer(
        self,
        *,
        durable: str,
        stream: str,
        subjects: list[str],
        handler: messaging.EventHandler,
        **options: Any,
    ) -> None:
        self._consumer_specs.append(
            dict(durable=durable, stream=stream, subjects=subjects, handler=handler, **options)
        )

    def add_task(self, task: Task) -> None:
        """A background job (sweeper, scheduler) started with the app and cancelled at stop."""
        self._task_factories.append(task)

    # ------------------------------------------------------------ used by handlers

    def uow(self) -> UnitOfWork:
        return UnitOfWork(self.db, on_commit=self.relay.wake if self.relay else None)

    async def run_blocking(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """Run database or other blocking work off the event loop."""
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._io_pool, functools.partial(fn, *args, **kwargs))

    async def run_cpu(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """Run a solver or other CPU-heavy work in its own pool, away from the loop and I/O pool."""
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._cpu_pool, functools.partial(fn, *args, **kwargs))

    async def request(
        self,
        subject: str,
        message: Message,
        response_type: type[R],
        *,
        timeout: float | None = None,
    ) -> R:
        if self.nc is None or not self.nc.is_connected:
            raise Unavailable(f"NATS is not connected; cannot ask {subject}")
        return await messaging.request(
            self.nc,
            subject,
            message,
            response_type,
            timeout=timeout or self.settings.nats_request_timeout,
        )

    @property
    def not_serving_reason(self) -> str | None:
        return self._problem

    # ------------------------------------------------------------ lifecycle

    async def start(self) -> None:
        settings = self.settings
        await self.run_blocking(migrate, self.db, "cangpei.runtime", RUNTIME_MIGRATIONS)
        if self.migrations:
            await self.run_blocking(migrate, self.db, self.name, self.migrations)
        self.nc = await messaging.connect(
            settings.nats_servers,
            f"cangpei-{self.name}",
            user=settings.nats_user,
            password=settings.nats_password,
            disconnected_cb=self._on_nats_disconnected,
            reconnected_cb=self._on_nats_reconnected,
        )
        self.js = self.nc.jetstream(timeout=5)
        replicas = settings.stream_replicas
        await messaging.ensure_stream(
            self.js, settings.stream_name, [f"{self.name}.>"], replicas=replicas
        )
        await messaging.ensure_stream(
            self.js, messaging.DEADLETTER_STREAM, ["deadletter.>"], replicas=replicas
        )
        if os.environ.get(RELAY_ELSEWHERE_ENV) != "1":
            self.relay = messaging.OutboxRelay(
                self.db, self.js, self.run_blocking, poll_seconds=settings.outbox_poll_seconds
            )
            self._spawn(self.relay.run(), "outbox relay")
        for subject, request_type, handler in self._rpcs:
            responder = messaging.RpcResponder(
                self.nc, subject, request_type, handler, queue=f"cangpei-{self.name}"
            )
            await responder.start()
        for spec in self._consumer_specs:
            # Declaring the publisher's stream here too (same configuration) means the
            # services can start in any order.
            stream = spec["stream"]
            await messaging.ensure_stream(
                self.js, stream, [f"{stream.lower()}.>"], replicas=replicas
            )
            consumer = messaging.EventConsumer(
                js=self.js,
                db=self.db,
                run_blocking=self.run_blocking,
                new_uow=self.uow,
                **spec,
            )
            await consumer.declare()
            self.consumers.append(consumer)
            self._spawn(consumer.run(), f"consumer {consumer.durable}")
        for factory in self._task_factories:
            self._spawn(factory(self), getattr(factory, "__name__", "task"))

        service_names = [full_name for _, _, full_name in self._grpc_services]
        self._server = make_server(
            self.name, lambda: self._problem, settings.grpc_max_message_bytes
        )
        for add_to_server, servicer, _ in self._grpc_services:
            add_to_server(servicer, self._server)
        self._health = add_health_and_reflection(self._server, service_names)
        if settings.tls.server_enabled:
            self.grpc_port = self._server.add_secure_port(
                settings.grpc_address, server_credentials(settings.tls)
            )
        else:
            self.grpc_port = self._server.add_insecure_port(settings.grpc_address)
        if not self.grpc_port:
            raise Unavailable(f"cannot listen on {settings.grpc_address}; is the port taken?")
        await self._server.start()
        self._problem = None
        await set_health(self._health, service_names, serving=True)
        self._spawn(self._watch_dependencies(service_names), "health watch")
        log.info(
            "%s serving gRPC%s on %s:%d (database %s, NATS %s)",
            self.name,
            " over mutual TLS"
            if settings.tls.client_ca_file
            else " over TLS"
            if settings.tls.server_enabled
            else "",
            settings.grpc_host,
            self.grpc_port,
            self.db.writer.url.render_as_string(hide_password=True),
            settings.nats_url,
        )

    def _spawn(self, coro: Awaitable[None], label: str) -> None:
        async def guarded() -> None:
            try:
                await coro
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("%s: background %s stopped on an error", self.name, label)

        self._running.append(asyncio.create_task(guarded(), name=f"{self.name}: {label}"))

    async def _on_nats_disconnected(self) -> None:
        log.warning("%s: NATS connection lost; reconnecting", self.name)

    async def _on_nats_reconnected(self) -> None:
        log.info("%s: NATS connection back", self.name)

    async def _watch_dependencies(self, service_names: list[str]) -> None:
        """Turn health NOT_SERVING while the database or NATS is away, SERVING when back."""
        while True:
            problem = None
            if self.nc is None or not self.nc.is_connected:
                problem = "NATS is not connected"
            else:
                try:
                    await asyncio.wait_for(self.run_blocking(self.db.ping), 5)
                except Exception as exc:
                    problem = f"database unreachable ({type(exc).__name__})"
            if problem != self._problem:
                if problem:
                    log.warning("%s: NOT_SERVING: %s", self.name, problem)
                else:
                    log.info("%s: SERVING again", self.name)
                self._problem = problem
                await set_health(self._health, service_names, serving=problem is None)
            await asyncio.sleep(self.settings.health_check_seconds)

    async def stop(self, grace: float = 5.0) -> None:
        """Health NOT_SERVING first, then let calls finish, then stop jobs and drain NATS."""
        self._problem = "shutting down"
        if self._health is not None:
            await self._health.enter_graceful_shutdown()
        if self._server is not None:
            await _within(self._server.stop(grace), grace + 5)
        for task in self._running:
            task.cancel()
        if self._running and not await _within(
            asyncio.gather(*self._running, return_exceptions=True), 5
        ):
            log.warning("%s: background tasks still busy after 5 s; leaving them", self.name)
        self._running.clear()
        if self.nc is not None and not self.nc.is_closed:
            if not await _within(self.nc.drain(), 5):
                log.warning("%s: NATS drain did not finish in 5 s; closing", self.name)
                await _within(self.nc.close(), 2)
        self._io_pool.shutdown(wait=True, cancel_futures=True)
        self._cpu_pool.shutdown(wait=False, cancel_futures=True)
        self.db.dispose()
        log.info("%s stopped", self.name)


async def _within(coro: Awaitable[Any], seconds: float) -> bool:
    """Run ``coro`` for at most ``seconds``; True when it finished.

    Unlike asyncio.wait_for this never waits on a task that swallows its cancellation
    (the NATS client's drain can), so a shutdown cannot hang on it.
    """
    task = asyncio.ensure_future(coro)
    done, _ = await asyncio.wait({task}, timeout=seconds)
    if not done:
        task.cancel()
        return False
    with contextlib.suppress(Exception):
        task.result()
    return True


def load_wire(service: str) -> Wire:
    module = importlib.import_module(f"services.{service}.bootstrap")
    return module.wire


async def start_app(settings: ServiceSettings, wire: Wire | None = None) -> ServiceApp:
    """Build, wire and start a service; the caller stops it with ``await app.stop()``."""
    app = ServiceApp(settings)
    (wire or load_wire(settings.service))(app)
    try:
        await app.start()
    except BaseException:
        await app.stop(grace=0)
        raise
    return app


def configure_logging(level: str) -> None:
    logging.basicConfig(
        level=level,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )


async def serve(settings: ServiceSettings, wire: Wire | None = None) -> None:
    """Run one service until SIGTERM or SIGINT, then stop gracefully."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    app = await start_app(settings, wire)
    await stop.wait()
    log.info("%s: stop requested", settings.service)
    await app.stop()


def main(service: str) -> None:
    """``python -m services.<service>``: serve it with settings from the environment."""
    settings = ServiceSettings.from_env(service)
    configure_logging(settings.log_level)
    asyncio.run(serve(settings))
