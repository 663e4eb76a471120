"""The warehouse registry's entity: satellites, central warehouses and supplier sites."""

from __future__ import annotations

import enum
from dataclasses import dataclass, replace

from cangpei.runtime.errors import InvalidArgument

from .geo import GeoPoint

MINUTES_PER_DAY = 24 * 60


class WarehouseKind(enum.Enum):
    SATELLITE = "satellite"
    CENTRAL = "central"
    SUPPLIER_SITE = "supplier_site"


@dataclass(frozen=True)
class Warehouse:
    """A place stock ships from. Its id is also its location id in inventory."""

    warehouse_id: str
    name: str
    kind: WarehouseKind
    location: GeoPoint
    service_radius_km: float
    daily_capacity_parcels: int
    cutoff_minute: int
    active: bool = True

    def with_changes(self, **changes: object) -> Warehouse:
        return replace(self, **changes)


def validate_warehouse(w: Warehouse, max_radius_km: float) -> Warehouse:
    """Return ``w`` when every field is acceptable, else InvalidArgument naming each fault."""
    faults: list[str] = []
    if not w.warehouse_id.strip():
        faults.append("warehouse_id is empty")
    if not w.name.strip():
        faults.append("name is empty")
    if not (0 < w.service_radius_km <= max_radius_km):
        faults.append(
            f"service_radius_km {w.service_radius_km} must be above 0 and at most {max_radius_km}"
        )
    if w.daily_capacity_parcels < 0:
        faults.append(f"daily_capacity_parcels {w.daily_capacity_parcels} must not be negative")
    if not (0 <= w.cutoff_minute < MINUTES_PER_DAY):
        faults.append(
            f"cutoff_minute {w.cutoff_minute} must be between 0 and {MINUTES_PER_DAY - 1}"
        )
    if faults:
        raise InvalidArgument(f"warehouse {w.warehouse_id!r}: " + "; ".join(faults))
    GeoPoint.checked(w.location.latitude, w.location.longitude, f"warehouse {w.warehouse_id!r}")
    return w
