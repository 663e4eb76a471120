"""The vehicle routing problem with time windows, as plain data.

Node 0 is the depot; nodes 1..n-1 are the stops. Distances, travel times, service
times and windows share one unit chosen by the caller (metres and seconds for the
fleet, the instance's own units for Solomon's benchmark); the solver scales them to
integers itself and reports routes measured in these units.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from cangpei.runtime.errors import InvalidArgument

DEPOT = 0


@dataclass(frozen=True)
class FleetVehicle:
    """One vehicle as the solver sees it: capacities, shift and what using it costs."""

    vehicle_id: str
    capacity: tuple[int, ...]
    shift_start: float
    shift_end: float
    fixed_cost: int = 0
    cost_per_distance: float = 1.0


@dataclass(frozen=True)
class VrpProblem:
    distance: Sequence[Sequence[float]]
    travel_time: Sequence[Sequence[float]]
    service_time: Sequence[float]
    windows: Sequence[tuple[float, float]]
    demands: Sequence[tuple[int, ...]]
    vehicles: Sequence[FleetVehicle]
    # Cost of leaving a stop unrouted (it then goes to a carrier); None makes it mandatory.
    drop_penalty: Sequence[int | None] | None = None

    @property
    def size(self) -> int:
        return len(self.distance)

    def penalty(self, node: int) -> int | None:
        return None if self.drop_penalty is None else self.drop_penalty[node]

    def validate(self) -> None:
        """Refuse a problem whose parts disagree, naming the first part that is wrong."""
        n = self.size
        if n < 1:
            raise InvalidArgument("a routing problem needs at least the depot as node 0")
        for name, rows in (("distance", self.distance), ("travel_time", self.travel_time)):
            if len(rows) != n or any(len(row) != n for row in rows):
                raise InvalidArgument(f"{name} matrix must be {n}x{n}")
        for name, values in (
            ("service_time", self.service_time),
            ("windows", self.windows),
            ("demands", self.demands),
        ):
            if len(values) != n:
                raise InvalidArgument(f"{name} has {len(values)} entries, expected {n}")
        if self.drop_penalty is not None and len(self.drop_penalty) != n:
            raise InvalidArgument(
                f"drop_penalty has {len(self.drop_penalty)} entries, expected {n}"
            )
        if not self.vehicles:
            raise InvalidArgument("a routing problem needs at least one vehicle")
        dims = len(self.vehicles[0].capacity)
        for vehicle in self.vehicles:
            if len(vehicle.capacity) != dims:
                raise InvalidArgument(
                    f"vehicle {vehicle.vehicle_id} has a different capacity shape"
                )
            if vehicle.shift_end < vehicle.shift_start:
                raise InvalidArgument(
                    f"vehicle {vehicle.vehicle_id} shift ends ({vehicle.shift_end}) "
                    f"before it starts ({vehicle.shift_start})"
                )
        for node, (start, end) in enumerate(self.windows):
            if end < start:
                raise InvalidArgument(f"node {node} window ends ({end}) before it starts ({start})")
        for node, demand in enumerate(self.demands):
            if len(demand) != dims or any(d < 0 for d in demand):
                raise InvalidArgument(
                    f"node {node} demand {demand} must be {dims} non-negative values"
                )


@dataclass(frozen=True)
class PlannedRoute:
    """A vehicle's stops in order (depot excluded) with the service start at each."""

    vehicle: int
    stops: tuple[int, ...]
    service_starts: tuple[float, ...] = ()


@dataclass(frozen=True)
class VrpSolution:
    routes: tuple[PlannedRoute, ...]
    dropped: tuple[int, ...] = ()
    objective: int = 0
    solve_seconds: float = 0.0
    engine: str = ""
    notes: dict[str, str] = field(default_factory=dict)

    def used_routes(self) -> tuple[PlannedRoute, ...]:
        return tuple(route for route in self.routes if route.stops)


def route_distance(problem: VrpProblem, stops: Sequence[int]) -> float:
    """Distance of depot -> stops -> depot, in the problem's units (exact, not scaled)."""
    if not stops:
        return 0.0
    total = problem.distance[DEPOT][stops[0]] + problem.distance[stops[-1]][DEPOT]
    for a, b in zip(stops, stops[1:], strict=False):
        total += problem.distance[a][b]
    return total


def total_distance(problem: VrpProblem, solution: VrpSolution) -> float:
    return sum(route_distance(problem, route.stops) for route in solution.routes)
