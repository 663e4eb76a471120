"""Replay a promotion day through the fulfilment flow and measure what happened."""

from __future__ import annotations

import asyncio
import re
import statistics
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime

import grpc
from google.protobuf.timestamp_pb2 import Timestamp

from cangpei.common.v1.common_pb2 import GeoPoint, PageRequest
from cangpei.demo.clients import Clients
from cangpei.demo.day_clock import DayClock
from cangpei.demo.scenario import DemoOrder
from cangpei.routing.v1 import routing_pb2 as rt
from cangpei.warehouse.v1 import warehouse_pb2 as wh

FINAL = {
    wh.FULFILMENT_STATUS_COMPLETED,
    wh.FULFILMENT_STATUS_CANCELLED,
    wh.FULFILMENT_STATUS_FAILED,
}
TIER_NAMES = {
    wh.SERVICE_TIER_NEAR_SATELLITE: "satellite within 50 km",
    wh.SERVICE_TIER_FAR_SATELLITE: "satellite within 100 km",
    wh.SERVICE_TIER_CENTRAL: "central warehouse",
    wh.SERVICE_TIER_SUPPLIER: "supplier ships",
}


def status_name(status: int) -> str:
    return wh.FulfilmentStatus.Name(status).removeprefix("FULFILMENT_STATUS_").lower()


@dataclass
class DayResult:
    submitted: int = 0
    rejected: dict[str, str] = field(default_factory=dict)  # order -> why the submit failed
    submit_ms: list[float] = field(default_factory=list)
    orders: dict[str, wh.FulfilmentOrder] = field(default_factory=dict)  # final view
    dispatch_cost_fen: int = 0
    # Why carrier parcels did not ride an own vehicle, as routing explains it -> parcels.
    not_own_fleet: Counter = field(default_factory=Counter)
    # The replayed day's clock (its business times map back to real ones).
    clock: DayClock | None = None

    def by_status(self) -> Counter:
        return Counter(status_name(order.status) for order in self.orders.values())


# The promise the replayed orders carry: three days is enough for a parcel that just
# missed the last pickup to go with tomorrow's and still arrive in time.
PROMISE_HOURS = 72


def order_message(order: DemoOrder, run_id: str, placed_at: datetime | None = None) -> wh.Order:
    """The order as the platform submits it, placed at ``placed_at`` (default: now, on the
    real clock; the replay passes its day's business time)."""
    placed = Timestamp()
    placed.FromDatetime(placed_at or datetime.now(UTC))
    return wh.Order(
        order_id=f"{run_id}-{order.order_id}",
        lines=[wh.ParcelLine(sku=sku, quantity=quantity) for sku, quantity in order.lines],
        destination=GeoPoint(latitude=order.latitude, longitude=order.longitude),
        placed_at=placed,
        promised_by=Timestamp(seconds=placed.seconds + PROMISE_HOURS * 3600),
    )


async def submit(
    clients: Clients, order: DemoOrder, run_id: str, result: DayResult, placed_at: datetime
) -> None:
    message = order_message(order, run_id, placed_at)
    started = time.perf_counter()
    for attempt in range(5):
        try:
            # The key makes a retry after a lost answer safe: the order is accepted once.
            await clients.warehouse.SubmitFulfilmentOrder(
                wh.SubmitFulfilmentOrderRequest(idempotency_key=message.order_id, order=message),
                timeout=10,
            )
            result.submit_ms.append((time.perf_counter() - started) * 1000)
            return
        except grpc.aio.AioRpcError as exc:
            if exc.code() in (grpc.StatusCode.UNAVAILABLE, grpc.StatusCode.DEADLINE_EXCEEDED):
                await asyncio.sleep(0.2 * 2**attempt)
                continue
            result.rejected[message.order_id] = f"{exc.code().name}: {exc.details()}"
            return
    result.rejected[message.order_id] = "warehouse service unavailable after 5 attempts"


async def list_orders(clients: Clients, run_id: str) -> dict[str, wh.FulfilmentOrder]:
    """Every order of this run, as the warehouse service sees it now."""
    orders: dict[str, wh.FulfilmentOrder] = {}
    token = ""
    while True:
        page = await clients.warehouse.ListFulfilmentOrders(
            wh.ListFulfilmentOrdersRequest(page=PageRequest(page_size=500, page_token=token)),
            timeout=30,
        )
        for order in page.orders:
            if order.order_id.startswith(run_id):
                orders[order.order_id] = order
        token = page.next_page_token
        if not token:
            return orders


async def wait_until_final(
    clients: Clients,
    run_id: str,
    expected: int,
    timeout: float,
    say: Callable[[str], None],
) -> dict[str, wh.FulfilmentOrder]:
    deadline = time.monotonic() + timeout
    last_line = ""
    while True:
        orders = await list_orders(clients, run_id)
        counts = Counter(status_name(order.status) for order in orders.values())
        done = sum(order.status in FINAL for order in orders.values())
        line = "  waiting for the flow: " + ", ".join(
            f"{name} {count}" for name, count in sorted(counts.items())
        )
        if line != last_line:
            say(line)
            last_line = line
        if done >= expected or time.monotonic() > deadline:
            return orders
        await asyncio.sleep(0.5)


async def replay_day(
    clients: Clients,
    orders: list[DemoOrder],
    run_id: str,
    *,
    hour_seconds: float,
    clock: DayClock | None = None,
    concurrency: int = 32,
    settle_seconds: float = 120,
    say: Callable[[str], None] = print,
) -> DayResult:
    """Submit the day's orders hour by hour, an hour every ``hour_seconds``, and wait for
    them to end. With ``clock`` the stack's business clock is the replayed day's (from
    the first hour at the replay's pace, then at real speed while the flow drains)."""
    clock = clock or DayClock(None)
    result = DayResult()
    result.clock = clock
    slots = asyncio.Semaphore(concurrency)
    hours = sorted({order.hour for order in orders})
    if not hours:
        return result
    clock.start_day(hours[0], hour_seconds)
    day_started = time.monotonic()

    async def timed_submit(order: DemoOrder, hour_start: float) -> None:
        delay = hour_start + order.second_in_hour / 3600 * hour_seconds - time.monotonic()
        if delay > 0:
            await asyncio.sleep(delay)  # the order's arrival time within the compressed hour
        async with slots:
            await submit(clients, order, run_id, result, clock.now())

    for hour in hours:
        hour_orders = [order for order in orders if order.hour == hour]
        # Hours start on the replay's schedule, so that they keep pace with the clock.
        hour_start = day_started + (hour - hours[0]) * hour_seconds
        await asyncio.gather(*(timed_submit(order, hour_start) for order in hour_orders))
        result.submitted += len(hour_orders)
        counts = Counter(
            status_name(o.status) for o in (await list_orders(clients, run_id)).values()
        )
        say(
            f"  {hour:02d}:00  {len(hour_orders):>5} orders  submitted {result.submitted:>6}  "
            + "  ".join(f"{name} {count}" for name, count in sorted(counts.items()))
        )
    # The day's orders are in: what is left of the flow runs at real speed (a compressed
    # clock would carry parcels past their promises while they wait).
    clock.real_pace()
    accepted = result.submitted - len(result.rejected)
    result.orders = await wait_until_final(clients, run_id, accepted, settle_seconds, say)
    await _read_dispatch(clients, result)
    return result


async def _read_dispatch(clients: Clients, result: DayResult) -> None:
    """Each parcel's dispatch cost, and why carrier parcels were not on own vehicles."""
    for order in result.orders.values():
        for parcel in order.parcels:
            try:
                state = (
                    await clients.routing.GetParcel(
                        rt.GetParcelRequest(parcel_id=parcel.parcel_id), timeout=5
                    )
                ).parcel
            except grpc.aio.AioRpcError:
                continue
            result.dispatch_cost_fen += state.cost_fen
            if state.carrier_id and state.reason:
                result.not_own_fleet[reason_kind(state.reason)] += 1


def reason_kind(reason: str) -> str:
    """A reason without its figures, so that the summary counts reasons of one kind
    together ("... trip (300.00 CNY) ... the wave's 14 parcels" and "... 9 parcels")."""
    return re.sub(r"\d+", "N", re.sub(r" \([^)]*\)", "", reason))


def _percentile(values: list[float], percent: float) -> float:
    if not values:
        return 0.0
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[int(percent) - 1]


def _seconds(stamp: Timestamp) -> float:
    return stamp.seconds + stamp.nanos / 1e9


def time_to_status(
    order: wh.FulfilmentOrder, status: int, clock: DayClock | None = None
) -> float | None:
    """Real seconds from acceptance to the first time the order reached ``status`` (the
    history's times are the stack's business times, which ``clock`` maps back)."""
    received = next(
        (c.at for c in order.history if c.status == wh.FULFILMENT_STATUS_RECEIVED), None
    )
    reached = next((c.at for c in order.history if c.status == status), None)
    if received is None or reached is None:
        return None
    if clock is None or not clock.settings:
        return _seconds(reached) - _seconds(received)
    return clock.to_real(_business(reached)) - clock.to_real(_business(received))


def _business(stamp: Timestamp) -> datetime:
    return stamp.ToDatetime(tzinfo=UTC)


def summary_lines(result: DayResult) -> list[str]:
    orders = list(result.orders.values())
    parcels = [parcel for order in orders for parcel in order.parcels]
    statuses = result.by_status()
    lines = [
        f"orders submitted        {result.submitted}",
        "orders by status        "
        + ", ".join(f"{name} {count}" for name, count in sorted(statuses.items())),
        f"parcels                 {len(parcels)}",
    ]
    tiers = Counter(TIER_NAMES.get(parcel.tier, "unknown") for parcel in parcels)
    for tier, count in sorted(tiers.items(), key=lambda item: -item[1]):
        lines.append(f"  {tier:<22} {count:>6}  {count / len(parcels) * 100:5.1f}%")
    carriers = Counter(parcel.carrier_id for parcel in parcels if parcel.carrier_id)
    fleet = sum(1 for parcel in parcels if parcel.vehicle_id)
    lines.append(
        f"carrier parcels         {sum(carriers.values())}  ("
        + ", ".join(f"{name} {count}" for name, count in sorted(carriers.items()))
        + ")"
    )
    lines.append(f"own-fleet parcels       {fleet}")
    if result.not_own_fleet:
        lines.append("  carrier parcels not on an own van, because:")
        shown = result.not_own_fleet.most_common(3)
        for reason, count in shown:
            lines.append(f"    {count:>6}  {reason}")
        if len(result.not_own_fleet) > len(shown):
            others = sum(result.not_own_fleet.values()) - sum(count for _, count in shown)
            lines.append(f"    {others:>6}  other reasons")
    lines.append(f"dispatch cost           {result.dispatch_cost_fen / 100:,.2f} CNY")
    lines.append(
        "submit latency          "
        f"p50 {_percentile(result.submit_ms, 50):.0f} ms  "
        f"p99 {_percentile(result.submit_ms, 99):.0f} ms"
    )
    clock = result.clock
    to_dispatch = [
        t
        for o in orders
        if (t := time_to_status(o, wh.FULFILMENT_STATUS_DISPATCHED, clock)) is not None
    ]
    to_complete = [
        t
        for o in orders
        if (t := time_to_status(o, wh.FULFILMENT_STATUS_COMPLETED, clock)) is not None
    ]
    lines.append(
        "accepted → dispatched   "
        f"p50 {_percentile(to_dispatch, 50):.2f} s  p99 {_percentile(to_dispatch, 99):.2f} s"
    )
    lines.append(
        "accepted → completed    "
        f"p50 {_percentile(to_complete, 50):.2f} s  p99 {_percentile(to_complete, 99):.2f} s"
    )
    return lines
