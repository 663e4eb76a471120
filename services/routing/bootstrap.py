"""The one place where the routing service's parts are wired together."""

from __future__ import annotations

import asyncio
import importlib.util
from collections.abc import Callable
from datetime import datetime

from cangpei.routing.v1 import routing_pb2 as pb
from cangpei.routing.v1 import routing_pb2_grpc
from cangpei.runtime.app import ServiceApp
from cangpei.runtime.clock import BusinessClock
from cangpei.runtime.locks import exclusive
from cangpei.runtime.settings import SettingsError, load_config
from services.routing.adapters.carrier_flow import choose_min_cost
from services.routing.adapters.ortools_vrptw import OrToolsVrpSolver, SearchSettings
from services.routing.adapters.process_runner import ProcessRunner
from services.routing.adapters.schema import MIGRATIONS
from services.routing.adapters.unit_of_work import sql_uow_factory
from services.routing.config import RoutingConfig
from services.routing.entrypoints.api import RoutingApi
from services.routing.entrypoints.consumers import (
    ORDER_CANCELLED,
    ORDER_FAILED,
    DispatchLoop,
    on_allocation_created,
    on_allocations_created,
    on_order_closed,
)
from services.routing.entrypoints.grpc_servicer import RoutingServicer
from services.routing.service_layer.dispatch_round import DispatchRound
from services.routing.service_layer.dispatcher import Dispatcher
from services.routing.service_layer.solver_budget import SizedSolver

SERVICE = "routing"
GRPC_SERVICE_NAME = "cangpei.routing.v1.RoutingService"


ENGINES = ("ortools", "pyvrp")


def make_solver(config: RoutingConfig, time_limit: float, strategy: str):
    settings = SearchSettings(
        time_limit_seconds=time_limit, workers=config.solver_workers, strategy=strategy
    )
    if config.solver_engine not in ENGINES:
        raise SettingsError(
            f"CANGPEI_ROUTING_SOLVER_ENGINE={config.solver_engine!r} is not an engine; "
            f"expected one of {', '.join(ENGINES)}"
        )
    if config.solver_engine == "pyvrp":
        # Checked here, at start, rather than at the first wave in the solver process.
        if importlib.util.find_spec("pyvrp") is None:
            raise SettingsError(
                "CANGPEI_ROUTING_SOLVER_ENGINE=pyvrp needs PyVRP: "
                "pip install -c requirements/constraints.txt -e '.[pyvrp]'"
            )
        from services.routing.adapters.pyvrp_vrptw import PyVrpSolver

        engine = PyVrpSolver(settings)
    else:
        engine = OrToolsVrpSolver(settings)
    # One worker: the limit follows the wave's size (with several, each solve would start
    # a pool of its own).
    return SizedSolver(engine) if config.solver_workers == 1 else engine


def _ready() -> bool:
    import services.routing.adapters.ortools_vrptw  # noqa: F401
    import services.routing.domain.dispatch  # noqa: F401 - loads the solver stack

    return True


def wire(
    app: ServiceApp,
    config: RoutingConfig | None = None,
    clock: Callable[[], datetime] | None = None,
) -> RoutingApi:
    """Register the routing service on ``app``; return its API (tests use it).

    ``clock``: the business time shifts, cut-offs and pickup days follow (by default the
    real clock, or the simulated one of CANGPEI_CLOCK_FILE; see cangpei.runtime.clock)."""
    config = config or load_config(RoutingConfig, SERVICE)
    clock = clock or BusinessClock.from_env()
    app.migrations = MIGRATIONS
    uow_factory = sql_uow_factory(app.uow, clock)
    runner = ProcessRunner()

    async def run_solver(fn, *args):  # noqa: ANN001, ANN202
        return await app.run_cpu(runner, fn, *args)

    dispatcher = Dispatcher(
        uow_factory,
        make_solver(config, config.solver_time_limit_seconds, "ils"),
        # Re-planning continues from the previous routes (a warm start needs GLS).
        make_solver(config, config.replan_time_limit_seconds, "gls"),
        config,
        app.run_blocking,
        run_solver,
        clock,
        choose_min_cost,
    )
    api = RoutingApi(uow_factory, dispatcher, app.run_blocking)
    app.add_grpc(
        routing_pb2_grpc.add_RoutingServiceServicer_to_server,
        RoutingServicer(api),
        GRPC_SERVICE_NAME,
    )
    app.add_rpc("rpc.routing.DispatchWave", pb.DispatchWaveRequest, api.dispatch_wave)
    app.add_rpc("rpc.routing.GetParcel", pb.GetParcelRequest, api.get_parcel)
    app.add_rpc("rpc.routing.GetPlan", pb.GetPlanRequest, api.get_plan)
    app.add_rpc("rpc.routing.CancelParcel", pb.CancelParcelRequest, api.cancel_parcel)
    dispatch_round = DispatchRound(
        dispatcher, uow_factory, config, lambda name: exclusive(app.db, name), app.run_blocking
    )
    dispatch_loop = DispatchLoop(dispatch_round, config.dispatch_interval_seconds)
    app.add_consumer(
        durable="routing-allocations",
        stream="WAREHOUSE",
        subjects=["warehouse.allocation.created"],
        handler=on_allocation_created,
        batch_handler=on_allocations_created,
        max_deliver=config.allocation_max_deliver,
        on_applied=dispatch_loop.wake,
    )
    app.add_consumer(
        durable="routing-order-closures",
        stream="WAREHOUSE",
        subjects=[ORDER_CANCELLED, ORDER_FAILED],
        handler=on_order_closed,
    )
    app.add_task(dispatch_loop.run)

    async def own_runner(app: ServiceApp) -> None:
        # Start the solver process now, so the first wave does not wait for its imports.
        await app.run_cpu(runner, _ready)
        try:
            await asyncio.Event().wait()
        finally:
            runner.close()

    app.add_task(own_runner)
    return api
