"""Every mutating call replayed 3 times in a row and 16 times at once: one effect, one answer."""

from __future__ import annotations

import asyncio

import pytest

from cangpei.common.v1.common_pb2 import PageRequest
from cangpei.inventory.v1 import inventory_pb2 as pb

from .app_helpers import reserve_request, start_inventory, stock_up, stub_for


@pytest.fixture
async def stub(database_url, nats_server):
    app = await start_inventory(database_url, nats_server.url)
    channel, stub = stub_for(app)
    await stub.RegisterLocation(
        pb.RegisterLocationRequest(
            location_id="S1", kind=pb.LOCATION_KIND_SUPPLIER_SITE, supplier_id="sup"
        )
    )
    await stock_up(stub, "tea", "A", 100)
    yield stub
    await channel.close()
    await app.stop(grace=0)


async def replay(call, request):
    """Three calls in a row, then sixteen at once; every answer must equal the first."""
    answers = [await call(request) for _ in range(3)]
    answers += await asyncio.gather(*(call(request) for _ in range(16)))
    assert all(answer == answers[0] for answer in answers)
    return answers[0]


async def history_length(stub, sku: str, location_id: str) -> int:
    request = pb.GetHistoryRequest(
        sku=sku, location_id=location_id, page=PageRequest(page_size=500)
    )
    return len((await stub.GetHistory(request)).entries)


async def levels(stub) -> list[tuple[str, int, int]]:
    items = (await stub.GetAvailability(pb.GetAvailabilityRequest(skus=["tea"]))).items
    return [(i.location_id, i.on_hand, i.reserved) for i in items]


async def test_stock_movements_replayed_have_one_effect(stub):
    await replay(
        stub.ReceiveStock,
        pb.ReceiveStockRequest(idempotency_key="r1", sku="tea", location_id="A", quantity=5),
    )
    await replay(
        stub.AdjustStock,
        pb.AdjustStockRequest(
            idempotency_key="a1", sku="tea", location_id="A", delta=-2, reason="damaged"
        ),
    )
    await replay(
        stub.ReturnStock,
        pb.ReturnStockRequest(idempotency_key="ret1", sku="tea", location_id="A", quantity=1),
    )
    await replay(
        stub.SyncSupplierStock,
        pb.SyncSupplierStockRequest(
            idempotency_key="s1",
            supplier_id="sup",
            levels=[pb.SupplierStockLevel(sku="tea", location_id="S1", on_hand=40, version=1)],
        ),
    )
    await replay(
        stub.TransferStock,
        pb.TransferStockRequest(
            idempotency_key="t1", sku="tea", from_location_id="S1", to_location_id="A", quantity=10
        ),
    )
    assert await levels(stub) == [("A", 100 + 5 - 2 + 1 + 10, 0), ("S1", 30, 0)]
    # setup receipt, receipt, adjustment, return, transfer in
    assert await history_length(stub, "tea", "A") == 5


async def test_reserve_release_and_commit_replayed_have_one_effect(stub):
    kept = await replay(stub.Reserve, reserve_request("k1", "tea", 4, "A"))
    dropped = await replay(stub.Reserve, reserve_request("k2", "tea", 3, "A"))
    await replay(stub.Commit, pb.CommitRequest(reservation_id=kept.reservation_id, reference="p1"))
    await replay(stub.Release, pb.ReleaseRequest(reservation_id=dropped.reservation_id))
    assert await levels(stub) == [("A", 96, 0)]
    # receipt, 2 reservations, commit, release
    assert await history_length(stub, "tea", "A") == 5


async def test_registrations_and_thresholds_replayed_answer_the_same(stub):
    location = await replay(
        stub.RegisterLocation,
        pb.RegisterLocationRequest(location_id="B", kind=pb.LOCATION_KIND_SATELLITE),
    )
    assert location.kind == pb.LOCATION_KIND_SATELLITE
    sku = await replay(stub.RegisterSku, pb.RegisterSkuRequest(sku="rice", low_stock_threshold=4))
    assert sku.low_stock_threshold == 4
    threshold = await replay(
        stub.SetLowStockThreshold, pb.SetLowStockThresholdRequest(sku="tea", threshold=150)
    )
    assert (threshold.available, threshold.low) == (100, True)
    low = (await stub.ListLowStock(pb.ListLowStockRequest())).items
    assert [(item.sku, item.available) for item in low] == [("rice", 0), ("tea", 100)]
