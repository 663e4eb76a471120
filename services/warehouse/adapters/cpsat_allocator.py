"""The allocation model in CP-SAT.

Variables: open[c] per candidate parcel (order, warehouse); take[a] per arc (line may
ship in parcel c); unserved[l] per line that could be left unserved (see
``always_servable``). For an order of one line an arc *is* its parcel, so take[a]
reuses open[c] and the model stays small. Constraints: each line
is taken once or left unserved; a line rides only in an open parcel; shipped units
never exceed stock; parcels never exceed a warehouse's remaining capacity. Stock and
capacity rows that cannot bind (all potential demand fits) are left out.
Objective: parcel costs (metres, tier steps, parcel penalty) plus unserved penalties.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from ortools.sat.python import cp_model

from ..domain.allocation import SolveReport, SolveStatus
from ..service_layer.problem import AllocationProblem
from ..service_layer.solution import (
    UNSERVED,
    always_servable,
    arc_stock_rows,
    evaluate,
    line_arc_ranges,
)


@dataclass(frozen=True)
class SolverOptions:
    time_limit_seconds: float = 10.0
    workers: int = 2
    relative_gap: float = 0.001
    seed: int = 0
    # Level 2 adds the LP relaxation with cuts to the search: on this model it is what
    # finds near-optimal plans and proves tight bounds.
    linearization_level: int = 2
    # A complete starting plan makes CP-SAT first walk that plan with its LP at every
    # node (seconds on 1,000 orders) before its own search; as an upper bound on the
    # objective it prunes without that walk. The plan stays the fallback either way.
    hint_as_bound: bool = True
    # Stop at the first plan found after the root LP (its bound stays valid): the
    # optimiser improves that plan faster in a smaller model than this search does.
    stop_at_first_solution: bool = False


def solve_allocation(
    problem: AllocationProblem,
    options: SolverOptions,
    hint: np.ndarray | None = None,
    fixed: np.ndarray | None = None,
) -> tuple[np.ndarray, SolveReport]:
    """Best plan found within the time limit, as one arc per line (-1: unserved).

    ``hint`` is a starting plan; ``fixed`` pins the lines where it is not -1 to the arc
    it names (the bound is then the bound of that restricted model).
    """
    started = time.perf_counter()
    model = cp_model.CpModel()
    n_cand = len(problem.cand_order)
    n_arcs = len(problem.arc_line)
    opened = [model.new_bool_var("") for _ in range(n_cand)]

    lines_per_order = np.diff(problem.order_line_start)
    single = lines_per_order[problem.line_order[problem.arc_line]] == 1
    single_l = single.tolist()
    arc_cand_l = problem.arc_cand.tolist()
    take = [
        opened[c] if s else model.new_bool_var("")
        for c, s in zip(arc_cand_l, single_l, strict=True)
    ]
    for a in np.flatnonzero(~single).tolist():
        model.add_implication(take[a], opened[arc_cand_l[a]])

    # Stock rows: arcs grouped by (warehouse, sku), only where demand could exceed stock.
    qty_of_arc = problem.line_qty[problem.arc_line]
    n_skus = max(1, len(problem.skus))
    key = arc_stock_rows(problem)
    _add_grouped_caps(
        model,
        take,
        key,
        qty_of_arc,
        lambda k: int(problem.stock[k // n_skus, k % n_skus]),
    )
    # Capacity rows: parcels grouped by warehouse.
    _add_grouped_caps(
        model,
        opened,
        problem.cand_wh,
        np.ones(n_cand, dtype=np.int64),
        lambda w: int(problem.capacity[w]),
    )

    arc_start = line_arc_ranges(problem).tolist()
    servable = np.flatnonzero(np.diff(line_arc_ranges(problem)) > 0).tolist()
    # A line with an arc whose stock and capacity can never run out is served in every
    # optimal plan (moving it there costs less than leaving it unserved), so it gets no
    # unserved variable: the objective then has no huge penalty terms, which is what
    # slows CP-SAT's LP down most on this model.
    always = always_servable(problem)
    unserved: dict[int, cp_model.IntVar] = {}
    for line in servable:
        arcs = take[arc_start[line] : arc_start[line + 1]]
        if always[line]:
            model.add_exactly_one(arcs)
            continue
        u = model.new_bool_var("")
        unserved[line] = u
        model.add_exactly_one([*arcs, u])

    penalty = problem.weights.unserved_line_m
    # Lines no warehouse can serve are unserved in every plan: their penalties are a
    # constant outside the model, added back to the objective and bound reported.
    offset = (problem.n_lines - len(servable)) * penalty
    objective_vars = opened + list(unserved.values())
    objective_coefs = problem.cand_cost.tolist() + [penalty] * len(unserved)
    model.minimize(cp_model.LinearExpr.weighted_sum(objective_vars, objective_coefs))

    if hint is not None and options.hint_as_bound:
        # Only strictly better plans are searched for; the hint is the fallback.
        hinted_cost = evaluate(problem, hint).total
        model.proto.objective.domain.extend([-(2**62), hinted_cost - offset - 1])
    elif hint is not None:
        hinted_open = np.zeros(n_cand, dtype=bool)
        chosen = hint[hint != UNSERVED]
        hinted_open[problem.arc_cand[chosen]] = True
        for c, v in enumerate(hinted_open.tolist()):
            model.add_hint(opened[c], v)
        taken = np.zeros(n_arcs, dtype=bool)
        taken[chosen] = True
        for a in np.flatnonzero(~single).tolist():
            model.add_hint(take[a], bool(taken[a]))
        for line, u in unserved.items():
            model.add_hint(u, bool(hint[line] == UNSERVED))

    if fixed is not None:
        for a in fixed[fixed != UNSERVED].tolist():
            model.add(take[a] == 1)

    build_seconds = time.perf_counter() - started
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = max(0.01, options.time_limit_seconds - build_seconds)
    solver.parameters.num_workers = options.workers
    solver.parameters.random_seed = options.seed
    solver.parameters.relative_gap_limit = options.relative_gap
    solver.parameters.linearization_level = options.linearization_level
    # Measured on the realistic benchmark: probing and symmetry detection cost more in
    # presolve than they save, and handing the LP every row at once reaches the root
    # bound in a fraction of the time of adding them lazily.
    solver.parameters.cp_model_probing_level = 0
    solver.parameters.symmetry_level = 0
    solver.parameters.add_lp_constraints_lazily = False
    status = solver.solve(model, _StopAtFirst() if options.stop_at_first_solution else None)
    wall = time.perf_counter() - started

    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        fallback = hint if hint is not None else np.full(problem.n_lines, UNSERVED, dtype=np.int64)
        cost = evaluate(problem, fallback).total
        if hint is not None and options.hint_as_bound and status == cp_model.INFEASIBLE:
            # Nothing strictly cheaper than the hint exists: the hint is optimal.
            return fallback, SolveReport(SolveStatus.OPTIMAL, cost, cost, wall, build_seconds)
        bound = 0
        if hint is not None and options.hint_as_bound:
            # The bound CP-SAT proved holds for the plans it searched, all cheaper than
            # the hint; the hint itself is a plan too.
            bound = min(cost, int(np.ceil(solver.best_objective_bound - 1e-6)) + offset)
        status_out = SolveStatus.FEASIBLE if bound > 0 else SolveStatus.GREEDY
        return fallback, SolveReport(status_out, cost, max(bound, 0), wall, build_seconds)

    taken_values = np.array([solver.boolean_value(t) for t in take], dtype=bool)
    choice = np.full(problem.n_lines, UNSERVED, dtype=np.int64)
    chosen_arcs = np.flatnonzero(taken_values)
    choice[problem.arc_line[chosen_arcs]] = chosen_arcs
    objective = int(round(solver.objective_value)) + offset
    bound = int(np.ceil(solver.best_objective_bound - 1e-6)) + offset
    proven = status == cp_model.OPTIMAL and objective == bound
    report = SolveReport(
        SolveStatus.OPTIMAL if proven else SolveStatus.FEASIBLE,
        objective,
        min(bound, objective),
        wall,
        build_seconds,
    )
    return choice, report


class _StopAtFirst(cp_model.CpSolverSolutionCallback):
    def on_solution_callback(self) -> None:
        self.stop_search()


def _add_grouped_caps(
    model: cp_model.CpModel,
    variables: list,
    group: np.ndarray,
    weight: np.ndarray,
    limit_of: Callable[[int], int],
) -> None:
    """sum(weight * var) <= limit per group, for groups whose total weight exceeds the limit."""
    if len(group) == 0:
        return
    order = np.argsort(group, kind="stable")
    g = group[order]
    bounds = np.flatnonzero(np.r_[True, g[1:] != g[:-1], True])
    totals = np.add.reduceat(weight[order], bounds[:-1])
    for i, (lo, hi) in enumerate(zip(bounds[:-1].tolist(), bounds[1:].tolist(), strict=True)):
        limit = limit_of(int(g[lo]))
        if totals[i] <= limit:
            continue
        idx = order[lo:hi].tolist()
        model.add(
            cp_model.LinearExpr.weighted_sum(
                [variables[j] for j in idx], weight[order[lo:hi]].tolist()
            )
            <= limit
        )
