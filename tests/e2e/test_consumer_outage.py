"""A consumer down for longer than the reservation expiry leaves no order stuck: the
expired reservations are released and their orders fail cleanly, with the reason."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from cangpei.demo.clients import Clients
from cangpei.stack import Stack, StackConfig
from cangpei.warehouse.v1 import warehouse_pb2 as wh

from .flow_harness import orders_for, seed, settle, submit_all

ORDERS = 40
TTL_SECONDS = 3


async def _scenario(stack: Stack) -> None:
    clients = Clients.connect(stack.addresses, stack.staff_token)
    try:
        cities = await seed(clients)
        # Routing is down: parcels are allocated and reserved, but nothing dispatches them.
        await asyncio.get_running_loop().run_in_executor(None, stack.stop_service, "routing")
        progress = [0]
        await submit_all(clients, orders_for(cities, ORDERS, seed=3), "OUT", progress)
        orders = await settle(clients, "OUT", timeout=120)
        failed = [o for o in orders.values() if o.status == wh.FULFILMENT_STATUS_FAILED]
        assert len(failed) == ORDERS, {o.order_id: o.status for o in orders.values()}
        assert all("expired" in order.failure_reason for order in failed), failed[0]
        # Routing comes back: the stale parcels must not be dispatched for failed orders.
        await asyncio.get_running_loop().run_in_executor(None, stack.restart, "routing")
        await asyncio.get_running_loop().run_in_executor(None, stack.wait_serving, 60, ["routing"])
        orders = await settle(clients, "OUT", timeout=60)
        assert all(o.status == wh.FULFILMENT_STATUS_FAILED for o in orders.values())
    finally:
        await clients.close()


@pytest.mark.timeout(300)
def test_orders_fail_cleanly_when_reservations_expire_while_routing_is_down(tmp_path: Path):
    stack = Stack(
        StackConfig(
            data_dir=tmp_path,
            extra_env={
                "CANGPEI_INVENTORY_RESERVATION_TTL_SECONDS": str(TTL_SECONDS),
                "CANGPEI_INVENTORY_SWEEP_INTERVAL_SECONDS": "0.5",
            },
        )
    )
    stack.start(progress=lambda _: None)
    try:
        asyncio.run(_scenario(stack))
    finally:
        stack.stop()
