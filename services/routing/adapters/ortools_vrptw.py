"""The VRPTW solved with OR-Tools routing.

Arc costs, travel times and demands are registered as matrices and vectors
(RegisterTransitMatrix, RegisterUnaryTransitVector), built in C++ without a Python
callback per arc. `SearchSettings.travel_time_callback` trades that for search speed
on OR-Tools 9.15 (see _register_travel_time). Every search runs under a time limit and
returns the best solution it found. Several searches may run side by side in separate
processes (each OR-Tools search is single-threaded); they differ in their parameters,
since one iterated local search is deterministic, and the cheapest wins.
"""

from __future__ import annotations

import dataclasses
import math
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass

import numpy as np
from ortools.constraint_solver import pywrapcp, routing_enums_pb2
from ortools.constraint_solver import routing_heuristic_parameters_pb2 as heuristic_parameters
from ortools.util.optional_boolean_pb2 import BOOL_FALSE, BOOL_TRUE

from cangpei.runtime.errors import FailedPrecondition
from cangpei.runtime.processes import worker_pool

from ..domain.vrp import DEPOT, FleetVehicle, PlannedRoute, VrpProblem, VrpSolution

# At most this share of a search's time limit goes to counting the vehicles its first
# solution uses (see _search_fleet); on Solomon's 100 stops that takes about 15 ms.
_FLEET_COUNT_SHARE = 0.2

# Keeps a value that is an exact multiple of 1/scale from being pushed up by float noise.
_EPSILON = 1e-7

# "ils": ruin-and-recreate with annealing from a parallel cheapest insertion start;
# "ils-varied": the same search ruining fewer stops at a time, annealing hotter, reinserting
# them in a random order and given no spare vehicle, so that it follows a different path
# (the search for a second worker: one iterated local search is deterministic, and its
# result varies widely with the path it happens to take);
# "ils-savings": from a savings start with a hotter annealing; "ils-ls": a local search
# after each perturbation; "gls": guided local search (continues from given routes).
STRATEGIES = ("ils", "ils-varied", "ils-savings", "gls", "ils-ls")


@dataclass(frozen=True)
class SearchSettings:
    """How hard and how wide to search. Defaults suit a dispatch wave of a few hundred stops."""

    time_limit_seconds: float = 10.0
    # Separate processes, each running its own search; 1 keeps everything in-process.
    workers: int = 1
    # Units of the problem are multiplied by this before rounding to the solver's integers.
    scale: float = 1000.0
    # Worker 0 runs this search; further workers run the other STRATEGIES in their order.
    strategy: str = "ils"
    # Stops removed per ruin on average. Measured alone on the 29 Solomon instances at
    # 10 s (one core each, same machine state): 10 gave a mean gap of 1.50 %, 12 1.39 %,
    # 15 1.35 %, 20 1.64 %.
    sisr_avg_removed: int = 15
    sisr_max_sequence: int = 10
    sisr_bypass_factor: float = 0.01
    # "ils-varied" removes this many stops on average instead. One iterated local search
    # is deterministic and its result varies widely with the path it happens to take, so
    # two workers keep the better of two different, equally good paths: the pair 15/12
    # was the best of the pairs of the sizes above (best of the two per instance: mean
    # 1.18 %; 10/12 1.21 %, 10/15 1.23 %). The savings start searched clearly worse.
    varied_sisr_avg_removed: int = 12
    # ILS acceptance: simulated annealing whose temperature starts at this fraction of
    # the mean arc cost and cools by this ratio. Without a local search after each
    # ruin-and-recreate, OR-Tools runs several times more iterations in the same time;
    # on Solomon's R1 instances that searched better than the default local search.
    # Measured on R1 and RC1 at 10 s: 0.1 cooling tenfold beat 0.25 cooling a hundredfold.
    sa_initial_fraction: float = 0.1
    sa_cooling_ratio: float = 10.0
    # "ils-varied" anneals hotter, so the second worker's path strays further from the
    # first's. On the 10 hardest Solomon instances at 10 s (one core each): alone 1.72 %
    # mean gap with 0.3 cooling 30-fold against 2.37 % with 0.1 cooling tenfold, and the
    # better of it and "ils" per instance 1.26 % against 1.66 %; colder (0.05) was worse.
    varied_sa_initial_fraction: float = 0.3
    varied_sa_cooling_ratio: float = 30.0
    # "ils-varied" also reinserts the removed stops in a random order and searches only
    # the vehicles of its first solution (no spare one, when the fleet bound applies at
    # all), where "ils" reinserts in a fixed order with fleet_slack spare vehicles: the
    # two paths then differ in kind, not only in degree, and one worker often ends well
    # where the other ends badly. On 20 Solomon R1/RC1 instances at 10 s (one core each),
    # the better of "ils" and "ils-varied" per instance: mean gap 0.87 %, worst 2.23 %,
    # against 1.39 % and 3.43 % when "ils-varied" differed only in its annealing and
    # ruin size (random order without the fleet change: 1.12 % / 3.19 %).
    varied_random_order: bool = True
    varied_fleet_slack: int = 0
    # "ils-savings" anneals hotter: from 0.25 of the mean arc cost, cooling a hundredfold.
    savings_sa_initial_fraction: float = 0.25
    savings_sa_cooling_ratio: float = 100.0
    improve_perturbed: bool = False
    gls_lambda: float = 0.1
    log_search: bool = False
    # Travel time as a Python callback over a table instead of a registered matrix:
    # about 40 % less CPU per search step on OR-Tools 9.15 (see _register_travel_time),
    # at the price of a Python call per arc evaluated. Off by default: the matrix keeps
    # every arc evaluation in C++.
    travel_time_callback: bool = False
    # Problems with at most this many nodes have every transit (costs, travel times,
    # demands) flattened by OR-Tools into one contiguous table per evaluator
    # (RoutingModelParameters.max_callback_cache_size); 0 keeps the registered
    # matrices as they are. Why: OR-Tools 9.15's time-window filter
    # (PathCumulFilter, through FillDimensionValuesFromRoutingDimension, which takes
    # the evaluator by value as an absl::AnyInvocable) copies the evaluator, and with
    # it the matrix the evaluator holds, every time it checks a route. A registered
    # matrix is a vector of row vectors, so each copy allocates once per row; the
    # flattened table is copied in one allocation. Measured on Solomon's R104: about
    # 24 % more search steps per CPU second (474 against 383); the model is the same,
    # so is every value the search sees. The table costs (nodes + 2 x vehicles)^2 x 8
    # bytes per evaluator, hence the bound.
    transit_table_max_nodes: int = 1500
    # Vehicles the search may use beyond those of its first solution, when the fleet's
    # vehicles are interchangeable and every stop must be served (see _search_fleet);
    # None searches with the whole fleet. Every vehicle adds a start and an end node to
    # every table the time-window filter copies, and an empty vehicle is one more route
    # every operator tries: Solomon offers 25 vehicles where 10 to 20 are used. Measured
    # on R104, RC104, R112 and C101 (4 s, one core): about 40 % more search steps per CPU
    # second with 2 spare vehicles than with the whole fleet.
    fleet_slack: int | None = 2


def _ceil_scaled(values: np.ndarray, scale: float) -> np.ndarray:
    return np.ceil(values * scale - _EPSILON).astype(np.int64)


class _Model:
    """An OR-Tools routing model for one problem, with the arrays it was built from."""

    def __init__(
        self,
        problem: VrpProblem,
        scale: float,
        travel_time_callback: bool = False,
        transit_table_max_nodes: int = 0,
    ) -> None:
        self.problem = problem
        self.scale = scale
        self.mean_arc_cost = 0.0
        n, vehicles = problem.size, problem.vehicles
        self.manager = pywrapcp.RoutingIndexManager(n, len(vehicles), DEPOT)
        if n <= transit_table_max_nodes:
            model_parameters = pywrapcp.DefaultRoutingModelParameters()
            model_parameters.max_callback_cache_size = transit_table_max_nodes
            self.routing = pywrapcp.RoutingModel(self.manager, model_parameters)
        else:
            self.routing = pywrapcp.RoutingModel(self.manager)
        routing = self.routing

        distance = np.asarray(problem.distance, dtype=np.float64)
        travel = np.asarray(problem.travel_time, dtype=np.float64)
        service = np.asarray(problem.service_time, dtype=np.float64)

        # One cost matrix per distinct price of distance; vehicles share it by class.
        cost_callbacks: dict[float, int] = {}
        for v, vehicle in enumerate(vehicles):
            rate = vehicle.cost_per_distance
            if rate not in cost_callbacks:
                cost = np.rint(distance * (scale * rate)).astype(np.int64)
                if not cost_callbacks:
                    # Sets the search's temperature scale (same units as the objective).
                    self.mean_arc_cost = float(cost.mean())
                cost_callbacks[rate] = routing.RegisterTransitMatrix(cost.tolist())
            routing.SetArcCostEvaluatorOfVehicle(cost_callbacks[rate], v)
            if vehicle.fixed_cost:
                routing.SetFixedCostOfVehicle(int(round(vehicle.fixed_cost * scale)), v)

        # Rounding travel time up keeps every route the solver accepts feasible in the
        # problem's exact units; rounding distance to nearest keeps the cost unbiased.
        transit = _ceil_scaled(travel, scale) + _ceil_scaled(service, scale)[:, None]
        windows = problem.windows
        horizon = int(
            max(
                max(math.floor(end * scale + _EPSILON) for _, end in windows),
                max(math.floor(v.shift_end * scale + _EPSILON) for v in vehicles),
            )
        )
        if travel_time_callback:
            time_callback = self._register_travel_time(transit)
        else:
            time_callback = routing.RegisterTransitMatrix(transit.tolist())
        routing.AddDimension(time_callback, horizon, horizon, False, "time")
        self.time = routing.GetDimensionOrDie("time")
        for node in range(1, n):
            start, end = windows[node]
            index = self.manager.NodeToIndex(node)
            self.time.CumulVar(index).SetRange(
                math.ceil(start * scale - _EPSILON), math.floor(end * scale + _EPSILON)
            )
        depot_open = math.ceil(windows[DEPOT][0] * scale - _EPSILON)
        depot_close = math.floor(windows[DEPOT][1] * scale + _EPSILON)
        for v, vehicle in enumerate(vehicles):
            start = max(depot_open, math.ceil(vehicle.shift_start * scale - _EPSILON))
            end = min(depot_close, math.floor(vehicle.shift_end * scale + _EPSILON))
            self.time.CumulVar(routing.Start(v)).SetRange(start, max(start, end))
            self.time.CumulVar(routing.End(v)).SetRange(start, end)
            # Leave as late as possible: shorter working day, same route.
            routing.AddVariableMaximizedByFinalizer(self.time.CumulVar(routing.Start(v)))
            routing.AddVariableMinimizedByFinalizer(self.time.CumulVar(routing.End(v)))

        dims = len(vehicles[0].capacity)
        for d in range(dims):
            demand = [int(problem.demands[node][d]) for node in range(n)]
            callback = routing.RegisterUnaryTransitVector(demand)
            routing.AddDimensionWithVehicleCapacity(
                callback, 0, [int(v.capacity[d]) for v in vehicles], True, f"capacity_{d}"
            )

        if problem.drop_penalty is not None:
            for node in range(1, n):
                penalty = problem.drop_penalty[node]
                if penalty is not None:
                    index = self.manager.NodeToIndex(node)
                    routing.AddDisjunction([index], int(round(penalty * scale)))

    def _register_travel_time(self, transit: np.ndarray) -> int:
        """Registers travel plus service time as a callback over a table by routing index.

        Not RegisterTransitMatrix: in OR-Tools 9.15 the dimension's path filter copies a
        matrix-backed evaluator, matrix included, each time it checks a route; profiled
        on Solomon's R104, that copying took about 35 % of an iterated local search. A
        callback holding a reference to the table is copied cheaply; the same search
        then ran the same iterations in about 40 % less CPU time.
        """
        size = self.routing.Size() + self.routing.vehicles()
        nodes = np.array([self.manager.IndexToNode(i) for i in range(size)])
        table = transit[np.ix_(nodes, nodes)].tolist()

        def travel_time(from_index: int, to_index: int) -> int:
            return table[from_index][to_index]

        # The routing model does not own Python callbacks: keep this one alive with the model.
        self._travel_time = travel_time
        return self.routing.RegisterTransitCallback(travel_time)

    def initial_assignment(self, routes: Sequence[Sequence[int]]) -> pywrapcp.Assignment | None:
        indices = [[self.manager.NodeToIndex(node) for node in route] for route in routes]
        return self.routing.ReadAssignmentFromRoutes(indices, True)

    def read(self, assignment: pywrapcp.Assignment) -> tuple[list[PlannedRoute], list[int]]:
        routing, manager = self.routing, self.manager
        routes, routed = [], set()
        for v in range(len(self.problem.vehicles)):
            index = routing.Start(v)
            stops, starts = [], []
            index = assignment.Value(routing.NextVar(index))
            while not routing.IsEnd(index):
                node = manager.IndexToNode(index)
                stops.append(node)
                starts.append(assignment.Min(self.time.CumulVar(index)) / self.scale)
                routed.add(node)
                index = assignment.Value(routing.NextVar(index))
            routes.append(PlannedRoute(vehicle=v, stops=tuple(stops), service_starts=tuple(starts)))
        dropped = [node for node in range(1, self.problem.size) if node not in routed]
        return routes, dropped


def _parameters(
    settings: SearchSettings,
    variant: str,
    time_limit: float,
    optional_stops: bool = False,
    mean_arc_cost: float = 0.0,
):
    if variant not in STRATEGIES:
        raise ValueError(f"unknown search strategy {variant!r}; expected one of {STRATEGIES}")
    params = pywrapcp.DefaultRoutingSearchParameters()
    params.time_limit.FromMilliseconds(max(1, int(time_limit * 1000)))
    params.log_search = settings.log_search
    fs = routing_enums_pb2.FirstSolutionStrategy
    params.first_solution_strategy = fs.PARALLEL_CHEAPEST_INSERTION
    if variant == "ils-savings":
        params.first_solution_strategy = fs.SAVINGS
    ops = params.local_search_operators
    ops.use_relocate_neighbors = BOOL_TRUE
    ops.use_cross_exchange = BOOL_TRUE
    # Operators for pickup-and-delivery pairs never apply here; skipping them saves time
    # in every local search. Insertion-based LNS operators are slow per move and, for
    # ILS, duplicate what the ruin-and-recreate perturbation does. Measured on Solomon,
    # both let more perturbations run within the time limit.
    off = [
        "use_relocate_pair",
        "use_light_relocate_pair",
        "use_exchange_pair",
        "use_relocate_subtrip",
        "use_exchange_subtrip",
    ]
    if variant.startswith("ils"):
        off += [
            "use_global_cheapest_insertion_path_lns",
            "use_local_cheapest_insertion_path_lns",
            "use_relocate_path_global_cheapest_insertion_insert_unperformed",
            "use_global_cheapest_insertion_visit_types_lns",
            "use_local_cheapest_insertion_visit_types_lns",
            "use_lin_kernighan",
        ]
    if not optional_stops:
        # Operators that make stops active or inactive only matter when stops may be dropped.
        off += [
            "use_make_active",
            "use_make_inactive",
            "use_make_chain_inactive",
            "use_swap_active",
            "use_swap_active_chain",
            "use_shortest_path_swap_active",
            "use_shortest_path_two_opt",
        ]
    for name in off:
        setattr(ops, name, BOOL_FALSE)
    if variant.startswith("ils"):
        params.use_iterated_local_search = True
        ils = params.iterated_local_search_parameters
        rr = ils.ruin_recreate_parameters
        sisr = rr.ruin_strategies.add().sisr
        sisr.avg_num_removed_visits = settings.sisr_avg_removed
        if variant == "ils-varied":
            sisr.avg_num_removed_visits = settings.varied_sisr_avg_removed
        sisr.max_removed_sequence_size = settings.sisr_max_sequence
        sisr.bypass_factor = settings.sisr_bypass_factor
        rr.recreate_strategy.heuristic = fs.LOCAL_CHEAPEST_INSERTION
        if variant == "ils-varied" and settings.varied_random_order:
            insertion = rr.recreate_strategy.parameters.local_cheapest_insertion
            insertion.insertion_sorting_properties.append(
                heuristic_parameters.LocalCheapestInsertionParameters.SORTING_PROPERTY_RANDOM
            )
        ils.improve_perturbed_solution = variant == "ils-ls" or settings.improve_perturbed
        sa = ils.reference_solution_acceptance_strategy.simulated_annealing
        fraction, cooling = settings.sa_initial_fraction, settings.sa_cooling_ratio
        if variant == "ils-savings":
            fraction = settings.savings_sa_initial_fraction
            cooling = settings.savings_sa_cooling_ratio
        if variant == "ils-varied":
            fraction = settings.varied_sa_initial_fraction
            cooling = settings.varied_sa_cooling_ratio
        if mean_arc_cost > 0:
            sa.automatic_temperatures = False
            sa.initial_temperature = fraction * mean_arc_cost
            sa.final_temperature = sa.initial_temperature / cooling
        else:
            sa.automatic_temperatures = True
    elif variant == "gls":
        params.local_search_metaheuristic = (
            routing_enums_pb2.LocalSearchMetaheuristic.GUIDED_LOCAL_SEARCH
        )
        params.guided_local_search_lambda_coefficient = settings.gls_lambda
    return params


def _interchangeable(vehicles: Sequence[FleetVehicle]) -> bool:
    """True when vehicles differ in their id only, so any of them can drive any route."""
    first = dataclasses.replace(vehicles[0], vehicle_id="")
    return all(dataclasses.replace(v, vehicle_id="") == first for v in vehicles[1:])


def _first_solution_routes(
    problem: VrpProblem, settings: SearchSettings, seconds: float
) -> int | None:
    """Vehicles used by the search's first solution on the whole fleet; None if none in time."""
    model = _Model(problem, settings.scale, False, settings.transit_table_max_nodes)
    params = _parameters(settings, "ils", seconds)
    params.use_iterated_local_search = False
    params.solution_limit = 1
    assignment = model.routing.SolveWithParameters(params)
    if assignment is None:
        return None
    routes, _ = model.read(assignment)
    return sum(1 for route in routes if route.stops)


def _fleet_slack(settings: SearchSettings, variant: str) -> int | None:
    """Spare vehicles for this search; None (the whole fleet) when the bound is off."""
    if settings.fleet_slack is None:
        return None
    if variant == "ils-varied":
        return settings.varied_fleet_slack
    return settings.fleet_slack


def _search_fleet(
    problem: VrpProblem, settings: SearchSettings, optional: bool, seconds: float, variant: str
) -> int:
    """How many of the fleet's vehicles the search is given: the first solution's plus slack.

    Only when that loses nothing: the vehicles are interchangeable (the unused ones could
    take any route the search finds), every stop is mandatory (with optional stops, more
    vehicles may serve stops a smaller fleet would drop) and the first solution exists
    (so the smaller fleet has a feasible plan) within ``seconds``: on a large problem
    the first solution takes a while, and the search builds its own again. Otherwise
    the whole fleet.
    """
    fleet = len(problem.vehicles)
    slack = _fleet_slack(settings, variant)
    if slack is None or optional or not _interchangeable(problem.vehicles):
        return fleet
    used = _first_solution_routes(problem, settings, seconds)
    if used is None:
        return fleet
    return min(fleet, used + slack)


def solve_once(
    problem: VrpProblem,
    settings: SearchSettings,
    variant: str,
    initial_routes: Sequence[Sequence[int]] | None = None,
    deadline: float | None = None,
) -> VrpSolution | None:
    """One search, in this process. None when no solution was found in time.

    ``deadline`` (time.time() of the caller) keeps a search that starts late in a worker
    process within the caller's time limit; it still searches at least half the limit,
    so a worker whose process was only just started is not left without a solution.
    """
    began = time.monotonic()
    limit = settings.time_limit_seconds
    if deadline is not None:
        limit = min(limit, max(limit / 2, deadline - time.time()))
    optional = problem.drop_penalty is not None and any(
        p is not None for p in problem.drop_penalty[1:]
    )

    def remaining() -> float:
        return max(0.001, limit - (time.monotonic() - began))

    fleet = len(problem.vehicles)
    searched = fleet
    if not initial_routes:
        searched = _search_fleet(problem, settings, optional, _FLEET_COUNT_SHARE * limit, variant)
    found = None
    if searched < fleet:
        smaller = dataclasses.replace(problem, vehicles=tuple(problem.vehicles[:searched]))
        found = _search(smaller, settings, variant, None, optional, remaining)
        # The search rebuilds its own first solution, which may need more vehicles than
        # the one counted: then the whole fleet searches for the time that is left.
    if found is None:
        found = _search(problem, settings, variant, initial_routes, optional, remaining)
    if found is None:
        return None
    routes, dropped, objective, warm = found
    given = len(routes)
    # Vehicles the search was not given are interchangeable with those it was: idle.
    routes += [PlannedRoute(vehicle=v, stops=(), service_starts=()) for v in range(given, fleet)]
    return VrpSolution(
        routes=tuple(routes),
        dropped=tuple(dropped),
        objective=objective,
        solve_seconds=time.monotonic() - began,
        engine=f"ortools-{variant}",
        notes={"warm_start": str(warm), "searched_vehicles": str(given)},
    )


def _search(
    problem: VrpProblem,
    settings: SearchSettings,
    variant: str,
    initial_routes: Sequence[Sequence[int]] | None,
    optional: bool,
    remaining: Callable[[], float],
) -> tuple[list[PlannedRoute], list[int], int, bool] | None:
    """Routes, dropped stops, objective and whether it warm-started; None if none found."""
    model = _Model(
        problem, settings.scale, settings.travel_time_callback, settings.transit_table_max_nodes
    )

    def params_for(name: str):
        return _parameters(settings, name, remaining(), optional, model.mean_arc_cost)

    model.routing.CloseModelWithParameters(params_for(variant))
    assignment = None
    warm = False
    if initial_routes:
        start = model.initial_assignment(initial_routes)
        if start is not None:
            # Only guided local search continues from given routes; ILS always rebuilds.
            warm = True
            assignment = model.routing.SolveFromAssignmentWithParameters(start, params_for("gls"))
    if assignment is None and variant.startswith("ils"):
        assignment = model.routing.SolveWithIteratedLocalSearch(params_for(variant))
    elif assignment is None:
        assignment = model.routing.SolveWithParameters(params_for(variant))
    if assignment is None:
        return None
    routes, dropped = model.read(assignment)
    return routes, dropped, assignment.ObjectiveValue(), warm


class OrToolsVrpSolver:
    """The default routing engine. Holds a process pool when more than one worker runs."""

    name = "ortools"

    def __init__(self, settings: SearchSettings | None = None) -> None:
        self.settings = settings or SearchSettings()
        self._pool: ProcessPoolExecutor | None = None

    def _variants(self) -> list[str]:
        first = self.settings.strategy
        rest = [s for s in STRATEGIES if s != first]
        order = [first, *rest]
        return [order[k % len(order)] for k in range(self.settings.workers)]

    def solve(
        self, problem: VrpProblem, initial_routes: Sequence[Sequence[int]] | None = None
    ) -> VrpSolution:
        problem.validate()
        variants = self._variants()
        if len(variants) == 1:
            results = [solve_once(problem, self.settings, variants[0], initial_routes)]
        else:
            if self._pool is None:
                self._pool = worker_pool(len(variants))
            # Every search runs in the pool: OR-Tools keeps the GIL while it searches, so
            # one in this process would stop the pool's feeder thread from sending work.
            deadline = time.time() + self.settings.time_limit_seconds
            futures = [
                self._pool.submit(
                    solve_once, problem, self.settings, variant, initial_routes, deadline
                )
                for variant in variants
            ]
            results = [future.result() for future in futures]
        found = [r for r in results if r is not None]
        if not found:
            raise FailedPrecondition(
                f"no feasible plan found within {self.settings.time_limit_seconds} s: "
                "check vehicle capacities, shifts and delivery windows"
            )
        return min(found, key=lambda solution: solution.objective)

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(cancel_futures=True)
            self._pool = None
