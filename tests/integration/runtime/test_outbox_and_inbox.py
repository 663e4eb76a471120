"""The outbox relay and the consumer inbox give exactly-once effects over a real nats-server."""

from __future__ import annotations

import asyncio

import pytest

from cangpei.runtime.app import start_app
from cangpei.runtime.messaging import EventConsumer, OutboxRelay
from cangpei.runtime.outbox import outbox
from cangpei.runtime.settings import ServiceSettings

from .runtime_fixtures import (
    count,
    received_rows,
    record_parcel,
    wire_consumer,
    wire_producer,
)


class RelayKilledBeforeMarking(Exception):
    pass


class RelayThatDiesAfterPublishing(OutboxRelay):
    """Publishes to JetStream, then dies where a crash hurts most: before marking rows sent."""

    def mark_sent(self, seqs: list[int]) -> None:
        raise RelayKilledBeforeMarking(f"relay died holding {len(seqs)} published rows")


async def _start_pair(nats_server, database_url, tmp_path):
    producer = await start_app(
        ServiceSettings.for_tests("producer", database_url, nats_server.url), wire_producer
    )
    consumer = await start_app(
        ServiceSettings.for_tests(
            "consumer", f"sqlite:///{tmp_path / 'consumer.db'}", nats_server.url
        ),
        wire_consumer,
    )
    return producer, consumer


async def test_relay_killed_before_marking_sent_still_applies_event_exactly_once(
    nats_server, database_url, tmp_path, wait_for
):
    producer, consumer = await _start_pair(nats_server, database_url, tmp_path)
    try:
        # Stop the app's own relay so the crashing one is the only publisher.
        producer.relay = None
        for task in producer._running:
            if "outbox relay" in task.get_name():
                task.cancel()
        event_id = record_parcel(producer, 7)

        dying = RelayThatDiesAfterPublishing(producer.db, producer.js, producer.run_blocking)
        dying.claim_seconds = 0.5  # its claim on the row lapses soon after it dies
        with pytest.raises(RelayKilledBeforeMarking):
            await dying.publish_pending()
        assert count(producer, outbox.select().where(outbox.c.sent_at.is_(None)).subquery()) == 1

        restarted = OutboxRelay(producer.db, producer.js, producer.run_blocking)
        await wait_for(restarted.publish_pending, timeout=10, what="the row published again")
        assert restarted.published_count == 1
        assert count(producer, outbox.select().where(outbox.c.sent_at.is_(None)).subquery()) == 0

        await wait_for(lambda: received_rows(consumer), what="consumer applied the event")
        stream = await producer.js.stream_info("PRODUCER")
        assert stream.state.messages == 1, "JetStream kept the republished duplicate"
        # Let any stray redelivery arrive before counting.
        await wait_for(lambda: consumer.consumers[0].applied_count == 1)
        assert received_rows(consumer) == [(event_id, 7)]
    finally:
        await consumer.stop(grace=0)
        await producer.stop(grace=0)


class ConsumerThatCrashesBeforeAck(EventConsumer):
    """Commits the effect and its inbox row, then dies before acknowledging (once)."""

    crashed = False

    async def _process(self, msg):  # type: ignore[no-untyped-def]
        if not self.crashed:
            self.crashed = True
            await self._run_blocking(self.apply, self._event_of(msg))
            return  # no ack: JetStream redelivers after ack_wait
        await super()._process(msg)

    def _event_of(self, msg):  # type: ignore[no-untyped-def]
        from cangpei.runtime.messaging import IncomingEvent

        return IncomingEvent(
            subject=msg.subject,
            event_id=msg.headers["Nats-Msg-Id"],
            data=msg.data,
            headers=dict(msg.headers),
            delivery=msg.metadata.num_delivered,
        )


async def test_event_redelivered_after_a_crash_before_ack_is_applied_once(
    nats_server, database_url, tmp_path, wait_for
):
    producer = await start_app(
        ServiceSettings.for_tests("producer", database_url, nats_server.url), wire_producer
    )
    consumer_app = await start_app(
        ServiceSettings.for_tests("consumer", f"sqlite:///{tmp_path / 'c.db'}", nats_server.url),
        lambda app: wire_consumer(app) or app._consumer_specs.clear(),
    )
    try:
        from .runtime_fixtures import received

        consumer = ConsumerThatCrashesBeforeAck(
            js=consumer_app.js,
            db=consumer_app.db,
            run_blocking=consumer_app.run_blocking,
            new_uow=consumer_app.uow,
            durable="crashy",
            stream="PRODUCER",
            subjects=["producer.parcel.recorded"],
            handler=lambda event, uow: uow.session.execute(
                received.insert().values(event_id=event.event_id, latitude=1)
            ),
            ack_wait=1.0,
        )
        task = asyncio.create_task(consumer.run())
        record_parcel(producer, 1)
        await wait_for(lambda: consumer.duplicate_count == 1, timeout=15, what="redelivery seen")
        assert consumer.crashed
        assert count(consumer_app, received) == 1
        task.cancel()
    finally:
        await consumer_app.stop(grace=0)
        await producer.stop(grace=0)


async def test_nats_server_killed_and_restarted_mid_stream_loses_and_repeats_nothing(
    nats_server, database_url, tmp_path, wait_for
):
    producer, consumer = await _start_pair(nats_server, database_url, tmp_path)
    try:
        total = 300
        sent_ids = []
        for number in range(total):
            sent_ids.append(await producer.run_blocking(record_parcel, producer, number))
            if number == 100:
                await wait_for(lambda: len(received_rows(consumer)) > 20, timeout=20)
                nats_server.kill()
            if number == 200:
                nats_server.start()
        await wait_for(
            lambda: len(received_rows(consumer)) >= total, timeout=60, what="all events applied"
        )
        rows = received_rows(consumer)
        assert sorted(event_id for event_id, _ in rows) == sorted(sent_ids)
        assert len(rows) == total
        # The consumer may see an event before the relay has marked it sent.
        await wait_for(
            lambda: (
                count(producer, outbox.select().where(outbox.c.sent_at.is_(None)).subquery()) == 0
            ),
            timeout=20,
            what="outbox drained",
        )
    finally:
        await consumer.stop(grace=0)
        await producer.stop(grace=0)


async def test_relays_of_two_replicas_share_the_outbox_without_publishing_a_row_twice(
    nats_server, postgres_url
):
    producer = await start_app(
        ServiceSettings.for_tests("producer", postgres_url, nats_server.url), wire_producer
    )
    try:
        producer.relay = None
        for task in producer._running:
            if "outbox relay" in task.get_name():
                task.cancel()
        total = 300
        for number in range(total):
            await producer.run_blocking(record_parcel, producer, number)
        relays = [
            OutboxRelay(producer.db, producer.js, producer.run_blocking, batch_size=50)
            for _ in range(2)
        ]

        async def drain(relay: OutboxRelay) -> None:
            while await relay.publish_pending():
                pass

        await asyncio.gather(*(drain(relay) for relay in relays))
        assert sum(relay.published_count for relay in relays) == total
        assert all(relay.published_count > 0 for relay in relays), "one relay did all the work"
        stream = await producer.js.stream_info("PRODUCER")
        assert stream.state.messages == total
    finally:
        await producer.stop(grace=0)


async def test_many_events_published_in_one_statement_all_arrive_in_order(
    nats_server, database_url, tmp_path, wait_for
):
    from cangpei.common.v1.common_pb2 import GeoPoint

    producer, consumer = await _start_pair(nats_server, database_url, tmp_path)
    try:

        def record_batch() -> list[str]:
            with producer.uow() as uow:
                ids = uow.publish_many(
                    [("producer.parcel.recorded", GeoPoint(latitude=n)) for n in range(50)]
                )
                uow.commit()
            return ids

        ids = await producer.run_blocking(record_batch)
        await wait_for(lambda: len(received_rows(consumer)) == 50, timeout=20)
        assert received_rows(consumer) == [(event_id, n) for n, event_id in enumerate(ids)]
    finally:
        await consumer.stop(grace=0)
        await producer.stop(grace=0)
