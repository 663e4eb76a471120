"""Fulfilment orders end to end on the warehouse side, with the real inventory service on a
real nats-server: submit, waves, replays, cancel, and the events that move orders on."""

from __future__ import annotations

import grpc
import pytest

from cangpei.catalog.v1 import catalog_pb2
from cangpei.inventory.v1 import inventory_pb2 as inv
from cangpei.routing.v1 import routing_pb2 as rt
from cangpei.warehouse.v1 import warehouse_pb2 as pb

from .fulfilment_helpers import StreamTap, publish, start_flow_warehouse, submit
from .warehouse_app_helpers import (
    inventory_stub,
    order,
    satellite,
    start_inventory,
    stock,
    warehouse_stub,
)

ORDER_EVENTS = {
    "warehouse.order.received": pb.FulfilmentOrderReceived,
    "warehouse.order.cancelled": pb.FulfilmentOrderCancelled,
    "warehouse.order.completed": pb.FulfilmentOrderClosed,
    "warehouse.order.failed": pb.FulfilmentOrderClosed,
    "warehouse.allocation.created": pb.AllocationCreated,
}


@pytest.fixture
async def flow(database_url, nats_server, tmp_path):
    inventory_app = await start_inventory(f"sqlite:///{tmp_path / 'inventory.db'}", nats_server.url)
    warehouse_app = await start_flow_warehouse(database_url, nats_server.url)
    inv_channel, inventory = inventory_stub(inventory_app)
    wh_channel, warehouse = warehouse_stub(warehouse_app)
    await warehouse.RegisterWarehouse(pb.RegisterWarehouseRequest(warehouse=satellite("S1", 5)))
    await warehouse.RegisterWarehouse(pb.RegisterWarehouseRequest(warehouse=satellite("S2", 20)))
    await stock(inventory, "TEA", "S1", 5)
    await stock(inventory, "CUP", "S2", 5)
    async with StreamTap(nats_server.url, "WAREHOUSE", ORDER_EVENTS) as tap:
        yield warehouse_app, warehouse, inventory, tap
    await wh_channel.close()
    await inv_channel.close()
    await warehouse_app.stop(grace=0)
    await inventory_app.stop(grace=0)


async def reached(warehouse, order_id: str, status: int, wait_for) -> pb.FulfilmentOrder:
    async def check():
        found = await warehouse.GetFulfilmentOrder(pb.GetFulfilmentOrderRequest(order_id=order_id))
        return found.order if found.order.status == status else None

    return await wait_for(check, timeout=15, what=f"{order_id} {pb.FulfilmentStatus.Name(status)}")


async def reserved(inventory) -> dict[tuple[str, str], int]:
    levels = await inventory.GetAvailability(inv.GetAvailabilityRequest(skus=["TEA", "CUP"]))
    return {(i.location_id, i.sku): i.reserved for i in levels.items if i.reserved}


async def test_submitted_order_is_received_then_allocated_with_reservations(flow, wait_for):
    _, warehouse, inventory, tap = flow
    reply = await warehouse.SubmitFulfilmentOrder(submit("k-1", "O1", 0, ("TEA", 2), ("CUP", 1)))
    assert reply.created
    assert reply.order.status == pb.FULFILMENT_STATUS_RECEIVED
    assert [c.status for c in reply.order.history] == [pb.FULFILMENT_STATUS_RECEIVED]

    o = await reached(warehouse, "O1", pb.FULFILMENT_STATUS_ALLOCATED, wait_for)
    by_wh = {p.warehouse_id: p for p in o.parcels}
    assert set(by_wh) == {"S1", "S2"}
    assert all(p.status == "allocated" and p.reservation_id for p in o.parcels)
    assert o.history[-1].detail.startswith("stock reserved in 2 parcel(s): ")
    assert await reserved(inventory) == {("S1", "TEA"): 2, ("S2", "CUP"): 1}

    [received] = await wait_for(lambda: tap.of("warehouse.order.received"), what="received")
    assert received.order_id == "O1"
    [created] = await wait_for(lambda: tap.of("warehouse.allocation.created"), what="allocated")
    weights = {p.warehouse_id: (p.weight_grams, p.volume_cm3) for p in created.parcels}
    # No shipping data from the catalog: the configured default per unit.
    assert weights == {"S1": (2000, 2000), "S2": (1000, 1000)}
    assert {p.reservation_id for p in created.parcels} == {p.reservation_id for p in o.parcels}


async def test_same_key_returns_the_same_order_and_other_content_is_refused(flow, wait_for):
    _, warehouse, inventory, tap = flow
    first = await warehouse.SubmitFulfilmentOrder(submit("k-1", "O1", 0, ("TEA", 1)))
    await reached(warehouse, "O1", pb.FULFILMENT_STATUS_ALLOCATED, wait_for)
    again = await warehouse.SubmitFulfilmentOrder(submit("k-1", "O1", 0, ("TEA", 1)))
    assert not again.created
    assert again.order.order_id == first.order.order_id
    assert again.order.status == pb.FULFILMENT_STATUS_ALLOCATED
    assert await reserved(inventory) == {("S1", "TEA"): 1}
    assert len(await tap.of("warehouse.order.received")) == 1

    with pytest.raises(grpc.aio.AioRpcError) as err:
        await warehouse.SubmitFulfilmentOrder(submit("k-1", "O1", 0, ("TEA", 3)))
    assert err.value.code() is grpc.StatusCode.ALREADY_EXISTS
    assert "idempotency key 'k-1' was used for order 'O1' with other content" in (
        err.value.details()
    )
    with pytest.raises(grpc.aio.AioRpcError) as err:
        await warehouse.SubmitFulfilmentOrder(submit("k-2", "O1", 0, ("TEA", 1)))
    assert err.value.code() is grpc.StatusCode.ALREADY_EXISTS
    assert "already submitted with idempotency key 'k-1'" in err.value.details()


async def test_bad_submissions_get_clear_errors(flow):
    _, warehouse, _, _ = flow
    too_soon = order("O4", 0, ("TEA", 1))
    too_soon.placed_at.FromSeconds(1_800_000_000)
    too_soon.promised_by.FromSeconds(1_800_000_000 + 3600)
    cases = [
        (submit("", "O0", 0, ("TEA", 1)), grpc.StatusCode.INVALID_ARGUMENT, "idempotency_key"),
        (submit("k1", "O1", 0), grpc.StatusCode.INVALID_ARGUMENT, "order 'O1' has no lines"),
        (
            submit("k2", "O2", 9000, ("TEA", 1)),
            grpc.StatusCode.INVALID_ARGUMENT,
            "latitude 111.",
        ),
        (
            submit("k3", "O3", 0, ("GHOST", 1)),
            grpc.StatusCode.FAILED_PRECONDITION,
            "unknown SKU 'GHOST'",
        ),
        (
            pb.SubmitFulfilmentOrderRequest(idempotency_key="k4", order=too_soon),
            grpc.StatusCode.FAILED_PRECONDITION,
            "but the earliest any warehouse can deliver is",
        ),
    ]
    for request, code, message in cases:
        with pytest.raises(grpc.aio.AioRpcError) as err:
            await warehouse.SubmitFulfilmentOrder(request)
        assert (err.value.code(), message in err.value.details()) == (code, True), (
            err.value.details()
        )
    listed = await warehouse.ListFulfilmentOrders(pb.ListFulfilmentOrdersRequest())
    assert list(listed.orders) == []


async def test_cancel_before_departure_publishes_the_parcels_to_release(flow, wait_for):
    _, warehouse, inventory, tap = flow
    await warehouse.SubmitFulfilmentOrder(submit("k-1", "O1", 0, ("TEA", 2), ("CUP", 1)))
    o = await reached(warehouse, "O1", pb.FULFILMENT_STATUS_ALLOCATED, wait_for)
    reply = await warehouse.CancelFulfilmentOrder(
        pb.CancelFulfilmentOrderRequest(order_id="O1", reason="customer changed their mind")
    )
    assert reply.order.status == pb.FULFILMENT_STATUS_CANCELLED
    assert reply.order.history[-1].detail == "customer changed their mind"
    assert {p.status for p in reply.order.parcels} == {"cancelled"}
    [cancelled] = await wait_for(lambda: tap.of("warehouse.order.cancelled"), what="cancelled")
    assert {(p.parcel_id, p.reservation_id) for p in cancelled.parcels} == {
        (p.parcel_id, p.reservation_id) for p in o.parcels
    }
    # Cancelling again answers with the same order and publishes nothing more.
    again = await warehouse.CancelFulfilmentOrder(pb.CancelFulfilmentOrderRequest(order_id="O1"))
    assert again.order.status == pb.FULFILMENT_STATUS_CANCELLED
    assert len(await tap.of("warehouse.order.cancelled")) == 1


async def test_cancel_after_departure_is_refused(flow, nats_server, wait_for):
    _, warehouse, _, _ = flow
    await warehouse.SubmitFulfilmentOrder(submit("k-1", "O1", 0, ("TEA", 1)))
    o = await reached(warehouse, "O1", pb.FULFILMENT_STATUS_ALLOCATED, wait_for)
    [parcel] = o.parcels
    departed = rt.ParcelDeparted(
        event_id="dep-1", parcel_id=parcel.parcel_id, order_id="O1", carrier_id="SF"
    )
    await publish(nats_server.url, "routing.parcel.departed", departed, "dep-1")
    await reached(warehouse, "O1", pb.FULFILMENT_STATUS_DISPATCHED, wait_for)
    with pytest.raises(grpc.aio.AioRpcError) as err:
        await warehouse.CancelFulfilmentOrder(pb.CancelFulfilmentOrderRequest(order_id="O1"))
    assert err.value.code() is grpc.StatusCode.FAILED_PRECONDITION
    assert f"parcel(s) {parcel.parcel_id} already left the warehouse" in err.value.details()


async def test_dispatch_then_stock_committed_completes_the_order(flow, nats_server, wait_for):
    _, warehouse, inventory, tap = flow
    await warehouse.SubmitFulfilmentOrder(submit("k-1", "O1", 0, ("TEA", 2)))
    o = await reached(warehouse, "O1", pb.FULFILMENT_STATUS_ALLOCATED, wait_for)
    [parcel] = o.parcels
    dispatched = rt.ParcelDispatched(
        event_id="d-1", parcel_id=parcel.parcel_id, order_id="O1", carrier_id="SF"
    )
    # Delivered twice (at-least-once): applied once.
    for _ in range(2):
        await publish(nats_server.url, "routing.parcel.dispatched", dispatched, "d-1")
    o = await reached(warehouse, "O1", pb.FULFILMENT_STATUS_DISPATCHED, wait_for)
    assert (o.parcels[0].status, o.parcels[0].carrier_id) == ("dispatched", "SF")

    # Inventory commits the parcel's reservation for real and publishes the fact.
    await inventory.Commit(
        inv.CommitRequest(reservation_id=parcel.reservation_id, actor="routing", reference="x")
    )
    o = await reached(warehouse, "O1", pb.FULFILMENT_STATUS_COMPLETED, wait_for)
    assert o.parcels[0].status == "committed"
    assert [c.status for c in o.history] == [
        pb.FULFILMENT_STATUS_RECEIVED,
        pb.FULFILMENT_STATUS_ALLOCATED,
        pb.FULFILMENT_STATUS_DISPATCHED,
        pb.FULFILMENT_STATUS_COMPLETED,
    ]
    [closed] = await wait_for(lambda: tap.of("warehouse.order.completed"), what="completed")
    assert (closed.order_id, closed.status) == ("O1", pb.FULFILMENT_STATUS_COMPLETED)


async def test_unassigned_parcel_fails_the_order_and_hands_back_its_parcels(
    flow, nats_server, wait_for
):
    _, warehouse, _, tap = flow
    await warehouse.SubmitFulfilmentOrder(submit("k-1", "O1", 0, ("TEA", 1), ("CUP", 1)))
    o = await reached(warehouse, "O1", pb.FULFILMENT_STATUS_ALLOCATED, wait_for)
    unassigned = rt.ParcelUnassigned(
        event_id="u-1",
        parcel_id=o.parcels[0].parcel_id,
        order_id="O1",
        reason="no vehicle has room for 40 kg",
    )
    await publish(nats_server.url, "routing.parcel.unassigned", unassigned, "u-1")
    o = await reached(warehouse, "O1", pb.FULFILMENT_STATUS_FAILED, wait_for)
    assert "no vehicle has room for 40 kg" in o.failure_reason
    [failed] = await wait_for(lambda: tap.of("warehouse.order.failed"), what="failed")
    assert failed.status == pb.FULFILMENT_STATUS_FAILED
    assert {p.reservation_id for p in failed.parcels} == {p.reservation_id for p in o.parcels}


async def test_order_with_a_line_nobody_can_serve_fails_and_its_stock_goes_back(flow, wait_for):
    _, warehouse, inventory, tap = flow
    await warehouse.SubmitFulfilmentOrder(submit("k-1", "O1", 0, ("TEA", 1), ("CUP", 50)))
    o = await reached(warehouse, "O1", pb.FULFILMENT_STATUS_FAILED, wait_for)
    assert o.failure_reason.startswith("no warehouse can serve every line (50 x CUP:")
    assert await reserved(inventory) == {}
    [failed] = await wait_for(lambda: tap.of("warehouse.order.failed"), what="failed")
    assert failed.order_id == "O1"


async def test_catalog_shipping_data_weighs_the_parcels(flow, nats_server, wait_for):
    app, warehouse, _, tap = flow
    listed = catalog_pb2.ProductListed(
        sku="TEA",
        shipping=catalog_pb2.Shipping(weight_grams=250, length_mm=100, width_mm=50, height_mm=40),
    )
    await publish(nats_server.url, "catalog.product.listed", listed, "listed-tea")
    [consumer] = [c for c in app.consumers if c.durable == "warehouse-products"]
    await wait_for(lambda: consumer.applied_count == 1, what="product listed applied")
    await warehouse.SubmitFulfilmentOrder(submit("k-1", "O1", 0, ("TEA", 3)))
    [created] = await wait_for(lambda: tap.of("warehouse.allocation.created"), what="allocated")
    assert [(p.weight_grams, p.volume_cm3) for p in created.parcels] == [(750, 600)]


async def test_list_filters_by_status_pages_and_counts(flow, wait_for):
    _, warehouse, _, _ = flow
    for i in range(3):
        await warehouse.SubmitFulfilmentOrder(submit(f"k-{i}", f"O{i}", 0, ("TEA", 1)))
    for i in range(3):
        await reached(warehouse, f"O{i}", pb.FULFILMENT_STATUS_ALLOCATED, wait_for)
    await warehouse.CancelFulfilmentOrder(pb.CancelFulfilmentOrderRequest(order_id="O1"))
    first = await warehouse.ListFulfilmentOrders(
        pb.ListFulfilmentOrdersRequest(page={"page_size": 2})
    )
    rest = await warehouse.ListFulfilmentOrders(
        pb.ListFulfilmentOrdersRequest(page={"page_size": 2, "page_token": first.next_page_token})
    )
    assert [o.order_id for o in [*first.orders, *rest.orders]] == ["O0", "O1", "O2"]
    assert rest.next_page_token == ""
    assert {(c.status, c.orders) for c in first.counts} == {
        (pb.FULFILMENT_STATUS_ALLOCATED, 2),
        (pb.FULFILMENT_STATUS_CANCELLED, 1),
    }
    allocated = await warehouse.ListFulfilmentOrders(
        pb.ListFulfilmentOrdersRequest(status=pb.FULFILMENT_STATUS_ALLOCATED)
    )
    assert [o.order_id for o in allocated.orders] == ["O0", "O2"]


async def test_other_services_submit_over_nats_request_reply(flow, wait_for):
    app, warehouse, _, _ = flow
    reply = await app.request(
        "rpc.warehouse.SubmitFulfilmentOrder",
        submit("k-1", "O1", 0, ("TEA", 1)),
        pb.SubmitFulfilmentOrderResponse,
        timeout=10,
    )
    assert reply.created and reply.order.order_id == "O1"
    await reached(warehouse, "O1", pb.FULFILMENT_STATUS_ALLOCATED, wait_for)


async def test_a_batch_of_events_applies_them_in_order_saving_each_order_once(flow, wait_for):
    from datetime import UTC, datetime

    from services.warehouse.adapters.unit_of_work import SqlUnitOfWork
    from services.warehouse.service_layer import fulfilment

    app, warehouse, _, tap = flow
    await warehouse.SubmitFulfilmentOrder(submit("k-1", "O1", 0, ("TEA", 1), ("CUP", 1)))
    o = await reached(warehouse, "O1", pb.FULFILMENT_STATUS_ALLOCATED, wait_for)
    first, second = (p.parcel_id for p in o.parcels)
    now = datetime.now(UTC)

    def apply_batch() -> None:
        with app.uow() as runtime_uow:
            fulfilment.apply_to_orders(
                SqlUnitOfWork.over(runtime_uow),
                [
                    fulfilment.parcel_dispatched("O1", first, "SF", "", now),
                    fulfilment.parcel_dispatched("O1", first, "SF", "", now),  # a repeat
                    fulfilment.parcel_dispatched("ELSEWHERE", first, "SF", "", now),  # not ours
                    fulfilment.parcel_dispatched("O1", second, "", "VAN-1", now),
                ],
            )
            runtime_uow.commit()

    await app.run_blocking(apply_batch)
    o = await reached(warehouse, "O1", pb.FULFILMENT_STATUS_DISPATCHED, wait_for)
    assert [c.status for c in o.history] == [
        pb.FULFILMENT_STATUS_RECEIVED,
        pb.FULFILMENT_STATUS_ALLOCATED,
        pb.FULFILMENT_STATUS_DISPATCHED,
    ]
    assert {(p.parcel_id, p.carrier_id, p.vehicle_id) for p in o.parcels} == {
        (first, "SF", ""),
        (second, "", "VAN-1"),
    }


async def test_concurrent_submits_are_written_together_and_each_gets_its_own_answer(flow):
    import asyncio

    _, warehouse, _, _ = flow
    requests = [submit(f"k-{n}", f"O{n}", 0, ("TEA", 1)) for n in range(40)]
    requests.append(submit("k-3", "O3", 0, ("TEA", 1)))  # a retry of O3 in the same burst
    requests.append(submit("k-other", "O5", 0, ("TEA", 1)))  # O5 again under another key

    async def send(request):
        try:
            return await warehouse.SubmitFulfilmentOrder(request)
        except grpc.aio.AioRpcError as exc:
            return exc

    answers = await asyncio.gather(*(send(r) for r in requests))
    # The server may take the burst in any order: of O3 and its retry one creates it and
    # the other replays it; of the two keys for O5 one wins and the other is refused.
    for n, answer in enumerate(answers[:40]):
        if n not in (3, 5):
            assert answer.created and answer.order.order_id == f"O{n}"
    o3 = [answers[3], answers[40]]
    assert [a.order.order_id for a in o3] == ["O3", "O3"]
    assert sorted(a.created for a in o3) == [False, True]
    o5 = [answers[5], answers[41]]
    refused = [a for a in o5 if isinstance(a, Exception)]
    accepted = [a for a in o5 if not isinstance(a, Exception)]
    assert len(refused) == 1 and len(accepted) == 1 and accepted[0].created
    assert refused[0].code() == grpc.StatusCode.ALREADY_EXISTS
    assert "already submitted with idempotency key" in refused[0].details()
    listed = await warehouse.ListFulfilmentOrders(pb.ListFulfilmentOrdersRequest())
    assert sum(c.orders for c in listed.counts) == 40
