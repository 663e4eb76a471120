"""Wiring of the catalog service: the one place where its parts meet."""

from __future__ import annotations

from cangpei.catalog.v1 import catalog_pb2_grpc
from cangpei.runtime.app import ServiceApp, Wire
from cangpei.runtime.settings import load_config
from services.catalog.adapters.migrations import MIGRATIONS
from services.catalog.domain.config import CatalogConfig
from services.catalog.entrypoints.grpc_servicer import CatalogServicer
from services.catalog.entrypoints.jobs import recheck_loop
from services.catalog.entrypoints.nats_handlers import add_request_reply

SERVICE = "catalog"


def make_wire(config: CatalogConfig) -> Wire:
    """Wiring with an explicit configuration (tests pass their own)."""

    def wire_catalog(app: ServiceApp) -> None:
        app.migrations = MIGRATIONS
        app.add_grpc(
            catalog_pb2_grpc.add_CatalogServiceServicer_to_server,
            CatalogServicer(app, config),
            "cangpei.catalog.v1.CatalogService",
        )
        add_request_reply(app, config)
        if config.recheck_interval_seconds > 0:
            app.add_task(recheck_loop(config))

    return wire_catalog


def wire(app: ServiceApp) -> None:
    """Registration only: configuration is read here, once; nothing connects."""
    make_wire(load_config(CatalogConfig, SERVICE))(app)
