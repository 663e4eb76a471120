"""Textbook benchmark: every OR-Library GAP and CFLP instance in ../shared/data/.

    python benchmarks/warehouse_textbook.py [--time-limit 10] [--workers 1] [--only gap1]

Prints, per instance, the objective found, the published optimum, the gap between
them, whether the solver proved optimality, and the time (model building included).
Timings on a shared machine vary; run it more than once before drawing conclusions.
"""

from __future__ import annotations

import argparse
import csv
import math
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.warehouse.textbook import (  # noqa: E402
    read_cflp,
    read_gap,
    solve_cflp_multi_source,
    solve_cflp_single_source,
    solve_gap,
)

DATA = Path(__file__).resolve().parent.parent.parent / "shared" / "data"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--time-limit", type=float, default=10.0)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--only", default="", help="run instances whose name starts with this")
    args = parser.parse_args()

    print(f"{'instance':<10} {'found':>14} {'optimum':>14} {'diff %':>8} {'proved':>6} {'s':>7}")
    with (DATA / "gap" / "gap_minimisation_values.csv").open() as f:
        gap_rows = list(csv.DictReader(f))
    small_ok, small_total = 0, 0
    for row in gap_rows:
        name = row["instance"]
        if not name.startswith(args.only):
            continue
        result = solve_gap(
            read_gap(DATA / "gap" / "instances" / name), args.time_limit, args.workers
        )
        optimum = float(row["optimum"] or row["best_known"])
        _line(name, result, optimum)
        if name.startswith("gap"):
            small_total += 1
            small_ok += result.objective == optimum and result.seconds < 2.0
    if small_total:
        print(f"gap1-gap8 at their optimum in under 2 s: {small_ok} of {small_total}")

    with (DATA / "cflp" / "cflp_optima.csv").open() as f:
        cflp_rows = list(csv.DictReader(f))
    for row in cflp_rows:
        name = row["file"]
        label = f"{name}/{row['orlib_name']}"
        if not (name.startswith(args.only) or row["orlib_name"].startswith(args.only)):
            continue
        inst = read_cflp(DATA / "cflp" / "instances" / name)
        single = solve_cflp_single_source(inst, args.time_limit, args.workers)
        _line(f"{label} ss", single, float(row["single_source_optimum"]))
        multi = solve_cflp_multi_source(inst, args.time_limit)
        _line(f"{label} ms", multi, float(row["multi_source_optimum"]))
    return 0


def _line(name: str, result, optimum: float) -> None:
    diff = (
        (result.objective - optimum) / optimum * 100
        if not math.isnan(result.objective)
        else math.nan
    )
    print(
        f"{name:<10} {result.objective:>14.2f} {optimum:>14.2f} {diff:>8.3f} "
        f"{'yes' if result.optimal else 'no':>6} {result.seconds:>7.2f}",
        flush=True,
    )


if __name__ == "__main__":
    sys.exit(main())
