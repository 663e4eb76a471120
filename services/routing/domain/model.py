"""Carriers, vehicles and parcels: what the routing service knows and decides about."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum

from cangpei.runtime.errors import InvalidArgument

MINUTES_PER_DAY = 24 * 60


@dataclass(frozen=True)
class RateBand:
    """One distance band of a rate card: it covers distances in (previous band's max, max_km].

    ``delivery_hours`` is the carrier's promised time from pickup to the door for the band.
    """

    max_km: float
    first_weight_fen: int
    additional_kg_fen: int
    delivery_hours: float


@dataclass(frozen=True)
class Carrier:
    carrier_id: str
    name: str
    bands: tuple[RateBand, ...]
    cutoff_minute: int
    # Parcels a day the carrier collects from a warehouse; warehouses not listed get the default.
    daily_capacity: dict[str, int] = field(default_factory=dict)
    default_daily_capacity: int = 0
    active: bool = True

    def capacity_at(self, warehouse_id: str) -> int:
        return self.daily_capacity.get(warehouse_id, self.default_daily_capacity)

    def validate(self) -> None:
        if not self.carrier_id:
            raise InvalidArgument("a carrier needs a carrier_id")
        if not self.bands:
            raise InvalidArgument(f"carrier {self.carrier_id} needs at least one rate band")
        previous = 0.0
        for band in self.bands:
            if band.max_km <= previous:
                raise InvalidArgument(
                    f"carrier {self.carrier_id}: rate bands must have increasing max_km "
                    f"(got {band.max_km} after {previous})"
                )
            if band.first_weight_fen < 0 or band.additional_kg_fen < 0:
                raise InvalidArgument(f"carrier {self.carrier_id}: prices cannot be negative")
            if band.delivery_hours <= 0:
                raise InvalidArgument(
                    f"carrier {self.carrier_id}: delivery_hours must be positive, "
                    f"got {band.delivery_hours}"
                )
            previous = band.max_km
        if not 0 <= self.cutoff_minute < MINUTES_PER_DAY:
            raise InvalidArgument(
                f"carrier {self.carrier_id}: cutoff_minute {self.cutoff_minute} "
                f"must be in [0, {MINUTES_PER_DAY})"
            )
        capacities = [self.default_daily_capacity, *self.daily_capacity.values()]
        if any(c < 0 for c in capacities):
            raise InvalidArgument(f"carrier {self.carrier_id}: daily capacity cannot be negative")


@dataclass(frozen=True)
class Vehicle:
    vehicle_id: str
    depot_id: str  # the warehouse it starts and ends at
    capacity_grams: int
    capacity_cm3: int
    shift_start_minute: int
    shift_end_minute: int
    fixed_cost_fen: int
    cost_per_km_fen: int
    active: bool = True

    def validate(self) -> None:
        if not self.vehicle_id or not self.depot_id:
            raise InvalidArgument("a vehicle needs a vehicle_id and a depot (warehouse) id")
        if self.capacity_grams <= 0 or self.capacity_cm3 <= 0:
            raise InvalidArgument(
                f"vehicle {self.vehicle_id}: capacities must be positive "
                f"(got {self.capacity_grams} g, {self.capacity_cm3} cm3)"
            )
        if not 0 <= self.shift_start_minute < self.shift_end_minute <= 2 * MINUTES_PER_DAY:
            raise InvalidArgument(
                f"vehicle {self.vehicle_id}: shift end ({self.shift_end_minute}) must come after "
                f"its start ({self.shift_start_minute}), both in minutes since midnight"
            )
        if self.fixed_cost_fen < 0 or self.cost_per_km_fen < 0:
            raise InvalidArgument(f"vehicle {self.vehicle_id}: costs cannot be negative")


class ParcelStatus(StrEnum):
    PENDING = "pending"
    DISPATCHED = "dispatched"
    UNASSIGNED = "unassigned"
    CANCELLED = "cancelled"


@dataclass
class Parcel:
    parcel_id: str
    order_id: str
    warehouse_id: str
    reservation_id: str
    latitude: float
    longitude: float
    origin_latitude: float
    origin_longitude: float
    weight_grams: int
    volume_cm3: int
    window_start_minute: int
    window_end_minute: int
    promised_by: datetime | None = None
    status: ParcelStatus = ParcelStatus.PENDING
    plan_id: str | None = None
    carrier_id: str | None = None
    vehicle_id: str | None = None
    cost_fen: int = 0
    reason: str = ""

    def validate(self) -> None:
        if not self.parcel_id or not self.warehouse_id:
            raise InvalidArgument("a parcel needs a parcel_id and a warehouse_id")
        if self.weight_grams <= 0:
            raise InvalidArgument(
                f"parcel {self.parcel_id}: weight must be positive, got {self.weight_grams} g"
            )
        if self.volume_cm3 < 0:
            raise InvalidArgument(
                f"parcel {self.parcel_id}: volume cannot be negative, got {self.volume_cm3} cm3"
            )
        if self.window_end_minute <= self.window_start_minute:
            raise InvalidArgument(
                f"parcel {self.parcel_id}: delivery window ends ({self.window_end_minute}) "
                f"before it starts ({self.window_start_minute})"
            )
        if not (-90 <= self.latitude <= 90 and -180 <= self.longitude <= 180):
            raise InvalidArgument(
                f"parcel {self.parcel_id}: destination ({self.latitude}, {self.longitude}) "
                "is not a WGS-84 coordinate"
            )


@dataclass(frozen=True)
class PlannedStop:
    parcel_id: str
    eta_minute: float  # service start, minutes since local midnight of the wave's day
    load_grams_after: int


@dataclass(frozen=True)
class VehicleRoute:
    vehicle_id: str
    stops: tuple[PlannedStop, ...]
    distance_km: float
    load_grams: int
    load_cm3: int
    cost_fen: int
    # When the vehicle is back at its depot (minutes since the wave day's midnight): it
    # can take a later wave's route from then on.
    back_at_minute: float = 0.0


@dataclass(frozen=True)
class CarrierAssignment:
    parcel_id: str
    carrier_id: str
    cost_fen: int
    # Why the parcel is not on an own vehicle, when a vehicle was considered.
    reason: str = ""
    # The day (warehouse clock) of the pickup the parcel goes with: the carrier's daily
    # capacity is counted on it. None in plans stored before it was recorded.
    pickup_day: date | None = None


@dataclass(frozen=True)
class Unassigned:
    parcel_id: str
    reason: str


class PlanStatus(StrEnum):
    PLANNED = "planned"
    DEPARTED = "departed"


@dataclass(frozen=True)
class DispatchPlan:
    plan_id: str
    warehouse_id: str
    wave_id: str
    planned_at: datetime
    routes: tuple[VehicleRoute, ...]
    carriers: tuple[CarrierAssignment, ...]
    unassigned: tuple[Unassigned, ...]
    status: PlanStatus = PlanStatus.PLANNED
    solve_seconds: float = 0.0
    engine: str = ""

    @property
    def total_cost_fen(self) -> int:
        return sum(r.cost_fen for r in self.routes) + sum(c.cost_fen for c in self.carriers)

    def parcel_ids(self) -> set[str]:
        ids = {a.parcel_id for a in self.carriers} | {u.parcel_id for u in self.unassigned}
        return ids | {s.parcel_id for r in self.routes for s in r.stops}
