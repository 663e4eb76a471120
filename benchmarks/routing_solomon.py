"""Solomon's 29 type-1 VRPTW instances: OR-Tools (ours) against the best known
distance-only solutions and against PyVRP under the same time limit.

    python benchmarks/routing_solomon.py                 # all 29, 10 s each, both engines
    python benchmarks/routing_solomon.py --instances R101 RC105 --time-limit 5
    python benchmarks/routing_solomon.py --engines ortools --workers 1

OR-Tools runs --workers searches (default 2, one per core of the reference machine)
side by side in as many processes, each different, within the same wall-clock limit,
and keeps the cheapest; PyVRP runs one search in this process. The run prints the
cores each engine used and the machine's load average before and after.

Distances are double precision as in the literature; the solver works on them
multiplied by 1000 and rounded, and the figures printed are the exact distances of the
returned routes. Every route is checked (capacity, windows, each customer once).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.routing.solomon_io import instance_paths, read_best_known, read_instance  # noqa: E402
from services.routing.adapters.ortools_vrptw import OrToolsVrpSolver, SearchSettings  # noqa: E402
from services.routing.domain.route_check import route_violations  # noqa: E402
from services.routing.domain.vrp import total_distance  # noqa: E402


def make_engine(name: str, settings: SearchSettings):
    if name == "ortools":
        return OrToolsVrpSolver(settings)
    if name == "pyvrp":
        from services.routing.adapters.pyvrp_vrptw import PyVrpSolver

        return PyVrpSolver(settings)
    raise SystemExit(f"unknown engine {name!r}; expected ortools or pyvrp")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--time-limit", type=float, default=10.0, help="seconds per instance")
    parser.add_argument("--instances", nargs="*", help="names such as R101 (default: all 29)")
    parser.add_argument("--engines", default="ortools,pyvrp")
    parser.add_argument(
        "--workers", type=int, default=2, help="OR-Tools searches side by side, one process each"
    )
    parser.add_argument(
        "--travel-time-callback",
        action="store_true",
        help="OR-Tools: travel time as a Python callback over a table instead of a registered "
        "matrix (faster search on OR-Tools 9.15; the service's default is the matrix)",
    )
    args = parser.parse_args(argv)

    best_known = read_best_known()
    engines = [e.strip() for e in args.engines.split(",") if e.strip()]
    solvers = {}
    for name in engines:
        workers = args.workers if name == "ortools" else 1
        settings = SearchSettings(
            time_limit_seconds=args.time_limit,
            workers=workers,
            travel_time_callback=args.travel_time_callback,
        )
        try:
            solvers[name] = make_engine(name, settings)
        except ImportError:
            print(f"{name}: not installed (pip install -c requirements/constraints.txt {name})")
    cores = {name: (args.workers if name == "ortools" else 1) for name in solvers}
    print(
        f"machine: {os.cpu_count()} cores, load average {_load()}; "
        + ", ".join(f"{name} uses {cores[name]} core(s)" for name in solvers)
        + f", {args.time_limit:g} s wall clock per instance; OR-Tools travel time "
        + ("as a Python callback" if args.travel_time_callback else "as a registered matrix"),
        flush=True,
    )
    results: dict[str, dict[str, float]] = {name: {} for name in solvers}
    # CPU seconds this process got: on a shared machine less than the wall-clock limit;
    # with workers > 1 the searches run in child processes, not counted here.
    cpu: dict[str, list[float]] = {name: [] for name in solvers}
    header = f"{'instance':9} {'bks':>9}"
    for name in solvers:
        header += f" | {name + ' dist':>13} {'veh':>3} {'gap%':>6} {'bad':>3} {'s':>5}"
    if {"ortools", "pyvrp"} <= solvers.keys():
        header += " | ours/pyvrp"
    print(header, flush=True)
    failures = 0
    for path in instance_paths(args.instances):
        instance = read_instance(path)
        reference = float(best_known[instance.name]["bks_distance"])
        line = f"{instance.name:9} {reference:9.2f}"
        for name, solver in solvers.items():
            began, cpu_began = time.monotonic(), time.process_time()
            solution = solver.solve(instance.problem)
            elapsed = time.monotonic() - began
            cpu[name].append(time.process_time() - cpu_began)
            violations = route_violations(instance.problem, solution)
            unserved = len(solution.dropped)
            failures += bool(violations) + bool(unserved)
            distance = total_distance(instance.problem, solution)
            gap = 100.0 * (distance - reference) / reference
            results[name][instance.name] = distance
            bad = len(violations) + unserved
            line += (
                f" | {distance:13.2f} {len(solution.used_routes()):3d} {gap:6.2f} {bad:3d}"
                f" {elapsed:5.1f}"
            )
        if {"ortools", "pyvrp"} <= solvers.keys():
            line += f" | {results['ortools'][instance.name] / results['pyvrp'][instance.name]:.4f}"
        print(line, flush=True)
    for solver in solvers.values():
        solver.close()

    print()
    for name, distances in results.items():
        gaps = [
            100.0
            * (d - float(best_known[i]["bks_distance"]))
            / float(best_known[i]["bks_distance"])
            for i, d in distances.items()
        ]
        if gaps:
            in_process = ""
            if cores[name] == 1:
                in_process = f", mean CPU {statistics.mean(cpu[name]):.1f} s"
            print(
                f"{name}: {len(gaps)} instances, mean gap {statistics.mean(gaps):.2f}%, "
                f"worst gap {max(gaps):.2f}%, time limit {args.time_limit:g} s, "
                f"{cores[name]} core(s){in_process}"
            )
    print(f"load average after the run: {_load()}")
    print(f"routes failing the checker or customers unserved: {failures}")
    return 1 if failures else 0


def _load() -> str:
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "unknown"


if __name__ == "__main__":
    sys.exit(main())
