"""Inventory in the fulfilment flow, on a real nats-server and real databases: a departed
parcel commits its reservation, a cancelled or failed order releases its reservations,
each once however often the event is delivered."""

from __future__ import annotations

import nats
import pytest
from google.protobuf.message import Message

from cangpei.inventory.v1 import inventory_pb2 as pb
from cangpei.routing.v1 import routing_pb2
from cangpei.warehouse.v1 import warehouse_pb2

from .app_helpers import EventTap, reserve_request, start_inventory, stock_up, stub_for
from .conftest import open_inventory


@pytest.fixture
async def inventory_app(database_url, nats_server):
    app = await start_inventory(database_url, nats_server.url)
    channel, stub = stub_for(app)
    yield app, stub
    await channel.close()
    await app.stop(grace=0)


async def publish(nats_url: str, subject: str, message: Message, *deliveries: str) -> None:
    """Publish ``message`` once per delivery id: the same event (one Cangpei-Event-Id)
    arriving again, as after a publisher's retry past JetStream's duplicate window."""
    nc = await nats.connect(nats_url)
    try:
        for delivery in deliveries:
            await nc.jetstream().publish(
                subject,
                message.SerializeToString(),
                headers={"Nats-Msg-Id": delivery, "Cangpei-Event-Id": message.event_id},
            )
    finally:
        await nc.close()


def departed(event_id: str, parcel_id: str, reservation_id: str) -> routing_pb2.ParcelDeparted:
    return routing_pb2.ParcelDeparted(
        event_id=event_id,
        parcel_id=parcel_id,
        order_id="o1",
        warehouse_id="A",
        reservation_id=reservation_id,
        plan_id="plan-1",
        carrier_id="sf",
    )


async def reservation_status(stub, reservation_id: str) -> int:
    reply = await stub.GetReservation(pb.GetReservationRequest(reservation_id=reservation_id))
    return reply.reservation.status


async def test_departed_parcel_commits_its_reservation_once(
    inventory_app, nats_server, database_url, wait_for
) -> None:
    app, stub = inventory_app
    await stock_up(stub, "tea", "A", 10)
    first = (await stub.Reserve(reserve_request("k1", "tea", 3, "A"))).reservation_id
    second = (await stub.Reserve(reserve_request("k2", "tea", 2, "A"))).reservation_id

    event = departed("dep-1", "p1", first)
    await publish(nats_server.url, "routing.parcel.departed", event, "m1", "m2")
    # The same parcel's departure again under a new event id (a second publisher).
    again = departed("dep-1-again", "p1", first)
    await publish(nats_server.url, "routing.parcel.departed", again, "m3")
    # One consumer applies events in order: once the last is applied, all were.
    await publish(nats_server.url, "routing.parcel.departed", departed("dep-2", "p2", second), "m4")

    async def second_committed() -> bool:
        return await reservation_status(stub, second) == pb.RESERVATION_STATUS_COMMITTED

    await wait_for(second_committed, timeout=10, what="the last departure applied")
    assert await reservation_status(stub, first) == pb.RESERVATION_STATUS_COMMITTED
    [level] = (await stub.GetAvailability(pb.GetAvailabilityRequest(skus=["tea"]))).items
    assert (level.on_hand, level.reserved) == (5, 0)

    async with EventTap(nats_server.url) as tap:

        async def both_published() -> bool:
            return (await tap.subjects()).count("inventory.stock.committed") >= 2

        await wait_for(both_published, timeout=10, what="inventory.stock.committed events")
        committed = [
            pb.StockCommitted.FromString(data)
            for subject, data in tap.seen
            if subject == "inventory.stock.committed"
        ]
    assert sorted(c.reservation_id for c in committed) == sorted([first, second])
    assert all(c.order_id == "order-k1" for c in committed if c.reservation_id == first)
    assert {c.reference for c in committed} == {"p1", "p2"}
    check = open_inventory(database_url)
    assert check.reconciliation_problems() == []
    check.db.dispose()


async def test_cancelled_and_failed_orders_release_active_reservations_once(
    inventory_app, nats_server, database_url, wait_for
) -> None:
    app, stub = inventory_app
    await stock_up(stub, "tea", "A", 10)
    waiting = (await stub.Reserve(reserve_request("k1", "tea", 3, "A"))).reservation_id
    gone = (await stub.Reserve(reserve_request("k2", "tea", 2, "A"))).reservation_id
    failed = (await stub.Reserve(reserve_request("k3", "tea", 4, "A"))).reservation_id
    await publish(nats_server.url, "routing.parcel.departed", departed("d", "p2", gone), "m0")

    async def gone_committed() -> bool:
        return await reservation_status(stub, gone) == pb.RESERVATION_STATUS_COMMITTED

    await wait_for(gone_committed, timeout=10, what="the departed parcel committed")

    cancelled = warehouse_pb2.FulfilmentOrderCancelled(
        event_id="cancel-o1",
        order_id="o1",
        reason="customer changed their mind",
        parcels=[
            warehouse_pb2.CancelledParcel(parcel_id="p1", reservation_id=waiting, warehouse_id="A"),
            warehouse_pb2.CancelledParcel(parcel_id="p2", reservation_id=gone, warehouse_id="A"),
        ],
    )
    await publish(nats_server.url, "warehouse.order.cancelled", cancelled, "c1", "c2")
    closed = warehouse_pb2.FulfilmentOrderClosed(
        event_id="failed-o2",
        order_id="o2",
        status=warehouse_pb2.FULFILMENT_STATUS_FAILED,
        reason="no carrier or vehicle can take parcel p3",
        parcels=[
            warehouse_pb2.CancelledParcel(parcel_id="p3", reservation_id=failed, warehouse_id="A")
        ],
    )
    await publish(nats_server.url, "warehouse.order.failed", closed, "f1", "f2")

    async def failed_released() -> bool:
        return await reservation_status(stub, failed) == pb.RESERVATION_STATUS_RELEASED

    await wait_for(failed_released, timeout=10, what="the failed order's reservation released")
    assert await reservation_status(stub, waiting) == pb.RESERVATION_STATUS_RELEASED
    assert await reservation_status(stub, gone) == pb.RESERVATION_STATUS_COMMITTED
    [level] = (await stub.GetAvailability(pb.GetAvailabilityRequest(skus=["tea"]))).items
    assert (level.on_hand, level.reserved) == (8, 0)

    async with EventTap(nats_server.url) as tap:

        async def both_released() -> bool:
            return (await tap.subjects()).count("inventory.stock.released") >= 2

        await wait_for(both_released, timeout=10, what="inventory.stock.released events")
        released = [
            pb.StockReleased.FromString(data)
            for subject, data in tap.seen
            if subject == "inventory.stock.released"
        ]
    assert sorted(r.reservation_id for r in released) == sorted([waiting, failed])
    reasons = {r.reservation_id: r.reason for r in released}
    assert reasons[waiting] == "order o1 cancelled: customer changed their mind"
    assert reasons[failed] == "order o2 failed: no carrier or vehicle can take parcel p3"
    check = open_inventory(database_url)
    assert check.reconciliation_problems() == []
    check.db.dispose()
