"""An order's allocation as stored and published: parcels with their reservations."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from .geo import GeoPoint
from .order import OrderLine
from .tiers import Tier


@dataclass(frozen=True)
class ReservedParcel:
    parcel_id: str
    warehouse_id: str
    origin: GeoPoint
    destination: GeoPoint
    tier: Tier
    distance_km: float
    lines: tuple[OrderLine, ...]
    reservation_id: str
    explanation: str
    # Sums over the lines of the SKUs' shipping data; 0 when not worked out.
    weight_grams: int = 0
    volume_cm3: int = 0


@dataclass(frozen=True)
class UnservedRecord:
    sku: str
    quantity: int
    reason: str


@dataclass(frozen=True)
class AllocationRecord:
    allocation_id: str
    order_id: str
    wave_id: str
    created_at: datetime
    local_day: date
    promised_by: datetime | None
    parcels: tuple[ReservedParcel, ...]
    unserved: tuple[UnservedRecord, ...]
    explanations: tuple[str, ...]
    solver_status: str
    objective: int
    best_bound: int
    gap: float
