"""A starting plan for the optimiser by diving on the LP relaxation (GLOP).

The relaxation of the allocation model is close to a transportation problem: most of
its values are 0 or 1 already. The LP is built once; each round re-solves it (GLOP
starts from the previous basis, only bounds changed), fixes the lines it is surest
of by raising their arc's lower bound to 1, and goes on with the rest. What is left
after the last round follows the last LP's preferences where stock and room allow.
The first round's optimum is the LP relaxation's: a proven lower bound on the cost
of any plan.

Large waves use ``lp_bound`` instead: the same relaxation built in bulk from arrays and
solved once by PDLP, whose duals give a proven bound and whose values guide a plan
(``lp_rounding``).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, replace

import numpy as np
from ortools.linear_solver import pywraplp
from ortools.linear_solver.python import model_builder_helper

from ..service_layer.problem import AllocationProblem
from ..service_layer.solution import (
    UNSERVED,
    always_servable,
    arc_stock_rows,
    binding_rows,
    line_arc_ranges,
)
from .stock_cuts import Cuts, StockRows, violated_cuts

SURE = 0.99


@dataclass(frozen=True)
class DiveResult:
    choice: np.ndarray  # one arc per line (-1: unserved), always feasible
    # The optimum of the full LP relaxation: a proven lower bound on any plan's cost
    # (None when the first LP did not finish in time).
    lp_bound: float | None
    # That LP's value of each arc (empty when it did not finish in time).
    lp_values: np.ndarray


def lp_dive(
    problem: AllocationProblem, time_limit_seconds: float, max_rounds: int = 2
) -> DiveResult:
    deadline = time.perf_counter() + time_limit_seconds
    stock = problem.stock.copy()
    capacity = problem.capacity.copy()
    opened = np.zeros(len(problem.cand_order), dtype=bool)
    choice = np.full(problem.n_lines, UNSERVED, dtype=np.int64)
    starts = line_arc_ranges(problem)
    open_lines = np.flatnonzero(np.diff(starts) > 0)
    # Lines without any arc are unserved in every plan: their penalty belongs in the bound.
    fixed_cost = float((problem.n_lines - len(open_lines)) * problem.weights.unserved_line_m)
    lp_bound: float | None = None
    lp = _Relaxation(problem) if len(open_lines) else None
    values = np.zeros(len(problem.arc_line))
    first_values = np.zeros(0)
    for round_no in range(max_rounds):
        if lp is None or len(open_lines) == 0 or time.perf_counter() >= deadline:
            break
        objective = lp.solve(deadline)
        if objective is None:
            break
        if round_no == 0:
            lp_bound = objective + fixed_cost
        values = lp.values()
        if round_no == 0:
            first_values = values
        best_arc, best_val = best_arcs(problem, values, open_lines, starts)
        # Lines the LP is sure of; when none is, the most confident tenth, so each round
        # makes progress and the next LP adapts to what was fixed.
        threshold = SURE if best_val.max(initial=0.0) >= SURE else np.quantile(best_val, 0.9)
        fixed_any = False
        for i in np.argsort(-best_val, kind="stable").tolist():
            if best_val[i] < threshold:
                break
            line, arc = int(open_lines[i]), int(best_arc[i])
            if _take(problem, line, arc, stock, capacity, opened):
                choice[line] = arc
                lp.fix(arc)
                fixed_any = True
        open_lines = open_lines[choice[open_lines] == UNSERVED]
        if not fixed_any:
            break
    _round_rest(problem, values, open_lines, starts, choice, stock, capacity, opened)
    return DiveResult(choice, lp_bound, first_values)


def lp_rounding(problem: AllocationProblem, values: np.ndarray) -> np.ndarray:
    """A feasible plan following LP values per arc (approximate ones will do)."""
    starts = line_arc_ranges(problem)
    choice = np.full(problem.n_lines, UNSERVED, dtype=np.int64)
    _round_rest(
        problem,
        values,
        np.flatnonzero(np.diff(starts) > 0),
        starts,
        choice,
        problem.stock.copy(),
        problem.capacity.copy(),
        np.zeros(len(problem.cand_order), dtype=bool),
    )
    return choice


def _round_rest(
    problem: AllocationProblem,
    values: np.ndarray,
    open_lines: np.ndarray,
    starts: np.ndarray,
    choice: np.ndarray,
    stock: np.ndarray,
    capacity: np.ndarray,
    opened: np.ndarray,
) -> None:
    """Serve the open lines, most confident first: the arc the LP liked best that
    still has stock and room, then parcels already open, then the nearest."""
    if len(open_lines):
        _, confidence = best_arcs(problem, values, open_lines, starts)
        open_lines = open_lines[np.argsort(-confidence, kind="stable")]
    for line in open_lines.tolist():
        arcs = range(int(starts[line]), int(starts[line + 1]))
        for a in sorted(
            arcs, key=lambda a: (-round(values[a], 6), not opened[problem.arc_cand[a]], a)
        ):
            if _take(problem, line, a, stock, capacity, opened):
                choice[line] = a
                break


def best_arcs(
    problem: AllocationProblem, values: np.ndarray, lines: np.ndarray, starts: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Per line, its arc with the highest LP value and that value."""
    lo = starts[lines]
    counts = starts[lines + 1] - lo
    idx = np.repeat(lo, counts) + (
        np.arange(counts.sum()) - np.repeat(np.cumsum(counts) - counts, counts)
    )
    vals = values[idx]
    group = np.repeat(np.arange(len(lines)), counts)
    # Highest value per group: sort by (group, -value) and take each group's first.
    order = np.lexsort((-vals, group))
    first = np.r_[0, np.cumsum(counts)[:-1]]
    return idx[order][first], vals[order][first]


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


class _Relaxation:
    """The allocation model with every variable in [0, 1], built once."""

    def __init__(self, problem: AllocationProblem) -> None:
        solver = pywraplp.Solver.CreateSolver("GLOP")
        # Dual simplex: faster here, and each round only tightens bounds, where a dual
        # simplex restarts from the previous basis.
        solver.SetSolverSpecificParametersAsString("use_dual_simplex: true")
        self.solver = solver
        infinity = solver.infinity()
        n_cand = len(problem.cand_order)
        self.opened = [solver.NumVar(0.0, 1.0, "") for _ in range(n_cand)]
        lines_per_order = np.diff(problem.order_line_start)
        single = (lines_per_order[problem.line_order[problem.arc_line]] == 1).tolist()
        arc_cand = problem.arc_cand.tolist()
        # An order of one line: its arc is its parcel, one variable for both.
        self.take = [
            self.opened[c] if s else solver.NumVar(0.0, 1.0, "")
            for c, s in zip(arc_cand, single, strict=True)
        ]
        for a, s in enumerate(single):
            if not s:
                row = solver.Constraint(-infinity, 0.0)
                row.SetCoefficient(self.take[a], 1.0)
                row.SetCoefficient(self.opened[arc_cand[a]], -1.0)
        objective = solver.Objective()
        starts = line_arc_ranges(problem).tolist()
        penalty = float(problem.weights.unserved_line_m)
        for line in range(problem.n_lines):
            if starts[line + 1] == starts[line]:
                continue
            row = solver.Constraint(1.0, 1.0)
            for a in range(starts[line], starts[line + 1]):
                row.SetCoefficient(self.take[a], 1.0)
            u = solver.NumVar(0.0, 1.0, "")
            row.SetCoefficient(u, 1.0)
            objective.SetCoefficient(u, penalty)
        n_skus = max(1, len(problem.skus))
        key = arc_stock_rows(problem)
        qty = problem.line_qty[problem.arc_line]
        for group, members in _groups(key):
            limit = int(problem.stock[group // n_skus, group % n_skus])
            if int(qty[members].sum()) > limit:
                row = solver.Constraint(-infinity, float(limit))
                for a in members.tolist():
                    row.SetCoefficient(self.take[a], float(qty[a]))
        for w, members in _groups(problem.cand_wh):
            if len(members) > problem.capacity[w]:
                row = solver.Constraint(-infinity, float(problem.capacity[w]))
                for c in members.tolist():
                    row.SetCoefficient(self.opened[c], 1.0)
        for c, cost in enumerate(problem.cand_cost.tolist()):
            objective.SetCoefficient(self.opened[c], float(cost))
        objective.SetMinimization()

    def solve(self, deadline: float) -> float | None:
        remaining_ms = int((deadline - time.perf_counter()) * 1000)
        if remaining_ms <= 0:
            return None
        self.solver.SetTimeLimit(min(remaining_ms, 3_600_000))
        if self.solver.Solve() != pywraplp.Solver.OPTIMAL:
            return None
        return self.solver.Objective().Value()

    def values(self) -> np.ndarray:
        return np.array([t.solution_value() for t in self.take], dtype=float)

    def fix(self, arc: int) -> None:
        self.take[arc].SetLb(1.0)


def _groups(keys: np.ndarray) -> list[tuple[int, np.ndarray]]:
    if len(keys) == 0:
        return []
    order = np.argsort(keys, kind="stable")
    k = keys[order]
    bounds = np.flatnonzero(np.r_[True, k[1:] != k[:-1], True]).tolist()
    return [(int(k[lo]), order[lo:hi]) for lo, hi in zip(bounds[:-1], bounds[1:], strict=True)]


@dataclass(frozen=True)
class LpBound:
    bound: float  # proven lower bound on the cost of any plan
    arc_values: np.ndarray  # the LP's (approximate) value of each arc, to guide a plan
    cut_round: int = 0  # the round of cuts that gave the bound (0: the plain LP)
    cuts: int = 0  # cuts in that round's LP


def lp_bound(
    problem: AllocationProblem,
    time_limit_seconds: float,
    solver: str = "pdlp",
    cut_rounds: int = 0,
) -> LpBound | None:
    """A proven lower bound on the cost of any plan, from the LP relaxation.

    For large waves: the LP is built in bulk and solved by PDLP (a first-order method
    that scales where the simplex of ``lp_dive`` does not finish in time). PDLP's
    answer is only approximately optimal, so the bound is not its objective but the
    Lagrangian value of its duals (``_dual_bound``), which is valid for any duals.
    None when the solver returns no duals in time.

    With ``cut_rounds``, each round adds the stock rows' cover and rounding cuts the
    last LP point violates (``stock_cuts``) and solves again, within the same time;
    the best bound of any round is kept (each is proven: the cuts hold for every plan).
    The first round gets half the time, as later ones only move the point a little.
    """
    deadline = time.perf_counter() + time_limit_seconds
    base = _SparseLp.of(problem)
    rows = StockRows.of(problem) if cut_rounds else None
    cuts, seen = Cuts.empty(), set()
    best: LpBound | None = None
    for round_no in range(cut_rounds + 1):
        remaining = deadline - time.perf_counter()
        if remaining <= 0:
            break
        lp = base.with_cuts(cuts)
        rounds_left = cut_rounds + 1 - round_no
        share = 0.5 if round_no == 0 and rounds_left > 1 else 1.0 / rounds_left
        solved = _solve_lp(lp, solver, remaining * share)
        if solved is None:
            break
        duals, values = solved
        bound = _dual_bound(lp, duals) + lp.constant
        arc_values = values[lp.arc_var] if len(values) == len(lp.cost) else np.zeros(0)
        if best is None or bound > best.bound:
            best = LpBound(bound, arc_values, round_no, len(cuts))
        if rows is None or len(arc_values) == 0:
            break
        found = violated_cuts(rows, arc_values, seen)
        if len(found) == 0:
            break
        cuts = cuts.plus(found)
    return best


def _solve_lp(lp: _SparseLp, solver: str, seconds: float) -> tuple[np.ndarray, np.ndarray] | None:
    """Duals and values of the LP, or None when the solver gives no duals in time."""
    deadline = time.perf_counter() + seconds
    model = model_builder_helper.ModelBuilderHelper()
    n_vars = len(lp.cost)
    model.add_var_array_with_bounds(
        np.zeros(n_vars), np.ones(n_vars), np.zeros(n_vars, dtype=bool), ""
    )
    for j, c in enumerate(lp.cost.tolist()):
        if c:
            model.set_var_objective_coefficient(j, c)
    for lo, hi in zip(lp.row_lo.tolist(), lp.row_hi.tolist(), strict=True):
        row = model.add_linear_constraint()
        model.set_constraint_lower_bound(row, lo)
        model.set_constraint_upper_bound(row, hi)
    for i, j, a in zip(lp.rows.tolist(), lp.cols.tolist(), lp.vals.tolist(), strict=True):
        model.set_constraint_coefficient(i, j, a)
    remaining = deadline - time.perf_counter()
    if remaining <= 0:
        return None
    lp_solver = model_builder_helper.ModelSolverHelper(solver)
    lp_solver.set_time_limit_in_seconds(remaining)
    lp_solver.solve(model)
    if not lp_solver.has_response() or len(lp_solver.dual_values()) != len(lp.row_lo):
        return None
    duals = np.asarray(lp_solver.dual_values(), dtype=float)
    return duals, np.asarray(lp_solver.variable_values(), dtype=float)


@dataclass(frozen=True)
class _SparseLp:
    """min cost.x subject to row_lo <= A x <= row_hi, 0 <= x <= 1; A in coordinates."""

    cost: np.ndarray
    rows: np.ndarray
    cols: np.ndarray
    vals: np.ndarray
    row_lo: np.ndarray
    row_hi: np.ndarray
    constant: float  # the penalties of lines that no warehouse can serve
    arc_var: np.ndarray  # the variable of each arc

    @classmethod
    def of(cls, problem: AllocationProblem) -> _SparseLp:
        n_cand = len(problem.cand_order)
        lines_per_order = np.diff(problem.order_line_start)
        single = lines_per_order[problem.line_order[problem.arc_line]] == 1
        # Variables: one per candidate parcel, then one per arc of a multi-line order
        # (an arc of a one-line order is its parcel), then unserved options.
        arc_var = problem.arc_cand.copy()
        multi = np.flatnonzero(~single)
        arc_var[multi] = n_cand + np.arange(len(multi))
        starts = line_arc_ranges(problem)
        has_arcs = np.diff(starts) > 0
        lines = np.flatnonzero(has_arcs)
        with_u = lines[~always_servable(problem)[lines]]
        first_u = n_cand + len(multi)
        n_vars = first_u + len(with_u)
        penalty = float(problem.weights.unserved_line_m)
        cost = np.zeros(n_vars)
        cost[:n_cand] = problem.cand_cost
        cost[first_u:] = penalty

        rows, cols, vals, lo, hi = [], [], [], [], []
        # Each line with arcs: one arc or unserved.
        line_row = np.full(problem.n_lines, -1, dtype=np.int64)
        line_row[lines] = np.arange(len(lines))
        rows += [line_row[problem.arc_line], line_row[with_u]]
        cols += [arc_var, first_u + np.arange(len(with_u))]
        vals += [np.ones(len(arc_var)), np.ones(len(with_u))]
        lo.append(np.ones(len(lines)))
        hi.append(np.ones(len(lines)))
        n_rows = len(lines)
        # A line rides only in an open parcel: take[a] - open[c] <= 0.
        link = n_rows + np.arange(len(multi))
        rows += [link, link]
        cols += [arc_var[multi], problem.arc_cand[multi]]
        vals += [np.ones(len(multi)), -np.ones(len(multi))]
        lo.append(np.full(len(multi), -np.inf))
        hi.append(np.zeros(len(multi)))
        n_rows += len(multi)
        # Stock and capacity rows that can bind.
        stock_binds, capacity_binds = binding_rows(problem)
        key = arc_stock_rows(problem)
        bound_keys, stock_row = np.unique(key[stock_binds], return_inverse=True)
        rows.append(n_rows + stock_row)
        cols.append(arc_var[stock_binds])
        vals.append(problem.line_qty[problem.arc_line[stock_binds]].astype(float))
        lo.append(np.full(len(bound_keys), -np.inf))
        hi.append(problem.stock.reshape(-1)[bound_keys].astype(float))
        n_rows += len(bound_keys)
        cands = np.flatnonzero(capacity_binds)
        whs, cap_row = np.unique(problem.cand_wh[cands], return_inverse=True)
        rows.append(n_rows + cap_row)
        cols.append(cands)
        vals.append(np.ones(len(cands)))
        lo.append(np.full(len(whs), -np.inf))
        hi.append(problem.capacity[whs].astype(float))
        return cls(
            cost,
            np.concatenate(rows).astype(np.int64),
            np.concatenate(cols).astype(np.int64),
            np.concatenate(vals),
            np.concatenate(lo),
            np.concatenate(hi),
            float((problem.n_lines - len(lines)) * penalty),
            arc_var,
        )

    def with_cuts(self, cuts: Cuts) -> _SparseLp:
        """The same LP with the cuts' rows (on the arcs' variables) added."""
        if len(cuts) == 0:
            return self
        first = len(self.row_lo)
        return replace(
            self,
            rows=np.r_[self.rows, first + cuts.cut].astype(np.int64),
            cols=np.r_[self.cols, self.arc_var[cuts.arc]].astype(np.int64),
            vals=np.r_[self.vals, cuts.coef],
            row_lo=np.r_[self.row_lo, np.full(len(cuts), -np.inf)],
            row_hi=np.r_[self.row_hi, cuts.rhs],
        )


def _dual_bound(lp: _SparseLp, duals: np.ndarray) -> float:
    """Lagrangian bound of the LP for row prices ``duals``: valid for any prices.

    For prices y, every x with 0 <= x <= 1 and row_lo <= A x <= row_hi costs at least
    sum_i (y_i * row_lo_i if y_i > 0 else y_i * row_hi_i) + sum_j min(0, (c - A'y)_j).
    Prices pointing at an infinite side are set to 0 first.
    """
    y = np.where(np.isfinite(duals), duals, 0.0)
    y = np.where((y > 0) & ~np.isfinite(lp.row_lo), 0.0, y)
    y = np.where((y < 0) & ~np.isfinite(lp.row_hi), 0.0, y)
    side = np.where(y > 0, lp.row_lo, lp.row_hi)
    rows_part = float(np.sum(np.where(y != 0, y * side, 0.0)))
    reduced = lp.cost - np.bincount(lp.cols, weights=lp.vals * y[lp.rows], minlength=len(lp.cost))
    return rows_part + float(np.minimum(reduced, 0.0).sum())
