"""The optimiser the service uses: an LP-dive start, then CP-SAT within the time limit.

The reported bound is the better of CP-SAT's and the LP relaxation's; both are proven.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass

import numpy as np

from ..config import WarehouseConfig
from ..domain.allocation import SolveReport, SolveStatus
from ..service_layer.greedy import greedy_allocation
from ..service_layer.problem import AllocationProblem, SubProblem, restrict, spatial_blocks
from ..service_layer.solution import UNSERVED, evaluate, usage
from .cpsat_allocator import SolverOptions, solve_allocation
from .lp_guide import lp_dive


@dataclass(frozen=True)
class CpSatOptimiser:
    options: SolverOptions
    # Share of the time limit the LP dive may use to find a better start than greedy.
    warm_start_share: float = 0.5
    # Larger waves start from an LP dive over the whole wave and are then improved
    # block by block, each block of this many neighbouring orders at a time.
    block_orders: int = 1500
    # Share of the time limit a large wave's LP dive may use.
    large_wave_dive_share: float = 0.8

    @classmethod
    def from_config(cls, config: WarehouseConfig, seed: int = 0) -> CpSatOptimiser:
        return cls(
            SolverOptions(
                time_limit_seconds=config.solver_time_limit_seconds,
                workers=config.solver_workers,
                relative_gap=config.solver_relative_gap,
                seed=seed,
            ),
            block_orders=config.solver_block_orders,
        )

    def __call__(
        self, problem: AllocationProblem, start: np.ndarray
    ) -> tuple[np.ndarray, SolveReport]:
        if problem.n_orders <= self.block_orders:
            return self._solve(problem, start, self.options.time_limit_seconds)
        return self._solve_in_blocks(problem, start)

    def _solve_in_blocks(
        self, problem: AllocationProblem, start: np.ndarray
    ) -> tuple[np.ndarray, SolveReport]:
        """A large wave: the LP dive over the whole wave when it finishes in time (its
        relaxation gives the proven bound), then CP-SAT block by block, each block of
        neighbouring orders re-solved against everything else (a large-neighbourhood
        search) while time remains. When the LP does not finish, the first pass plans
        the blocks in turn instead, and the bound is not proven (reported as 0)."""
        began = time.perf_counter()
        limit = self.options.time_limit_seconds
        dive = lp_dive(problem, limit * self.large_wave_dive_share)
        lp_bound = dive.lp_bound
        choice = start
        if (
            lp_bound is not None
            and evaluate(problem, dive.choice).total < evaluate(problem, start).total
        ):
            choice = dive.choice.copy()
        held = usage(problem, choice)
        stock = problem.stock - held.stock_used
        capacity = problem.capacity - held.parcels_used
        if lp_bound is None:
            choice = np.full(problem.n_lines, UNSERVED, dtype=np.int64)
            stock, capacity = problem.stock.copy(), problem.capacity.copy()
        blocks = spatial_blocks(problem, self.block_orders)
        build = time.perf_counter() - began
        first_pass = lp_bound is None
        previous_cost = None if first_pass else evaluate(problem, choice).total
        while first_pass or time.perf_counter() - began < limit * 0.9:
            for i, orders in enumerate(blocks):
                remaining = limit - (time.perf_counter() - began)
                if not first_pass and remaining < 0.1 * limit:
                    break
                left = len(blocks) - i if first_pass else len(blocks)
                budget = max(0.1, remaining / left)
                current = restrict(problem, orders, problem.stock, problem.capacity)
                held = usage(current.problem, _local(current, choice))
                stock += held.stock_used
                capacity += held.parcels_used
                sub = restrict(problem, orders, stock.copy(), capacity.copy())
                sub_start = greedy_allocation(sub.problem) if first_pass else _local(sub, choice)
                sub_choice, report = self._solve(sub.problem, sub_start, budget)
                build += report.build_seconds
                choice[sub.line_ids] = UNSERVED
                served = sub_choice != UNSERVED
                choice[sub.line_ids[served]] = sub.arc_ids[sub_choice[served]]
                use = usage(sub.problem, sub_choice)
                stock -= use.stock_used
                capacity -= use.parcels_used
            first_pass = False
            cost = evaluate(problem, choice).total
            if previous_cost is not None and cost >= previous_cost:
                break  # a whole pass found nothing better
            previous_cost = cost
        if evaluate(problem, choice).total > evaluate(problem, start).total:
            choice = start
        objective = evaluate(problem, choice).total
        bound = min(objective, math.ceil(lp_bound - 1e-6)) if lp_bound is not None else 0
        return choice, SolveReport(
            SolveStatus.OPTIMAL if bound == objective else SolveStatus.FEASIBLE,
            objective,
            bound,
            time.perf_counter() - began,
            build,
        )

    def _solve(
        self, problem: AllocationProblem, start: np.ndarray, time_limit: float
    ) -> tuple[np.ndarray, SolveReport]:
        began = time.perf_counter()
        hint = start
        lp_bound = None
        if self.warm_start_share > 0:
            dive = lp_dive(problem, time_limit * self.warm_start_share)
            lp_bound = dive.lp_bound
            if evaluate(problem, dive.choice).total < evaluate(problem, start).total:
                hint = dive.choice
        spent = time.perf_counter() - began
        remaining = max(0.05, time_limit - spent)
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


def _local(sub: SubProblem, choice: np.ndarray) -> np.ndarray:
    """The global plan's arcs for a sub-problem's lines, in the sub-problem's numbering."""
    arcs = choice[sub.line_ids]
    local = np.full(len(arcs), UNSERVED, dtype=np.int64)
    if len(sub.arc_ids) == 0:
        return local
    served = arcs != UNSERVED
    pos = np.searchsorted(sub.arc_ids, arcs[served])
    ok = (pos < len(sub.arc_ids)) & (
        sub.arc_ids[np.minimum(pos, len(sub.arc_ids) - 1)] == arcs[served]
    )
    idx = np.flatnonzero(served)
    local[idx[ok]] = pos[ok]
    return local
