"""Two replicas of the inventory service on one PostgreSQL never oversell a hot SKU."""

from __future__ import annotations

import asyncio

import grpc

from cangpei.inventory.v1 import inventory_pb2 as pb
from cangpei.inventory.v1 import inventory_pb2_grpc
from cangpei.runtime.app import start_app
from cangpei.runtime.settings import ServiceSettings
from services.inventory.bootstrap import wire

STOCK = 500
CLIENTS_PER_REPLICA = 32
RESERVATIONS_PER_CLIENT = 12  # 2 x 32 x 12 = 768 requests for 500 units


async def test_two_replicas_serving_one_hot_sku_never_oversell(nats_server, postgres_url):
    replicas = [
        await start_app(ServiceSettings.for_tests("inventory", postgres_url, nats_server.url), wire)
        for _ in range(2)
    ]
    channels = [grpc.aio.insecure_channel(f"127.0.0.1:{app.grpc_port}") for app in replicas]
    stubs = [inventory_pb2_grpc.InventoryServiceStub(channel) for channel in channels]
    try:
        await stubs[0].RegisterLocation(
            pb.RegisterLocationRequest(location_id="CEN-1", kind=pb.LOCATION_KIND_CENTRAL)
        )
        await stubs[0].RegisterSku(pb.RegisterSkuRequest(sku="HOT-1"))
        await stubs[0].ReceiveStock(
            pb.ReceiveStockRequest(
                idempotency_key="stock-hot", sku="HOT-1", location_id="CEN-1", quantity=STOCK
            )
        )

        granted: list[str] = []
        refused = 0

        async def client(stub, name: str) -> None:  # type: ignore[no-untyped-def]
            nonlocal refused
            for number in range(RESERVATIONS_PER_CLIENT):
                key = f"{name}-{number}"
                try:
                    answer = await stub.Reserve(
                        pb.ReserveRequest(
                            idempotency_key=key,
                            order_id=key,
                            lines=[pb.ReservationLine(sku="HOT-1", quantity=1)],
                        )
                    )
                    granted.append(answer.reservation_id)
                except grpc.aio.AioRpcError as exc:
                    assert exc.code() == grpc.StatusCode.FAILED_PRECONDITION, exc.details()
                    refused += 1

        await asyncio.gather(
            *(
                client(stubs[replica], f"r{replica}-c{number}")
                for replica in range(2)
                for number in range(CLIENTS_PER_REPLICA)
            )
        )
        total = 2 * CLIENTS_PER_REPLICA * RESERVATIONS_PER_CLIENT
        assert len(granted) == STOCK, f"{len(granted)} units granted from a stock of {STOCK}"
        assert len(set(granted)) == STOCK
        assert refused == total - STOCK

        for stub in stubs:  # both replicas read the same truth
            availability = await stub.GetAvailability(pb.GetAvailabilityRequest(skus=["HOT-1"]))
            (item,) = availability.items
            assert (item.on_hand, item.reserved, item.available) == (STOCK, STOCK, 0)
    finally:
        for channel in channels:
            await channel.close()
        for app in replicas:
            await app.stop(grace=0)
