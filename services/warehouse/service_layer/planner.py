"""From a problem to an explained plan: greedy start, optimiser, explanation."""

from __future__ import annotations

import time
from collections.abc import Callable

import numpy as np

from ..domain.allocation import AllocationPlan, SolveReport, SolveStatus
from .explain import explain
from .greedy import greedy_allocation
from .problem import AllocationProblem
from .solution import evaluate

# An optimiser takes the problem and a feasible starting plan and returns a plan
# (one arc per line, -1 unserved) with the solver's report.
Optimiser = Callable[[AllocationProblem, np.ndarray], tuple[np.ndarray, SolveReport]]


def make_plan(problem: AllocationProblem, optimiser: Optimiser | None) -> AllocationPlan:
    started = time.perf_counter()
    start = greedy_allocation(problem)
    start_cost = evaluate(problem, start).total
    if optimiser is None or len(problem.arc_line) == 0:
        # Nothing to choose between (or no optimiser): the plan is exact as it stands
        # when there are no arcs, otherwise it is the greedy plan.
        status = SolveStatus.OPTIMAL if len(problem.arc_line) == 0 else SolveStatus.GREEDY
        bound = start_cost if status is SolveStatus.OPTIMAL else 0
        report = SolveReport(status, start_cost, bound, time.perf_counter() - started)
        choice = start
    else:
        choice, report = optimiser(problem, start)
        if evaluate(problem, choice).total > start_cost:
            # The optimiser stopped before it beat the starting plan; keep the better one.
            choice = start
            report = SolveReport(
                SolveStatus.FEASIBLE,
                start_cost,
                report.best_bound,
                report.wall_seconds,
                report.build_seconds,
            )
    parcels, unserved, explanations = explain(problem, choice)
    return AllocationPlan(
        parcels=tuple(parcels),
        unserved=tuple(unserved),
        explanations=tuple(explanations),
        cost=evaluate(problem, choice),
        report=report,
    )
