"""The optimiser the service uses: an LP-dive start, then CP-SAT within the time limit."""

from __future__ import annotations

import math
import time
from dataclasses import dataclass

import numpy as np

from ..config import WarehouseConfig
from ..domain.allocation import SolveReport, SolveStatus
from ..service_layer.problem import AllocationProblem
from ..service_layer.solution import evaluate
from .cpsat_allocator import SolverOptions, solve_allocation
from .lp_guide import lp_dive


@dataclass(frozen=True)
class CpSatOptimiser:
    options: SolverOptions
    # Share of the time limit the LP dive may use to find a better start than greedy.
    warm_start_share: float = 0.25

    @classmethod
    def from_config(cls, config: WarehouseConfig, seed: int = 0) -> CpSatOptimiser:
        return cls(
            SolverOptions(
                time_limit_seconds=config.solver_time_limit_seconds,
                workers=config.solver_workers,
                relative_gap=config.solver_relative_gap,
                seed=seed,
            )
        )

    def __call__(
        self, problem: AllocationProblem, start: np.ndarray
    ) -> tuple[np.ndarray, SolveReport]:
        began = time.perf_counter()
        hint = start
        lp_bound = None
        if self.warm_start_share > 0:
            dive = lp_dive(problem, self.options.time_limit_seconds * self.warm_start_share)
            lp_bound = dive.lp_bound
            if evaluate(problem, dive.choice).total < evaluate(problem, start).total:
                hint = dive.choice
        spent = time.perf_counter() - began
        remaining = max(0.05, self.options.time_limit_seconds - spent)
        options = SolverOptions(
            time_limit_seconds=remaining,
            workers=self.options.workers,
            relative_gap=self.options.relative_gap,
            seed=self.options.seed,
            linearization_level=self.options.linearization_level,
        )
        choice, report = solve_allocation(problem, options, hint=hint)
        objective = report.objective
        if (
            report.status is SolveStatus.GREEDY
            or evaluate(problem, choice).total > evaluate(problem, hint).total
        ):
            # CP-SAT stopped before it matched its starting plan: keep the start.
            choice, objective = hint, evaluate(problem, hint).total
        bound = report.best_bound if report.status is not SolveStatus.GREEDY else 0
        if lp_bound is not None:
            # The LP relaxation's optimum is a valid bound too; costs are integers.
            bound = max(bound, math.ceil(lp_bound - 1e-6))
        bound = min(bound, objective)
        status = SolveStatus.OPTIMAL if bound == objective else SolveStatus.FEASIBLE
        return choice, SolveReport(
            status, objective, bound, time.perf_counter() - began, report.build_seconds + spent
        )
