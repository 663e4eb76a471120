"""Stock levels, ledger entries and reservations: the facts inventory keeps."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import datetime


class LocationKind(enum.StrEnum):
    SATELLITE = "satellite"
    CENTRAL = "central"
    SUPPLIER_SITE = "supplier_site"


class MovementKind(enum.StrEnum):
    RECEIPT = "receipt"
    ADJUSTMENT = "adjustment"
    TRANSFER_OUT = "transfer_out"
    TRANSFER_IN = "transfer_in"
    RESERVATION = "reservation"
    RELEASE = "release"
    EXPIRY = "expiry"
    COMMIT = "commit"
    RETURN = "return"


class ReservationStatus(enum.StrEnum):
    ACTIVE = "active"
    RELEASED = "released"
    COMMITTED = "committed"
    EXPIRED = "expired"


StockKey = tuple[str, str]
"""(sku, location_id)"""


@dataclass(frozen=True)
class Location:
    location_id: str
    kind: LocationKind
    supplier_id: str = ""


@dataclass
class SkuRecord:
    sku: str
    low_stock_threshold: int = 0
    # Whether the last check found the SKU below its threshold, so the event fires on crossing only.
    is_low: bool = False


@dataclass
class StockLevel:
    """What the ledger sums to at one (sku, location). Reserved units are still on hand."""

    sku: str
    location_id: str
    on_hand: int = 0
    reserved: int = 0
    # Last supplier count applied here, so an older count arriving late is ignored.
    supplier_version: int = 0

    @property
    def key(self) -> StockKey:
        return (self.sku, self.location_id)

    @property
    def available(self) -> int:
        return self.on_hand - self.reserved


@dataclass(frozen=True)
class LedgerEntry:
    sku: str
    location_id: str
    kind: MovementKind
    on_hand_delta: int
    reserved_delta: int
    on_hand_after: int
    reserved_after: int
    actor: str
    reference: str
    reason: str
    occurred_at: datetime
    sequence: int = 0


@dataclass(frozen=True)
class RequestedLine:
    sku: str
    quantity: int
    # "" means anywhere: inventory picks.
    location_id: str = ""


@dataclass(frozen=True)
class ReservedLine:
    sku: str
    quantity: int
    location_id: str


@dataclass
class Reservation:
    reservation_id: str
    idempotency_key: str
    fingerprint: str
    order_id: str
    lines: list[ReservedLine]
    status: ReservationStatus
    created_at: datetime
    expires_at: datetime
    actor: str = ""
    closed_at: datetime | None = None
    close_actor: str = ""
    close_reason: str = ""
    reference: str = ""
    tags: dict[str, str] = field(default_factory=dict)

    def is_due(self, now: datetime) -> bool:
        return self.status is ReservationStatus.ACTIVE and self.expires_at <= now
