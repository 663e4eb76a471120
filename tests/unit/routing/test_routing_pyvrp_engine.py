from __future__ import annotations

import pytest

from services.routing.adapters.ortools_vrptw import OrToolsVrpSolver, SearchSettings
from services.routing.domain.route_check import route_violations
from services.routing.domain.vrp import total_distance

from .test_routing_vrp import brute_force_optimum, random_problem

pytest.importorskip(
    "pyvrp", reason="PyVRP is the optional second engine (the pyvrp, dev and bench extras)"
)


def test_second_engine_reaches_the_same_optimum_behind_the_same_interface() -> None:
    from services.routing.adapters.pyvrp_vrptw import PyVrpSolver

    problem = random_problem(2, customers=5)
    solution = PyVrpSolver(SearchSettings(time_limit_seconds=0.5), seed=1).solve(problem)
    assert route_violations(problem, solution) == []
    assert total_distance(problem, solution) == pytest.approx(
        brute_force_optimum(problem), abs=0.01
    )


def test_second_engine_replans_from_the_previous_routes() -> None:
    from services.routing.adapters.pyvrp_vrptw import PyVrpSolver

    problem = random_problem(4, customers=8)
    first = OrToolsVrpSolver(SearchSettings(time_limit_seconds=0.5, workers=1)).solve(problem)
    routes = [list(r.stops) for r in first.routes]
    again = PyVrpSolver(SearchSettings(time_limit_seconds=0.2), seed=3).solve(
        problem, initial_routes=routes
    )
    assert again.notes["warm_start"] == "True"
    assert route_violations(problem, again) == []
    assert again.dropped == ()
    assert total_distance(problem, again) <= total_distance(problem, first) + 1e-6
