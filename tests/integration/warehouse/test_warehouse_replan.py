"""Stock moving between planning and reserving: the refused parcel is planned again."""

from __future__ import annotations

from cangpei.inventory.v1 import inventory_pb2 as inv
from cangpei.runtime.app import start_app
from cangpei.runtime.settings import ServiceSettings
from cangpei.warehouse.v1 import warehouse_pb2 as pb
from services.warehouse.bootstrap import wire as wire_warehouse
from services.warehouse.config import WarehouseConfig

from .warehouse_app_helpers import (
    inventory_stub,
    order,
    satellite,
    start_inventory,
    stock,
    warehouse_stub,
)


class AnotherBuyerRightAfterTheRead:
    """Reads availability for real, then another buyer takes S1's TEA in inventory."""

    def __init__(self, source, inventory) -> None:
        self.source = source
        self.inventory = inventory
        self.struck = False

    async def availability(self, skus):
        levels = await self.source.availability(skus)
        if not self.struck:
            self.struck = True
            await self.inventory.Reserve(
                inv.ReserveRequest(
                    idempotency_key="other-buyer",
                    order_id="other-order",
                    lines=[inv.ReservationLine(sku="TEA", quantity=2, location_id="S1")],
                    actor="shop",
                )
            )
        return levels


async def test_parcel_refused_by_inventory_is_replanned_to_the_next_warehouse(
    database_url, nats_server, tmp_path
):
    inventory_app = await start_inventory(f"sqlite:///{tmp_path / 'inventory.db'}", nats_server.url)
    inv_channel, inventory = inventory_stub(inventory_app)
    kept = {}

    def wire(app):
        kept["api"] = wire_warehouse(app, config=WarehouseConfig(solver_time_limit_seconds=5.0))

    settings = ServiceSettings.for_tests("warehouse", database_url, nats_server.url)
    warehouse_app = await start_app(settings, wire)
    wh_channel, warehouse = warehouse_stub(warehouse_app)
    try:
        deps = kept["api"].deps
        deps.stock = AnotherBuyerRightAfterTheRead(deps.stock, inventory)
        await warehouse.RegisterWarehouse(pb.RegisterWarehouseRequest(warehouse=satellite("S1", 5)))
        await warehouse.RegisterWarehouse(
            pb.RegisterWarehouseRequest(warehouse=satellite("S2", 30))
        )
        await stock(inventory, "TEA", "S1", 2)
        await stock(inventory, "TEA", "S2", 2)

        reply = await warehouse.AllocateWave(
            pb.AllocateWaveRequest(wave_id="w", orders=[order("O1", 0, ("TEA", 2))])
        )
        [allocation] = reply.allocations
        assert [p.warehouse_id for p in allocation.parcels] == ["S2"]
        assert reply.replanned_lines == 1
        assert list(allocation.unserved) == []
        levels = await inventory.GetAvailability(inv.GetAvailabilityRequest(skus=["TEA"]))
        assert {(i.location_id, i.reserved) for i in levels.items} == {("S1", 2), ("S2", 2)}
    finally:
        await wh_channel.close()
        await inv_channel.close()
        await warehouse_app.stop(grace=0)
        await inventory_app.stop(grace=0)
