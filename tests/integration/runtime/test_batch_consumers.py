"""A consumer applies the events of one fetch in one transaction; one bad event in a batch
is retried (and dead-lettered) alone, and every other event is applied exactly once."""

from __future__ import annotations

import nats

from cangpei.common.v1.common_pb2 import GeoPoint
from cangpei.dlq import list_dead_letters
from cangpei.runtime.app import ServiceApp, start_app
from cangpei.runtime.messaging import IncomingEvent
from cangpei.runtime.settings import ServiceSettings
from cangpei.runtime.uow import UnitOfWork

from .runtime_fixtures import create_tables, parcels, received, received_rows, wire_producer

POISON = 7


def record_parcels(app: ServiceApp, count: int) -> list[str]:
    """Many events in one transaction, so the consumer's fetches find them together."""
    with app.uow() as uow:
        ids = []
        for number in range(1, count + 1):
            uow.session.execute(parcels.insert().values(label=f"parcel-{number}"))
            ids.append(
                uow.publish("producer.parcel.recorded", GeoPoint(latitude=number, longitude=0))
            )
        uow.commit()
    return ids


async def test_a_batch_with_a_bad_event_applies_the_others_once_and_dead_letters_it(
    nats_server, sqlite_url, tmp_path, wait_for
):
    batch_sizes: list[int] = []

    def insert(event: IncomingEvent, uow: UnitOfWork) -> None:
        latitude = int(GeoPoint.FromString(event.data).latitude)
        if latitude == POISON:
            raise RuntimeError("parcel 7 names a warehouse nobody knows")
        uow.session.execute(received.insert().values(event_id=event.event_id, latitude=latitude))

    def insert_batch(events: list[IncomingEvent], uow: UnitOfWork) -> None:
        batch_sizes.append(len(events))
        for event in events:
            insert(event, uow)

    def wire_consumer(app: ServiceApp) -> None:
        app.migrations = [create_tables]
        app.add_consumer(
            durable="batched",
            stream="PRODUCER",
            subjects=["producer.parcel.recorded"],
            handler=insert,
            batch_handler=insert_batch,
            max_deliver=2,
        )

    producer = await start_app(
        ServiceSettings.for_tests("producer", sqlite_url, nats_server.url), wire_producer
    )
    consumer = await start_app(
        ServiceSettings.for_tests("consumer", f"sqlite:///{tmp_path / 'c.db'}", nats_server.url),
        wire_consumer,
    )
    nc = await nats.connect(nats_server.url)
    try:
        ids = await producer.run_blocking(record_parcels, producer, 40)
        letters = await wait_for(lambda: list_dead_letters(nc), timeout=30, what="a dead letter")
        assert [letter.event_id for letter in letters] == [ids[POISON - 1]]
        await wait_for(lambda: len(received_rows(consumer)) == 39, timeout=20, what="the others")
        rows = received_rows(consumer)
        assert sorted(latitude for _, latitude in rows) == [n for n in range(1, 41) if n != POISON]
        assert len({event_id for event_id, _ in rows}) == 39  # none applied twice
        assert max(batch_sizes) > 1  # the events did arrive and get applied in batches
    finally:
        await nc.close()
        await consumer.stop(grace=0)
        await producer.stop(grace=0)


async def test_apply_many_skips_events_already_applied_and_copies_within_the_batch(
    nats_server, sqlite_url
):
    def insert(event: IncomingEvent, uow: UnitOfWork) -> None:
        uow.session.execute(received.insert().values(event_id=event.event_id, latitude=0))

    def wire_consumer(app: ServiceApp) -> None:
        app.migrations = [create_tables]
        app.add_consumer(
            durable="batched",
            stream="PRODUCER",
            subjects=["producer.parcel.recorded"],
            handler=insert,
        )

    app = await start_app(
        ServiceSettings.for_tests("consumer", sqlite_url, nats_server.url), wire_consumer
    )
    try:
        consumer = app.consumers[0]
        first = IncomingEvent("producer.parcel.recorded", "e-1", b"")
        second = IncomingEvent("producer.parcel.recorded", "e-2", b"")
        assert await app.run_blocking(consumer.apply_many, [first, first, second]) == [
            True,
            False,
            True,
        ]
        assert await app.run_blocking(consumer.apply_many, [second, first]) == [False, False]
        assert sorted(event_id for event_id, _ in received_rows(app)) == ["e-1", "e-2"]
    finally:
        await app.stop(grace=0)
