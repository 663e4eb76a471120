"""Driving the fulfilment flow of a running stack from a test, and checking the outcome."""

from __future__ import annotations

import asyncio
import time

from cangpei.demo.audit import audit_ledger
from cangpei.demo.clients import Clients
from cangpei.demo.replay import FINAL, list_orders, order_message, status_name
from cangpei.demo.scenario import SKUS, DemoOrder, build_network, load_delta_cities, promotion_day
from cangpei.demo.seed import seed_stack
from cangpei.warehouse.v1 import warehouse_pb2 as wh


async def seed(clients: Clients, stock_scale: int = 1) -> list:  # type: ignore[type-arg]
    cities = load_delta_cities()
    sites = build_network(cities)
    await seed_stack(clients, sites, "test", stock_scale=stock_scale)
    return cities


def orders_for(cities: list, count: int, seed: int = 99) -> list[DemoOrder]:  # type: ignore[type-arg]
    return promotion_day(cities, count, seed=seed)


async def submit_all(
    clients: Clients, orders: list[DemoOrder], run_id: str, progress: list[int]
) -> None:
    """Submit every order, retrying through outages as a client would (same key: accepted once)."""
    slots = asyncio.Semaphore(16)

    async def one(order: DemoOrder) -> None:
        message = order_message(order, run_id)
        request = wh.SubmitFulfilmentOrderRequest(idempotency_key=message.order_id, order=message)
        deadline = time.monotonic() + 120
        async with slots:
            while True:
                try:
                    await clients.warehouse.SubmitFulfilmentOrder(request, timeout=10)
                    progress[0] += 1
                    return
                except Exception:
                    if time.monotonic() > deadline:
                        raise
                    await asyncio.sleep(0.3)

    await asyncio.gather(*(one(order) for order in orders))


async def when_submitted(progress: list[int], count: float) -> None:
    while progress[0] < count:
        await asyncio.sleep(0.05)


async def settle(
    clients: Clients, run_id: str, timeout: float = 300
) -> dict[str, wh.FulfilmentOrder]:
    deadline = time.monotonic() + timeout
    while True:
        orders = await list_orders(clients, run_id)
        settled = all(order.status in FINAL for order in orders.values())
        if settled or time.monotonic() > deadline:
            return orders
        await asyncio.sleep(1)


async def assert_flow_outcome(
    clients: Clients,
    orders: dict[str, wh.FulfilmentOrder],
    expected: int,
    *,
    all_completed: bool = False,
) -> None:
    """Every order final, none lost, none applied twice, no leaked reservation, ledger agrees;
    with ``all_completed`` (stock ample for every order) every order completed."""
    assert len(orders) == expected, f"{expected - len(orders)} accepted orders were lost"
    stuck = {oid: status_name(o.status) for oid, o in orders.items() if o.status not in FINAL}
    assert not stuck, f"{len(stuck)} orders never became final: {list(stuck.items())[:5]}"
    for order in orders.values():
        statuses = [change.status for change in order.history]
        assert len(statuses) == len(set(statuses)), f"{order.order_id} repeated: {statuses}"
    completed = sum(o.status == wh.FULFILMENT_STATUS_COMPLETED for o in orders.values())
    if all_completed:
        others = [
            (o.order_id, status_name(o.status), o.failure_reason)
            for o in orders.values()
            if o.status != wh.FULFILMENT_STATUS_COMPLETED
        ]
        assert not others, f"{len(others)} orders did not complete: {others[:5]}"
    assert completed > 0.5 * expected, f"only {completed} of {expected} orders completed"
    problems = await audit_ledger(clients, [sku.sku for sku in SKUS], list(orders.values()))
    assert not problems, "\n".join(problems[:20])
