"""A second routing engine, PyVRP (iterated local search), behind the same interface.

Optional: PyVRP is an extra (``pip install -e .[pyvrp]``; the ``dev`` and ``bench``
extras include it), not a runtime dependency, so it is imported only when this engine
is used. OR-Tools stays the default engine (``CANGPEI_ROUTING_SOLVER_ENGINE=pyvrp``
picks this one). A re-plan starts from the previous routes, as with OR-Tools.
"""

from __future__ import annotations

import math
import time
import warnings
from collections.abc import Sequence
from itertools import groupby

from cangpei.runtime.errors import FailedPrecondition

from ..domain.vrp import DEPOT, PlannedRoute, VrpProblem, VrpSolution
from .ortools_vrptw import SearchSettings

_EPSILON = 1e-7
# PyVRP prices distance in whole units per unit of distance; costs are multiplied by
# this so a price such as 0.25 fen per metre survives the rounding.
_COST_RESOLUTION = 100


class PyVrpSolver:
    name = "pyvrp"

    def __init__(self, settings: SearchSettings | None = None, seed: int = 1) -> None:
        self.settings = settings or SearchSettings()
        self.seed = seed

    def solve(
        self, problem: VrpProblem, initial_routes: Sequence[Sequence[int]] | None = None
    ) -> VrpSolution:
        from pyvrp import Model, Route, Solution, solve
        from pyvrp.exceptions import PenaltyBoundWarning
        from pyvrp.stop import MaxRuntime

        problem.validate()
        began = time.monotonic()
        scale = self.settings.scale
        model = Model()
        locations = [model.add_location(float(node), 0.0) for node in range(problem.size)]
        depot_open = math.ceil(problem.windows[DEPOT][0] * scale - _EPSILON)
        depot_close = math.floor(problem.windows[DEPOT][1] * scale + _EPSILON)
        depot = model.add_depot(locations[DEPOT], tw_early=depot_open, tw_late=depot_close)
        for node in range(1, problem.size):
            start, end = problem.windows[node]
            penalty = problem.penalty(node)
            model.add_client(
                locations[node],
                delivery=list(problem.demands[node]),
                service_duration=math.ceil(problem.service_time[node] * scale - _EPSILON),
                tw_early=math.ceil(start * scale - _EPSILON),
                tw_late=math.floor(end * scale + _EPSILON),
                required=penalty is None,
                prize=0 if penalty is None else int(round(penalty * scale * _COST_RESOLUTION)),
            )
        # Vehicles with identical attributes form one PyVRP vehicle type.
        order: list[list[int]] = []
        for _, members in groupby(
            sorted(range(len(problem.vehicles)), key=lambda v: _vehicle_key(problem, v)),
            key=lambda v: _vehicle_key(problem, v),
        ):
            members = list(members)
            vehicle = problem.vehicles[members[0]]
            model.add_vehicle_type(
                num_available=len(members),
                capacity=list(vehicle.capacity),
                start_depot=depot,
                end_depot=depot,
                fixed_cost=int(round(vehicle.fixed_cost * scale * _COST_RESOLUTION)),
                tw_early=max(depot_open, math.ceil(vehicle.shift_start * scale - _EPSILON)),
                tw_late=min(depot_close, math.floor(vehicle.shift_end * scale + _EPSILON)),
                unit_distance_cost=max(1, int(round(vehicle.cost_per_distance * _COST_RESOLUTION))),
            )
            order.append(members)
        for i in range(problem.size):
            row_d, row_t = problem.distance[i], problem.travel_time[i]
            for j in range(problem.size):
                if i != j:
                    model.add_edge(
                        locations[i],
                        locations[j],
                        distance=int(round(row_d[j] * scale)),
                        duration=math.ceil(row_t[j] * scale - _EPSILON),
                    )
        data = model.data()
        warm_start = None
        if initial_routes and any(initial_routes):
            type_of = {v: t for t, members in enumerate(order) for v in members}
            warm_start = Solution(
                data,
                [
                    # PyVRP numbers clients from 0; our stops are nodes 1..n-1.
                    Route(data, [node - 1 for node in route], type_of[v])
                    for v, route in enumerate(initial_routes)
                    if route
                ],
            )
        remaining = max(0.1, self.settings.time_limit_seconds - (time.monotonic() - began))
        with warnings.catch_warnings():
            # PyVRP warns when its penalty for infeasible plans reaches its ceiling (tight
            # windows, as in Solomon's RC104); what counts is whether the plan it returns
            # is feasible, which is checked below.
            warnings.simplefilter("ignore", PenaltyBoundWarning)
            result = solve(
                data,
                stop=MaxRuntime(remaining),
                seed=self.seed,
                collect_stats=False,
                display=False,
                initial_solution=warm_start,
            )
        if not result.is_feasible():
            raise FailedPrecondition(
                "PyVRP found no feasible plan in time: check capacities, shifts and windows"
            )
        used = {v: 0 for v in range(len(order))}
        routes: dict[int, PlannedRoute] = {}
        for route in result.best.routes():
            type_index = route.vehicle_type()
            vehicle = order[type_index][used[type_index]]
            used[type_index] += 1
            # Activity idx counts clients from 0; our stops are nodes 1..n-1.
            stops = tuple(a.idx + 1 for a in route if a.is_client())
            routes[vehicle] = PlannedRoute(vehicle=vehicle, stops=stops)
        planned = tuple(
            routes.get(v, PlannedRoute(vehicle=v, stops=())) for v in range(len(problem.vehicles))
        )
        routed = {stop for route in planned for stop in route.stops}
        return VrpSolution(
            routes=planned,
            dropped=tuple(node for node in range(1, problem.size) if node not in routed),
            objective=int(result.cost()),
            solve_seconds=time.monotonic() - began,
            engine="pyvrp",
            notes={"warm_start": str(warm_start is not None)},
        )

    def close(self) -> None:
        """Nothing to release; present so both engines share one interface."""


def _vehicle_key(problem: VrpProblem, v: int) -> tuple:
    vehicle = problem.vehicles[v]
    return (
        vehicle.capacity,
        vehicle.shift_start,
        vehicle.shift_end,
        vehicle.fixed_cost,
        vehicle.cost_per_distance,
    )
