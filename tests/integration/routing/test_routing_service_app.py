"""The routing service in-process against a real nats-server and real databases."""

from __future__ import annotations

import dataclasses

import grpc
import pytest

from cangpei.common.v1 import common_pb2
from cangpei.routing.v1 import routing_pb2 as pb

from .routing_app_helpers import (
    CONFIG,
    WAREHOUSE,
    RoutingEvents,
    allocation,
    carrier,
    publish_allocation,
    set_up_fleet,
    start_routing,
    stub_for,
    vehicle,
)

NEAR_1 = ("p1", 31.25, 121.48, 9 * 60, 20 * 60)
NEAR_2 = ("p2", 31.24, 121.50, 9 * 60, 20 * 60)
# 40 km north with a ten-minute window at 09:00: no vehicle is there in time.
TOO_FAR_FOR_THE_WINDOW = ("p3", 31.59, 121.47, 9 * 60, 9 * 60 + 10)


@pytest.mark.parametrize("engine", ["ortools", "pyvrp"])
async def test_allocations_are_dispatched_replanned_and_published(
    engine, database_url, nats_server, wait_for
) -> None:
    if engine == "pyvrp":
        pytest.importorskip("pyvrp", reason="PyVRP is the optional second engine (pyvrp extra)")
    config = dataclasses.replace(CONFIG, solver_engine=engine)
    app = await start_routing(database_url, nats_server.url, config)
    channel, stub = stub_for(app)
    try:
        await set_up_fleet(stub)
        await publish_allocation(
            nats_server.url, allocation("o1", NEAR_1, NEAR_2, TOO_FAR_FOR_THE_WINDOW)
        )

        async def stored():
            try:
                await stub.GetParcel(pb.GetParcelRequest(parcel_id="p3"))
            except grpc.aio.AioRpcError:
                return False
            return True

        await wait_for(stored, timeout=10, what="the allocation's parcels stored")

        plan = (await stub.DispatchWave(pb.DispatchWaveRequest(warehouse_id=WAREHOUSE[0]))).plan
        assert plan.revision == 1
        [route] = plan.routes
        assert {s.parcel_id for s in route.stops} == {"p1", "p2"}
        [by_carrier] = plan.carrier_parcels
        assert by_carrier.parcel_id == "p3" and by_carrier.carrier_id == "sf"
        assert "no vehicle can reach it in time" in by_carrier.reason
        assert plan.total_cost_fen == route.cost_fen + by_carrier.cost_fen

        p1 = await stub.GetParcel(pb.GetParcelRequest(parcel_id="p1"))
        assert p1.parcel.status == pb.PARCEL_STATUS_DISPATCHED
        assert p1.dispatch.vehicle_id == "v1"

        cancelled = await stub.CancelParcel(pb.CancelParcelRequest(parcel_id="p2"))
        assert cancelled.parcel.status == pb.PARCEL_STATUS_CANCELLED
        assert cancelled.plan.plan_id == plan.plan_id and cancelled.plan.revision == 2
        assert [s.parcel_id for r in cancelled.plan.routes for s in r.stops] == ["p1"]

        departed = await stub.ConfirmDeparture(pb.ConfirmDepartureRequest(plan_id=plan.plan_id))
        assert departed.plan.status == pb.PLAN_STATUS_DEPARTED
        with pytest.raises(grpc.aio.AioRpcError) as refused:
            await stub.CancelParcel(pb.CancelParcelRequest(parcel_id="p1"))
        assert refused.value.code() == grpc.StatusCode.FAILED_PRECONDITION
        assert "can no longer be cancelled" in refused.value.details()

        async with RoutingEvents(nats_server.url) as tap:

            async def all_published():
                subjects = await tap.subjects()
                return (
                    subjects.count("routing.parcel.dispatched") >= 3
                    and "routing.route.planned" in subjects
                    and "routing.parcel.cancelled" in subjects
                )

            await wait_for(all_published, timeout=10, what="dispatch events on ROUTING")
            dispatched = [
                pb.ParcelDispatched.FromString(data)
                for subject, data in tap.seen
                if subject == "routing.parcel.dispatched"
            ]
            assert {d.parcel_id for d in dispatched} == {"p1", "p2", "p3"}
            assert all(d.plan_id == plan.plan_id for d in dispatched)
    finally:
        await channel.close()
        await app.stop(grace=0)


async def test_bad_input_gets_a_clear_status(database_url, nats_server) -> None:
    app = await start_routing(database_url, nats_server.url)
    channel, stub = stub_for(app)
    try:
        with pytest.raises(grpc.aio.AioRpcError) as unknown:
            await stub.DispatchWave(pb.DispatchWaveRequest(warehouse_id="nowhere"))
        assert unknown.value.code() == grpc.StatusCode.NOT_FOUND
        assert "unknown warehouse 'nowhere'" in unknown.value.details()

        with pytest.raises(grpc.aio.AioRpcError) as no_depot:
            await stub.UpsertVehicle(pb.UpsertVehicleRequest(vehicle=vehicle(depot_id="nowhere")))
        assert no_depot.value.code() == grpc.StatusCode.NOT_FOUND

        bad_shift = vehicle()
        bad_shift.shift_end_minute = bad_shift.shift_start_minute - 60
        await stub.RegisterDepot(
            pb.RegisterDepotRequest(
                warehouse_id=WAREHOUSE[0],
                location=common_pb2.GeoPoint(latitude=WAREHOUSE[1], longitude=WAREHOUSE[2]),
            )
        )
        with pytest.raises(grpc.aio.AioRpcError) as shift:
            await stub.UpsertVehicle(pb.UpsertVehicleRequest(vehicle=bad_shift))
        assert shift.value.code() == grpc.StatusCode.INVALID_ARGUMENT
        assert "shift end" in shift.value.details()

        no_bands = carrier()
        del no_bands.bands[:]
        with pytest.raises(grpc.aio.AioRpcError) as card:
            await stub.UpsertCarrier(pb.UpsertCarrierRequest(carrier=no_bands))
        assert card.value.code() == grpc.StatusCode.INVALID_ARGUMENT

        listed = await stub.ListVehicles(pb.ListVehiclesRequest())
        assert list(listed.vehicles) == [], "refused vehicles leave nothing behind"
    finally:
        await channel.close()
        await app.stop(grace=0)
