"""Request/reply for the other services: product look-ups over NATS.

Only the platform's own services reach these subjects (each service has its own NATS
credentials and permissions), so they read as platform staff; nothing here writes.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from cangpei.catalog.v1 import catalog_pb2 as pb
from cangpei.runtime.app import ServiceApp
from services.catalog.adapters.uow import SqlCatalogUnitOfWork
from services.catalog.domain import commands as c
from services.catalog.domain.config import CatalogConfig
from services.catalog.domain.principals import STAFF
from services.catalog.entrypoints import messages as m
from services.catalog.service_layer import products
from services.catalog.service_layer.context import HandlerContext

T = TypeVar("T")


def add_request_reply(app: ServiceApp, config: CatalogConfig) -> None:
    def read(handler: Callable[[Any, Any, HandlerContext], T], cmd: Any) -> T:
        with app.db.read_session() as session:
            return handler(cmd, SqlCatalogUnitOfWork(session), HandlerContext(config, STAFF))

    async def get_product(request: pb.GetProductRequest) -> pb.GetProductResponse:
        product = await app.run_blocking(read, products.get_product, request.product_id)
        return pb.GetProductResponse(product=m.product_pb(product))

    async def search_products(request: pb.SearchProductsRequest) -> pb.SearchProductsResponse:
        cmd = c.SearchProducts(
            request.supplier_id,
            request.brand_id,
            request.category,
            request.page.page_size,
            request.page.page_token,
        )
        page = await app.run_blocking(read, products.search_products, cmd)
        return pb.SearchProductsResponse(
            products=[m.product_pb(p) for p in page.products],
            next_page_token=page.next_page_token,
        )

    app.add_rpc("rpc.catalog.GetProduct", pb.GetProductRequest, get_product)
    app.add_rpc("rpc.catalog.SearchProducts", pb.SearchProductsRequest, search_products)
