"""`cangpei demo`: seed a realistic network and replay a promotion day against the stack."""

from __future__ import annotations

import asyncio
import time
import uuid

import grpc

from cangpei.demo.clients import Clients
from cangpei.demo.replay import replay_day, summary_lines
from cangpei.demo.scenario import build_network, load_delta_cities, promotion_day
from cangpei.demo.seed import SeedReport, seed_catalog, seed_fleet, seed_network
from cangpei.inventory.v1 import inventory_pb2 as inv
from cangpei.demo.scenario import SKUS


async def _run(addresses: dict[str, str], staff_token: str, orders: int, speed: float) -> int:
    run_id = time.strftime("%H%M%S") + uuid.uuid4().hex[:4]
    cities = load_delta_cities()
    sites = build_network(cities)
    day = promotion_day(cities, orders)
    clients = Clients.connect(addresses, staff_token)
    started = time.monotonic()
    try:
        print(f"seeding (run {run_id}) ...")
        report = SeedReport()
        await seed_catalog(clients, report, print)
        await seed_network(clients, sites, run_id, report, print)
        await seed_fleet(clients, sites, report, print)
        hour_seconds = 2.0 / speed
        print(
            f"replaying a promotion day: {orders} orders, 07:00-23:00, "
            f"one hour every {hour_seconds:g} s, bursts at the top of each hour"
        )
        result = await replay_day(clients, day, run_id, hour_seconds=hour_seconds)
        availability = await clients.inventory.GetAvailability(
            inv.GetAvailabilityRequest(skus=[sku.sku for sku in SKUS])
        )
        print("\nsummary")
        for line in summary_lines(result):
            print("  " + line)
        left = sum(item.available for item in availability.items)
        print(f"  stock available after  {left:,} units")
        print(f"  took                   {time.monotonic() - started:.1f} s")
        problems = {**result.failed, **result.unserved}
        if result.unassigned:
            print(f"  parcels no carrier or van could take: {len(result.unassigned)}")
            for parcel, reason in list(result.unassigned.items())[:5]:
                print(f"    {parcel}: {reason}")
        if problems:
            print(f"  orders not completed: {len(problems)}")
            for order, reason in list(problems.items())[:10]:
                print(f"    {order}: {reason}")
            return 1
        print("  every order was allocated and dispatched")
        return 0
    finally:
        await clients.close()


def run_demo(addresses: dict[str, str], staff_token: str, *, orders: int, speed: float) -> int:
    try:
        return asyncio.run(_run(addresses, staff_token, orders, speed))
    except grpc.aio.AioRpcError as exc:
        print(f"demo stopped: a service answered {exc.code().name}: {exc.details()}")
        return 1
