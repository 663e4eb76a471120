"""Starting the warehouse and inventory services in-process, and talking to them."""

from __future__ import annotations

import contextlib
import functools

import grpc
import nats

from cangpei.common.v1 import common_pb2
from cangpei.inventory.v1 import inventory_pb2 as inv
from cangpei.inventory.v1 import inventory_pb2_grpc
from cangpei.runtime.app import ServiceApp, start_app
from cangpei.runtime.settings import ServiceSettings
from cangpei.warehouse.v1 import warehouse_pb2 as pb
from cangpei.warehouse.v1 import warehouse_pb2_grpc
from services.inventory.bootstrap import wire as wire_inventory
from services.warehouse.bootstrap import wire as wire_warehouse
from services.warehouse.config import WarehouseConfig

HANGZHOU = (30.25, 120.17)
KM_PER_DEGREE_LAT = 111.19508


def north(km: float) -> common_pb2.GeoPoint:
    return common_pb2.GeoPoint(latitude=HANGZHOU[0] + km / KM_PER_DEGREE_LAT, longitude=HANGZHOU[1])


async def start_warehouse(database_url: str, nats_url: str) -> ServiceApp:
    settings = ServiceSettings.for_tests("warehouse", database_url, nats_url)
    # Small instances: a short limit and one worker keep the tests quick and repeatable.
    config = WarehouseConfig(solver_time_limit_seconds=5.0, solver_workers=1)
    return await start_app(settings, functools.partial(wire_warehouse, config=config))


async def start_inventory(database_url: str, nats_url: str) -> ServiceApp:
    settings = ServiceSettings.for_tests("inventory", database_url, nats_url)
    return await start_app(settings, wire_inventory)


def warehouse_stub(app: ServiceApp):
    channel = grpc.aio.insecure_channel(f"127.0.0.1:{app.grpc_port}")
    return channel, warehouse_pb2_grpc.WarehouseServiceStub(channel)


def inventory_stub(app: ServiceApp):
    channel = grpc.aio.insecure_channel(f"127.0.0.1:{app.grpc_port}")
    return channel, inventory_pb2_grpc.InventoryServiceStub(channel)


def satellite(wid: str, km: float, radius: float = 50.0, capacity: int = 100) -> pb.Warehouse:
    return pb.Warehouse(
        warehouse_id=wid,
        name=f"{wid} satellite",
        kind=pb.WAREHOUSE_KIND_SATELLITE,
        location=north(km),
        service_radius_km=radius,
        daily_capacity_parcels=capacity,
        cutoff_minute=20 * 60,
        active=True,
    )


def central(wid: str, km: float) -> pb.Warehouse:
    return pb.Warehouse(
        warehouse_id=wid,
        name=f"{wid} central",
        kind=pb.WAREHOUSE_KIND_CENTRAL,
        location=north(km),
        daily_capacity_parcels=1000,
        cutoff_minute=18 * 60,
        active=True,
    )


async def stock(inventory, sku: str, location_id: str, quantity: int) -> None:
    await inventory.RegisterLocation(
        inv.RegisterLocationRequest(location_id=location_id, kind=inv.LOCATION_KIND_CENTRAL)
    )
    await inventory.RegisterSku(inv.RegisterSkuRequest(sku=sku))
    if quantity:
        await inventory.ReceiveStock(
            inv.ReceiveStockRequest(
                idempotency_key=f"setup-{sku}-{location_id}",
                sku=sku,
                location_id=location_id,
                quantity=quantity,
                actor="setup",
            )
        )


def order(order_id: str, km: float, *lines: tuple[str, int]) -> pb.Order:
    return pb.Order(
        order_id=order_id,
        lines=[pb.ParcelLine(sku=s, quantity=q) for s, q in lines],
        destination=north(km),
    )


class AllocationEvents:
    """Reads warehouse.allocation.created from the WAREHOUSE stream, from the start."""

    def __init__(self, nats_url: str) -> None:
        self.nats_url = nats_url
        self.events: list[pb.AllocationCreated] = []

    async def __aenter__(self) -> AllocationEvents:
        self.nc = await nats.connect(self.nats_url)
        js = self.nc.jetstream()
        self.sub = await js.subscribe(
            "warehouse.allocation.created", stream="WAREHOUSE", ordered_consumer=True
        )
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.nc.close()

    async def drain(self) -> list[pb.AllocationCreated]:
        while True:
            try:
                msg = await self.sub.next_msg(timeout=0.05)
            except nats.errors.TimeoutError:
                break
            self.events.append(pb.AllocationCreated.FromString(msg.data))
        return self.events


@contextlib.asynccontextmanager
async def warehouse_with_inventory(warehouse_url: str, nats_url: str, tmp_path, start=None):
    """A warehouse (started by ``start``, default ``start_warehouse``) and an inventory on
    its own SQLite file; yields (warehouse app, warehouse stub, inventory stub)."""
    inventory_app = await start_inventory(f"sqlite:///{tmp_path / 'inventory.db'}", nats_url)
    warehouse_app = await (start or start_warehouse)(warehouse_url, nats_url)
    inv_channel, inventory = inventory_stub(inventory_app)
    wh_channel, warehouse = warehouse_stub(warehouse_app)
    try:
        yield warehouse_app, warehouse, inventory
    finally:
        await wh_channel.close()
        await inv_channel.close()
        await warehouse_app.stop(grace=0)
        await inventory_app.stop(grace=0)
