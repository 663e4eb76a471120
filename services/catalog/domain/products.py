"""Products a supplier lists, and the rules that admit them."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import Enum

from services.catalog.domain.checks import Failure
from services.catalog.domain.money import format_cny
from services.catalog.domain.suppliers import Supplier, SupplierStatus

SUPPLIER_NOT_APPROVED = "SUPPLIER_NOT_APPROVED"
BRAND_UNKNOWN = "BRAND_UNKNOWN"
COMMISSION_BELOW_AFFILIATE = "COMMISSION_BELOW_AFFILIATE"
PRICE_ABOVE_OTHER_PLATFORM = "PRICE_ABOVE_OTHER_PLATFORM"


class ProductStatus(Enum):
    ACTIVE = "active"
    SUSPENDED = "suspended"


@dataclass(frozen=True)
class OtherPlatformPrice:
    platform: str
    price_fen: int


@dataclass(frozen=True)
class Shipping:
    weight_grams: int
    length_mm: int
    width_mm: int
    height_mm: int


@dataclass
class Product:
    product_id: str
    supplier_id: str
    sku: str
    name: str
    brand_id: str  # empty for unbranded goods
    category: str
    price_fen: int
    # Commission rates in basis points (1/100 of a percent) keep the comparison exact.
    commission_bps: int
    affiliate_commission_bps: int
    other_platform_prices: tuple[OtherPlatformPrice, ...]
    shipping: Shipping
    status: ProductStatus = ProductStatus.ACTIVE
    status_reason: str = ""
    listed_at: dt.datetime | None = field(default=None, compare=False)

    @property
    def branded(self) -> bool:
        return bool(self.brand_id)


def format_bps(bps: int) -> str:
    whole, rest = divmod(bps, 100)
    return f"{whole}.{rest:02d}%"


def supplier_standing_failures(supplier: Supplier) -> list[Failure]:
    if supplier.status is SupplierStatus.APPROVED:
        return []
    return [
        Failure(
            SUPPLIER_NOT_APPROVED,
            f"supplier {supplier.supplier_id} is {supplier.status.value}, not approved: "
            f"ask for a verdict once every onboarding check passes",
        )
    ]


def commercial_failures(product: Product) -> list[Failure]:
    """Commission parity with the affiliate market and price parity with other platforms."""
    failures = []
    if product.commission_bps < product.affiliate_commission_bps:
        failures.append(
            Failure(
                COMMISSION_BELOW_AFFILIATE,
                f"commission {format_bps(product.commission_bps)} is below the affiliate "
                f"market's {format_bps(product.affiliate_commission_bps)} for {product.sku}",
            )
        )
    for other in product.other_platform_prices:
        if product.price_fen > other.price_fen:
            failures.append(
                Failure(
                    PRICE_ABOVE_OTHER_PLATFORM,
                    f"price {format_cny(product.price_fen)} is above "
                    f"{format_cny(other.price_fen)} on {other.platform} for {product.sku}",
                )
            )
    return failures
