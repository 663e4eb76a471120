"""A starting plan for the optimiser by diving on the LP relaxation (GLOP).

The relaxation of the allocation model is close to a transportation problem: most of
its values are 0 or 1 already. Each round solves the LP over the lines still open,
fixes the lines the LP is surest of, and re-solves the rest with the stock, capacity
and parcels those fixings used; parcels already opened cost nothing more to fill.
What is left at the end goes to the nearest warehouse with stock. CP-SAT's LP-guided
search finds much better plans from this start than from the greedy one.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np
from ortools.linear_solver import pywraplp

from ..service_layer.problem import AllocationProblem
from ..service_layer.solution import UNSERVED, line_arc_ranges

SURE = 0.99


@dataclass(frozen=True)
class DiveResult:
    choice: np.ndarray  # one arc per line (-1: unserved), always feasible
    # The optimum of the full LP relaxation: a proven lower bound on any plan's cost
    # (None when the first LP did not finish).
    lp_bound: float | None


def lp_dive(
    problem: AllocationProblem, time_limit_seconds: float, max_rounds: int = 12
) -> DiveResult:
    deadline = time.perf_counter() + time_limit_seconds
    stock = problem.stock.copy()
    capacity = problem.capacity.copy()
    opened = np.zeros(len(problem.cand_order), dtype=bool)
    choice = np.full(problem.n_lines, UNSERVED, dtype=np.int64)
    starts = line_arc_ranges(problem)
    open_lines = np.flatnonzero(np.diff(starts) > 0)
    # Lines without any arc are unserved in every plan: their penalty belongs in the bound.
    fixed_cost = float((len(starts) - 1 - len(open_lines)) * problem.weights.unserved_line_m)
    lp_bound: float | None = None
    for round_no in range(max_rounds):
        if len(open_lines) == 0 or time.perf_counter() >= deadline:
            break
        solved = _solve_lp(problem, open_lines, stock, capacity, opened, deadline)
        if solved is None:
            break
        values, objective = solved
        if round_no == 0:
            lp_bound = objective + fixed_cost
        best_vals = np.array([max(vals) if vals else 0.0 for _, vals in values])
        # Lines the LP is sure of; when none is, the most confident tenth, so each round
        # makes progress and the next LP adapts to what was fixed.
        threshold = SURE if best_vals.max(initial=0.0) >= SURE else np.quantile(best_vals, 0.9)
        fixed_any = False
        for i in np.argsort(-best_vals, kind="stable").tolist():
            arcs, vals = values[i]
            if not arcs or best_vals[i] < threshold:
                continue
            best = int(np.argmax(vals))
            line = int(open_lines[i])
            if _take(problem, line, arcs[best], stock, capacity, opened):
                choice[line] = arcs[best]
                fixed_any = True
        open_lines = open_lines[choice[open_lines] == UNSERVED]
        if not fixed_any:
            break
    # Whatever is left: nearest arc with stock and room, preferring parcels already open.
    for line in open_lines.tolist():
        arcs = range(int(starts[line]), int(starts[line + 1]))
        for a in sorted(arcs, key=lambda a: (not opened[problem.arc_cand[a]], a)):
            if _take(problem, line, a, stock, capacity, opened):
                choice[line] = a
                break
    return DiveResult(choice, lp_bound)


def _take(
    problem: AllocationProblem,
    line: int,
    arc: int,
    stock: np.ndarray,
    capacity: np.ndarray,
    opened: np.ndarray,
) -> bool:
    c = problem.arc_cand[arc]
    w, s, q = problem.cand_wh[c], problem.line_sku[line], problem.line_qty[line]
    if stock[w, s] < q or (not opened[c] and capacity[w] <= 0):
        return False
    if not opened[c]:
        opened[c] = True
        capacity[w] -= 1
    stock[w, s] -= q
    return True


def _solve_lp(
    problem: AllocationProblem,
    lines: np.ndarray,
    stock: np.ndarray,
    capacity: np.ndarray,
    opened: np.ndarray,
    deadline: float,
) -> tuple[list[tuple[list[int], list[float]]], float] | None:
    """Per line, its arcs and their LP values (over the given lines only); the LP optimum."""
    solver = pywraplp.Solver.CreateSolver("GLOP")
    if solver is None:
        return None
    starts = line_arc_ranges(problem)
    arc_lists = [list(range(int(starts[line]), int(starts[line + 1]))) for line in lines.tolist()]
    arcs = np.array([a for lst in arc_lists for a in lst], dtype=np.int64)
    cands = np.unique(problem.arc_cand[arcs])
    infinity = solver.infinity()
    open_var = {c: solver.NumVar(0.0, 1.0, "") for c in cands.tolist()}
    take = {a: solver.NumVar(0.0, 1.0, "") for a in arcs.tolist()}
    objective = solver.Objective()
    for a in arcs.tolist():
        c = int(problem.arc_cand[a])
        if not opened[c]:
            row = solver.Constraint(-infinity, 0.0)
            row.SetCoefficient(take[a], 1.0)
            row.SetCoefficient(open_var[c], -1.0)
    for lst in arc_lists:
        row = solver.Constraint(1.0, 1.0)
        for a in lst:
            row.SetCoefficient(take[a], 1.0)
        u = solver.NumVar(0.0, 1.0, "")
        row.SetCoefficient(u, 1.0)
        objective.SetCoefficient(u, float(problem.weights.unserved_line_m))
    n_skus = max(1, len(problem.skus))
    arc_wh = problem.cand_wh[problem.arc_cand[arcs]]
    arc_sku = problem.line_sku[problem.arc_line[arcs]]
    arc_qty = problem.line_qty[problem.arc_line[arcs]]
    for key, members in _groups(arc_wh * n_skus + arc_sku):
        limit = int(stock[key // n_skus, key % n_skus])
        if int(arc_qty[members].sum()) > limit:
            row = solver.Constraint(-infinity, float(limit))
            for i in members.tolist():
                row.SetCoefficient(take[int(arcs[i])], float(arc_qty[i]))
    new = cands[~opened[cands]]
    for w, members in _groups(problem.cand_wh[new]):
        if len(members) > capacity[w]:
            row = solver.Constraint(-infinity, float(capacity[w]))
            for i in members.tolist():
                row.SetCoefficient(open_var[int(new[i])], 1.0)
    for c in new.tolist():
        objective.SetCoefficient(open_var[c], float(problem.cand_cost[c]))
    objective.SetMinimization()
    remaining_ms = int((deadline - time.perf_counter()) * 1000)
    solver.SetTimeLimit(max(1, min(remaining_ms, 3_600_000)))
    if solver.Solve() != pywraplp.Solver.OPTIMAL:
        return None
    values = [(lst, [take[a].solution_value() for a in lst]) for lst in arc_lists]
    return values, objective.Value()


def _groups(keys: np.ndarray) -> list[tuple[int, np.ndarray]]:
    if len(keys) == 0:
        return []
    order = np.argsort(keys, kind="stable")
    k = keys[order]
    bounds = np.flatnonzero(np.r_[True, k[1:] != k[:-1], True]).tolist()
    return [(int(k[lo]), order[lo:hi]) for lo, hi in zip(bounds[:-1], bounds[1:], strict=True)]
