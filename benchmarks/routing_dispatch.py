"""A dispatch day in the Yangtze River Delta: 2,000 parcels from 5 warehouses, 3 carriers
and 20 own vehicles. Prints the total cost, the split between carriers and the own
fleet, and the solve time, against sending everything by the cheapest carrier.

    python benchmarks/routing_dispatch.py                  # 10 s solver limit per warehouse
    python benchmarks/routing_dispatch.py --time-limit 5 --parcels 1000 --engine pyvrp

Cities come from ../shared/data/cn_cities.csv (GeoNames); consumers are drawn around
the Delta's cities in proportion to population, each served by its nearest warehouse.
Every route is checked (capacity, windows, each parcel once) before it is counted.
"""

from __future__ import annotations

import argparse
import csv
import random
import sys
import time
from collections import Counter
from datetime import datetime, timedelta, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from services.routing.adapters.carrier_flow import choose_min_cost  # noqa: E402
from services.routing.adapters.ortools_vrptw import OrToolsVrpSolver, SearchSettings  # noqa: E402
from services.routing.domain.dispatch import FleetSettings, WaveInput, plan_wave  # noqa: E402
from services.routing.domain.geo import haversine_km  # noqa: E402
from services.routing.domain.model import Carrier, Parcel, RateBand, Vehicle  # noqa: E402
from services.routing.domain.rates import Quote, quote  # noqa: E402

CITIES = Path(__file__).resolve().parents[1] / ".." / "shared" / "data" / "cn_cities.csv"
DELTA = {"Shanghai", "Jiangsu", "Zhejiang", "Anhui"}
WAREHOUSES = ["Shanghai", "Hangzhou", "Nanjing", "Suzhou", "Hefei"]
CHINA = timezone(timedelta(hours=8))
WAVE = datetime(2026, 11, 25, 9, 0, tzinfo=CHINA)


def read_cities() -> list[dict[str, str]]:
    with CITIES.resolve().open(newline="") as handle:
        return [row for row in csv.DictReader(handle) if row["province"] in DELTA]


def carriers(warehouse_ids: list[str]) -> list[Carrier]:
    def card(cid, name, bands, cutoff, capacity):
        return Carrier(
            carrier_id=cid,
            name=name,
            bands=tuple(RateBand(*band) for band in bands),
            cutoff_minute=cutoff,
            daily_capacity={w: capacity for w in warehouse_ids},
        )

    # (max km, first kg fen, each further kg fen, delivery hours)
    return [
        card(
            "sf",
            "SF Express",
            [(50, 1200, 200, 24), (300, 1400, 400, 24), (800, 1800, 600, 36)],
            1080,
            800,
        ),
        card(
            "yto",
            "YTO Express",
            [(50, 500, 100, 48), (300, 600, 200, 48), (800, 800, 300, 72)],
            1020,
            500,
        ),
        card(
            "zto",
            "ZTO Express",
            [(50, 600, 150, 36), (300, 700, 250, 48), (800, 900, 350, 60)],
            1050,
            400,
        ),
    ]


def fleet(warehouse_ids: list[str], per_warehouse: int) -> list[Vehicle]:
    return [
        Vehicle(
            vehicle_id=f"{w}-van{k}",
            depot_id=w,
            capacity_grams=800_000,
            capacity_cm3=8_000_000,
            shift_start_minute=8 * 60,
            shift_end_minute=20 * 60,
            fixed_cost_fen=15_000,
            cost_per_km_fen=180,
        )
        for w in warehouse_ids
        for k in range(per_warehouse)
    ]


def parcels(count: int, cities, depots: dict[str, tuple[float, float]], rng: random.Random):
    weights = [float(c["population"]) for c in cities]
    result: list[Parcel] = []
    for k in range(count):
        city = rng.choices(cities, weights)[0]
        lat = float(city["latitude"]) + rng.gauss(0, 0.04)
        lon = float(city["longitude"]) + rng.gauss(0, 0.04)
        warehouse = min(depots, key=lambda w: haversine_km(*depots[w], lat, lon))
        start = rng.choice(range(9 * 60, 18 * 60, 60))
        window = rng.choice([120, 180, 240, 600])
        result.append(
            Parcel(
                parcel_id=f"p{k:05d}",
                order_id=f"o{k:05d}",
                warehouse_id=warehouse,
                reservation_id=f"r{k:05d}",
                latitude=lat,
                longitude=lon,
                origin_latitude=depots[warehouse][0],
                origin_longitude=depots[warehouse][1],
                weight_grams=int(rng.lognormvariate(7.3, 0.9)),  # median about 1.5 kg
                volume_cm3=rng.randint(500, 30_000),
                window_start_minute=start,
                window_end_minute=min(start + window, 22 * 60),
                # Promised by the end of a day one to three days ahead.
                promised_by=WAVE.replace(hour=23, minute=59)
                + timedelta(days=rng.choice([1, 2, 3])),
            )
        )
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--parcels", type=int, default=2000)
    parser.add_argument("--vehicles-per-warehouse", type=int, default=4)
    parser.add_argument(
        "--time-limit", type=float, default=10.0, help="solver seconds per warehouse"
    )
    parser.add_argument("--engine", default="ortools", choices=["ortools", "pyvrp"])
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)

    rng = random.Random(args.seed)
    cities = read_cities()
    by_name = {c["name"]: c for c in cities}
    depots = {
        f"wh-{name.lower()}": (float(by_name[name]["latitude"]), float(by_name[name]["longitude"]))
        for name in WAREHOUSES
    }
    warehouse_ids = list(depots)
    all_parcels = parcels(args.parcels, cities, depots, rng)
    cards = carriers(warehouse_ids)
    vans = fleet(warehouse_ids, args.vehicles_per_warehouse)
    settings = SearchSettings(time_limit_seconds=args.time_limit)
    if args.engine == "pyvrp":
        from services.routing.adapters.pyvrp_vrptw import PyVrpSolver

        solver = PyVrpSolver(settings)
    else:
        solver = OrToolsVrpSolver(settings)
    fleet_settings = FleetSettings(speed_kmh=40.0)

    print(
        f"{len(all_parcels)} parcels, {len(warehouse_ids)} warehouses, {len(cards)} carriers, "
        f"{len(vans)} vehicles; engine {args.engine}, {args.time_limit:g} s per warehouse"
    )
    header = (
        f"{'warehouse':14} {'parcels':>7} {'fleet':>5} {'routes':>6} {'carrier':>7} "
        f"{'none':>4} {'fleet CNY':>10} {'carrier CNY':>11} {'total CNY':>10} "
        f"{'carrier-only':>12} {'solve s':>7}"
    )
    print(header)
    totals = Counter()
    by_carrier: Counter[str] = Counter()
    began_all = time.monotonic()
    for warehouse in warehouse_ids:
        mine = [p for p in all_parcels if p.warehouse_id == warehouse]
        wave = WaveInput(
            plan_id=f"plan-{warehouse}",
            wave_id="bench",
            warehouse_id=warehouse,
            now_local=WAVE,
            parcels=mine,
            carriers=cards,
            vehicles=vans,
            carrier_used={},
        )
        began = time.monotonic()
        # plan_wave raises if any route fails the check.
        plan = plan_wave(wave, solver, fleet_settings, choose_min_cost)
        elapsed = time.monotonic() - began
        fleet_cost = sum(r.cost_fen for r in plan.routes)
        carrier_cost = sum(a.cost_fen for a in plan.carriers)
        routed = sum(len(r.stops) for r in plan.routes)
        baseline = carrier_only_cost(mine, cards)
        by_carrier.update(a.carrier_id for a in plan.carriers)
        totals.update(
            parcels=len(mine),
            fleet=routed,
            routes=len(plan.routes),
            carrier=len(plan.carriers),
            none=len(plan.unassigned),
            fleet_cost=fleet_cost,
            carrier_cost=carrier_cost,
            baseline=baseline,
        )
        print(
            f"{warehouse:14} {len(mine):7d} {routed:5d} {len(plan.routes):6d} "
            f"{len(plan.carriers):7d} {len(plan.unassigned):4d} {fleet_cost / 100:10.2f} "
            f"{carrier_cost / 100:11.2f} {plan.total_cost_fen / 100:10.2f} {baseline / 100:12.2f} "
            f"{elapsed:7.1f}",
            flush=True,
        )
    wall = time.monotonic() - began_all
    total = totals["fleet_cost"] + totals["carrier_cost"]
    print(
        f"{'all':14} {totals['parcels']:7d} {totals['fleet']:5d} {totals['routes']:6d} "
        f"{totals['carrier']:7d} {totals['none']:4d} {totals['fleet_cost'] / 100:10.2f} "
        f"{totals['carrier_cost'] / 100:11.2f} {total / 100:10.2f} "
        f"{totals['baseline'] / 100:12.2f} {wall:7.1f}"
    )
    print()
    print(
        f"total cost {total / 100:.2f} CNY; "
        f"by carrier only it would be {totals['baseline'] / 100:.2f} CNY"
    )
    print(
        f"split: own fleet {totals['fleet']} parcels on {totals['routes']} routes "
        f"({totals['fleet_cost'] / 100:.2f} CNY), carriers {totals['carrier']} "
        f"({', '.join(f'{c} {n}' for c, n in sorted(by_carrier.items()))}; "
        f"{totals['carrier_cost'] / 100:.2f} CNY), unassigned {totals['none']}"
    )
    print(f"solve time {wall:.1f} s wall for all warehouses (model building included)")
    solver.close()
    return 0


def carrier_only_cost(mine: list[Parcel], cards: list[Carrier]) -> int:
    """Each parcel with its cheapest carrier that can take it, capacity ignored."""
    total = 0
    for parcel in mine:
        distance = haversine_km(
            parcel.origin_latitude, parcel.origin_longitude, parcel.latitude, parcel.longitude
        )
        offers = [q for c in cards if isinstance(q := quote(c, parcel, distance, WAVE), Quote)]
        total += min((q.cost_fen for q in offers), default=0)
    return total


if __name__ == "__main__":
    sys.exit(main())
