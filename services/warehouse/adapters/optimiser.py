"""The optimiser the service uses: an LP-dive start, then CP-SAT within the time limit.

Waves of a few hundred orders or more: CP-SAT stops at its first plan (found after its
root LP and cuts, which give the bound), then the orders where that plan and the LP
relaxation disagree are re-solved in a much smaller model (RINS); with time to spare
the orders competing for a few stock rows the plan has emptied are re-solved, again and
again (a neighbourhood search), then CP-SAT searches the whole wave again below that
plan. Large waves are planned in blocks with the bound from the whole wave's LP, then
by the neighbourhood search (see ``_solve_in_blocks``).

The reported bound is the better of CP-SAT's and the LP relaxation's; both are proven.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, replace

import numpy as np

from ..config import WarehouseConfig
from ..domain.allocation import SolveReport, SolveStatus
from ..service_layer.greedy import greedy_allocation
from ..service_layer.problem import AllocationProblem, SubProblem, restrict, spatial_blocks
from ..service_layer.solution import (
    UNSERVED,
    Usage,
    arc_stock_rows,
    evaluate,
    line_arc_ranges,
    usage,
)
from .cpsat_allocator import SolverOptions, solve_allocation
from .lp_guide import SURE, best_arcs, lp_bound, lp_dive, lp_rounding

# Rounds of the RINS step: an order stays as planned when, for each of its lines, the LP
# relaxation gives the planned arc at least this value. The first round frees few orders
# and finishes fast; the second frees more.
REFINE_AGREEMENT = (0.5, SURE)
# The neighbourhood search (``_neighbourhood_search``): emptied stock rows re-planned
# together per step (measured on the 10,000-order benchmark: 3-4 rows improve the plan
# fastest, 1 or 6 clearly slower); CP-SAT's limit per step; row steps without a gain
# before a step of nearby orders instead.
ROWS_PER_NEIGHBOURHOOD = 3
NEIGHBOURHOOD_SECONDS = 0.4
FRUITLESS_ROW_STEPS = 20
# Less time than this left for the search: not worth starting (a step takes 30-100 ms).
MIN_NEIGHBOURHOOD_SECONDS = 0.2


@dataclass(frozen=True)
class CpSatOptimiser:
    options: SolverOptions
    # Share of the time limit the LP dive may use to find a better start than greedy.
    warm_start_share: float = 0.5
    # Larger waves are planned block by block, each block of this many neighbouring
    # orders at a time, with the bound from the LP relaxation of the whole wave.
    block_orders: int = 1500
    # Passes of the RINS step over a large wave's blocks before the rest of the time goes
    # to the neighbourhood search.
    block_passes: int = 1
    # Share of the time limit a large wave's LP bound may use.
    large_wave_bound_share: float = 0.35
    # Rounds of stock-row cuts added to a large wave's LP within that share: each
    # re-solves the LP with the cover and rounding cuts the last LP point violates,
    # raising the bound above the plain LP's (see ``stock_cuts``).
    bound_cut_rounds: int = 3
    # ... but only when the bound's share of the time is at least this long: with less,
    # PDLP needs all of it for the plain LP (10,000 orders: about 3 s to get within
    # 0.01 % of the LP's optimum), and halving its time costs more than cuts gain.
    bound_cut_min_seconds: float = 8.0
    # From this many orders, CP-SAT's search on the whole wave stops at its first plan
    # (found after its root LP and cuts, which give the bound) and the rest of the time
    # goes to re-solving the orders where that plan and the LP relaxation disagree
    # (RINS): a much smaller model that improves the plan far faster than the search
    # on the whole wave. Smaller waves are left to one search, which proves optimality.
    refine_min_orders: int = 200
    # The most of the time left after the LP that the search for that first plan may
    # use, so that the RINS step always has some (it then starts from the LP's plan).
    first_plan_share: float = 0.9
    # When at least this much time is left after the RINS step, CP-SAT searches the
    # whole wave once more, below the refined plan.
    search_again_seconds: float = 1.0
    # Share of that time the neighbourhood search takes first.
    neighbourhood_share: float = 0.5
    # With less time left than a search of the whole wave needs, the neighbourhood
    # search takes the rest of the limit (1,000 orders at 2 s: 0.35-0.43 % above the
    # bound, 0.43 % before). The fulfilment flow's waves leave it unused instead: orders wait for
    # them, and on a busy machine the spare CPU serves the other services.
    use_spare_time: bool = True

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

    def neighbourhood_seconds(self, remaining: float) -> float:
        """How much of the ``remaining`` time (after the RINS step) the neighbourhood
        search gets: a share when a search of the whole wave follows, all of it when
        too little is left for that search (unless ``use_spare_time`` is off), none
        when too little is left for a few steps."""
        if self.neighbourhood_share <= 0:
            return 0.0
        if self.use_spare_time and remaining < 2 * self.search_again_seconds:
            return remaining if remaining >= MIN_NEIGHBOURHOOD_SECONDS else 0.0
        return (
            remaining * self.neighbourhood_share if remaining >= self.search_again_seconds else 0.0
        )

    def _solve_in_blocks(
        self, problem: AllocationProblem, start: np.ndarray
    ) -> tuple[np.ndarray, SolveReport]:
        """A large wave: a proven bound from the LP relaxation (built in bulk, solved by
        PDLP within a share of the time), then CP-SAT block by block: the first pass
        plans each block of neighbouring orders in turn (or, from the LP's rounded plan,
        re-solves where it and the LP disagree), and the time left goes to the
        neighbourhood search, whose neighbourhoods cross the blocks' borders. When the
        LP gives no answer in time the bound is reported as 0."""
        began = time.perf_counter()
        limit = self.options.time_limit_seconds
        bound_seconds = limit * self.large_wave_bound_share
        cut_rounds = self.bound_cut_rounds if bound_seconds >= self.bound_cut_min_seconds else 0
        relaxation = lp_bound(problem, bound_seconds, cut_rounds=cut_rounds)
        lp_value = relaxation.bound if relaxation is not None else None
        build = time.perf_counter() - began
        choice = np.full(problem.n_lines, UNSERVED, dtype=np.int64)
        stock, capacity = problem.stock.copy(), problem.capacity.copy()
        first_pass = True
        passes = 0
        previous_cost = None
        arc_values = np.zeros(0)
        if relaxation is not None and len(relaxation.arc_values) == len(problem.arc_line):
            arc_values = relaxation.arc_values
            # The plan the LP points at is far better than greedy: start from it, and
            # let every pass improve it block by block.
            rounded = lp_rounding(problem, relaxation.arc_values)
            if evaluate(problem, rounded).total < evaluate(problem, start).total:
                choice = rounded
                held = usage(problem, choice)
                stock -= held.stock_used
                capacity -= held.parcels_used
                first_pass = False
                previous_cost = evaluate(problem, choice).total
        blocks = spatial_blocks(problem, self.block_orders)
        while first_pass or (
            passes < self.block_passes and time.perf_counter() - began < limit * 0.9
        ):
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
                # Later passes start from the current plan: no dive; the wave's LP values
                # guide the RINS step instead.
                sub_choice, report = self._solve(
                    sub.problem,
                    sub_start,
                    budget,
                    dive=first_pass,
                    lp_values=arc_values[sub.arc_ids] if len(arc_values) else None,
                )
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
            passes += 1
        # The block passes have stopped improving: the time left goes to neighbourhoods
        # that cross the blocks' borders.
        deadline = began + limit - min(0.08, 0.04 * limit)
        choice = _neighbourhood_search(problem, choice, deadline, self.options)
        if evaluate(problem, choice).total > evaluate(problem, start).total:
            choice = start
        objective = evaluate(problem, choice).total
        bound = min(objective, math.ceil(lp_value - 1e-6)) if lp_value is not None else 0
        return choice, SolveReport(
            SolveStatus.OPTIMAL if bound == objective else SolveStatus.FEASIBLE,
            objective,
            max(bound, 0),
            time.perf_counter() - began,
            build,
        )

    def _solve(
        self,
        problem: AllocationProblem,
        start: np.ndarray,
        time_limit: float,
        dive: bool = True,
        lp_values: np.ndarray | None = None,
    ) -> tuple[np.ndarray, SolveReport]:
        """``lp_values``: LP values of the arcs known already (the dive's replace them)."""
        began = time.perf_counter()
        hint = start
        relaxed_bound = None
        if lp_values is None:
            lp_values = np.zeros(0)
        if dive and self.warm_start_share > 0:
            # Before the RINS step the dive's plan is only a cut-off and a fallback: one
            # round of it will do, the time is better spent on CP-SAT's first plan.
            rounds = 1 if problem.n_orders >= self.refine_min_orders else 2
            dived = lp_dive(problem, time_limit * self.warm_start_share, max_rounds=rounds)
            relaxed_bound = dived.lp_bound
            lp_values = dived.lp_values
            if evaluate(problem, dived.choice).total < evaluate(problem, start).total:
                hint = dived.choice
        refine = len(lp_values) > 0 and problem.n_orders >= self.refine_min_orders
        if refine and not dive:
            # A block of a large wave planned before, with the wave's LP values: the RINS
            # step alone (the wave's bound comes from its LP, not from this block).
            deadline = began + time_limit - min(0.08, 0.04 * time_limit)
            choice = _refine(problem, start, lp_values, deadline, self.options)
            objective = evaluate(problem, choice).total
            wall = time.perf_counter() - began
            return choice, SolveReport(SolveStatus.FEASIBLE, objective, 0, wall, 0.0)
        spent = time.perf_counter() - began
        remaining = max(0.05, time_limit - spent)
        options = SolverOptions(
            time_limit_seconds=remaining * self.first_plan_share if refine else remaining,
            workers=self.options.workers,
            relative_gap=self.options.relative_gap,
            seed=self.options.seed,
            linearization_level=self.options.linearization_level,
            stop_at_first_solution=refine,
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
        if refine and report.status is not SolveStatus.OPTIMAL:
            # Leave a little for what follows: the limit is the caller's whole budget.
            deadline = began + time_limit - min(0.08, 0.04 * time_limit)
            choice = _refine(problem, choice, lp_values, deadline, self.options)
            objective = evaluate(problem, choice).total
            remaining = deadline - time.perf_counter()
            seconds = self.neighbourhood_seconds(remaining)
            if seconds > 0:
                choice = _neighbourhood_search(
                    problem, choice, time.perf_counter() + seconds, self.options
                )
                objective = evaluate(problem, choice).total
                remaining = deadline - time.perf_counter()
            if remaining >= self.search_again_seconds:
                # Time is left (a generous limit): search the whole wave again below the
                # refined plan, for a better plan and a tighter bound.
                options = replace(
                    options, time_limit_seconds=remaining, stop_at_first_solution=False
                )
                again, again_report = solve_allocation(problem, options, hint=choice)
                if again_report.status is not SolveStatus.GREEDY:
                    bound = max(bound, again_report.best_bound)
                    if evaluate(problem, again).total < objective:
                        choice, objective = again, evaluate(problem, again).total
        if relaxed_bound is not None:
            # The LP relaxation's optimum is a valid bound too; costs are integers.
            bound = max(bound, math.ceil(relaxed_bound - 1e-6))
        bound = min(bound, objective)
        status = SolveStatus.OPTIMAL if bound == objective else SolveStatus.FEASIBLE
        return choice, SolveReport(
            status, objective, bound, time.perf_counter() - began, report.build_seconds + spent
        )


def _refine(
    problem: AllocationProblem,
    choice: np.ndarray,
    lp_values: np.ndarray,
    deadline: float,
    options: SolverOptions,
) -> np.ndarray:
    """The plan improved by re-solving the orders where it and the LP relaxation disagree.

    An order is kept as planned when the LP relaxation puts most of each of its lines on
    the arc the plan chose; every other order is planned again against the stock and
    capacity the kept orders leave (relaxation induced neighbourhood search, RINS).
    While time remains, a second round frees every order the LP is not sure of.
    """
    starts = line_arc_ranges(problem)
    lines = np.flatnonzero(np.diff(starts) > 0)
    best_arc, best_value = best_arcs(problem, lp_values, lines, starts)
    for agreement in REFINE_AGREEMENT:
        remaining = deadline - time.perf_counter()
        if remaining < 0.05:
            break
        agree = (best_value >= agreement) & (choice[lines] == best_arc)
        free = np.zeros(problem.n_orders, dtype=bool)
        free[problem.line_order[lines[~agree]]] = True
        free[problem.line_order[choice == UNSERVED]] = True
        if free.any():
            sub_options = _sub_options(options, remaining)
            choice = _resolve_orders(problem, choice, np.flatnonzero(free), sub_options)[0]
    return choice


def _sub_options(options: SolverOptions, seconds: float) -> SolverOptions:
    """CP-SAT settings for re-solving some orders: the wave's, with their own limit."""
    return SolverOptions(
        time_limit_seconds=seconds,
        workers=options.workers,
        relative_gap=0.0,
        seed=options.seed,
        linearization_level=options.linearization_level,
    )


def _resolve_orders(
    problem: AllocationProblem,
    choice: np.ndarray,
    orders: np.ndarray,
    options: SolverOptions,
    held: Usage | None = None,
) -> tuple[np.ndarray, bool]:
    """The plan with ``orders`` planned again by CP-SAT, everything else as it stands
    (unchanged when nothing cheaper is found in time), and whether the search proved
    nothing cheaper exists for those orders (the plan is then optimal for them).
    ``held``: the plan's usage, when the caller has it already."""
    if held is None:
        held = usage(problem, choice)
    current = restrict(problem, orders, problem.stock, problem.capacity)
    own = usage(current.problem, _local(current, choice))
    stock = problem.stock - held.stock_used + own.stock_used
    capacity = problem.capacity - held.parcels_used + own.parcels_used
    sub = restrict(problem, orders, stock, capacity)
    sub_start = _local(sub, choice)
    sub_choice, report = solve_allocation(sub.problem, options, hint=sub_start)
    proven = report.status is SolveStatus.OPTIMAL
    if report.status is SolveStatus.GREEDY:
        return choice, False
    if evaluate(sub.problem, sub_choice).total >= evaluate(sub.problem, sub_start).total:
        return choice, proven
    improved = choice.copy()
    improved[sub.line_ids] = UNSERVED
    served = sub_choice != UNSERVED
    improved[sub.line_ids[served]] = sub.arc_ids[sub_choice[served]]
    return improved, proven


def _neighbourhood_search(
    problem: AllocationProblem,
    choice: np.ndarray,
    deadline: float,
    options: SolverOptions,
    first_size: int = 300,
) -> np.ndarray:
    """The plan improved by re-solving some orders at a time with CP-SAT, again and
    again until the deadline (a large-neighbourhood search).

    Most steps re-plan the orders that could draw on a few stock rows (a SKU at a
    warehouse) the plan has emptied: that is where plans differ, as a row's units may
    save more in another of its orders, which then frees units in another row. On the
    realistic 10,000-order benchmark these neighbourhoods improve the plan several times
    faster than neighbourhoods of nearby orders. When no row is empty, or after a run of
    row steps that found nothing, a step re-plans the orders around a random order
    instead (neighbours compete for the same warehouses' capacity); that neighbourhood
    grows while CP-SAT proves it optimal quickly and shrinks when it runs out of time,
    so each step stays a fraction of a second, and once it holds a whole (small) wave
    proven optimal the search stops.
    """
    rows = _StockRowOrders(problem)
    places = _OrderPlaces(problem)
    rng = np.random.default_rng(options.seed)
    size = min(first_size, problem.n_orders)
    fruitless = 0  # row steps in a row that found nothing
    while True:
        # CP-SAT's limit covers its search; building the neighbourhood comes on top.
        remaining = deadline - time.perf_counter() - 0.05
        if remaining < 0.05:
            return choice
        sub_options = _sub_options(options, min(NEIGHBOURHOOD_SECONDS, remaining))
        held = usage(problem, choice)
        emptied = rows.emptied(held.stock_used)
        if len(emptied) and fruitless < FRUITLESS_ROW_STEPS:
            picked = rng.choice(emptied, min(ROWS_PER_NEIGHBOURHOOD, len(emptied)), replace=False)
            orders = rows.orders_of(picked)
            improved, _ = _resolve_orders(problem, choice, orders, sub_options, held)
            fruitless = 0 if improved is not choice else fruitless + 1
            choice = improved
            continue
        fruitless = 0
        orders = places.around(int(rng.integers(problem.n_orders)), size)
        choice, proven = _resolve_orders(problem, choice, orders, sub_options, held)
        if proven and len(orders) == problem.n_orders:
            return choice  # the whole wave, proven optimal: nothing left to find
        # Proven optimal: a larger neighbourhood may find more; out of time: smaller.
        size = min(problem.n_orders, size + max(1, size // 4)) if proven else max(50, size * 4 // 5)


class _StockRowOrders:
    """The orders that could draw on each stock row (a SKU at a warehouse)."""

    def __init__(self, problem: AllocationProblem) -> None:
        key = arc_stock_rows(problem)
        order_of_arc = problem.line_order[problem.arc_line]
        by_key = np.lexsort((order_of_arc, key))
        self._keys = key[by_key]
        self._orders = order_of_arc[by_key]
        stock = problem.stock.reshape(-1)
        # Rows with stock that some order could use: the only ones a plan can empty.
        self._rows = np.intersect1d(np.flatnonzero(stock > 0), self._keys)
        self._stock = stock[self._rows]

    def emptied(self, stock_used: np.ndarray) -> np.ndarray:
        """The rows a plan using ``stock_used`` (warehouses x SKUs) takes every unit of."""
        return self._rows[stock_used.reshape(-1)[self._rows] >= self._stock]

    def orders_of(self, rows: np.ndarray) -> np.ndarray:
        if len(rows) == 0:
            return np.zeros(0, dtype=np.int64)
        lo = np.searchsorted(self._keys, rows, side="left")
        hi = np.searchsorted(self._keys, rows, side="right")
        return np.unique(np.concatenate([self._orders[a:b] for a, b in zip(lo, hi, strict=True)]))


class _OrderPlaces:
    """Orders' delivery points on a plane (degrees, longitude scaled to the latitude)."""

    def __init__(self, problem: AllocationProblem) -> None:
        self.n = problem.n_orders
        self.lat = np.array([o.destination.latitude for o in problem.orders])
        scale = math.cos(math.radians(float(np.mean(self.lat)))) if self.n else 0.0
        self.lon = np.array([o.destination.longitude for o in problem.orders]) * scale

    def around(self, centre: int, size: int) -> np.ndarray:
        """The ``size`` orders nearest to order ``centre`` (itself included)."""
        if size >= self.n:
            return np.arange(self.n)
        near = (self.lat - self.lat[centre]) ** 2 + (self.lon - self.lon[centre]) ** 2
        return np.argpartition(near, size - 1)[:size]


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
