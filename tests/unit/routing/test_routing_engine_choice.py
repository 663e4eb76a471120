from __future__ import annotations

import pytest

from cangpei.runtime.settings import SettingsError
from services.routing.adapters.ortools_vrptw import OrToolsVrpSolver
from services.routing.bootstrap import make_solver
from services.routing.config import RoutingConfig
from services.routing.service_layer.solver_budget import SizedSolver


def test_ortools_is_the_default_engine() -> None:
    solver = make_solver(RoutingConfig(), 1.0, "ils")
    assert isinstance(solver, SizedSolver)
    assert isinstance(solver.engine, OrToolsVrpSolver)


def test_pyvrp_is_chosen_by_configuration() -> None:
    pytest.importorskip("pyvrp", reason="PyVRP is the optional second engine (pyvrp extra)")
    from services.routing.adapters.pyvrp_vrptw import PyVrpSolver

    solver = make_solver(RoutingConfig(solver_engine="pyvrp", solver_workers=2), 1.0, "ils")
    assert isinstance(solver, PyVrpSolver)
    assert solver.settings.time_limit_seconds == 1.0


def test_an_unknown_engine_is_refused_at_start_with_the_choices() -> None:
    with pytest.raises(SettingsError, match="'gurobi' is not an engine; expected one of ortools"):
        make_solver(RoutingConfig(solver_engine="gurobi"), 1.0, "ils")
