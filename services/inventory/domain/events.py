"""What happened, in the past tense; published through the outbox."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from services.inventory.domain.model import LedgerEntry, ReservedLine


@dataclass(frozen=True)
class StockReserved:
    reservation_id: str
    order_id: str
    lines: tuple[ReservedLine, ...]
    expires_at: datetime
    actor: str
    occurred_at: datetime


@dataclass(frozen=True)
class StockReleased:
    reservation_id: str
    order_id: str
    lines: tuple[ReservedLine, ...]
    actor: str
    reason: str
    occurred_at: datetime


@dataclass(frozen=True)
class StockExpired:
    reservation_id: str
    order_id: str
    lines: tuple[ReservedLine, ...]
    expired_at: datetime
    occurred_at: datetime


@dataclass(frozen=True)
class StockCommitted:
    reservation_id: str
    order_id: str
    lines: tuple[ReservedLine, ...]
    actor: str
    reference: str
    occurred_at: datetime


@dataclass(frozen=True)
class StockAdjusted:
    entry: LedgerEntry


@dataclass(frozen=True)
class StockLow:
    sku: str
    available: int
    threshold: int
    occurred_at: datetime


Event = StockReserved | StockReleased | StockExpired | StockCommitted | StockAdjusted | StockLow
