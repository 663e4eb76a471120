from __future__ import annotations

import pytest

from services.routing.adapters.ortools_vrptw import SearchSettings
from services.routing.domain.route_check import route_violations
from services.routing.domain.vrp import total_distance

from .test_routing_vrp import brute_force_optimum, random_problem

pytest.importorskip("pyvrp", reason="PyVRP is the optional second engine (the bench extra)")


def test_second_engine_reaches_the_same_optimum_behind_the_same_interface() -> None:
    from services.routing.adapters.pyvrp_vrptw import PyVrpSolver

    problem = random_problem(2, customers=5)
    solution = PyVrpSolver(SearchSettings(time_limit_seconds=0.5), seed=1).solve(problem)
    assert route_violations(problem, solution) == []
    assert total_distance(problem, solution) == pytest.approx(
        brute_force_optimum(problem), abs=0.01
    )
