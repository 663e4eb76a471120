"""End-to-end load: fulfilment orders through the four services at the highest rate the
stack sustains on this machine.

    python3 dev.py bench flow_load [--orders 3000] [--clients 64] [--rate 0]
    python3 dev.py bench flow_load --rates 60,90,120,150 [--seconds 30]

Starts its own stack (SQLite, embedded nats-server with fsync always), seeds the delta
network with ample stock, then submits orders from many concurrent clients as fast as
they are accepted. Prints the submit rate, the end-to-end rate (orders completed per
second, first submit to last completion), and latency percentiles from acceptance to
dispatched and to completed, read from each order's status history. With ``--rates``
it offers each rate in turn for ``--seconds`` on the same stack and says which rates it
sustains: every order completed, p99 from acceptance to dispatched under 2 s.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from cangpei.common.v1.common_pb2 import PageRequest  # noqa: E402
from cangpei.demo.audit import audit_ledger  # noqa: E402
from cangpei.demo.clients import Clients  # noqa: E402
from cangpei.demo.replay import (  # noqa: E402
    FINAL,
    _percentile,
    list_orders,
    order_message,
    status_name,
    time_to_status,
)
from cangpei.demo.scenario import SKUS, build_network, load_delta_cities, promotion_day  # noqa: E402
from cangpei.demo.seed import seed_stack  # noqa: E402
from cangpei.stack import Stack, StackConfig  # noqa: E402
from cangpei.warehouse.v1 import warehouse_pb2 as wh  # noqa: E402

CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def _proc_stats() -> dict[int, tuple[int, float]]:
    """Parent pid and CPU seconds (user + system) of every process, from /proc."""
    stats = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue  # gone meanwhile
        stats[int(entry.name)] = (int(fields[1]), (int(fields[11]) + int(fields[12])) / CLOCK_TICKS)
    return stats


def cpu_by_process(stack: Stack) -> dict[str, float]:
    """CPU seconds used so far by each service (with its solver workers) and nats-server."""
    stats = _proc_stats()
    children: dict[int, list[int]] = {}
    for pid, (ppid, _) in stats.items():
        children.setdefault(ppid, []).append(pid)

    def tree(pid: int) -> float:
        return stats.get(pid, (0, 0.0))[1] + sum(tree(c) for c in children.get(pid, []))

    roots = {name: process.pid for name, process in stack.processes.items()}
    nats = getattr(stack.nats, "process", None)
    if nats is not None:
        roots["nats-server"] = nats.pid
    return {name: tree(pid) for name, pid in roots.items()}


@dataclass
class Figures:
    offered: float  # orders/s offered (0: as fast as accepted)
    orders: int
    completed: int
    end_to_end: float  # orders/s completed, first acceptance to last change
    dispatched_p50: float
    dispatched_p99: float

    def sustained(self) -> bool:
        """Every order completed and p99 to dispatched under 2 s. A stack slower than the
        offered rate builds a backlog that grows through the run, and the latency of the
        last orders with it; the end-to-end rate alone would also count the final drain."""
        return self.completed == self.orders and self.dispatched_p99 < 2.0


async def run(stack: Stack, runs: list[tuple[int, float]], clients_count: int) -> list[Figures]:
    """Seed once, then one measured run per (orders, rate), each with its own orders."""
    clients = Clients.connect(stack.addresses, stack.staff_token)
    try:
        cities = load_delta_cities()
        sites = build_network(cities)
        total = sum(orders for orders, _ in runs)
        await seed_stack(clients, sites, "load", stock_scale=max(50, -(-total // 60)))
        figures = []
        for number, (orders, rate) in enumerate(runs, 1):
            run_id = "LOAD" if len(runs) == 1 else f"STEP{number:02d}"
            day = promotion_day(cities, orders, seed=4 + number)
            figures.append(await measure(stack, clients, run_id, day, clients_count, rate))
        return figures
    finally:
        await clients.close()


async def measure(
    stack: Stack,
    clients: Clients,
    run_id: str,
    day: list,
    clients_count: int,
    rate: float,
) -> Figures:
    orders = len(day)
    queue: asyncio.Queue = asyncio.Queue()
    for index, order in enumerate(day):
        queue.put_nowait((index, order))
    submit_ms: list[float] = []

    async def client() -> None:
        while not queue.empty():
            index, order = queue.get_nowait()
            if rate > 0:
                # An offered load: order i goes out i/rate seconds after the start.
                await asyncio.sleep(max(0.0, opened + index / rate - time.monotonic()))
            message = order_message(order, run_id)
            started = time.perf_counter()
            await clients.warehouse.SubmitFulfilmentOrder(
                wh.SubmitFulfilmentOrderRequest(idempotency_key=message.order_id, order=message),
                timeout=30,
            )
            submit_ms.append((time.perf_counter() - started) * 1000)

    pace = f" at {rate:g} orders/s" if rate > 0 else " as fast as they are accepted"
    print(
        f"submitting {orders} orders from {clients_count} concurrent clients{pace} ...",
        flush=True,
    )
    final_before = await count_final(clients)
    cpu_before = cpu_by_process(stack)
    started = opened = time.monotonic()
    await asyncio.gather(*(client() for _ in range(clients_count)))
    submitted_in = time.monotonic() - started
    print(f"  accepted {orders} in {submitted_in:.1f} s: {orders / submitted_in:.0f} orders/s")

    while True:
        done = await count_final(clients) - final_before
        print(f"  final {done}/{orders} after {time.monotonic() - started:.1f} s", flush=True)
        if done >= orders or time.monotonic() - started > 900:
            break
        await asyncio.sleep(1)
    cpu_used = {
        name: seconds - cpu_before.get(name, 0.0) for name, seconds in cpu_by_process(stack).items()
    }
    final = await list_orders(clients, f"{run_id}-")
    last_change = max(
        change.at.seconds + change.at.nanos / 1e9
        for order in final.values()
        for change in order.history
    )
    first_received = min(
        order.history[0].at.seconds + order.history[0].at.nanos / 1e9 for order in final.values()
    )
    statuses: dict[str, int] = {}
    for order in final.values():
        statuses[status_name(order.status)] = statuses.get(status_name(order.status), 0) + 1
    to_allocated = [
        t for o in final.values() if (t := time_to_status(o, wh.FULFILMENT_STATUS_ALLOCATED))
    ]
    to_dispatched = [
        t for o in final.values() if (t := time_to_status(o, wh.FULFILMENT_STATUS_DISPATCHED))
    ]
    to_completed = [
        t for o in final.values() if (t := time_to_status(o, wh.FULFILMENT_STATUS_COMPLETED))
    ]
    span = last_change - first_received
    figures = Figures(
        offered=rate,
        orders=orders,
        completed=statuses.get("completed", 0),
        end_to_end=statuses.get("completed", 0) / span,
        dispatched_p50=_percentile(to_dispatched, 50),
        dispatched_p99=_percentile(to_dispatched, 99),
    )
    print("\nresults")
    print(f"  orders                     {orders}  ({statuses})")
    print(f"  submit rate                {orders / submitted_in:.0f} orders/s")
    print(
        f"  end-to-end rate            {figures.end_to_end:.0f} orders/s "
        f"(completed over {span:.1f} s)"
    )
    print(
        f"  submit latency             p50 {_percentile(submit_ms, 50):.0f} ms  "
        f"p99 {_percentile(submit_ms, 99):.0f} ms"
    )
    print(
        f"  accepted -> allocated      p50 {_percentile(to_allocated, 50):.2f} s  "
        f"p99 {_percentile(to_allocated, 99):.2f} s"
    )
    print(
        f"  accepted -> dispatched     p50 {figures.dispatched_p50:.2f} s  "
        f"p99 {figures.dispatched_p99:.2f} s"
    )
    print(
        f"  accepted -> completed      p50 {_percentile(to_completed, 50):.2f} s  "
        f"p99 {_percentile(to_completed, 99):.2f} s"
    )
    per_order = ", ".join(
        f"{name} {seconds * 1000 / orders:.1f}" for name, seconds in sorted(cpu_used.items())
    )
    print(
        f"  CPU per order              {sum(cpu_used.values()) * 1000 / orders:.1f} ms "
        f"({per_order}; solver workers counted with routing)"
    )
    # The ledger holds every run's movements: audit it against every order so far.
    everything = await list_orders(clients, "")
    problems = await audit_ledger(clients, [sku.sku for sku in SKUS], list(everything.values()))
    print(f"  ledger audit               {'ok' if not problems else problems[:5]}\n", flush=True)
    return figures


async def count_final(clients: Clients) -> int:
    # Status counts only: listing every order each poll would load the warehouse
    # service the benchmark is measuring.
    page = await clients.warehouse.ListFulfilmentOrders(
        wh.ListFulfilmentOrdersRequest(page=PageRequest(page_size=1)), timeout=30
    )
    return sum(c.orders for c in page.counts if c.status in FINAL)


def print_sweep(figures: list[Figures]) -> None:
    print("offered/s  end-to-end/s  dispatched p50  p99     sustained (all completed, p99 < 2 s)")
    for f in figures:
        print(
            f"{f.offered:>9g}  {f.end_to_end:>12.0f}  {f.dispatched_p50:>12.2f} s  "
            f"{f.dispatched_p99:>5.2f} s  {'yes' if f.sustained() else 'no'}"
        )
    best = max((f.offered for f in figures if f.sustained()), default=None)
    print(
        f"highest offered rate sustained: {best:g} orders/s"
        if best is not None
        else "no offered rate was sustained"
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description="End-to-end load: fulfilment orders through the four services "
        "(SQLite, embedded nats-server with fsync always).",
    )
    parser.add_argument("--orders", type=int, default=3000, help="orders of a single run")
    parser.add_argument("--clients", type=int, default=64, help="concurrent submitting clients")
    parser.add_argument(
        "--rate", type=float, default=0, help="offered orders per second (0: as fast as accepted)"
    )
    parser.add_argument(
        "--rates",
        help="comma-separated offered rates, one run each on the same stack "
        "(e.g. 60,90,120): prints which the stack sustains",
    )
    parser.add_argument(
        "--seconds", type=float, default=30, help="with --rates: how long each rate is offered"
    )
    args = parser.parse_args()
    if args.rates:
        rates = [float(r) for r in args.rates.split(",")]
        runs = [(max(1, round(r * args.seconds)), r) for r in rates]
    else:
        runs = [(args.orders, args.rate)]
    with tempfile.TemporaryDirectory() as data_dir:
        stack = Stack(StackConfig(data_dir=Path(data_dir)))
        stack.start(progress=lambda line: print(line, flush=True))
        try:
            figures = asyncio.run(run(stack, runs, args.clients))
        finally:
            stack.stop()
    if len(figures) > 1:
        print_sweep(figures)


if __name__ == "__main__":
    main()
