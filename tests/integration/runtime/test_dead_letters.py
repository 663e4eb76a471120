"""An event a consumer keeps failing on goes to the dead letters; a replay applies it once."""

from __future__ import annotations

import nats

from cangpei.common.v1.common_pb2 import GeoPoint
from cangpei.dlq import list_dead_letters, replay
from cangpei.runtime.app import ServiceApp, start_app
from cangpei.runtime.messaging import IncomingEvent
from cangpei.runtime.settings import ServiceSettings
from cangpei.runtime.uow import UnitOfWork

from .runtime_fixtures import create_tables, received, received_rows, record_parcel, wire_producer


class FlakyHandler:
    """Fails until fixed, like a consumer waiting on a bug fix or a missing reference."""

    def __init__(self) -> None:
        self.fixed = False

    def __call__(self, event: IncomingEvent, uow: UnitOfWork) -> None:
        if not self.fixed:
            raise RuntimeError("warehouse W9 is unknown here")
        uow.session.execute(received.insert().values(event_id=event.event_id, latitude=0))


async def test_failing_event_is_dead_lettered_and_a_replay_applies_it_once_everywhere(
    nats_server, sqlite_url, tmp_path, wait_for
):
    flaky = FlakyHandler()

    def wire_consumers(app: ServiceApp) -> None:
        app.migrations = [create_tables]
        app.add_consumer(
            durable="flaky",
            stream="PRODUCER",
            subjects=["producer.parcel.recorded"],
            handler=flaky,
            max_deliver=2,
        )
        app.add_consumer(
            durable="healthy",
            stream="PRODUCER",
            subjects=["producer.parcel.recorded"],
            handler=lambda event, uow: uow.session.execute(
                received.insert().values(event_id=event.event_id, latitude=1)
            ),
        )

    producer = await start_app(
        ServiceSettings.for_tests("producer", sqlite_url, nats_server.url), wire_producer
    )
    consumer = await start_app(
        ServiceSettings.for_tests("consumer", f"sqlite:///{tmp_path / 'c.db'}", nats_server.url),
        wire_consumers,
    )
    nc = await nats.connect(nats_server.url)
    try:
        event_id = await producer.run_blocking(record_parcel, producer, 1)
        letters = await wait_for(lambda: list_dead_letters(nc), timeout=20, what="a dead letter")
        assert [(letter.consumer, letter.event_id) for letter in letters] == [("flaky", event_id)]
        assert "W9 is unknown" in letters[0].error
        assert received_rows(consumer) == [(event_id, 1)]  # the healthy consumer applied it

        flaky.fixed = True
        await replay(nc, letters[0].sequence)
        await wait_for(lambda: len(received_rows(consumer)) == 2, timeout=20, what="replay applied")
        await wait_for(lambda: consumer.consumers[1].duplicate_count == 1, timeout=10)
        assert sorted(received_rows(consumer)) == [(event_id, 0), (event_id, 1)]
        assert await list_dead_letters(nc) == []
    finally:
        await nc.close()
        await consumer.stop(grace=0)
        await producer.stop(grace=0)


async def test_an_event_that_cannot_be_decoded_is_dead_lettered_without_redeliveries(
    nats_server, sqlite_url, tmp_path, wait_for
):
    calls: list[str] = []

    def strict(event: IncomingEvent, uow: UnitOfWork) -> None:
        calls.append(event.event_id)
        GeoPoint.FromString(event.data)

    def wire_consumers(app: ServiceApp) -> None:
        app.migrations = [create_tables]
        app.add_consumer(
            durable="strict",
            stream="PRODUCER",
            subjects=["producer.parcel.recorded"],
            handler=strict,
            max_deliver=5,
        )

    producer = await start_app(
        ServiceSettings.for_tests("producer", sqlite_url, nats_server.url), wire_producer
    )
    consumer = await start_app(
        ServiceSettings.for_tests("consumer", f"sqlite:///{tmp_path / 'c.db'}", nats_server.url),
        wire_consumers,
    )
    nc = await nats.connect(nats_server.url)
    try:
        # Bytes no protobuf message parses (a truncated length-delimited field).
        await nc.jetstream().publish(
            "producer.parcel.recorded", b"\x0a\x05ab", headers={"Cangpei-Event-Id": "bad-1"}
        )
        letters = await wait_for(lambda: list_dead_letters(nc), timeout=20, what="a dead letter")
        assert [(letter.consumer, letter.event_id) for letter in letters] == [("strict", "bad-1")]
        assert calls == ["bad-1"]  # refused once, not redelivered max_deliver times
    finally:
        await nc.close()
        await consumer.stop(grace=0)
        await producer.stop(grace=0)
