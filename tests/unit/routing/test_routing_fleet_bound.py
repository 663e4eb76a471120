"""The search is given the vehicles its first solution uses plus a few, when that loses nothing."""

from __future__ import annotations

import dataclasses
import random

import pytest

from services.routing.adapters import ortools_vrptw
from services.routing.adapters.ortools_vrptw import OrToolsVrpSolver, SearchSettings
from services.routing.domain.route_check import route_violations
from services.routing.domain.vrp import VrpProblem, total_distance

from .test_routing_vrp import euclidean_problem

SETTINGS = SearchSettings(time_limit_seconds=0.5, fleet_slack=1)


def large_fleet_problem(seed: int = 4, vehicles: int = 12) -> VrpProblem:
    """Eight stops that two or three vehicles can serve, offered a fleet of twelve."""
    rng = random.Random(seed)
    points = [(50.0, 50.0)] + [(rng.uniform(0, 100), rng.uniform(0, 100)) for _ in range(8)]
    windows = [(0.0, 600.0)] + [(0.0, 600.0)] * 8
    demands = [0] + [rng.randint(3, 10) for _ in range(8)]
    return euclidean_problem(points, windows, demands, vehicles, capacity=30, service=5.0)


def test_identical_vehicles_search_only_the_first_solutions_fleet_plus_slack() -> None:
    problem = large_fleet_problem()
    solution = OrToolsVrpSolver(SETTINGS).solve(problem)
    used = len(solution.used_routes())
    searched = int(solution.notes["searched_vehicles"])
    assert searched < len(problem.vehicles)
    assert used <= searched
    # The caller still gets one route per vehicle of its fleet, each passing the checker.
    assert [route.vehicle for route in solution.routes] == list(range(len(problem.vehicles)))
    assert route_violations(problem, solution) == []
    assert solution.dropped == ()


def test_the_second_worker_searches_the_first_solutions_fleet_without_spare_vehicles() -> None:
    problem = large_fleet_problem()
    first = ortools_vrptw._first_solution_routes(problem, SETTINGS, 1.0)
    assert first is not None and first + SETTINGS.fleet_slack < len(problem.vehicles)
    spare = ortools_vrptw.solve_once(problem, SETTINGS, "ils")
    exact = ortools_vrptw.solve_once(problem, SETTINGS, "ils-varied")
    assert spare is not None and exact is not None
    assert spare.notes["searched_vehicles"] == str(first + SETTINGS.fleet_slack)
    assert exact.notes["searched_vehicles"] == str(first)
    for solution in (spare, exact):
        assert route_violations(problem, solution) == []
        assert solution.dropped == ()


def test_the_smaller_fleet_reaches_what_the_whole_fleet_reaches() -> None:
    problem = large_fleet_problem()
    bounded = OrToolsVrpSolver(SETTINGS).solve(problem)
    whole = OrToolsVrpSolver(dataclasses.replace(SETTINGS, fleet_slack=None)).solve(problem)
    assert whole.notes["searched_vehicles"] == str(len(problem.vehicles))
    assert total_distance(problem, bounded) == pytest.approx(total_distance(problem, whole))


def test_vehicles_that_differ_keep_the_whole_fleet() -> None:
    problem = large_fleet_problem()
    vehicles = list(problem.vehicles)
    vehicles[-1] = dataclasses.replace(vehicles[-1], capacity=(40,))
    problem = dataclasses.replace(problem, vehicles=vehicles)
    solution = OrToolsVrpSolver(SETTINGS).solve(problem)
    assert solution.notes["searched_vehicles"] == str(len(vehicles))
    assert route_violations(problem, solution) == []


def test_optional_stops_keep_the_whole_fleet() -> None:
    problem = large_fleet_problem()
    penalties = [None] + [100_000] * (problem.size - 1)
    problem = dataclasses.replace(problem, drop_penalty=penalties)
    solution = OrToolsVrpSolver(SETTINGS).solve(problem)
    assert solution.notes["searched_vehicles"] == str(len(problem.vehicles))
    assert solution.dropped == ()


def test_a_fleet_too_small_for_the_search_falls_back_to_the_whole_fleet(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    problem = large_fleet_problem()
    # One vehicle cannot carry the eight stops' demand: that search finds no plan.
    assert sum(d for (d,) in problem.demands) > problem.vehicles[0].capacity[0]
    monkeypatch.setattr(ortools_vrptw, "_search_fleet", lambda *_: 1)
    solution = OrToolsVrpSolver(SETTINGS).solve(problem)
    assert solution.notes["searched_vehicles"] == str(len(problem.vehicles))
    assert route_violations(problem, solution) == []
    assert solution.dropped == ()
