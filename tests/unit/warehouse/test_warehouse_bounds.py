"""The bounds the optimiser reports are proven: never above the cost of the best plan."""

from __future__ import annotations

import time
from dataclasses import replace

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from services.warehouse.adapters.cpsat_allocator import SolverOptions, solve_allocation
from services.warehouse.adapters.lp_guide import (
    _dual_bound,
    _SparseLp,
    lp_bound,
    lp_dive,
    lp_rounding,
)
from services.warehouse.adapters.optimiser import _neighbourhood_search, _refine
from services.warehouse.adapters.stock_cuts import StockRows, violated_cuts
from services.warehouse.service_layer.greedy import greedy_allocation
from services.warehouse.service_layer.problem import AllocationProblem, build_problem
from services.warehouse.service_layer.solution import evaluate, violations

from .test_warehouse_plan_feasibility import networks
from .warehouse_helpers import CONFIG, central, optimiser, order, satellite


def optimal_plan(problem) -> np.ndarray:
    options = SolverOptions(time_limit_seconds=10.0, workers=1, seed=1, relative_gap=0.0)
    plan, report = solve_allocation(problem, options, hint=greedy_allocation(problem))
    assert report.best_bound == report.objective, "small cases are solved to optimality"
    assert evaluate(problem, plan).total == report.objective
    return plan


def optimum(problem) -> int:
    return evaluate(problem, optimal_plan(problem)).total


def problem_of(case) -> AllocationProblem | None:
    """The case's allocation problem; None when no line has a candidate warehouse."""
    orders, warehouses, stock = case
    problem = build_problem(orders, warehouses, stock, {}, CONFIG)
    return problem if len(problem.arc_line) else None


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(networks(), st.integers(0, 2**32 - 1))
def test_lp_bounds_never_exceed_the_optimum(case, seed):
    problem = problem_of(case)
    if problem is None:
        return
    best = optimum(problem)
    glop = lp_bound(problem, 10.0, "glop")
    pdlp = lp_bound(problem, 10.0, "pdlp")
    assert glop is not None and pdlp is not None
    assert glop.bound <= best + 1e-6
    assert pdlp.bound <= best + 1e-6
    # Plans rounded from either LP's values are feasible.
    for guide in (glop, pdlp):
        plan = lp_rounding(problem, guide.arc_values)
        assert violations(problem, plan) == []
        assert evaluate(problem, plan).total >= best
    # The dive's relaxation (another build of the same LP) agrees with the bulk one.
    dive = lp_dive(problem, 10.0)
    assert dive.lp_bound is not None
    assert abs(dive.lp_bound - glop.bound) <= 1e-6 * max(1.0, abs(glop.bound))
    assert evaluate(problem, dive.choice).total >= best
    # Any row prices at all give a valid bound, including random ones.
    lp = _SparseLp.of(problem)
    prices = np.random.default_rng(seed).normal(0.0, 1e5, len(lp.row_lo))
    assert _dual_bound(lp, prices) + lp.constant <= best + 1e-6


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(networks())
def test_the_rins_step_reports_a_proven_bound_and_never_a_worse_plan(case):
    problem = problem_of(case)
    if problem is None:
        return
    best = optimum(problem)
    start = greedy_allocation(problem)
    solver = replace(optimiser(seconds=5.0), refine_min_orders=1)
    plan, report = solver(problem, start)
    assert violations(problem, plan) == []
    assert report.objective == evaluate(problem, plan).total
    assert report.best_bound <= best <= report.objective <= evaluate(problem, start).total
    # Re-solving the orders the LP disagrees with, from any feasible plan, keeps it
    # feasible and never makes it dearer.
    dive = lp_dive(problem, 10.0)
    refined = _refine(problem, start, dive.lp_values, time.perf_counter() + 5.0, solver.options)
    assert violations(problem, refined) == []
    assert best <= evaluate(problem, refined).total <= evaluate(problem, start).total


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(networks(), st.integers(1, 6))
def test_the_neighbourhood_search_keeps_plans_feasible_and_never_dearer(case, first_size):
    problem = problem_of(case)
    if problem is None:
        return
    best = optimum(problem)
    start = greedy_allocation(problem)
    options = optimiser(seconds=5.0).options
    plan = _neighbourhood_search(
        problem, start, time.perf_counter() + 5.0, options, first_size=first_size
    )
    assert violations(problem, plan) == []
    assert best <= evaluate(problem, plan).total <= evaluate(problem, start).total
    # Neighbourhoods grow while they are proven optimal; once one holds the whole wave
    # the search stops, at the optimum, long before its deadline.
    assert evaluate(problem, plan).total == best


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(networks())
def test_stock_cuts_hold_for_the_optimal_plan_and_raise_the_lp_bound_below_the_optimum(case):
    problem = problem_of(case)
    if problem is None:
        return
    plan = optimal_plan(problem)
    best = evaluate(problem, plan).total
    plain = lp_bound(problem, 10.0, "glop")
    assert plain is not None
    # Every cut the LP point violates is satisfied by the optimal plan.
    taken = np.zeros(len(problem.arc_line))
    taken[plan[plan >= 0]] = 1.0
    cuts = violated_cuts(StockRows.of(problem), plain.arc_values, set())
    lhs = np.bincount(cuts.cut, weights=cuts.coef * taken[cuts.arc], minlength=len(cuts))
    assert np.all(lhs <= cuts.rhs + 1e-9)
    for solver in ("glop", "pdlp"):
        strong = lp_bound(problem, 10.0, solver, cut_rounds=4)
        assert strong is not None
        assert strong.bound <= best + 1e-6
    strong = lp_bound(problem, 10.0, "glop", cut_rounds=4)
    assert strong.bound >= plain.bound - 1e-6 * max(1.0, abs(plain.bound))


def test_cuts_close_the_gap_of_a_stock_row_the_lp_fills_with_half_a_line():
    # 3 teapots near the customers, two orders of 2 each: one order must go to the far
    # central warehouse. The LP ships one and a half orders from the satellite.
    problem = build_problem(
        [order("A", ("POT", 2)), order("B", ("POT", 2))],
        [satellite("S", 10.0), central("C", 200.0)],
        {("S", "POT"): 3, ("C", "POT"): 10},
        {},
        CONFIG,
    )
    best = optimum(problem)
    plain = lp_bound(problem, 10.0, "glop")
    strong = lp_bound(problem, 10.0, "glop", cut_rounds=2)
    assert plain is not None and strong is not None
    assert plain.bound < best - 1000
    assert strong.cuts > 0
    assert abs(strong.bound - best) <= 1e-6 * best
