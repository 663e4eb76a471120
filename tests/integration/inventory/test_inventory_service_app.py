"""The inventory service as its clients see it: gRPC, NATS request/reply and events."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import grpc
import nats
import pytest

from cangpei.catalog.v1 import catalog_pb2
from cangpei.inventory.v1 import inventory_pb2 as pb
from cangpei.runtime.errors import FailedPrecondition
from services.inventory.config import InventoryConfig
from services.inventory.service_layer.handlers import utcnow

from .app_helpers import EventTap, reserve_request, start_inventory, stock_up, stub_for
from .conftest import open_inventory


@pytest.fixture
async def inventory_app(database_url, nats_server):
    app = await start_inventory(database_url, nats_server.url)
    channel, stub = stub_for(app)
    yield app, stub
    await channel.close()
    await app.stop(grace=0)


async def test_64_clients_reserving_one_sku_get_exactly_its_stock(inventory_app, database_url):
    app, stub = inventory_app
    await stock_up(stub, "hot", "A", 1000)
    granted = refused = 0

    async def client(number: int) -> None:
        nonlocal granted, refused
        for i in range(50):
            try:
                await stub.Reserve(reserve_request(f"c{number}-{i}", "hot", 1, "A"))
                granted += 1
            except grpc.aio.AioRpcError as exc:
                assert exc.code() is grpc.StatusCode.FAILED_PRECONDITION, exc.details()
                refused += 1

    await asyncio.gather(*(client(n) for n in range(64)))
    assert (granted, refused) == (1000, 64 * 50 - 1000)
    [level] = (await stub.GetAvailability(pb.GetAvailabilityRequest(skus=["hot"]))).items
    assert (level.on_hand, level.reserved, level.available) == (1000, 1000, 0)
    check = open_inventory(database_url)
    assert check.reconciliation_problems() == []
    check.db.dispose()


async def test_replayed_reservation_has_one_effect_sequentially_and_concurrently(inventory_app):
    app, stub = inventory_app
    await stock_up(stub, "tea", "A", 100)
    request = reserve_request("replay-me", "tea", 5, "A")
    sequential = [await stub.Reserve(request) for _ in range(3)]
    concurrent = await asyncio.gather(*(stub.Reserve(request) for _ in range(16)))
    assert all(answer == sequential[0] for answer in [*sequential, *concurrent])
    other = reserve_request("concurrent-key", "tea", 2, "A")
    together = await asyncio.gather(*(stub.Reserve(other) for _ in range(16)))
    assert all(answer == together[0] for answer in together)
    [level] = (await stub.GetAvailability(pb.GetAvailabilityRequest(skus=["tea"]))).items
    assert level.reserved == 7


async def test_bad_input_is_refused_with_a_clear_status_and_no_ledger_change(inventory_app):
    app, stub = inventory_app
    await stock_up(stub, "tea", "A", 10)
    history = pb.GetHistoryRequest(sku="tea", location_id="A")
    before = (await stub.GetHistory(history)).entries
    bad = {
        grpc.StatusCode.INVALID_ARGUMENT: [
            reserve_request("b1", "tea", 0, "A"),
            reserve_request("b2", "tea", -3, "A"),
            pb.ReserveRequest(
                idempotency_key="b3",
                lines=[pb.ReservationLine(sku="tea", quantity=1, location_id="A")] * 2,
            ),
        ],
        grpc.StatusCode.NOT_FOUND: [
            reserve_request("b4", "ghost", 1, "A"),
            reserve_request("b5", "tea", 1, "nowhere"),
        ],
        grpc.StatusCode.FAILED_PRECONDITION: [reserve_request("b6", "tea", 11, "A")],
    }
    for code, requests in bad.items():
        for request in requests:
            with pytest.raises(grpc.aio.AioRpcError) as refused:
                await stub.Reserve(request)
            assert refused.value.code() is code
            assert refused.value.details()
    with pytest.raises(grpc.aio.AioRpcError) as refused:
        await stub.AdjustStock(
            pb.AdjustStockRequest(idempotency_key="a1", sku="tea", location_id="A", delta=-11)
        )
    assert refused.value.code() is grpc.StatusCode.INVALID_ARGUMENT
    assert "reason is required" in refused.value.details()
    assert (await stub.GetHistory(history)).entries == before


async def test_warehouse_reserves_and_commits_over_nats_and_events_follow(
    inventory_app, nats_server, wait_for
):
    app, stub = inventory_app
    await stock_up(stub, "tea", "A", 10, threshold=8)
    reserved = await app.request(
        "rpc.inventory.Reserve", reserve_request("n1", "tea", 3), pb.ReserveResponse
    )
    assert [(ln.location_id, ln.quantity) for ln in reserved.lines] == [("A", 3)]
    committed = await app.request(
        "rpc.inventory.Commit",
        pb.CommitRequest(reservation_id=reserved.reservation_id, reference="parcel-1"),
        pb.CommitResponse,
    )
    assert committed.reservation.status == pb.RESERVATION_STATUS_COMMITTED
    second = await app.request(
        "rpc.inventory.Reserve", reserve_request("n2", "tea", 1, "A"), pb.ReserveResponse
    )
    released = await app.request(
        "rpc.inventory.Release",
        pb.ReleaseRequest(reservation_id=second.reservation_id, reason="cancelled"),
        pb.ReleaseResponse,
    )
    assert released.reservation.status == pb.RESERVATION_STATUS_RELEASED
    with pytest.raises(FailedPrecondition, match="was released"):
        await app.request(
            "rpc.inventory.Commit",
            pb.CommitRequest(reservation_id=second.reservation_id),
            pb.CommitResponse,
        )
    availability = await app.request(
        "rpc.inventory.GetAvailability",
        pb.GetAvailabilityRequest(skus=["tea"]),
        pb.GetAvailabilityResponse,
    )
    assert [(i.on_hand, i.available) for i in availability.items] == [(7, 7)]

    wanted = [
        "inventory.stock.adjusted",
        "inventory.stock.reserved",
        "inventory.stock.low",
        "inventory.stock.committed",
        "inventory.stock.reserved",
        "inventory.stock.released",
    ]
    async with EventTap(nats_server.url) as tap:
        await wait_for(lambda: tap.subjects(), what="events on the INVENTORY stream")

        async def all_arrived():
            return await tap.subjects() == wanted

        await wait_for(all_arrived, what=f"events {wanted}")
        low = pb.StockLow.FromString(tap.seen[2][1])
        assert (low.sku, low.available, low.threshold) == ("tea", 7, 8)


async def test_reservations_that_expire_while_the_service_is_down_are_released_at_start(
    database_url, nats_server, wait_for
):
    config = InventoryConfig(sweep_interval_seconds=3600, learn_skus_from_catalog=False)
    app = await start_inventory(database_url, nats_server.url, config)
    channel, stub = stub_for(app)
    await stock_up(stub, "tea", "A", 10)
    reservation = await stub.Reserve(reserve_request("x", "tea", 4, "A", ttl=60))
    await channel.close()
    await app.stop(grace=0)

    # The service comes back two minutes later: the first sweep runs at start.
    later = utcnow() + timedelta(minutes=2)
    app = await start_inventory(database_url, nats_server.url, config, clock=lambda: later)
    channel, stub = stub_for(app)
    try:
        request = pb.GetReservationRequest(reservation_id=reservation.reservation_id)

        async def expired():
            found = await stub.GetReservation(request)
            return found.reservation.status == pb.RESERVATION_STATUS_EXPIRED

        await wait_for(expired, what="the reservation expired by the start-up sweep")
        [level] = (await stub.GetAvailability(pb.GetAvailabilityRequest(skus=["tea"]))).items
        assert (level.reserved, level.available) == (0, 10)
        async with EventTap(nats_server.url) as tap:

            async def published():
                return "inventory.stock.expired" in await tap.subjects()

            await wait_for(published, what="inventory.stock.expired on the stream")
    finally:
        await channel.close()
        await app.stop(grace=0)


async def test_supplier_sync_and_transfer_through_grpc(inventory_app):
    app, stub = inventory_app
    await stub.RegisterLocation(
        pb.RegisterLocationRequest(
            location_id="S1", kind=pb.LOCATION_KIND_SUPPLIER_SITE, supplier_id="sup"
        )
    )
    await stock_up(stub, "tea", "A", 0)
    sync = pb.SyncSupplierStockRequest(
        idempotency_key="sync-1",
        supplier_id="sup",
        levels=[pb.SupplierStockLevel(sku="tea", location_id="S1", on_hand=30, version=1)],
    )
    first = await stub.SyncSupplierStock(sync)
    assert [(s.outcome, s.on_hand_after) for s in first.levels] == [(pb.SYNC_OUTCOME_APPLIED, 30)]
    assert await stub.SyncSupplierStock(sync) == first
    moved = await stub.TransferStock(
        pb.TransferStockRequest(
            idempotency_key="t1", sku="tea", from_location_id="S1", to_location_id="A", quantity=12
        )
    )
    assert [e.kind for e in moved.entries] == ["transfer_out", "transfer_in"]
    items = (await stub.GetAvailability(pb.GetAvailabilityRequest(skus=["tea"]))).items
    assert [(i.location_id, i.on_hand) for i in items] == [("A", 12), ("S1", 18)]


async def test_a_product_listed_in_the_catalog_becomes_a_known_sku(
    database_url, nats_server, wait_for
):
    app = await start_inventory(database_url, nats_server.url, InventoryConfig())
    channel, stub = stub_for(app)
    await stock_up(stub, "tea", "A", 0)
    nc = await nats.connect(nats_server.url)
    try:
        listed = catalog_pb2.ProductListed(product_id="p1", supplier_id="s1", sku="new-tea")
        await nc.jetstream().publish(
            "catalog.product.listed", listed.SerializeToString(), headers={"Nats-Msg-Id": "e1"}
        )
    finally:
        await nc.close()
    receipt = pb.ReceiveStockRequest(
        idempotency_key="first-delivery", sku="new-tea", location_id="A", quantity=3
    )

    async def received():
        try:
            return await stub.ReceiveStock(receipt)
        except grpc.aio.AioRpcError as exc:
            assert exc.code() is grpc.StatusCode.NOT_FOUND, exc.details()
            return None

    await wait_for(received, what="new-tea known to inventory and received")
    [level] = (await stub.GetAvailability(pb.GetAvailabilityRequest(skus=["new-tea"]))).items
    assert level.on_hand == 3
    await channel.close()
    await app.stop(grace=0)
