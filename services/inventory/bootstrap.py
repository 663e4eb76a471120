"""The one place where the inventory service's parts are wired together."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from cangpei.inventory.v1 import inventory_pb2 as pb
from cangpei.inventory.v1 import inventory_pb2_grpc
from cangpei.runtime.app import ServiceApp
from cangpei.runtime.settings import load_config
from services.inventory.adapters.schema import MIGRATIONS
from services.inventory.adapters.unit_of_work import sql_unit_of_work_factories
from services.inventory.config import InventoryConfig
from services.inventory.entrypoints.api import InventoryApi
from services.inventory.entrypoints.catalog_events import (
    PRODUCT_LISTED,
    make_product_listed_handler,
)
from services.inventory.entrypoints.flow_events import add_flow_consumers
from services.inventory.entrypoints.grpc_servicer import InventoryServicer
from services.inventory.entrypoints.sweeper import make_sweeper
from services.inventory.service_layer.admission import ReservationAdmission
from services.inventory.service_layer.handlers import InventoryService, utcnow
from services.inventory.service_layer.queries import InventoryQueries

SERVICE = "inventory"
GRPC_SERVICE_NAME = "cangpei.inventory.v1.InventoryService"


def wire(
    app: ServiceApp,
    config: InventoryConfig | None = None,
    clock: Callable[[], datetime] = utcnow,
) -> InventoryApi:
    """Register the inventory service on ``app``; return its API (tests and benchmarks use it)."""
    config = config or load_config(InventoryConfig, SERVICE)
    app.migrations = MIGRATIONS
    write_uow, read_uow = sql_unit_of_work_factories(app.db, app.uow)
    service = InventoryService(
        write_uow,
        config,
        read_uow_factory=read_uow,
        clock=clock,
        defer_stock_locks=config.lock_stock_late and not app.db.is_sqlite,
    )
    queries = InventoryQueries(read_uow, config)

    async def run_batch(cmds):  # type: ignore[no-untyped-def]
        return await app.run_blocking(service.reserve_batch, cmds)

    # SQLite takes one writer at a time, so a second batch would only queue behind the first.
    workers = 1 if app.db.is_sqlite else config.reservation_batch_workers
    admission = ReservationAdmission(
        run_batch,
        batch_size=config.reservation_batch_size,
        workers=workers,
        linger_seconds=config.reservation_batch_linger_ms / 1000,
    )
    api = InventoryApi(service, queries, admission, app.run_blocking)

    app.add_grpc(
        inventory_pb2_grpc.add_InventoryServiceServicer_to_server,
        InventoryServicer(api),
        GRPC_SERVICE_NAME,
    )
    app.add_rpc("rpc.inventory.Reserve", pb.ReserveRequest, api.reserve)
    app.add_rpc("rpc.inventory.GetAvailability", pb.GetAvailabilityRequest, api.get_availability)
    app.add_rpc("rpc.inventory.Release", pb.ReleaseRequest, api.release)
    app.add_rpc("rpc.inventory.Commit", pb.CommitRequest, api.commit)
    if config.learn_skus_from_catalog:
        app.add_consumer(
            durable="inventory-products",
            stream="CATALOG",
            subjects=[PRODUCT_LISTED],
            handler=make_product_listed_handler(config, postgres=not app.db.is_sqlite),
        )
    add_flow_consumers(app, service)
    app.add_task(admission.run)
    app.add_task(make_sweeper(service, config.sweep_interval_seconds, config.sweep_batch_size))
    return api
