"""The warehouse service as its clients see it, with the real inventory service on NATS."""

from __future__ import annotations

import grpc
import pytest

from cangpei.inventory.v1 import inventory_pb2 as inv
from cangpei.runtime.errors import InvalidArgument
from cangpei.warehouse.v1 import warehouse_pb2 as pb

from .warehouse_app_helpers import (
    AllocationEvents,
    central,
    north,
    order,
    satellite,
    stock,
    warehouse_with_inventory,
)


@pytest.fixture
async def services(database_url, nats_server, tmp_path):
    async with warehouse_with_inventory(database_url, nats_server.url, tmp_path) as running:
        yield running


async def test_operators_register_update_list_and_query_coverage(services):
    _, warehouse, _ = services
    await warehouse.RegisterWarehouse(pb.RegisterWarehouseRequest(warehouse=satellite("S1", 20)))
    await warehouse.RegisterWarehouse(
        pb.RegisterWarehouseRequest(warehouse=satellite("S2", 70, radius=100))
    )
    await warehouse.RegisterWarehouse(pb.RegisterWarehouseRequest(warehouse=central("C", 300)))

    updated = await warehouse.UpdateWarehouse(
        pb.UpdateWarehouseRequest(warehouse_id="S1", daily_capacity_parcels=7)
    )
    assert (updated.warehouse.daily_capacity_parcels, updated.warehouse.name) == (7, "S1 satellite")

    first = await warehouse.ListWarehouses(pb.ListWarehousesRequest(page={"page_size": 2}))
    rest = await warehouse.ListWarehouses(
        pb.ListWarehousesRequest(page={"page_size": 2, "page_token": first.next_page_token})
    )
    assert [w.warehouse_id for w in [*first.warehouses, *rest.warehouses]] == ["C", "S1", "S2"]
    assert rest.next_page_token == ""

    coverage = await warehouse.GetCoverage(pb.GetCoverageRequest(point=north(0)))
    assert [(e.warehouse.warehouse_id, e.tier) for e in coverage.entries] == [
        ("S1", pb.SERVICE_TIER_NEAR_SATELLITE),
        ("S2", pb.SERVICE_TIER_FAR_SATELLITE),
        ("C", pb.SERVICE_TIER_CENTRAL),
    ]


async def test_bad_registrations_get_clear_grpc_errors(services):
    _, warehouse, _ = services
    with pytest.raises(grpc.aio.AioRpcError) as err:
        await warehouse.RegisterWarehouse(
            pb.RegisterWarehouseRequest(warehouse=satellite("S1", 20, radius=150))
        )
    assert err.value.code() is grpc.StatusCode.INVALID_ARGUMENT
    assert "service_radius_km 150.0 must be above 0 and at most 100" in err.value.details()

    await warehouse.RegisterWarehouse(pb.RegisterWarehouseRequest(warehouse=satellite("S1", 20)))
    with pytest.raises(grpc.aio.AioRpcError) as err:
        await warehouse.RegisterWarehouse(pb.RegisterWarehouseRequest(warehouse=satellite("S1", 9)))
    assert err.value.code() is grpc.StatusCode.ALREADY_EXISTS

    with pytest.raises(grpc.aio.AioRpcError) as err:
        await warehouse.GetWarehouse(pb.GetWarehouseRequest(warehouse_id="NOPE"))
    assert err.value.code() is grpc.StatusCode.NOT_FOUND


async def test_wave_is_reserved_in_inventory_published_and_readable(
    services, nats_server, wait_for
):
    _, warehouse, inventory = services
    for w in (satellite("S1", 5, capacity=1), satellite("S2", 20), central("C", 90)):
        await warehouse.RegisterWarehouse(pb.RegisterWarehouseRequest(warehouse=w))
    await stock(inventory, "TEA", "S1", 1)
    await stock(inventory, "TEA", "S2", 1)
    await stock(inventory, "TEA", "C", 10)
    await stock(inventory, "CUP", "S1", 5)

    # O2 lies 40 km south: only S1 is near it. O1 is near both, so S2 is its fair share.
    reply = await warehouse.AllocateWave(
        pb.AllocateWaveRequest(
            wave_id="wave-1",
            orders=[order("O1", 0, ("TEA", 1)), order("O2", -40, ("TEA", 1), ("CUP", 1))],
        )
    )
    by_order = {a.order_id: a for a in reply.allocations}
    assert [p.warehouse_id for p in by_order["O1"].parcels] == ["S2"]
    assert [(p.warehouse_id, len(p.lines)) for p in by_order["O2"].parcels] == [("S1", 2)]
    assert reply.solve.status in {"optimal", "feasible"}
    assert all(p.reservation_id for a in reply.allocations for p in a.parcels)

    levels = await inventory.GetAvailability(inv.GetAvailabilityRequest(skus=["TEA", "CUP"]))
    reserved = {(i.location_id, i.sku): i.reserved for i in levels.items}
    assert reserved == {("S1", "TEA"): 1, ("S2", "TEA"): 1, ("C", "TEA"): 0, ("S1", "CUP"): 1}

    async with AllocationEvents(nats_server.url) as tap:

        async def both_published():
            return len(await tap.drain()) >= 2

        await wait_for(both_published, timeout=10, what="two AllocationCreated events")
        events = {e.order_id: e for e in tap.events}
    assert set(events) == {"O1", "O2"}
    o2 = events["O2"]
    assert o2.wave_id == "wave-1"
    assert [(p.warehouse_id, p.tier) for p in o2.parcels] == [
        ("S1", pb.SERVICE_TIER_NEAR_SATELLITE)
    ]
    assert o2.explanations[0].startswith("1 x TEA, 1 x CUP from S1 (satellite within 50 km,")
    assert {p.reservation_id for p in o2.parcels} == {
        p.reservation_id for p in by_order["O2"].parcels
    }

    stored = await warehouse.GetAllocation(pb.GetAllocationRequest(order_id="O2"))
    assert stored.allocation == by_order["O2"]

    with pytest.raises(grpc.aio.AioRpcError) as err:
        await warehouse.Allocate(pb.AllocateRequest(order=order("O1", 0, ("TEA", 1))))
    assert err.value.code() is grpc.StatusCode.ALREADY_EXISTS


async def test_single_order_goes_to_the_far_tier_and_says_why(services):
    _, warehouse, inventory = services
    await warehouse.RegisterWarehouse(pb.RegisterWarehouseRequest(warehouse=satellite("S1", 10)))
    await warehouse.RegisterWarehouse(
        pb.RegisterWarehouseRequest(warehouse=satellite("S2", 60, radius=100))
    )
    await stock(inventory, "TEA", "S1", 1)
    await stock(inventory, "TEA", "S2", 5)
    reply = await warehouse.Allocate(pb.AllocateRequest(order=order("O1", 0, ("TEA", 3))))
    [parcel] = reply.allocation.parcels
    assert (parcel.warehouse_id, parcel.tier) == ("S2", pb.SERVICE_TIER_FAR_SATELLITE)
    assert abs(parcel.distance_km - 60) < 0.01
    assert (
        "3 x TEA from S2 (satellite within 100 km): no stock of 3 x TEA within 50 km"
        in reply.allocation.explanations
    )


async def test_bad_orders_get_clear_errors(services):
    _, warehouse, inventory = services
    await warehouse.RegisterWarehouse(pb.RegisterWarehouseRequest(warehouse=satellite("S1", 10)))
    await stock(inventory, "TEA", "S1", 5)
    cases = [
        (order("O1", 0), grpc.StatusCode.INVALID_ARGUMENT, "order 'O1' has no lines"),
        (
            pb.Order(
                order_id="O2",
                lines=[pb.ParcelLine(sku="TEA", quantity=1)],
                destination={"latitude": 95.0, "longitude": 120.0},
            ),
            grpc.StatusCode.INVALID_ARGUMENT,
            "latitude 95.0 is out of range",
        ),
        (order("O3", 0, ("GHOST", 1)), grpc.StatusCode.NOT_FOUND, "unknown SKU 'GHOST'"),
    ]
    for bad, code, message in cases:
        with pytest.raises(grpc.aio.AioRpcError) as err:
            await warehouse.Allocate(pb.AllocateRequest(order=bad))
        assert err.value.code() is code
        assert message in err.value.details()
    too_soon = order("O4", 0, ("TEA", 1))
    too_soon.placed_at.FromSeconds(1_800_000_000)
    too_soon.promised_by.FromSeconds(1_800_000_000 + 3600)
    with pytest.raises(grpc.aio.AioRpcError) as err:
        await warehouse.Allocate(pb.AllocateRequest(order=too_soon))
    assert err.value.code() is grpc.StatusCode.FAILED_PRECONDITION
    assert "but the earliest any warehouse can deliver is" in err.value.details()


async def test_other_services_allocate_over_nats_request_reply(services):
    app, warehouse, inventory = services
    await warehouse.RegisterWarehouse(pb.RegisterWarehouseRequest(warehouse=satellite("S1", 10)))
    await stock(inventory, "TEA", "S1", 5)
    reply = await app.request(
        "rpc.warehouse.Allocate",
        pb.AllocateRequest(order=order("O1", 0, ("TEA", 2))),
        pb.AllocateResponse,
        timeout=10,
    )
    assert [p.warehouse_id for p in reply.allocation.parcels] == ["S1"]
    with pytest.raises(InvalidArgument, match="order 'O2' has no lines"):
        await app.request(
            "rpc.warehouse.Allocate",
            pb.AllocateRequest(order=order("O2", 0)),
            pb.AllocateResponse,
            timeout=10,
        )
