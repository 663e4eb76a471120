"""Inventory learns SKUs from the catalog: a listed product's SKU becomes known here.

So a product can be stocked and reserved as soon as it is listed, without a separate
RegisterSku call. Registering is idempotent, and the runtime's inbox applies each
event once.
"""

from __future__ import annotations

from collections.abc import Callable

from cangpei.catalog.v1 import catalog_pb2
from cangpei.runtime.messaging import IncomingEvent
from cangpei.runtime.uow import UnitOfWork
from services.inventory.adapters.sql_repository import SqlRepository
from services.inventory.config import InventoryConfig
from services.inventory.domain.model import SkuRecord

PRODUCT_LISTED = "catalog.product.listed"


def make_product_listed_handler(
    config: InventoryConfig, postgres: bool
) -> Callable[[IncomingEvent, UnitOfWork], None]:
    def on_product_listed(event: IncomingEvent, uow: UnitOfWork) -> None:
        listed = catalog_pb2.ProductListed.FromString(event.data)
        if not listed.sku:
            return
        repo = SqlRepository(uow.session, postgres=postgres)
        if repo.skus([listed.sku]):
            return
        threshold = config.default_low_stock_threshold
        # No stock yet: below any positive threshold, but not a crossing, so no event.
        repo.add_sku(SkuRecord(listed.sku, threshold, is_low=threshold > 0))

    return on_product_listed
