"""Handlers for the warehouse registry: register, update, read, list, coverage."""

from __future__ import annotations

from dataclasses import dataclass

from cangpei.runtime.errors import AlreadyExists, InvalidArgument, NotFound

from ..config import WarehouseConfig
from ..domain.geo import GeoPoint, haversine_km
from ..domain.tiers import Tier, tier_for
from ..domain.warehouse import Warehouse, WarehouseKind, validate_warehouse
from .ports import UnitOfWork


@dataclass(frozen=True)
class UpdateWarehouse:
    """Fields left None keep their value."""

    warehouse_id: str
    name: str | None = None
    location: GeoPoint | None = None
    service_radius_km: float | None = None
    daily_capacity_parcels: int | None = None
    cutoff_minute: int | None = None
    active: bool | None = None


@dataclass(frozen=True)
class Coverage:
    warehouse: Warehouse
    tier: Tier
    distance_km: float


def register_warehouse(warehouse: Warehouse, uow: UnitOfWork, config: WarehouseConfig) -> Warehouse:
    if warehouse.service_radius_km == 0:
        warehouse = warehouse.with_changes(service_radius_km=config.default_service_radius_km)
    validate_warehouse(warehouse, config.max_radius_km)
    with uow:
        if uow.warehouses.get(warehouse.warehouse_id) is not None:
            raise AlreadyExists(f"warehouse {warehouse.warehouse_id!r} is already registered")
        uow.warehouses.add(warehouse)
        uow.commit()
    return warehouse


def update_warehouse(cmd: UpdateWarehouse, uow: UnitOfWork, config: WarehouseConfig) -> Warehouse:
    changes = {k: v for k, v in vars(cmd).items() if k != "warehouse_id" and v is not None}
    with uow:
        current = uow.warehouses.get(cmd.warehouse_id)
        if current is None:
            raise NotFound(f"warehouse {cmd.warehouse_id!r} is not registered")
        updated = validate_warehouse(current.with_changes(**changes), config.max_radius_km)
        uow.warehouses.update(updated)
        uow.commit()
    return updated


def get_warehouse(warehouse_id: str, uow: UnitOfWork) -> Warehouse:
    with uow:
        found = uow.warehouses.get(warehouse_id)
    if found is None:
        raise NotFound(f"warehouse {warehouse_id!r} is not registered")
    return found


def list_warehouses(
    uow: UnitOfWork, kind: WarehouseKind | None = None, active_only: bool = False
) -> list[Warehouse]:
    with uow:
        return uow.warehouses.list(kind=kind, active_only=active_only)


def coverage(point: GeoPoint, uow: UnitOfWork, config: WarehouseConfig) -> list[Coverage]:
    """Active warehouses that can serve ``point``, best tier first, then nearest."""
    point = GeoPoint.checked(point.latitude, point.longitude, "coverage point")
    if config.near_radius_km > config.max_radius_km:
        raise InvalidArgument("near radius exceeds the maximum radius in the configuration")
    with uow:
        warehouses = uow.warehouses.list(active_only=True)
    found = []
    for w in warehouses:
        d = haversine_km(point, w.location)
        tier = tier_for(w, d, config.near_radius_km)
        if tier is not None:
            found.append(Coverage(w, tier, d))
    return sorted(found, key=lambda c: (c.tier, c.distance_km, c.warehouse.warehouse_id))
