"""Events the catalog publishes: past tense, frozen."""

from __future__ import annotations

from dataclasses import dataclass

from services.catalog.domain.checks import Failure


@dataclass(frozen=True)
class SupplierApproved:
    supplier_id: str
    name: str
    kind: str


@dataclass(frozen=True)
class SupplierRejected:
    supplier_id: str
    failures: tuple[Failure, ...]


@dataclass(frozen=True)
class SupplierSuspended:
    supplier_id: str
    reasons: tuple[Failure, ...]
    suspended_product_ids: tuple[str, ...]


@dataclass(frozen=True)
class ProductListed:
    product_id: str
    supplier_id: str
    sku: str
    name: str
    brand_id: str
    category: str
    price_fen: int
    weight_grams: int
    length_mm: int
    width_mm: int
    height_mm: int


@dataclass(frozen=True)
class ProductSuspended:
    product_id: str
    supplier_id: str
    sku: str
    reasons: tuple[Failure, ...]


@dataclass(frozen=True)
class ShopOpened:
    shop_id: str
    owner_id: str
    name: str


@dataclass(frozen=True)
class ShopTierChanged:
    shop_id: str
    month: str
    previous_tier: str
    tier: str
    sales_fen: int


Event = (
    SupplierApproved
    | SupplierRejected
    | SupplierSuspended
    | ProductListed
    | ProductSuspended
    | ShopOpened
    | ShopTierChanged
)
