"""NATS: connections, JetStream streams, the outbox relay, durable consumers, request/reply."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any, TypeVar

import nats
import nats.errors
import nats.js.errors
from google.protobuf.message import DecodeError, Message
from nats.aio.client import Client as NATS
from nats.aio.msg import Msg
from nats.js import JetStreamContext
from nats.js.api import AckPolicy, ConsumerConfig, DeliverPolicy, StorageType, StreamConfig
from sqlalchemy import or_, select, update
from sqlalchemy.exc import IntegrityError

from cangpei.common.v1.common_pb2 import RpcError
from cangpei.runtime.db import Database
from cangpei.runtime.errors import (
    DeadlineExceeded,
    DomainError,
    Unavailable,
    error_for_code,
)
from cangpei.runtime.outbox import inbox, outbox
from cangpei.runtime.uow import UnitOfWork

log = logging.getLogger(__name__)

MSG_ID = "Nats-Msg-Id"
# The event's identity for inboxes. Equal to Nats-Msg-Id when the relay publishes;
# a replay from the dead-letter stream needs a fresh Nats-Msg-Id (JetStream would drop
# it as a duplicate) but keeps this, so consumers that applied the event skip it.
EVENT_ID = "Cangpei-Event-Id"
EVENT_TYPE = "Cangpei-Event-Type"
STATUS = "Cangpei-Status"
DEADLETTER_STREAM = "DEADLETTER"

BlockingRunner = Callable[..., Awaitable[Any]]
R = TypeVar("R", bound=Message)


async def connect(
    servers: str | list[str],
    name: str,
    *,
    user: str | None = None,
    password: str | None = None,
    connect_deadline: float = 30.0,
    **callbacks: Any,
) -> NATS:
    """Connect, retrying until ``connect_deadline``, and reconnect forever once connected."""
    deadline = time.monotonic() + connect_deadline
    credentials = {"user": user, "password": password} if user else {}
    while True:
        try:
            return await nats.connect(
                servers,
                name=name,
                **credentials,
                max_reconnect_attempts=-1,
                reconnect_time_wait=0.5,
                connect_timeout=2,
                ping_interval=5,
                max_outstanding_pings=2,
                **callbacks,
            )
        except (OSError, nats.errors.NoServersError, nats.errors.TimeoutError) as exc:
            if time.monotonic() > deadline:
                raise Unavailable(f"cannot reach NATS at {servers}: {exc}") from exc
            await asyncio.sleep(0.5)


async def ensure_stream(
    js: JetStreamContext, name: str, subjects: list[str], *, replicas: int = 1
) -> None:
    """Declare a file-backed stream, or bring an existing one to this configuration."""
    config = StreamConfig(
        name=name,
        subjects=subjects,
        storage=StorageType.FILE,
        duplicate_window=120.0,
        num_replicas=replicas,
    )

    async def declare() -> None:
        try:
            await js.add_stream(config)
        except nats.js.errors.BadRequestError:
            await js.update_stream(config)

    await while_jetstream_settles(declare, f"stream {name}")


async def while_jetstream_settles(
    declare: Callable[[], Awaitable[object]], what: str, seconds: float = 30.0
) -> None:
    """Run a JetStream API call, again while JetStream does not answer: a cluster that has
    just started, or lost a node, is still electing its leaders for a few seconds."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            await declare()
            return
        except (nats.js.errors.ServiceUnavailableError, nats.errors.TimeoutError) as exc:
            if time.monotonic() > deadline:
                raise Unavailable(f"JetStream could not declare {what}: {exc}") from exc
            log.warning("JetStream did not answer declaring %s (%r); retrying", what, exc)
            await asyncio.sleep(0.5)


# ---------------------------------------------------------------- outbox relay


class OutboxRelay:
    """Publishes committed outbox rows to JetStream, then marks them sent.

    A crash between publish and mark leaves the rows unsent; they are published again
    with the same Nats-Msg-Id, which JetStream drops inside its duplicate window and the
    consumers' inboxes ignore after it.
    """

    def __init__(
        self,
        db: Database,
        js: JetStreamContext,
        run_blocking: BlockingRunner,
        *,
        poll_seconds: float = 1.0,
        batch_size: int = 256,
        publish_timeout: float = 5.0,
    ) -> None:
        self._db = db
        self._js = js
        self._run_blocking = run_blocking
        self._poll_seconds = poll_seconds
        self._batch_size = batch_size
        self._publish_timeout = publish_timeout
        self._wakeup = asyncio.Event()
        self._loop = asyncio.get_running_loop()
        # Longer than a publish pass can take (its timeout), so a live claim never lapses.
        self.claim_seconds = max(30.0, publish_timeout * 3)
        self.published_count = 0

    def wake(self) -> None:
        """Called after a commit that wrote events; safe from any thread."""
        self._loop.call_soon_threadsafe(self._wakeup.set)

    async def run(self) -> None:
        failures = 0
        while True:
            self._wakeup.clear()
            try:
                sent = await self.publish_pending()
                failures = 0
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # broker or database away: keep the rows, retry later
                failures += 1
                log.warning("outbox relay: %r; retrying", exc)
                await asyncio.sleep(min(0.2 * 2**failures, 5.0))
                continue
            if sent == self._batch_size:
                continue
            try:
                await asyncio.wait_for(self._wakeup.wait(), self._poll_seconds)
            except TimeoutError:
                pass

    async def publish_pending(self) -> int:
        rows = await self._run_blocking(self._claim_unsent)
        if not rows:
            return 0
        try:
            futures = []
            for row in rows:
                headers = {
                    MSG_ID: row.event_id,
                    EVENT_ID: row.event_id,
                    EVENT_TYPE: row.event_type,
                }
                futures.append(
                    await self._js.publish_async(row.subject, row.payload, headers=headers)
                )
            results = await asyncio.wait_for(
                asyncio.gather(*futures, return_exceptions=True), self._publish_timeout
            )
        except Exception:
            # The broker went away mid-pass: hand the rows back now, so the next pass
            # retries them as soon as it is back instead of after the claim lapses.
            with contextlib.suppress(Exception):
                await self._run_blocking(self._unclaim, [row.seq for row in rows])
            raise
        sent = []
        for row, result in zip(rows, results, strict=True):
            if isinstance(result, BaseException):
                log.warning("outbox relay: %s not acknowledged: %s", row.event_id, result)
                break  # keep order: the rest goes in the next pass
            sent.append(row.seq)
        if sent:
            await self._run_blocking(self.mark_sent, sent)
            self.published_count += len(sent)
        if len(sent) < len(rows):
            await self._run_blocking(self._unclaim, [row.seq for row in rows[len(sent) :]])
            raise Unavailable("JetStream did not acknowledge every event")
        return len(sent)

    def _claim_unsent(self) -> list[Any]:
        """Claim the oldest unsent rows for a short lease, in one short transaction.

        Relays of several replicas skip each other's claimed rows (and, on PostgreSQL,
        rows being claimed right now: SKIP LOCKED), so they publish different rows. No
        transaction stays open while publishing: a relay stopped or killed mid-publish
        leaves no lock behind, only a claim that lapses.
        """
        now = datetime.now(UTC)
        claimable = (
            select(outbox.c.seq)
            .where(outbox.c.sent_at.is_(None))
            .where(or_(outbox.c.claimed_until.is_(None), outbox.c.claimed_until < now))
            .order_by(outbox.c.seq)
            .limit(self._batch_size)
        )
        if not self._db.is_sqlite:
            claimable = claimable.with_for_update(skip_locked=True)
        with self._db.session() as session:
            seqs = list(session.execute(claimable).scalars())
            if not seqs:
                return []
            session.execute(
                update(outbox)
                .where(outbox.c.seq.in_(seqs))
                .values(claimed_until=now + timedelta(seconds=self.claim_seconds))
            )
            return list(
                session.execute(
                    select(
                        outbox.c.seq,
                        outbox.c.event_id,
                        outbox.c.subject,
                        outbox.c.event_type,
                        outbox.c.payload,
                    )
                    .where(outbox.c.seq.in_(seqs))
                    .order_by(outbox.c.seq)
                )
            )

    def _unclaim(self, seqs: list[int]) -> None:
        with self._db.session() as session:
            session.execute(update(outbox).where(outbox.c.seq.in_(seqs)).values(claimed_until=None))

    def mark_sent(self, seqs: list[int]) -> None:
        with self._db.session() as session:
            session.execute(
                update(outbox).where(outbox.c.seq.in_(seqs)).values(sent_at=datetime.now(UTC))
            )


# ---------------------------------------------------------------- consumers


@dataclass(frozen=True)
class IncomingEvent:
    subject: str
    event_id: str
    data: bytes
    headers: Mapping[str, str] = field(default_factory=dict)
    delivery: int = 1


EventHandler = Callable[[IncomingEvent, UnitOfWork], None]
# Several events at once, in their order, in one transaction: a consumer whose events
# touch the same rows can load and save them once per batch.
BatchHandler = Callable[[list[IncomingEvent], UnitOfWork], None]


def _incoming(msg: Msg) -> IncomingEvent:
    headers = dict(msg.headers or {})
    meta = msg.metadata
    return IncomingEvent(
        subject=msg.subject,
        # Without a message id (published outside an outbox) the stream position is unique.
        event_id=headers.get(EVENT_ID)
        or headers.get(MSG_ID)
        or f"{meta.stream}:{meta.sequence.stream}",
        data=msg.data,
        headers=headers,
        delivery=meta.num_delivered,
    )


def backoff_seconds(delivery: int) -> float:
    """Redelivery delay after the n-th failed delivery: 0.5 s doubling, capped at 30 s."""
    return min(0.5 * 2 ** (delivery - 1), 30.0)


class EventConsumer:
    """A durable pull consumer that applies each event once, in a transaction with its inbox row.

    The events of one fetch share a transaction (fewer commits under load); when any of
    them fails, the batch is applied again one event at a time, so a refused event is
    retried, and dead-lettered, alone.
    """

    def __init__(
        self,
        *,
        js: JetStreamContext,
        db: Database,
        run_blocking: BlockingRunner,
        new_uow: Callable[[], UnitOfWork],
        durable: str,
        stream: str,
        subjects: list[str],
        handler: EventHandler,
        batch_size: int = 64,
        max_deliver: int = 8,
        ack_wait: float = 30.0,
        apply_in_batches: bool = True,
        batch_handler: BatchHandler | None = None,
        on_applied: Callable[[], None] | None = None,
    ) -> None:
        self._js = js
        self._db = db
        self._run_blocking = run_blocking
        self._new_uow = new_uow
        self.durable = durable
        self.stream = stream
        self.subjects = subjects
        self._handler = handler
        self._batch_size = batch_size
        self._max_deliver = max_deliver
        self._ack_wait = ack_wait
        # The events of one fetch applied in one transaction (each still with its inbox
        # row); off, each event has a transaction of its own.
        self._apply_in_batches = apply_in_batches
        self._batch_handler = batch_handler
        # Called on the event loop after events were applied (to wake a job that acts on them).
        self._on_applied = on_applied
        self.applied_count = 0
        self.batch_count = 0
        self.duplicate_count = 0

    async def declare(self) -> None:
        config = ConsumerConfig(
            durable_name=self.durable,
            ack_policy=AckPolicy.EXPLICIT,
            deliver_policy=DeliverPolicy.ALL,
            filter_subjects=self.subjects,
            ack_wait=self._ack_wait,
            # Redelivery is driven by our naks with backoff; this cap is a safety net
            # above the dead-letter threshold.
            max_deliver=self._max_deliver + 2,
            max_ack_pending=self._batch_size * 4,
        )
        await while_jetstream_settles(
            lambda: self._js.add_consumer(self.stream, config), f"consumer {self.durable}"
        )

    async def run(self) -> None:
        failures = 0
        subscription = None
        while True:
            try:
                if subscription is None:
                    await self.declare()
                    subscription = await self._js.pull_subscribe_bind(
                        durable=self.durable, stream=self.stream
                    )
                try:
                    messages = await subscription.fetch(self._batch_size, timeout=1.0)
                except nats.errors.TimeoutError:
                    continue
                await self._process_fetched(messages)
                failures = 0
            except asyncio.CancelledError:
                if subscription is not None:
                    # Leaving the fetch subscription open makes the connection's drain at
                    # stop wait out its timeout.
                    with contextlib.suppress(Exception):
                        await asyncio.wait_for(subscription.unsubscribe(), 1)
                raise
            except Exception as exc:
                failures += 1
                log.warning("consumer %s: %r; retrying", self.durable, exc)
                if failures > 3:
                    subscription = None  # the server may have lost the consumer: declare again
                await asyncio.sleep(min(0.2 * 2**failures, 5.0))

    async def _process_fetched(self, messages: list[Msg]) -> None:
        if not self._apply_in_batches or len(messages) < 2:
            for msg in messages:
                await self._process(msg)
            return
        events = [_incoming(msg) for msg in messages]
        try:
            applied = await self._run_blocking(self.apply_many, events)
        except Exception as exc:
            # One event refused, or a conflict: nothing of the batch was kept. Apply them
            # one at a time, so only the failing one is retried or dead-lettered.
            log.info(
                "consumer %s: a batch of %d failed (%r); applying one by one",
                self.durable,
                len(events),
                exc,
            )
            for msg in messages:
                await self._process(msg)
            return
        # Acknowledged only after the commit: a crash before this redelivers the batch,
        # and the inbox rows then make every event a duplicate.
        for msg in messages:
            await msg.ack()
        self.batch_count += 1
        fresh = sum(applied)
        self.applied_count += fresh
        self.duplicate_count += len(applied) - fresh
        if fresh and self._on_applied is not None:
            self._on_applied()

    async def _process(self, msg: Msg) -> None:
        event = _incoming(msg)
        try:
            applied = await self._run_blocking(self.apply, event)
        except Exception as exc:
            if isinstance(exc, DomainError | DecodeError):
                log.warning("consumer %s refused %s: %s", self.durable, event.event_id, exc)
            else:
                log.exception("consumer %s failed on %s", self.durable, event.event_id)
            # A message that cannot be decoded never will be: no point in redelivering it.
            if event.delivery >= self._max_deliver or isinstance(exc, DecodeError):
                await self._dead_letter(event, exc)
                await msg.ack()
            else:
                await msg.nak(delay=backoff_seconds(event.delivery))
            return
        await msg.ack()
        if applied:
            self.applied_count += 1
            if self._on_applied is not None:
                self._on_applied()
        else:
            self.duplicate_count += 1

    def apply(self, event: IncomingEvent) -> bool:
        """Apply the event in one transaction; False when this consumer had applied it already."""
        with self._new_uow() as uow:
            try:
                uow.session.execute(
                    inbox.insert().values(
                        consumer=self.durable,
                        event_id=event.event_id,
                        subject=event.subject,
                        applied_at=datetime.now(UTC),
                    )
                )
                uow.session.flush()
            except IntegrityError:
                return False
            self._handler(event, uow)
            uow.commit()
            return True

    def apply_many(self, events: list[IncomingEvent]) -> list[bool]:
        """Apply the events in order in one transaction, each with its inbox row; per event,
        False when this consumer had applied it already. Raises (keeping nothing) when
        any handler does."""
        with self._new_uow() as uow:
            known = set(
                uow.session.execute(
                    select(inbox.c.event_id)
                    .where(inbox.c.consumer == self.durable)
                    .where(inbox.c.event_id.in_({e.event_id for e in events}))
                ).scalars()
            )
            applied: list[bool] = []
            fresh: list[IncomingEvent] = []
            for event in events:
                is_new = event.event_id not in known
                known.add(event.event_id)  # a second copy in the same batch is a duplicate
                applied.append(is_new)
                if is_new:
                    fresh.append(event)
            if not fresh:
                return applied
            now = datetime.now(UTC)
            # A concurrent copy committed meanwhile makes this insert fail: the caller
            # then applies the events one at a time, skipping it.
            uow.session.execute(
                inbox.insert(),
                [
                    {
                        "consumer": self.durable,
                        "event_id": e.event_id,
                        "subject": e.subject,
                        "applied_at": now,
                    }
                    for e in fresh
                ],
            )
            if self._batch_handler is not None:
                self._batch_handler(fresh, uow)
            else:
                for event in fresh:
                    self._handler(event, uow)
            uow.commit()
            return applied

    async def _dead_letter(self, event: IncomingEvent, exc: BaseException) -> None:
        subject = f"deadletter.{self.durable}.{event.subject}"
        headers = {
            MSG_ID: f"dl-{self.durable}-{event.event_id}",
            EVENT_ID: event.event_id,
            "Cangpei-Original-Subject": event.subject,
            "Cangpei-Original-Id": event.event_id,
            "Cangpei-Consumer": self.durable,
            "Cangpei-Error": str(exc)[:500].encode("ascii", "replace").decode(),
        }
        await self._js.publish(subject, event.data, headers=headers)
        log.error(
            "consumer %s gave up on %s after %d deliveries; moved to %s",
            self.durable,
            event.event_id,
            event.delivery,
            subject,
        )


# ---------------------------------------------------------------- request/reply


RpcHandler = Callable[[Any], Awaitable[Message]]


class RpcResponder:
    """Serves one request/reply subject in a queue group, so replicas share the load."""

    def __init__(
        self,
        nc: NATS,
        subject: str,
        request_type: type[Message],
        handler: RpcHandler,
        *,
        queue: str,
        concurrency: int = 64,
    ) -> None:
        self._nc = nc
        self.subject = subject
        self._request_type = request_type
        self._handler = handler
        self._queue = queue
        self._slots = asyncio.Semaphore(concurrency)
        self._tasks: set[asyncio.Task[None]] = set()

    async def start(self) -> None:
        await self._nc.subscribe(self.subject, queue=self._queue, cb=self._on_message)

    async def _on_message(self, msg: Msg) -> None:
        # nats-py runs one callback at a time per subscription: answer in tasks so a
        # slow request does not hold up the others.
        await self._slots.acquire()
        task = asyncio.create_task(self._answer(msg))
        self._tasks.add(task)
        task.add_done_callback(self._finished)

    def _finished(self, task: asyncio.Task[None]) -> None:
        self._tasks.discard(task)
        self._slots.release()

    async def _answer(self, msg: Msg) -> None:
        if not msg.reply:
            return
        try:
            request = self._request_type.FromString(msg.data)
            response = await self._handler(request)
            await self._nc.publish(msg.reply, response.SerializeToString(), headers={STATUS: "OK"})
            return
        except DecodeError:
            error = RpcError(
                code="INVALID_ARGUMENT",
                message=f"{self.subject} expects a {self._request_type.DESCRIPTOR.full_name}",
            )
        except DomainError as exc:
            error = RpcError(code=exc.code, message=exc.message)
        except Exception:
            log.exception("request on %s failed", self.subject)
            error = RpcError(code="INTERNAL", message=f"{self.subject} failed; see the service log")
        try:
            await self._nc.publish(msg.reply, error.SerializeToString(), headers={STATUS: "ERROR"})
        except Exception as exc:  # the requester will time out and say so
            log.warning("could not answer %s: %s", self.subject, exc)


async def request(
    nc: NATS, subject: str, message: Message, response_type: type[R], *, timeout: float
) -> R:
    """Ask another service over NATS; its refusals come back as the same DomainError."""
    try:
        reply = await nc.request(subject, message.SerializeToString(), timeout=timeout)
    except nats.errors.NoRespondersError as exc:
        service = subject.split(".")[1] if subject.count(".") >= 2 else subject
        raise Unavailable(
            f"no {service} service is answering {subject}; is it running and connected to NATS?"
        ) from exc
    except nats.errors.TimeoutError as exc:
        raise DeadlineExceeded(f"{subject} did not answer within {timeout:g} s") from exc
    except (nats.errors.ConnectionClosedError, nats.errors.ConnectionReconnectingError) as exc:
        raise Unavailable(f"NATS is not connected; {subject} was not asked") from exc
    if (reply.headers or {}).get(STATUS) == "ERROR":
        error = RpcError.FromString(reply.data)
        raise error_for_code(error.code, error.message)
    return response_type.FromString(reply.data)
