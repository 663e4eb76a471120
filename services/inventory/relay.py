"""``python -m services.inventory relay``: the outbox relay in a process of its own.

A server process is held to about one core by the GIL, and publishing every event to
JetStream (claim, publish, await the acks, mark sent) took about a third of it under a
hot-SKU load. Run apart, the relay uses the machine's other core instead. It publishes
what any server process committed (relays skip each other's claimed rows, so this one
is correct beside others too).

The servers' commits cannot call this process's ``wake``. On PostgreSQL a trigger on
the outbox (``adapters/schema.py``) notifies the channel ``OUTBOX_CHANNEL`` when a
transaction that wrote events commits, and this process LISTENs to it: it wakes for
every commit and otherwise only looks every ``relay_idle_poll_seconds`` (for claims of
a relay that died mid-publish, which lapse without a notification). It also claims in
one statement and marks with one array parameter, below the runtime relay's portable
three-statement claim. On SQLite, with no notifications, it polls every
``relay_poll_ms``.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
import signal
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from typing import Any

import psycopg
from sqlalchemy import text
from sqlalchemy.engine import make_url

from cangpei.runtime import messaging
from cangpei.runtime.app import configure_logging
from cangpei.runtime.db import Database
from cangpei.runtime.settings import ServiceSettings

log = logging.getLogger(__name__)

# Notified by the outbox trigger (see adapters/schema.py) when events were committed.
OUTBOX_CHANNEL = "cangpei_outbox_written"

_CLAIM = text(
    "UPDATE cangpei_outbox SET claimed_until = :until "
    "WHERE seq IN (SELECT seq FROM cangpei_outbox WHERE sent_at IS NULL "
    "AND (claimed_until IS NULL OR claimed_until < :now) "
    "ORDER BY seq LIMIT :limit FOR UPDATE SKIP LOCKED) "
    "RETURNING seq, event_id, subject, event_type, payload"
)
_MARK_SENT = text("UPDATE cangpei_outbox SET sent_at = :now WHERE seq = ANY(:seqs)")


class PostgresOutboxRelay(messaging.OutboxRelay):
    """The runtime's relay with PostgreSQL's one-statement claim and mark.

    Same rows, same lease, same SKIP LOCKED between relays; one round trip each
    instead of three for the claim, and no per-row bind parameters.
    """

    def _claim_unsent(self) -> list[Any]:
        now = datetime.now(UTC)
        until = now + timedelta(seconds=self.claim_seconds)
        with self._db.session() as session:
            rows = session.execute(
                _CLAIM, {"until": until, "now": now, "limit": self._batch_size}
            ).all()
        # RETURNING follows no order; publishing does (a SKU's events in commit order).
        return sorted(rows, key=lambda row: row.seq)

    def mark_sent(self, seqs: list[int]) -> None:
        with self._db.session() as session:
            session.execute(_MARK_SENT, {"now": datetime.now(UTC), "seqs": list(seqs)})


def libpq_conninfo(database_url: str) -> str:
    """The SQLAlchemy URL as psycopg itself takes it (without the "+psycopg")."""
    url = make_url(database_url).set(drivername="postgresql")
    return url.render_as_string(hide_password=False)


async def listen_for_commits(
    conninfo: str, wake: Callable[[], None], retry_seconds: float = 1.0
) -> None:
    """Call ``wake`` on every notification of OUTBOX_CHANNEL, until cancelled.

    Also once each time listening (re)starts: whatever was committed while no one
    listened is published then rather than at the next idle poll.
    """
    while True:
        try:
            connection = await psycopg.AsyncConnection.connect(conninfo, autocommit=True)
            async with connection:
                await connection.execute(f"LISTEN {OUTBOX_CHANNEL}")
                wake()
                async for _ in connection.notifies():
                    wake()
        except asyncio.CancelledError:
            raise
        except Exception as exc:  # database away: the idle poll covers it meanwhile
            log.warning("outbox relay: listening for commits failed (%r); retrying", exc)
            await asyncio.sleep(retry_seconds)


async def run_relay(
    settings: ServiceSettings, poll_seconds: float, idle_poll_seconds: float
) -> None:
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
    tasks: list[asyncio.Task[None]] = []
    try:
        js = nc.jetstream(timeout=5)
        await messaging.ensure_stream(
            js,
            settings.stream_name,
            [f"{settings.service}.>"],
            replicas=settings.stream_replicas,
        )
        if db.is_sqlite:
            relay = messaging.OutboxRelay(db, js, run_blocking, poll_seconds=poll_seconds)
        else:
            relay = PostgresOutboxRelay(db, js, run_blocking, poll_seconds=idle_poll_seconds)
            conninfo = libpq_conninfo(db.url)
            tasks.append(asyncio.create_task(listen_for_commits(conninfo, relay.wake)))
        tasks.append(asyncio.create_task(relay.run()))
        log.info(
            "%s outbox relay running (%s)",
            settings.service,
            f"polling every {poll_seconds:g} s"
            if db.is_sqlite
            else f"woken by commits, idle poll every {idle_poll_seconds:g} s",
        )
        await stop.wait()
    finally:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        with contextlib.suppress(Exception):
            await asyncio.wait_for(nc.drain(), 5)
        pool.shutdown(wait=True)
        db.dispose()


def main(service: str, poll_seconds: float, idle_poll_seconds: float) -> None:
    settings = ServiceSettings.from_env(service)
    configure_logging(settings.log_level)
    asyncio.run(run_relay(settings, poll_seconds, idle_poll_seconds))
