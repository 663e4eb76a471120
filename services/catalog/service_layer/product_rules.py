"""Whether a supplier may sell a product: standing, chain or vouchers, and parity."""

from __future__ import annotations

import datetime as dt

from services.catalog.domain.chains import find_chain
from services.catalog.domain.checks import Failure
from services.catalog.domain.config import CatalogConfig
from services.catalog.domain.products import (
    BRAND_UNKNOWN,
    Product,
    commercial_failures,
    supplier_standing_failures,
)
from services.catalog.domain.suppliers import Supplier, SupplierKind
from services.catalog.domain.vouchers import voucher_failures
from services.catalog.service_layer.ports import CatalogUnitOfWork


def provenance_failures(
    uow: CatalogUnitOfWork,
    supplier: Supplier,
    product: Product,
    day: dt.date,
    config: CatalogConfig,
) -> list[Failure]:
    """A branded product needs an authorisation chain, an unbranded one purchase vouchers."""
    if product.branded:
        brand = uow.brands.get(product.brand_id)
        if brand is None:
            return [
                Failure(
                    BRAND_UNKNOWN,
                    f"brand {product.brand_id} is not registered; register the brand and its "
                    f"owner first",
                )
            ]
        verdict = find_chain(
            brand,
            supplier.supplier_id,
            product.category,
            day,
            uow.authorisations,
            max_links=config.max_chain_links,
            diagnosis_extra_links=config.chain_diagnosis_extra_links,
        )
        return verdict.failures
    return voucher_failures(
        supplier.supplier_id,
        product.sku,
        uow.vouchers.for_product(supplier.supplier_id, product.sku),
        supplier_manufactures=supplier.kind is SupplierKind.FACTORY,
        max_hops=config.max_voucher_hops,
    )


def product_failures(
    uow: CatalogUnitOfWork,
    supplier: Supplier,
    product: Product,
    day: dt.date,
    config: CatalogConfig,
) -> list[Failure]:
    """Every reason ``product`` may not be sold by ``supplier`` on ``day``."""
    return [
        *supplier_standing_failures(supplier),
        *provenance_failures(uow, supplier, product, day, config),
        *commercial_failures(product),
    ]
