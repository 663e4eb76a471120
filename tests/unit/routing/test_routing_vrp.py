from __future__ import annotations

import itertools
import math
import random

import pytest
from ortools.constraint_solver.routing_heuristic_parameters_pb2 import (
    LocalCheapestInsertionParameters,
)

from cangpei.runtime.errors import InvalidArgument
from services.routing.adapters.ortools_vrptw import (
    STRATEGIES,
    OrToolsVrpSolver,
    SearchSettings,
    _parameters,
)
from services.routing.domain.route_check import route_violations
from services.routing.domain.vrp import (
    FleetVehicle,
    PlannedRoute,
    VrpProblem,
    VrpSolution,
    route_distance,
    total_distance,
)

FAST = SearchSettings(time_limit_seconds=1.0, workers=1)


def euclidean_problem(
    points: list[tuple[float, float]],
    windows: list[tuple[float, float]],
    demands: list[int],
    vehicles: int,
    capacity: int,
    service: float = 0.0,
    penalties: list[int | None] | None = None,
) -> VrpProblem:
    distance = [[math.dist(p, q) for q in points] for p in points]
    horizon = windows[0][1]
    return VrpProblem(
        distance=distance,
        travel_time=distance,
        service_time=[0.0] + [service] * (len(points) - 1),
        windows=windows,
        demands=[(d,) for d in demands],
        vehicles=[FleetVehicle(f"v{k}", (capacity,), 0.0, horizon) for k in range(vehicles)],
        drop_penalty=penalties,
    )


def brute_force_optimum(problem: VrpProblem) -> float:
    """Every split of every order of the stops between two vehicles: the true optimum."""
    stops = list(range(1, problem.size))
    best = math.inf
    for order in itertools.permutations(stops):
        for cut in range(len(order) + 1):
            solution = VrpSolution(
                routes=(PlannedRoute(0, order[:cut]), PlannedRoute(1, order[cut:]))
            )
            if not route_violations(problem, solution):
                best = min(best, total_distance(problem, solution))
    return best


def random_problem(seed: int, customers: int = 6) -> VrpProblem:
    rng = random.Random(seed)
    points = [(50.0, 50.0)] + [(rng.uniform(0, 100), rng.uniform(0, 100)) for _ in range(customers)]
    windows = [(0.0, 400.0)]
    for _ in range(customers):
        start = rng.uniform(0, 250)
        windows.append((start, start + rng.uniform(60, 200)))
    demands = [0] + [rng.randint(1, 10) for _ in range(customers)]
    return euclidean_problem(points, windows, demands, vehicles=2, capacity=30, service=5.0)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_tiny_instance_is_solved_to_its_brute_force_optimum(seed: int) -> None:
    problem = random_problem(seed, customers=5)
    optimum = brute_force_optimum(problem)
    assert optimum < math.inf, "the generated instance must be feasible"
    solution = OrToolsVrpSolver(FAST).solve(problem)
    assert route_violations(problem, solution) == []
    # The solver works on distances x1000 rounded, so it may differ by rounding only.
    assert total_distance(problem, solution) == pytest.approx(optimum, abs=0.01)


@pytest.mark.parametrize("strategy", STRATEGIES)
def test_every_search_strategy_reaches_the_brute_force_optimum(strategy: str) -> None:
    problem = random_problem(5, customers=5)
    optimum = brute_force_optimum(problem)
    settings = SearchSettings(time_limit_seconds=0.5, strategy=strategy)
    solution = OrToolsVrpSolver(settings).solve(problem)
    assert solution.engine == f"ortools-{strategy}"
    assert route_violations(problem, solution) == []
    assert total_distance(problem, solution) == pytest.approx(optimum, abs=0.01)


@pytest.mark.parametrize("callback", [False, True], ids=["matrix", "callback"])
def test_travel_time_as_matrix_or_callback_reaches_the_same_optimum(callback: bool) -> None:
    problem = random_problem(8, customers=5)
    optimum = brute_force_optimum(problem)
    settings = SearchSettings(time_limit_seconds=0.5, travel_time_callback=callback)
    solution = OrToolsVrpSolver(settings).solve(problem)
    assert route_violations(problem, solution) == []
    assert total_distance(problem, solution) == pytest.approx(optimum, abs=0.01)


@pytest.mark.parametrize("max_nodes", [0, 1500], ids=["matrices", "flattened-tables"])
def test_flattened_transit_tables_change_nothing_the_search_sees(max_nodes: int) -> None:
    problem = random_problem(9, customers=5)
    optimum = brute_force_optimum(problem)
    settings = SearchSettings(time_limit_seconds=0.5, transit_table_max_nodes=max_nodes)
    solution = OrToolsVrpSolver(settings).solve(problem)
    assert route_violations(problem, solution) == []
    assert total_distance(problem, solution) == pytest.approx(optimum, abs=0.01)
    # The objective is the scaled distance either way: the tables hold the same values.
    assert solution.objective == pytest.approx(optimum * settings.scale, abs=len(problem.distance))


def test_two_workers_run_two_different_searches_and_return_a_checked_plan() -> None:
    problem = random_problem(6, customers=8)
    solver = OrToolsVrpSolver(SearchSettings(time_limit_seconds=0.5, workers=2))
    try:
        assert solver._variants() == ["ils", "ils-varied"]
        solution = solver.solve(problem)
    finally:
        solver.close()
    assert solution.engine in {"ortools-ils", "ortools-ils-varied"}
    assert route_violations(problem, solution) == []
    assert solution.dropped == ()


def test_unknown_search_strategy_is_refused_with_the_known_ones() -> None:
    problem = random_problem(7, customers=3)
    solver = OrToolsVrpSolver(SearchSettings(time_limit_seconds=0.2, strategy="tabu"))
    with pytest.raises(ValueError, match="ils-savings"):
        solver.solve(problem)


@pytest.mark.parametrize("seed", range(10, 16))
def test_returned_routes_never_break_windows_or_capacity(seed: int) -> None:
    problem = random_problem(seed, customers=12)
    penalties: list[int | None] = [None] + [1000] * 12
    problem = VrpProblem(**{**problem.__dict__, "drop_penalty": penalties})
    solution = OrToolsVrpSolver(SearchSettings(time_limit_seconds=0.5)).solve(problem)
    assert route_violations(problem, solution) == []


def test_unreachable_stop_is_dropped_not_routed_late() -> None:
    # Stop 2 is 100 away but must be served by t=10: no vehicle can be there in time.
    problem = euclidean_problem(
        [(0, 0), (3, 4), (100, 0)],
        [(0, 1000), (0, 1000), (0, 10)],
        [0, 1, 1],
        vehicles=1,
        capacity=10,
        penalties=[None, 10_000, 10_000],
    )
    solution = OrToolsVrpSolver(FAST).solve(problem)
    assert solution.dropped == (2,)
    assert solution.used_routes()[0].stops == (1,)


def test_warm_start_keeps_a_feasible_previous_plan_as_the_starting_point() -> None:
    problem = random_problem(4, customers=8)
    first = OrToolsVrpSolver(FAST).solve(problem)
    routes = [list(r.stops) for r in first.routes]
    again = OrToolsVrpSolver(SearchSettings(time_limit_seconds=0.3)).solve(
        problem, initial_routes=routes
    )
    assert again.notes["warm_start"] == "True"
    assert route_violations(problem, again) == []
    assert total_distance(problem, again) <= total_distance(problem, first) + 1e-6


def test_checker_reports_capacity_window_and_duplicate_breaches() -> None:
    problem = euclidean_problem(
        [(0, 0), (10, 0), (20, 0)], [(0, 100), (0, 5), (0, 100)], [0, 6, 6], 2, 10
    )
    solution = VrpSolution(routes=(PlannedRoute(0, (1, 2, 1)), PlannedRoute(1, ())))
    problems = " | ".join(route_violations(problem, solution))
    assert "carries 18" in problems
    assert "after its window closes" in problems
    assert "node 1 is visited 2 times" in problems


def test_checker_reports_a_stop_that_is_neither_routed_nor_dropped() -> None:
    problem = euclidean_problem([(0, 0), (1, 0), (2, 0)], [(0, 100)] * 3, [0, 1, 1], 1, 10)
    solution = VrpSolution(routes=(PlannedRoute(0, (1,)),))
    assert route_violations(problem, solution) == ["node 2 is neither routed nor dropped"]
    assert route_distance(problem, (1,)) == pytest.approx(2.0)


def test_window_that_ends_before_it_starts_is_refused() -> None:
    problem = euclidean_problem([(0, 0), (1, 0)], [(0, 100), (50, 40)], [0, 1], 1, 10)
    with pytest.raises(InvalidArgument, match="window ends"):
        OrToolsVrpSolver(FAST).solve(problem)


def test_the_second_worker_anneals_hotter_and_ruins_fewer_stops_than_the_first() -> None:
    settings = SearchSettings()
    first = _parameters(settings, "ils", 1.0, mean_arc_cost=1000.0)
    second = _parameters(settings, "ils-varied", 1.0, mean_arc_cost=1000.0)
    hot = second.iterated_local_search_parameters.reference_solution_acceptance_strategy
    cool = first.iterated_local_search_parameters.reference_solution_acceptance_strategy
    assert hot.simulated_annealing.initial_temperature == pytest.approx(300.0)
    assert cool.simulated_annealing.initial_temperature == pytest.approx(100.0)
    ruin = second.iterated_local_search_parameters.ruin_recreate_parameters.ruin_strategies[0]
    assert ruin.sisr.avg_num_removed_visits < settings.sisr_avg_removed


def test_only_the_second_worker_reinserts_stops_in_a_random_order() -> None:
    def sorting(settings: SearchSettings, variant: str) -> list[int]:
        params = _parameters(settings, variant, 1.0, mean_arc_cost=1000.0)
        recreate = params.iterated_local_search_parameters.ruin_recreate_parameters
        insertion = recreate.recreate_strategy.parameters.local_cheapest_insertion
        return list(insertion.insertion_sorting_properties)

    random_order = LocalCheapestInsertionParameters.SORTING_PROPERTY_RANDOM
    assert sorting(SearchSettings(), "ils-varied") == [random_order]
    assert sorting(SearchSettings(), "ils") == []
    assert sorting(SearchSettings(varied_random_order=False), "ils-varied") == []
