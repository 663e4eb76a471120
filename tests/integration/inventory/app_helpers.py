"""Starting the inventory service in-process and talking to it as its clients do."""

from __future__ import annotations

import functools
from collections.abc import Callable
from datetime import datetime

import grpc
import nats

from cangpei.inventory.v1 import inventory_pb2 as pb
from cangpei.inventory.v1 import inventory_pb2_grpc
from cangpei.runtime.app import ServiceApp, start_app
from cangpei.runtime.settings import ServiceSettings
from services.inventory.bootstrap import wire
from services.inventory.config import InventoryConfig
from services.inventory.service_layer.handlers import utcnow

# Tests that do not need the catalog consumer leave it out: with a durable pull
# consumer registered, the runtime's stop waits out its 5 s NATS drain timeout after
# a busy test, which only slows the suite down.
WITHOUT_CATALOG = InventoryConfig(learn_skus_from_catalog=False)


async def start_inventory(
    database_url: str,
    nats_url: str,
    config: InventoryConfig | None = WITHOUT_CATALOG,
    clock: Callable[[], datetime] = utcnow,
) -> ServiceApp:
    settings = ServiceSettings.for_tests("inventory", database_url, nats_url)
    return await start_app(settings, functools.partial(wire, config=config, clock=clock))


def stub_for(app: ServiceApp) -> tuple[grpc.aio.Channel, inventory_pb2_grpc.InventoryServiceStub]:
    channel = grpc.aio.insecure_channel(f"127.0.0.1:{app.grpc_port}")
    return channel, inventory_pb2_grpc.InventoryServiceStub(channel)


async def stock_up(stub, sku: str, location_id: str, quantity: int, threshold: int = 0) -> None:
    await stub.RegisterLocation(
        pb.RegisterLocationRequest(location_id=location_id, kind=pb.LOCATION_KIND_CENTRAL)
    )
    await stub.RegisterSku(pb.RegisterSkuRequest(sku=sku, low_stock_threshold=threshold))
    if quantity:
        await stub.ReceiveStock(
            pb.ReceiveStockRequest(
                idempotency_key=f"setup-{sku}-{location_id}",
                sku=sku,
                location_id=location_id,
                quantity=quantity,
                actor="setup",
            )
        )


def reserve_request(key: str, sku: str, quantity: int, location_id: str = "", ttl: int = 0):
    return pb.ReserveRequest(
        idempotency_key=key,
        order_id=f"order-{key}",
        lines=[pb.ReservationLine(sku=sku, quantity=quantity, location_id=location_id)],
        ttl_seconds=ttl,
        actor="shop",
    )


class EventTap:
    """Reads everything the INVENTORY stream holds, from the start."""

    def __init__(self, nats_url: str) -> None:
        self.nats_url = nats_url
        self.seen: list[tuple[str, bytes]] = []

    async def __aenter__(self) -> EventTap:
        self.nc = await nats.connect(self.nats_url)
        js = self.nc.jetstream()
        self.sub = await js.subscribe("inventory.>", stream="INVENTORY", ordered_consumer=True)
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.nc.close()

    async def subjects(self) -> list[str]:
        while True:
            try:
                msg = await self.sub.next_msg(timeout=0.05)
            except nats.errors.TimeoutError:
                break
            self.seen.append((msg.subject, msg.data))
        return [subject for subject, _ in self.seen]
