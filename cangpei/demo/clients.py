"""gRPC stubs for the four services of a running stack, as the platform's tools use them."""

from __future__ import annotations

from dataclasses import dataclass

import grpc

from cangpei.catalog.v1 import catalog_pb2_grpc
from cangpei.inventory.v1 import inventory_pb2_grpc
from cangpei.routing.v1 import routing_pb2_grpc
from cangpei.warehouse.v1 import warehouse_pb2_grpc


@dataclass
class Clients:
    catalog: catalog_pb2_grpc.CatalogServiceStub
    inventory: inventory_pb2_grpc.InventoryServiceStub
    warehouse: warehouse_pb2_grpc.WarehouseServiceStub
    routing: routing_pb2_grpc.RoutingServiceStub
    staff: tuple[tuple[str, str], ...]  # metadata carrying the staff credential
    channels: list[grpc.aio.Channel]

    @classmethod
    def connect(cls, addresses: dict[str, str], staff_token: str) -> Clients:
        channels = {name: grpc.aio.insecure_channel(addresses[name]) for name in addresses}
        return cls(
            catalog=catalog_pb2_grpc.CatalogServiceStub(channels["catalog"]),
            inventory=inventory_pb2_grpc.InventoryServiceStub(channels["inventory"]),
            warehouse=warehouse_pb2_grpc.WarehouseServiceStub(channels["warehouse"]),
            routing=routing_pb2_grpc.RoutingServiceStub(channels["routing"]),
            staff=(("authorization", f"Bearer {staff_token}"),),
            channels=list(channels.values()),
        )

    async def close(self) -> None:
        for channel in self.channels:
            await channel.close()
