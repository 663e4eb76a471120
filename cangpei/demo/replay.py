"""Replay a promotion day against the stack and measure what happened."""

from __future__ import annotations

import asyncio
import statistics
import time
from collections import Counter
from dataclasses import dataclass, field

import grpc
from google.protobuf.timestamp_pb2 import Timestamp

from cangpei.common.v1.common_pb2 import GeoPoint
from cangpei.demo.clients import Clients
from cangpei.demo.scenario import DemoOrder
from cangpei.routing.v1 import routing_pb2 as rt
from cangpei.warehouse.v1 import warehouse_pb2 as wh

TIER_NAMES = {
    wh.SERVICE_TIER_NEAR_SATELLITE: "satellite within 50 km",
    wh.SERVICE_TIER_FAR_SATELLITE: "satellite within 100 km",
    wh.SERVICE_TIER_CENTRAL: "central warehouse",
    wh.SERVICE_TIER_SUPPLIER: "supplier ships",
}


@dataclass
class DayResult:
    submitted: int = 0
    allocated: int = 0
    latencies_ms: list[float] = field(default_factory=list)
    parcels: int = 0
    tiers: Counter = field(default_factory=Counter)
    unserved: dict[str, str] = field(default_factory=dict)  # order -> reason
    failed: dict[str, str] = field(default_factory=dict)  # order -> error
    carrier_parcels: Counter = field(default_factory=Counter)
    fleet_parcels: int = 0
    unassigned: dict[str, str] = field(default_factory=dict)  # parcel -> reason
    dispatch_cost_fen: int = 0
    departed_plans: int = 0
    parcels_by_warehouse: dict[str, list[str]] = field(default_factory=dict)
    all_parcels: list[str] = field(default_factory=list)


def _order_message(order: DemoOrder, run_id: str) -> wh.Order:
    placed = Timestamp()
    placed.GetCurrentTime()
    promised = Timestamp(seconds=placed.seconds + 48 * 3600)
    return wh.Order(
        order_id=f"{run_id}-{order.order_id}",
        lines=[wh.ParcelLine(sku=sku, quantity=quantity) for sku, quantity in order.lines],
        destination=GeoPoint(latitude=order.latitude, longitude=order.longitude),
        placed_at=placed,
        promised_by=promised,
    )


async def _submit(clients: Clients, order: DemoOrder, run_id: str, result: DayResult) -> None:
    started = time.perf_counter()
    try:
        answer = await clients.warehouse.Allocate(
            wh.AllocateRequest(order=_order_message(order, run_id)), timeout=30
        )
    except grpc.aio.AioRpcError as exc:
        result.failed[order.order_id] = f"{exc.code().name}: {exc.details()}"
        return
    result.latencies_ms.append((time.perf_counter() - started) * 1000)
    allocation = answer.allocation
    if allocation.unserved:
        result.unserved[order.order_id] = "; ".join(line.reason for line in allocation.unserved)
    if allocation.parcels:
        result.allocated += 1
    for parcel in allocation.parcels:
        result.parcels += 1
        result.tiers[TIER_NAMES.get(parcel.tier, "unknown")] += 1
        result.parcels_by_warehouse.setdefault(parcel.warehouse_id, []).append(parcel.parcel_id)


async def _wait_routing_knows(clients: Clients, parcel_ids: list[str], timeout: float = 30) -> None:
    """Parcels reach routing as warehouse.allocation.created events: wait until it has them."""
    deadline = time.monotonic() + timeout
    pending = list(parcel_ids)
    while pending and time.monotonic() < deadline:
        still = []
        for parcel_id in pending:
            try:
                await clients.routing.GetParcel(rt.GetParcelRequest(parcel_id=parcel_id), timeout=5)
            except grpc.aio.AioRpcError as exc:
                if exc.code() != grpc.StatusCode.NOT_FOUND:
                    raise
                still.append(parcel_id)
        pending = still
        if pending:
            await asyncio.sleep(0.1)


async def _dispatch_wave(clients: Clients, wave_id: str, result: DayResult) -> None:
    """Close the hour's wave: plan each warehouse's waiting parcels and let them leave."""
    waiting = result.parcels_by_warehouse
    result.parcels_by_warehouse = {}
    parcel_ids = [p for parcels in waiting.values() for p in parcels]
    result.all_parcels.extend(parcel_ids)
    await _wait_routing_knows(clients, parcel_ids)
    for warehouse_id in sorted(waiting):
        try:
            plan = (
                await clients.routing.DispatchWave(
                    rt.DispatchWaveRequest(warehouse_id=warehouse_id, wave_id=wave_id), timeout=60
                )
            ).plan
        except grpc.aio.AioRpcError as exc:
            if exc.code() == grpc.StatusCode.FAILED_PRECONDITION:
                continue  # routing's own periodic wave took them already
            raise
        if plan.plan_id and (plan.routes or plan.carrier_parcels):
            await clients.routing.ConfirmDeparture(
                rt.ConfirmDepartureRequest(plan_id=plan.plan_id), timeout=30
            )
            result.departed_plans += 1


async def collect_dispatch(clients: Clients, result: DayResult) -> None:
    """Ask routing what became of every parcel."""
    for parcel_id in result.all_parcels:
        state = (
            await clients.routing.GetParcel(rt.GetParcelRequest(parcel_id=parcel_id), timeout=5)
        ).parcel
        if state.status == rt.PARCEL_STATUS_DISPATCHED:
            if state.vehicle_id:
                result.fleet_parcels += 1
            else:
                result.carrier_parcels[state.carrier_id] += 1
            result.dispatch_cost_fen += state.cost_fen
        else:
            status = rt.ParcelStatus.Name(state.status).removeprefix("PARCEL_STATUS_").lower()
            result.unassigned[parcel_id] = f"{status}: {state.reason or 'no reason given'}"


async def replay_day(
    clients: Clients,
    orders: list[DemoOrder],
    run_id: str,
    *,
    hour_seconds: float,
    concurrency: int = 32,
    say=print,  # type: ignore[no-untyped-def]
) -> DayResult:
    result = DayResult()
    slots = asyncio.Semaphore(concurrency)

    async def timed_submit(order: DemoOrder, start: float) -> None:
        delay = start + order.second_in_hour / 3600 * hour_seconds - time.monotonic()
        if delay > 0:
            await asyncio.sleep(delay)  # the order's arrival time within the compressed hour
        async with slots:
            await _submit(clients, order, run_id, result)

    for hour in sorted({order.hour for order in orders}):
        hour_orders = [order for order in orders if order.hour == hour]
        started = time.monotonic()
        await asyncio.gather(*(timed_submit(order, started) for order in hour_orders))
        result.submitted += len(hour_orders)
        await _dispatch_wave(clients, f"{run_id}-{hour:02d}", result)
        p99 = _percentile(result.latencies_ms, 99)
        say(
            f"  {hour:02d}:00  {len(hour_orders):>4} orders   total {result.submitted:>5}  "
            f"allocated {result.allocated:>5}  parcels {result.parcels:>5}  "
            f"p99 {p99:6.0f} ms"
        )
    await collect_dispatch(clients, result)
    return result


def _percentile(values: list[float], percent: float) -> float:
    if not values:
        return 0.0
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[int(percent) - 1]


def summary_lines(result: DayResult) -> list[str]:
    lines = [
        f"orders submitted        {result.submitted}",
        f"orders allocated        {result.allocated}",
        f"parcels                 {result.parcels}",
    ]
    for tier, count in sorted(result.tiers.items(), key=lambda item: -item[1]):
        share = count / result.parcels * 100 if result.parcels else 0
        lines.append(f"  {tier:<22} {count:>5}  {share:5.1f}%")
    carriers = sum(result.carrier_parcels.values())
    lines.append(f"carrier parcels         {carriers}  " + ", ".join(
        f"{name} {count}" for name, count in sorted(result.carrier_parcels.items())
    ))
    lines.append(f"own-fleet parcels       {result.fleet_parcels}")
    lines.append(f"dispatch cost           {result.dispatch_cost_fen / 100:,.2f} CNY")
    lines.append(
        "allocation latency      "
        f"p50 {_percentile(result.latencies_ms, 50):.0f} ms  "
        f"p95 {_percentile(result.latencies_ms, 95):.0f} ms  "
        f"p99 {_percentile(result.latencies_ms, 99):.0f} ms"
    )
    return lines
