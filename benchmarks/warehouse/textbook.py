"""OR-Library generalized assignment (GAP) and capacitated facility location (CFLP).

Parsers for the formats described in ../shared/data/README.md and the models that
solve them: GAP and single-source CFLP in CP-SAT (integer costs; CFLP costs are
scaled to thousandths so the decimals of the published optima survive), and
multi-source CFLP, whose flows are fractional, through OR-Tools' MIP interface.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

from ortools.linear_solver import pywraplp
from ortools.sat.python import cp_model

from services.warehouse.adapters.cpsat_allocator import SolverOptions

CFLP_SCALE = 1000


@dataclass(frozen=True)
class Gap:
    costs: list[list[int]]  # [agent][item]
    weights: list[list[int]]
    capacities: list[int]


@dataclass(frozen=True)
class Cflp:
    capacities: list[float]
    fixed_costs: list[float]
    demands: list[float]
    costs: list[list[float]]  # [facility][customer]: serving all of the customer's demand


@dataclass(frozen=True)
class Result:
    objective: float
    bound: float
    optimal: bool
    seconds: float


def _numbers(path: Path) -> list[str]:
    return path.read_text().split()


def read_gap(path: Path) -> Gap:
    tokens = iter(_numbers(path))
    m, n = int(next(tokens)), int(next(tokens))
    costs = [[int(next(tokens)) for _ in range(n)] for _ in range(m)]
    weights = [[int(next(tokens)) for _ in range(n)] for _ in range(m)]
    capacities = [int(next(tokens)) for _ in range(m)]
    return Gap(costs, weights, capacities)


def read_cflp(path: Path) -> Cflp:
    tokens = iter(_numbers(path))
    m, n = int(next(tokens)), int(next(tokens))
    caps, fixed = [], []
    for _ in range(m):
        caps.append(float(next(tokens)))
        fixed.append(float(next(tokens)))
    demands = [float(next(tokens)) for _ in range(n)]
    costs = [[float(next(tokens)) for _ in range(n)] for _ in range(m)]
    return Cflp(caps, fixed, demands, costs)


def solve_gap(gap: Gap, time_limit: float, workers: int = 1) -> Result:
    started = time.perf_counter()
    m, n = len(gap.capacities), len(gap.costs[0])
    model = cp_model.CpModel()
    x = [[model.new_bool_var("") for _ in range(n)] for _ in range(m)]
    for j in range(n):
        model.add_exactly_one(x[i][j] for i in range(m))
    for i in range(m):
        model.add(cp_model.LinearExpr.weighted_sum(x[i], gap.weights[i]) <= gap.capacities[i])
    model.minimize(sum(cp_model.LinearExpr.weighted_sum(x[i], gap.costs[i]) for i in range(m)))
    return _solve_cp(model, time_limit, workers, started, scale=1)


def solve_cflp_single_source(inst: Cflp, time_limit: float, workers: int = 1) -> Result:
    started = time.perf_counter()
    m, n = len(inst.capacities), len(inst.demands)
    model = cp_model.CpModel()
    y = [model.new_bool_var("") for _ in range(m)]
    x = [[model.new_bool_var("") for _ in range(n)] for _ in range(m)]
    for j in range(n):
        model.add_exactly_one(x[i][j] for i in range(m))
    demands = [round(d) for d in inst.demands]
    for i in range(m):
        model.add(
            cp_model.LinearExpr.weighted_sum(x[i], demands) <= round(inst.capacities[i]) * y[i]
        )
        for j in range(n):
            model.add_implication(x[i][j], y[i])
    model.minimize(
        cp_model.LinearExpr.weighted_sum(y, [round(f * CFLP_SCALE) for f in inst.fixed_costs])
        + sum(
            cp_model.LinearExpr.weighted_sum(x[i], [round(c * CFLP_SCALE) for c in inst.costs[i]])
            for i in range(m)
        )
    )
    return _solve_cp(model, time_limit, workers, started, scale=CFLP_SCALE)


def solve_cflp_multi_source(inst: Cflp, time_limit: float) -> Result:
    started = time.perf_counter()
    m, n = len(inst.capacities), len(inst.demands)
    solver = pywraplp.Solver.CreateSolver("SCIP")
    y = [solver.BoolVar("") for _ in range(m)]
    x = [[solver.NumVar(0.0, 1.0, "") for _ in range(n)] for _ in range(m)]
    for j in range(n):
        solver.Add(sum(x[i][j] for i in range(m)) == 1)
    for i in range(m):
        solver.Add(sum(inst.demands[j] * x[i][j] for j in range(n)) <= inst.capacities[i] * y[i])
        for j in range(n):
            solver.Add(x[i][j] <= y[i])
    solver.Minimize(
        sum(inst.fixed_costs[i] * y[i] for i in range(m))
        + sum(inst.costs[i][j] * x[i][j] for i in range(m) for j in range(n))
    )
    solver.SetTimeLimit(int(time_limit * 1000))
    status = solver.Solve()
    seconds = time.perf_counter() - started
    return Result(
        solver.Objective().Value(),
        solver.Objective().BestBound(),
        status == pywraplp.Solver.OPTIMAL,
        seconds,
    )


def _solve_cp(model, time_limit, workers, started, scale) -> Result:
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = time_limit
    solver.parameters.num_workers = workers
    solver.parameters.random_seed = 0
    # The service's CP-SAT core: the LP relaxation with cuts in the search (on gap8 it
    # halves the time to a proof). The service's presolve settings are left out: they
    # are tuned for the allocation model and measured slower on these instances.
    solver.parameters.linearization_level = SolverOptions().linearization_level
    status = solver.solve(model)
    seconds = time.perf_counter() - started
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return Result(float("nan"), solver.best_objective_bound / scale, False, seconds)
    return Result(
        solver.objective_value / scale,
        solver.best_objective_bound / scale,
        status == cp_model.OPTIMAL,
        seconds,
    )
