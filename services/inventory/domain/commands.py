"""What callers ask inventory to do, in the imperative."""

from __future__ import annotations

from dataclasses import dataclass

from services.inventory.domain.model import LocationKind, RequestedLine


@dataclass(frozen=True)
class ReserveStock:
    idempotency_key: str
    order_id: str
    lines: tuple[RequestedLine, ...]
    # 0 means the configured default.
    ttl_seconds: int = 0
    actor: str = ""


@dataclass(frozen=True)
class ReleaseReservation:
    reservation_id: str
    actor: str = ""
    reason: str = ""


@dataclass(frozen=True)
class CommitReservation:
    reservation_id: str
    actor: str = ""
    reference: str = ""


@dataclass(frozen=True)
class RegisterLocation:
    location_id: str
    kind: LocationKind
    supplier_id: str = ""


@dataclass(frozen=True)
class RegisterSku:
    sku: str
    # 0 means the configured default.
    low_stock_threshold: int = 0


@dataclass(frozen=True)
class SetLowStockThreshold:
    sku: str
    threshold: int


@dataclass(frozen=True)
class ReceiveStock:
    idempotency_key: str
    sku: str
    location_id: str
    quantity: int
    actor: str = ""
    reference: str = ""


@dataclass(frozen=True)
class AdjustStock:
    idempotency_key: str
    sku: str
    location_id: str
    delta: int
    reason: str
    actor: str = ""
    reference: str = ""


@dataclass(frozen=True)
class TransferStock:
    idempotency_key: str
    sku: str
    from_location_id: str
    to_location_id: str
    quantity: int
    actor: str = ""
    reference: str = ""


@dataclass(frozen=True)
class ReturnStock:
    idempotency_key: str
    sku: str
    location_id: str
    quantity: int
    actor: str = ""
    reference: str = ""


@dataclass(frozen=True)
class SupplierLevel:
    sku: str
    location_id: str
    on_hand: int
    version: int


@dataclass(frozen=True)
class SyncSupplierStock:
    idempotency_key: str
    supplier_id: str
    levels: tuple[SupplierLevel, ...]
    actor: str = ""


StockMovement = ReceiveStock | AdjustStock | TransferStock | ReturnStock | SyncSupplierStock
