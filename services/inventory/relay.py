"""``python -m services.inventory relay``: the outbox relay in a process of its own.

A server process is held to about one core by the GIL, and publishing every event to
JetStream (claim, publish, await the acks, mark sent) took about a third of it under a
hot-SKU load. Run apart, the relay uses the machine's other core instead. It publishes
what any server process committed (relays skip each other's claimed rows, so this one
is correct beside others too); it cannot be woken by their commits, so it polls the
outbox every ``relay_poll_ms`` instead.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
import signal
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from cangpei.runtime import messaging
from cangpei.runtime.app import configure_logging
from cangpei.runtime.db import Database
from cangpei.runtime.settings import ServiceSettings

log = logging.getLogger(__name__)


async def run_relay(settings: ServiceSettings, poll_seconds: float) -> None:
    """Publish the service's outbox until SIGTERM or SIGINT."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    db = Database(settings.database_url)
    pool = ThreadPoolExecutor(max_workers=2, thread_name_prefix=f"{settings.service}-relay")

    async def run_blocking(fn: Callable[..., Any], *args: Any) -> Any:
        return await loop.run_in_executor(pool, functools.partial(fn, *args))

    nc = await messaging.connect(
        settings.nats_servers,
        f"cangpei-{settings.service}-relay",
        user=settings.nats_user,
        password=settings.nats_password,
    )
    try:
        js = nc.jetstream(timeout=5)
        await messaging.ensure_stream(
            js,
            settings.stream_name,
            [f"{settings.service}.>"],
            replicas=settings.stream_replicas,
        )
        relay = messaging.OutboxRelay(db, js, run_blocking, poll_seconds=poll_seconds)
        task = asyncio.create_task(relay.run())
        log.info("%s outbox relay running (polling every %g s)", settings.service, poll_seconds)
        await stop.wait()
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)
    finally:
        with contextlib.suppress(Exception):
            await asyncio.wait_for(nc.drain(), 5)
        pool.shutdown(wait=True)
        db.dispose()


def main(service: str, poll_seconds: float) -> None:
    settings = ServiceSettings.from_env(service)
    configure_logging(settings.log_level)
    asyncio.run(run_relay(settings, poll_seconds))
