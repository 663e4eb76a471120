"""The common platforms' way: each order in turn from the nearest warehouse with stock.

Used as the baseline in benchmarks and as the starting plan (hint) for the optimiser.
An order goes whole to the best-tier, nearest warehouse that can ship all of it; when
none can, each line goes to the nearest warehouse that holds it.
"""

from __future__ import annotations

import numpy as np

from .problem import AllocationProblem
from .solution import UNSERVED, line_arc_ranges


def greedy_allocation(problem: AllocationProblem) -> np.ndarray:
    stock = problem.stock.copy()
    capacity = problem.capacity.copy()
    choice = np.full(problem.n_lines, UNSERVED, dtype=np.int64)
    arc_start = line_arc_ranges(problem).tolist()
    arc_cand = problem.arc_cand.tolist()
    # Candidates are sorted by (order, tier, distance): a lower id is nearer.
    cand_wh = problem.cand_wh.tolist()
    line_sku = problem.line_sku.tolist()
    line_qty = problem.line_qty.tolist()
    starts = problem.order_line_start.tolist()

    for o in range(problem.n_orders):
        lines = range(starts[o], starts[o + 1])
        # Arcs of each line by candidate, for the whole-order check.
        by_cand: dict[int, dict[int, int]] = {}
        for line in lines:
            for a in range(arc_start[line], arc_start[line + 1]):
                by_cand.setdefault(arc_cand[a], {})[line] = a
        whole = None
        for cand in sorted(by_cand):
            served = by_cand[cand]
            w = cand_wh[cand]
            if (
                len(served) == len(lines)
                and capacity[w] > 0
                and all(stock[w, line_sku[line]] >= line_qty[line] for line in lines)
            ):
                whole = cand
                break
        if whole is not None:
            w = cand_wh[whole]
            capacity[w] -= 1
            for line, a in by_cand[whole].items():
                stock[w, line_sku[line]] -= line_qty[line]
                choice[line] = a
            continue
        opened: set[int] = set()
        for line in lines:
            for a in range(arc_start[line], arc_start[line + 1]):
                cand = arc_cand[a]
                w = cand_wh[cand]
                if stock[w, line_sku[line]] < line_qty[line]:
                    continue
                if cand not in opened:
                    if capacity[w] <= 0:
                        continue
                    capacity[w] -= 1
                    opened.add(cand)
                stock[w, line_sku[line]] -= line_qty[line]
                choice[line] = a
                break
    return choice
