"""Allocation waves under failure: a wave cut short mid-way, and two replicas at once."""

from __future__ import annotations

import asyncio

from cangpei.inventory.v1 import inventory_pb2 as inv
from cangpei.runtime.app import start_app
from cangpei.runtime.settings import ServiceSettings
from cangpei.warehouse.v1 import warehouse_pb2 as pb
from services.warehouse.bootstrap import wire as wire_warehouse

from .fulfilment_helpers import FLOW_CONFIG, StreamTap, submit
from .warehouse_app_helpers import (
    inventory_stub,
    satellite,
    start_inventory,
    stock,
    warehouse_stub,
)


class DiesAfterReserving:
    """Reserves for real, then the wave dies before its outcome is written (once)."""

    def __init__(self, reserver) -> None:
        self.reserver = reserver
        self.died = False

    async def reserve(self, key, order_id, location_id, lines):
        reservation_id = await self.reserver.reserve(key, order_id, location_id, lines)
        if not self.died:
            self.died = True
            raise RuntimeError("the process died here")
        return reservation_id


class CustomerCancelsMeanwhile:
    """Reserves for real; the customer cancels the order before the wave writes its outcome."""

    def __init__(self, reserver, warehouse) -> None:
        self.reserver = reserver
        self.warehouse = warehouse

    async def reserve(self, key, order_id, location_id, lines):
        reservation_id = await self.reserver.reserve(key, order_id, location_id, lines)
        await self.warehouse.CancelFulfilmentOrder(
            pb.CancelFulfilmentOrderRequest(order_id=order_id, reason="changed my mind")
        )
        return reservation_id


async def start_warehouse_keeping_api(database_url, nats_url):
    kept = {}

    def wire(app):
        kept["api"] = wire_warehouse(app, config=FLOW_CONFIG)

    app = await start_app(ServiceSettings.for_tests("warehouse", database_url, nats_url), wire)
    return app, kept["api"]


async def reserved_units(inventory, sku: str) -> int:
    levels = await inventory.GetAvailability(inv.GetAvailabilityRequest(skus=[sku]))
    return sum(i.reserved for i in levels.items)


async def test_a_wave_cut_short_after_reserving_is_redone_without_holding_stock_twice(
    database_url, nats_server, tmp_path, wait_for
):
    inventory_app = await start_inventory(f"sqlite:///{tmp_path / 'inventory.db'}", nats_server.url)
    inv_channel, inventory = inventory_stub(inventory_app)
    warehouse_app, api = await start_warehouse_keeping_api(database_url, nats_server.url)
    wh_channel, warehouse = warehouse_stub(warehouse_app)
    try:
        await warehouse.RegisterWarehouse(pb.RegisterWarehouseRequest(warehouse=satellite("S1", 5)))
        await warehouse.RegisterWarehouse(
            pb.RegisterWarehouseRequest(warehouse=satellite("S2", 30))
        )
        await stock(inventory, "TEA", "S1", 3)
        await stock(inventory, "TEA", "S2", 3)
        waves = api.waves.allocation
        dying = DiesAfterReserving(waves.reserver)
        waves.reserver = dying
        await warehouse.SubmitFulfilmentOrder(submit("k-1", "O1", 0, ("TEA", 3)))

        async def allocated():
            found = await warehouse.GetFulfilmentOrder(pb.GetFulfilmentOrderRequest(order_id="O1"))
            return found.order if found.order.status == pb.FULFILMENT_STATUS_ALLOCATED else None

        o = await wait_for(allocated, timeout=20, what="O1 allocated after the retry")
        assert dying.died
        # The interrupted wave's reservation at S1 was given back, so S1 serves it again
        # (the nearest), and only the order's 3 units are held.
        assert [p.warehouse_id for p in o.parcels] == ["S1"]
        assert await reserved_units(inventory, "TEA") == 3
    finally:
        await wh_channel.close()
        await inv_channel.close()
        await warehouse_app.stop(grace=0)
        await inventory_app.stop(grace=0)


async def test_an_order_cancelled_while_its_wave_runs_gets_nothing_held(
    database_url, nats_server, tmp_path, wait_for
):
    inventory_app = await start_inventory(f"sqlite:///{tmp_path / 'inventory.db'}", nats_server.url)
    inv_channel, inventory = inventory_stub(inventory_app)
    warehouse_app, api = await start_warehouse_keeping_api(database_url, nats_server.url)
    wh_channel, warehouse = warehouse_stub(warehouse_app)
    try:
        await warehouse.RegisterWarehouse(pb.RegisterWarehouseRequest(warehouse=satellite("S1", 5)))
        await stock(inventory, "TEA", "S1", 3)
        waves = api.waves.allocation
        waves.reserver = CustomerCancelsMeanwhile(waves.reserver, warehouse)
        await warehouse.SubmitFulfilmentOrder(submit("k-1", "O1", 0, ("TEA", 2)))

        async def nothing_held():
            return await reserved_units(inventory, "TEA") == 0

        async def a_reservation_was_made():
            levels = await inventory.GetHistory(inv.GetHistoryRequest(sku="TEA", location_id="S1"))
            return any(e.kind == "reservation" for e in levels.entries)

        await wait_for(a_reservation_was_made, timeout=10, what="the wave reserved")
        await wait_for(nothing_held, timeout=10, what="the cancelled order's stock released")
        found = await warehouse.GetFulfilmentOrder(pb.GetFulfilmentOrderRequest(order_id="O1"))
        assert found.order.status == pb.FULFILMENT_STATUS_CANCELLED
        assert list(found.order.parcels) == []
    finally:
        await wh_channel.close()
        await inv_channel.close()
        await warehouse_app.stop(grace=0)
        await inventory_app.stop(grace=0)


async def test_two_replicas_allocate_every_order_exactly_once(
    database_url, nats_server, tmp_path, wait_for
):
    inventory_app = await start_inventory(f"sqlite:///{tmp_path / 'inventory.db'}", nats_server.url)
    inv_channel, inventory = inventory_stub(inventory_app)
    replicas = [await start_warehouse_keeping_api(database_url, nats_server.url) for _ in range(2)]
    stubs = [warehouse_stub(app) for app, _ in replicas]
    warehouses = [stub for _, stub in stubs]
    try:
        await warehouses[0].RegisterWarehouse(
            pb.RegisterWarehouseRequest(warehouse=satellite("S1", 5, capacity=1000))
        )
        await stock(inventory, "TEA", "S1", 100)
        orders = 24
        await asyncio.gather(
            *(
                warehouses[i % 2].SubmitFulfilmentOrder(submit(f"k-{i}", f"O{i}", 0, ("TEA", 2)))
                for i in range(orders)
            )
        )

        async def all_allocated():
            listed = await warehouses[1].ListFulfilmentOrders(
                pb.ListFulfilmentOrdersRequest(status=pb.FULFILMENT_STATUS_ALLOCATED)
            )
            return len(listed.orders) == orders

        await wait_for(all_allocated, timeout=30, what="every order allocated")
        assert await reserved_units(inventory, "TEA") == 2 * orders
        async with StreamTap(
            nats_server.url, "WAREHOUSE", {"warehouse.allocation.created": pb.AllocationCreated}
        ) as tap:
            await wait_for(
                lambda: _count(tap, orders), timeout=10, what="an AllocationCreated per order"
            )
            created = await tap.of("warehouse.allocation.created")
        assert sorted(e.order_id for e in created) == sorted(f"O{i}" for i in range(orders))
    finally:
        for channel, _ in stubs:
            await channel.close()
        await inv_channel.close()
        for app, _ in replicas:
            await app.stop(grace=0)
        await inventory_app.stop(grace=0)


async def _count(tap: StreamTap, n: int) -> bool:
    return len(await tap.of("warehouse.allocation.created")) >= n
