"""The one place where the warehouse service's parts are wired together."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime

from cangpei.runtime.app import ServiceApp
from cangpei.runtime.clock import BusinessClock
from cangpei.runtime.settings import load_config
from cangpei.warehouse.v1 import warehouse_pb2 as pb
from cangpei.warehouse.v1 import warehouse_pb2_grpc
from services.warehouse.adapters.inventory_client import (
    NatsReleaser,
    NatsReserver,
    NatsStockSource,
)
from services.warehouse.adapters.optimiser import CpSatOptimiser
from services.warehouse.adapters.schema import MIGRATIONS
from services.warehouse.adapters.unit_of_work import SqlUnitOfWork
from services.warehouse.config import WarehouseConfig
from services.warehouse.entrypoints.allocation_loop import AllocationLoop
from services.warehouse.entrypoints.api import WarehouseApi
from services.warehouse.entrypoints.flow_events import flow_consumers
from services.warehouse.entrypoints.fulfilment_api import FulfilmentApi
from services.warehouse.entrypoints.grpc_servicer import WarehouseServicer
from services.warehouse.service_layer.allocate import AllocationDeps
from services.warehouse.service_layer.fulfilment_waves import WaveDeps, allocate_received

SERVICE = "warehouse"
GRPC_SERVICE_NAME = "cangpei.warehouse.v1.WarehouseService"


def wire(
    app: ServiceApp,
    config: WarehouseConfig | None = None,
    clock: Callable[[], datetime] | None = None,
) -> WarehouseApi:
    """Register the warehouse service on ``app``; return its API (tests use it).

    ``clock``: the business time cut-offs and promises are judged by (by default the
    real clock, or the simulated one of CANGPEI_CLOCK_FILE; see cangpei.runtime.clock)."""
    config = config or load_config(WarehouseConfig, SERVICE)
    clock = clock or BusinessClock.from_env()
    app.migrations = MIGRATIONS
    timeout = app.settings.nats_request_timeout

    def uow() -> SqlUnitOfWork:
        return SqlUnitOfWork(app.uow)

    deps = AllocationDeps(
        uow=uow,
        stock=NatsStockSource(app.request, timeout),
        reserver=NatsReserver(app.request, timeout),
        optimiser=CpSatOptimiser.from_config(config),
        config=config,
        run_blocking=app.run_blocking,
        run_cpu=app.run_cpu,
        now=clock,
        new_id=lambda: uuid.uuid4().hex,
    )
    api = WarehouseApi(uow, deps, config)

    # The fulfilment flow: orders accepted at once, allocated in waves by a background loop.
    wave_solver = replace(
        CpSatOptimiser.from_config(
            replace(config, solver_time_limit_seconds=config.wave_solver_time_limit_seconds)
        ),
        use_spare_time=False,
    )
    waves = WaveDeps(
        replace(deps, optimiser=wave_solver), uow, NatsReleaser(app.request, timeout), config
    )
    loop = AllocationLoop(
        lambda size: allocate_received(waves, size),
        config.allocation_interval_seconds,
        config.allocation_batch_orders,
    )
    fulfilment = FulfilmentApi(uow, deps, on_submitted=loop.wake)
    # Reachable from tests through the returned API.
    api.fulfilment = fulfilment
    api.waves = waves
    api.allocation_loop = loop

    app.add_grpc(
        warehouse_pb2_grpc.add_WarehouseServiceServicer_to_server,
        WarehouseServicer(api, fulfilment),
        GRPC_SERVICE_NAME,
    )
    app.add_rpc("rpc.warehouse.Allocate", pb.AllocateRequest, api.allocate)
    app.add_rpc(
        "rpc.warehouse.SubmitFulfilmentOrder", pb.SubmitFulfilmentOrderRequest, fulfilment.submit
    )
    for spec in flow_consumers(config, clock):
        app.add_consumer(
            durable=spec.durable,
            stream=spec.stream,
            subjects=spec.subjects,
            handler=spec.handler,
            batch_handler=spec.batch_handler,
        )
    app.add_task(loop.run)
    return api
