"""`cangpei demo`: seed a realistic network and replay a promotion day against the stack."""

from __future__ import annotations

import asyncio
import time
import uuid
from pathlib import Path

import grpc

from cangpei.demo.clients import Clients
from cangpei.demo.day_clock import DayClock
from cangpei.demo.replay import replay_day, status_name, summary_lines
from cangpei.demo.scenario import SKUS, build_network, load_delta_cities, promotion_day
from cangpei.demo.seed import seed_stack
from cangpei.inventory.v1 import inventory_pb2 as inv
from cangpei.warehouse.v1 import warehouse_pb2 as wh


async def _run(
    addresses: dict[str, str], staff_token: str, orders: int, speed: float, clock: DayClock
) -> int:
    run_id = time.strftime("%H%M%S") + uuid.uuid4().hex[:4]
    cities = load_delta_cities()
    sites = build_network(cities)
    day = promotion_day(cities, orders)
    clients = Clients.connect(addresses, staff_token)
    started = time.monotonic()
    try:
        print(f"seeding (run {run_id}) ...")
        await seed_stack(clients, sites, run_id, print)
        hour_seconds = 2.0 / speed
        print(
            f"replaying a promotion day: {orders} orders, 07:00-23:00, "
            f"one hour every {hour_seconds:g} s, bursts at the top of each hour"
        )
        if clock.path is not None:
            print(
                "  the stack's business clock (cut-offs, vans' shifts, promises) follows the "
                f"replayed day: {clock.path}"
            )
        result = await replay_day(clients, day, run_id, hour_seconds=hour_seconds, clock=clock)
        availability = await clients.inventory.GetAvailability(
            inv.GetAvailabilityRequest(skus=[sku.sku for sku in SKUS])
        )
        print("\nsummary")
        for line in summary_lines(result):
            print("  " + line)
        left = sum(item.available for item in availability.items)
        reserved = sum(item.reserved for item in availability.items)
        print(f"  stock left             {left:,} units available, {reserved:,} still reserved")
        print(f"  took                   {time.monotonic() - started:.1f} s")
        not_completed = {
            order_id: f"{status_name(order.status)}: {order.failure_reason or 'still in progress'}"
            for order_id, order in result.orders.items()
            if order.status != wh.FULFILMENT_STATUS_COMPLETED
        }
        not_completed.update(result.rejected)
        missing = result.submitted - len(result.orders) - len(result.rejected)
        if missing:
            not_completed["(unaccounted)"] = f"{missing} accepted orders not found"
        if not_completed:
            print(f"  orders not completed: {len(not_completed)}")
            for order_id, reason in list(not_completed.items())[:10]:
                print(f"    {order_id}: {reason}")
            return 1
        print("  every order completed")
        return 0
    finally:
        await clients.close()


def run_demo(
    addresses: dict[str, str],
    staff_token: str,
    *,
    orders: int,
    speed: float,
    clock_file: Path | None = None,
) -> int:
    """Seed and replay against the stack at ``addresses``; ``clock_file`` is the file
    its services read their business clock from (None: they keep the real clock)."""
    try:
        return asyncio.run(_run(addresses, staff_token, orders, speed, DayClock(clock_file)))
    except grpc.aio.AioRpcError as exc:
        print(f"demo stopped: a service answered {exc.code().name}: {exc.details()}")
        return 1
