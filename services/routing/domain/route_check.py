"""An independent check of a routing solution: capacity, time windows, every stop once.

It recomputes everything from the problem in the problem's own (unscaled) units, so a
rounding slip in the solver's integer model shows up here rather than on the road.
"""

from __future__ import annotations

from .vrp import DEPOT, VrpProblem, VrpSolution

# Double-precision sums of a few hundred arcs differ from one order of addition to
# another by far less than this.
TOLERANCE = 1e-6


def earliest_service_starts(
    problem: VrpProblem, vehicle: int, stops: tuple[int, ...]
) -> list[float]:
    """Service start at each stop when the vehicle leaves as early as it may and waits
    for windows to open; any feasible schedule starts each stop no earlier than this."""
    shift = problem.vehicles[vehicle]
    time = max(shift.shift_start, problem.windows[DEPOT][0])
    previous = DEPOT
    starts = []
    for stop in stops:
        arrival = time + problem.service_time[previous] + problem.travel_time[previous][stop]
        time = max(arrival, problem.windows[stop][0])
        starts.append(time)
        previous = stop
    return starts


def route_violations(problem: VrpProblem, solution: VrpSolution) -> list[str]:
    """Every broken rule in the solution, in words; an empty list means it is feasible."""
    problems: list[str] = []
    seen: dict[int, int] = {}
    dims = len(problem.vehicles[0].capacity)
    vehicles_used: set[int] = set()
    for route in solution.routes:
        if not 0 <= route.vehicle < len(problem.vehicles):
            problems.append(f"route names vehicle {route.vehicle}, which does not exist")
            continue
        if route.vehicle in vehicles_used and route.stops:
            problems.append(f"vehicle {route.vehicle} has more than one route")
        vehicles_used.add(route.vehicle)
        vehicle = problem.vehicles[route.vehicle]
        load = [0] * dims
        for stop in route.stops:
            if not 0 < stop < problem.size:
                problems.append(f"vehicle {route.vehicle} visits unknown node {stop}")
                continue
            seen[stop] = seen.get(stop, 0) + 1
            for d in range(dims):
                load[d] += problem.demands[stop][d]
        for d in range(dims):
            if load[d] > vehicle.capacity[d]:
                problems.append(
                    f"vehicle {route.vehicle} carries {load[d]} in dimension {d}, "
                    f"capacity {vehicle.capacity[d]}"
                )
        if not route.stops or any(not 0 < s < problem.size for s in route.stops):
            continue
        starts = earliest_service_starts(problem, route.vehicle, route.stops)
        for stop, start in zip(route.stops, starts, strict=True):
            if start > problem.windows[stop][1] + TOLERANCE:
                problems.append(
                    f"vehicle {route.vehicle} starts node {stop} at {start:.3f}, "
                    f"after its window closes at {problem.windows[stop][1]}"
                )
        last = route.stops[-1]
        back = starts[-1] + problem.service_time[last] + problem.travel_time[last][DEPOT]
        latest = min(vehicle.shift_end, problem.windows[DEPOT][1])
        if back > latest + TOLERANCE:
            problems.append(
                f"vehicle {route.vehicle} returns at {back:.3f}, after its shift ends at {latest}"
            )
    for node, count in seen.items():
        if count > 1:
            problems.append(f"node {node} is visited {count} times")
    dropped = set(solution.dropped)
    for node in range(1, problem.size):
        if node in seen and node in dropped:
            problems.append(f"node {node} is both routed and dropped")
        elif node not in seen and node not in dropped:
            problems.append(f"node {node} is neither routed nor dropped")
        elif node in dropped and problem.penalty(node) is None:
            problems.append(f"node {node} is mandatory but was dropped")
    return problems
