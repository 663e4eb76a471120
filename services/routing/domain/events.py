"""What the routing service tells the others, as plain facts; protobuf only at the edge."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ParcelDispatched:
    parcel_id: str
    order_id: str
    warehouse_id: str
    reservation_id: str
    plan_id: str
    carrier_id: str | None
    vehicle_id: str | None
    cost_fen: int


@dataclass(frozen=True)
class RoutePlanned:
    plan_id: str
    revision: int
    warehouse_id: str
    vehicle_id: str
    parcel_ids: tuple[str, ...]
    eta_minutes: tuple[float, ...]
    distance_km: float
    load_grams: int
    load_cm3: int
    cost_fen: int


@dataclass(frozen=True)
class ParcelUnassigned:
    parcel_id: str
    order_id: str
    warehouse_id: str
    plan_id: str
    reason: str


@dataclass(frozen=True)
class ParcelCancelled:
    parcel_id: str
    order_id: str
    warehouse_id: str
    reservation_id: str


@dataclass(frozen=True)
class ParcelDeparted:
    parcel_id: str
    order_id: str
    warehouse_id: str
    reservation_id: str
    plan_id: str
    carrier_id: str | None
    vehicle_id: str | None


Event = ParcelDispatched | RoutePlanned | ParcelUnassigned | ParcelCancelled | ParcelDeparted
