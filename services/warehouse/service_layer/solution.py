"""A solution is one chosen arc per line (or -1: unserved). Cost and feasibility of one."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..domain.allocation import PlanCost
from .problem import AllocationProblem

UNSERVED = -1


def line_arc_ranges(problem: AllocationProblem) -> np.ndarray:
    """Arcs are sorted by line: arcs of line l are [start[l], start[l+1])."""
    return np.searchsorted(problem.arc_line, np.arange(problem.n_lines + 1))


def opened_parcels(problem: AllocationProblem, choice: np.ndarray) -> np.ndarray:
    """Candidate ids of the parcels the solution opens, sorted."""
    served = choice[choice != UNSERVED]
    return np.unique(problem.arc_cand[served])


def evaluate(problem: AllocationProblem, choice: np.ndarray) -> PlanCost:
    parcels = opened_parcels(problem, choice)
    unserved = int(np.count_nonzero(choice == UNSERVED))
    orders_with_parcel = len(np.unique(problem.cand_order[parcels]))
    distance_m = int(np.rint(problem.cand_dist_km[parcels] * 1000).sum())
    tier_steps = int(problem.cand_tier[parcels].sum())
    w = problem.weights
    total = int(problem.cand_cost[parcels].sum()) + unserved * w.unserved_line_m
    return PlanCost(
        total=total,
        distance_m=distance_m,
        parcels=len(parcels),
        extra_parcels=len(parcels) - orders_with_parcel,
        tier_steps=tier_steps,
        unserved_lines=unserved,
    )


@dataclass(frozen=True)
class Usage:
    stock_used: np.ndarray  # (warehouses, skus)
    parcels_used: np.ndarray  # (warehouses,)


def usage(problem: AllocationProblem, choice: np.ndarray) -> Usage:
    served = np.flatnonzero(choice != UNSERVED)
    arcs = choice[served]
    stock_used = np.zeros_like(problem.stock)
    np.add.at(
        stock_used,
        (problem.cand_wh[problem.arc_cand[arcs]], problem.line_sku[served]),
        problem.line_qty[served],
    )
    parcels_used = np.bincount(
        problem.cand_wh[opened_parcels(problem, choice)], minlength=len(problem.warehouses)
    ).astype(np.int64)
    return Usage(stock_used, parcels_used)


def violations(problem: AllocationProblem, choice: np.ndarray) -> list[str]:
    """Every way the solution breaks the rules; empty when it is feasible."""
    faults: list[str] = []
    served = np.flatnonzero(choice != UNSERVED)
    if np.any(problem.arc_line[choice[served]] != served):
        faults.append("a line is served by an arc that belongs to another line")
    u = usage(problem, choice)
    for w, s in zip(*np.nonzero(u.stock_used > problem.stock), strict=True):
        faults.append(
            f"{problem.warehouses[w].warehouse_id} ships {u.stock_used[w, s]} of "
            f"{problem.skus[s]} but holds {problem.stock[w, s]}"
        )
    for w in np.flatnonzero(u.parcels_used > problem.capacity):
        faults.append(
            f"{problem.warehouses[w].warehouse_id} ships {u.parcels_used[w]} parcels, "
            f"capacity {problem.capacity[w]}"
        )
    return faults


def arc_stock_rows(problem: AllocationProblem) -> np.ndarray:
    """Per arc, the stock row it draws on: warehouse x SKU, an index into
    ``problem.stock.reshape(-1)``."""
    n_skus = max(1, len(problem.skus))
    return problem.cand_wh[problem.arc_cand] * n_skus + problem.line_sku[problem.arc_line]


def binding_rows(problem: AllocationProblem) -> tuple[np.ndarray, np.ndarray]:
    """Which stock and capacity limits could bind at all.

    Per arc: could the lines that may ship that SKU from that warehouse exceed its stock?
    Per candidate parcel: could the parcels that warehouse may ship exceed its capacity?
    Limits that cannot bind need no constraint."""
    key = arc_stock_rows(problem)
    demand = np.bincount(key, weights=problem.line_qty[problem.arc_line])
    stock = problem.stock.reshape(-1)
    stock_binds = demand[key] > stock[key]
    parcels = np.bincount(problem.cand_wh, minlength=len(problem.warehouses))
    capacity_binds = (parcels > problem.capacity)[problem.cand_wh]
    return stock_binds, capacity_binds


def always_servable(problem: AllocationProblem) -> np.ndarray:
    """Per line: it has an arc whose stock and capacity cannot run out and whose parcel
    costs less than leaving the line unserved. Every optimal plan serves such a line
    (moving it to that arc is feasible and cheaper), so models may leave out its
    unserved option without changing the optimum or weakening any bound."""
    stock_binds, capacity_binds = binding_rows(problem)
    free = ~stock_binds & ~capacity_binds[problem.arc_cand]
    free &= problem.cand_cost[problem.arc_cand] < problem.weights.unserved_line_m
    always = np.zeros(problem.n_lines, dtype=bool)
    always[problem.arc_line[free]] = True
    return always
