"""Routing in the fulfilment flow, on a real nats-server and real databases: waves depart
by themselves and announce each parcel once, also with two replicas; a cancelled or
failed order's parcels that have not left are cancelled."""

from __future__ import annotations

import dataclasses

import grpc
import nats
from google.protobuf.message import Message

from cangpei.routing.v1 import routing_pb2 as pb
from cangpei.warehouse.v1 import warehouse_pb2 as wpb

from .routing_app_helpers import (
    CONFIG,
    WAREHOUSE,
    RoutingEvents,
    allocation,
    publish_allocation,
    set_up_fleet,
    start_routing,
    stub_for,
)

# Rounds every 0.2 s; waves of a few parcels need little search.
LIVE = dataclasses.replace(
    CONFIG,
    dispatch_interval_seconds=0.2,
    auto_depart_after_seconds=0,
    solver_time_limit_seconds=0.2,
    replan_time_limit_seconds=0.2,
)


def near(parcel_id: str, offset: float = 0.0) -> tuple[str, float, float, int, int]:
    return (parcel_id, 31.25 + offset, 121.48 + offset, 9 * 60, 20 * 60)


async def publish(nats_url: str, subject: str, message: Message) -> None:
    nc = await nats.connect(nats_url)
    try:
        await nc.jetstream().publish(
            subject, message.SerializeToString(), headers={"Nats-Msg-Id": message.event_id}
        )
    finally:
        await nc.close()


def departures(tap: RoutingEvents) -> list[pb.ParcelDeparted]:
    return [
        pb.ParcelDeparted.FromString(data)
        for subject, data in tap.seen
        if subject == "routing.parcel.departed"
    ]


async def parcel_state(stub, parcel_id: str) -> pb.ParcelState | None:
    try:
        return (await stub.GetParcel(pb.GetParcelRequest(parcel_id=parcel_id))).parcel
    except grpc.aio.AioRpcError:
        return None


async def test_waves_depart_by_themselves_once_per_parcel(
    database_url, nats_server, wait_for
) -> None:
    app = await start_routing(database_url, nats_server.url, LIVE)
    channel, stub = stub_for(app)
    try:
        await set_up_fleet(stub)
        async with RoutingEvents(nats_server.url) as tap:
            await publish_allocation(
                nats_server.url, allocation("o1", near("p1"), near("p2", 0.01))
            )

            async def departed(count: int):
                await tap.subjects()
                return len(departures(tap)) >= count

            await wait_for(lambda: departed(2), timeout=15, what="both parcels departed")
            [plan_id] = {d.plan_id for d in departures(tap)}
            again = await stub.ConfirmDeparture(pb.ConfirmDepartureRequest(plan_id=plan_id))
            assert again.plan.status == pb.PLAN_STATUS_DEPARTED

            # A later parcel's departure: anything announced twice would precede it.
            await publish_allocation(nats_server.url, allocation("o2", near("p3", 0.02)))
            await wait_for(lambda: departed(3), timeout=15, what="the later parcel departed")
            events = departures(tap)
        assert sorted(d.parcel_id for d in events) == ["p1", "p2", "p3"]
        by_parcel = {d.parcel_id: d for d in events}
        assert by_parcel["p1"].order_id == "o1" and by_parcel["p1"].reservation_id == "res-p1"
        assert by_parcel["p1"].vehicle_id == "v1" and by_parcel["p1"].warehouse_id == WAREHOUSE[0]
        assert len({d.event_id for d in events}) == 3
    finally:
        await channel.close()
        await app.stop(grace=0)


async def test_two_replicas_depart_each_parcel_once(database_url, nats_server, wait_for) -> None:
    first = await start_routing(database_url, nats_server.url, LIVE)
    second = await start_routing(database_url, nats_server.url, LIVE)
    channel, stub = stub_for(first)
    try:
        await set_up_fleet(stub)
        async with RoutingEvents(nats_server.url) as tap:
            for n in range(4):
                order = allocation(
                    f"o{n}", near(f"p{n}a", n / 100), near(f"p{n}b", n / 100 + 0.005)
                )
                await publish_allocation(nats_server.url, order)

            async def all_departed():
                await tap.subjects()
                return len(departures(tap)) >= 8

            await wait_for(all_departed, timeout=30, what="eight parcels departed")
            # One more wave after them: a duplicate from either replica would precede it.
            await publish_allocation(nats_server.url, allocation("last", near("z", 0.05)))

            async def last_departed():
                await tap.subjects()
                return "z" in {d.parcel_id for d in departures(tap)}

            await wait_for(last_departed, timeout=15, what="the last parcel departed")
            parcels = [d.parcel_id for d in departures(tap)]
        assert len(parcels) == len(set(parcels)) == 9
    finally:
        await channel.close()
        await first.stop(grace=0)
        await second.stop(grace=0)


async def test_closed_orders_cancel_parcels_that_have_not_left(
    database_url, nats_server, wait_for
) -> None:
    # No rounds: waves stay open until confirmed.
    quiet = dataclasses.replace(LIVE, dispatch_interval_seconds=0)
    app = await start_routing(database_url, nats_server.url, quiet)
    channel, stub = stub_for(app)
    try:
        await set_up_fleet(stub)
        await publish_allocation(nats_server.url, allocation("o1", near("p1"), near("p2", 0.01)))
        await publish_allocation(nats_server.url, allocation("o3", near("p3", 0.02)))

        async def stored():
            return await parcel_state(stub, "p3") is not None

        await wait_for(stored, timeout=20, what="the allocations' parcels stored")
        plan = (await stub.DispatchWave(pb.DispatchWaveRequest(warehouse_id=WAREHOUSE[0]))).plan
        await stub.ConfirmDeparture(pb.ConfirmDepartureRequest(plan_id=plan.plan_id))
        # o1's parcels left; o2's arrive after the wave and are cancelled before the next.
        await publish_allocation(nats_server.url, allocation("o2", near("p4", 0.03)))

        async def p4_stored():
            return await parcel_state(stub, "p4") is not None

        await wait_for(p4_stored, timeout=20, what="the later parcel stored")

        def cancelled_parcel(pid: str) -> wpb.CancelledParcel:
            return wpb.CancelledParcel(
                parcel_id=pid, reservation_id=f"res-{pid}", warehouse_id=WAREHOUSE[0]
            )

        await publish(
            nats_server.url,
            "warehouse.order.cancelled",
            wpb.FulfilmentOrderCancelled(
                event_id="c-o2", order_id="o2", parcels=[cancelled_parcel("p4")], reason="changed"
            ),
        )
        await publish(
            nats_server.url,
            "warehouse.order.failed",
            wpb.FulfilmentOrderClosed(
                event_id="f-o1",
                order_id="o1",
                status=wpb.FULFILMENT_STATUS_FAILED,
                parcels=[cancelled_parcel("p1")],
                reason="stock expired",
            ),
        )
        # Overtakes its allocation: the parcel must stay out when the allocation comes.
        await publish(
            nats_server.url,
            "warehouse.order.cancelled",
            wpb.FulfilmentOrderCancelled(
                event_id="c-o9", order_id="o9", parcels=[cancelled_parcel("p9")]
            ),
        )

        async def p9_known():
            return await parcel_state(stub, "p9") is not None

        await wait_for(p9_known, timeout=20, what="the closures applied")
        await publish_allocation(nats_server.url, allocation("o9", near("p9", 0.04)))
        p4 = await parcel_state(stub, "p4")
        assert (
            p4.status == pb.PARCEL_STATUS_CANCELLED and p4.reason == "order o2 cancelled: changed"
        )
        p1 = await parcel_state(stub, "p1")
        assert p1.status == pb.PARCEL_STATUS_DISPATCHED, "it had left already"
        with_p9 = allocation("o-after", near("marker", 0.05))
        await publish_allocation(nats_server.url, with_p9)

        async def marker_stored():
            return await parcel_state(stub, "marker") is not None

        await wait_for(marker_stored, timeout=20, what="the allocations after the closures")
        assert (await parcel_state(stub, "p9")).status == pb.PARCEL_STATUS_CANCELLED
        wave = (await stub.DispatchWave(pb.DispatchWaveRequest(warehouse_id=WAREHOUSE[0]))).plan
        planned = {s.parcel_id for r in wave.routes for s in r.stops}
        planned |= {c.parcel_id for c in wave.carrier_parcels}
        assert planned == {"marker"}

        async with RoutingEvents(nats_server.url) as tap:

            async def cancelled_published():
                return (await tap.subjects()).count("routing.parcel.cancelled") >= 1

            await wait_for(cancelled_published, timeout=20, what="routing.parcel.cancelled")
            cancelled = [
                pb.ParcelCancelled.FromString(data).parcel_id
                for subject, data in tap.seen
                if subject == "routing.parcel.cancelled"
            ]
        assert cancelled == ["p4"]
    finally:
        await channel.close()
        await app.stop(grace=0)
