"""Hand-made networks around one delivery point, and in-memory fakes for the ports."""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from datetime import UTC, date, datetime

from services.warehouse.adapters.cpsat_allocator import SolverOptions
from services.warehouse.adapters.optimiser import CpSatOptimiser
from services.warehouse.config import WarehouseConfig
from services.warehouse.domain.allocation_record import AllocationRecord
from services.warehouse.domain.geo import GeoPoint
from services.warehouse.domain.order import Order, OrderLine
from services.warehouse.domain.warehouse import Warehouse, WarehouseKind
from services.warehouse.service_layer.ports import ReservationRefused

# Delivery point in Hangzhou; warehouses are placed due north at a chosen distance.
HOME = GeoPoint(30.25, 120.17)
KM_PER_DEGREE_LAT = 111.19508  # on the haversine sphere, along a meridian
NOW = datetime(2026, 11, 11, 2, 0, tzinfo=UTC)  # 10:00 in China


def north_of(point: GeoPoint, km: float) -> GeoPoint:
    return GeoPoint(point.latitude + km / KM_PER_DEGREE_LAT, point.longitude)


def satellite(wid: str, km: float, radius: float = 50.0, capacity: int = 100) -> Warehouse:
    return Warehouse(
        wid, wid, WarehouseKind.SATELLITE, north_of(HOME, km), radius, capacity, 20 * 60
    )


def central(wid: str, km: float, capacity: int = 1000) -> Warehouse:
    return Warehouse(wid, wid, WarehouseKind.CENTRAL, north_of(HOME, km), 50.0, capacity, 18 * 60)


def supplier(wid: str, km: float, capacity: int = 1000) -> Warehouse:
    return Warehouse(
        wid, wid, WarehouseKind.SUPPLIER_SITE, north_of(HOME, km), 50.0, capacity, 16 * 60
    )


def order(order_id: str, *lines: tuple[str, int], at: GeoPoint = HOME, **kw) -> Order:
    return Order(
        order_id,
        tuple(OrderLine(s, q) for s, q in lines),
        at,
        kw.get("placed_at", NOW),
        kw.get("promised_by"),
    )


def optimiser(seconds: float = 5.0) -> CpSatOptimiser:
    """One worker and a fixed seed: the same answer every run."""
    return CpSatOptimiser(SolverOptions(time_limit_seconds=seconds, workers=1, seed=1))


CONFIG = WarehouseConfig()


class FakeWarehouses:
    def __init__(self, items: Sequence[Warehouse] = ()) -> None:
        self.items = {w.warehouse_id: w for w in items}

    def get(self, warehouse_id: str) -> Warehouse | None:
        return self.items.get(warehouse_id)

    def add(self, warehouse: Warehouse) -> None:
        self.items[warehouse.warehouse_id] = warehouse

    def update(self, warehouse: Warehouse) -> None:
        self.items[warehouse.warehouse_id] = warehouse

    def list(self, kind=None, active_only=False) -> list[Warehouse]:
        return [
            w
            for w in sorted(self.items.values(), key=lambda w: w.warehouse_id)
            if (kind is None or w.kind is kind) and (w.active or not active_only)
        ]


class FakeAllocations:
    def __init__(self) -> None:
        self.items: dict[str, AllocationRecord] = {}

    def get(self, allocation_id: str) -> AllocationRecord | None:
        return self.items.get(allocation_id)

    def for_order(self, order_id: str) -> AllocationRecord | None:
        return next((r for r in self.items.values() if r.order_id == order_id), None)

    def add(self, record: AllocationRecord) -> None:
        self.items[record.allocation_id] = record

    def add_many(self, records: Sequence[AllocationRecord]) -> None:
        for record in records:
            self.add(record)

    def allocated(self, order_ids: Sequence[str]) -> dict[str, str]:
        wanted = set(order_ids)
        return {r.order_id: r.allocation_id for r in self.items.values() if r.order_id in wanted}

    def parcels_on(self, day: date) -> dict[str, int]:
        used: dict[str, int] = {}
        for r in self.items.values():
            if r.local_day == day:
                for p in r.parcels:
                    used[p.warehouse_id] = used.get(p.warehouse_id, 0) + 1
        return used


class FakeUnitOfWork:
    """Shares its repositories across units; events are kept only on commit."""

    def __init__(self, warehouses: Sequence[Warehouse] = ()) -> None:
        self.warehouses = FakeWarehouses(warehouses)
        self.allocations = FakeAllocations()
        self.published: list[AllocationRecord] = []
        self._pending: list[AllocationRecord] = []
        self.commits = 0

    def __enter__(self) -> FakeUnitOfWork:
        self._pending = []
        return self

    def __exit__(self, *exc: object) -> None:
        self._pending = []

    def record_allocation_created(self, record: AllocationRecord) -> None:
        self._pending.append(record)

    def commit(self) -> None:
        self.published.extend(self._pending)
        self._pending = []
        self.commits += 1


class FakeInventory:
    """Stock per (location, sku); reserve is all-or-nothing per request, like inventory."""

    def __init__(self, stock: dict[tuple[str, str], int]) -> None:
        self.stock = dict(stock)
        self.requests: list[tuple[str, str, list[tuple[str, int]]]] = []
        self.steal_before_reserve: dict[tuple[str, str], int] = {}
        self._ids = itertools.count(1)

    async def availability(self, skus: Sequence[str]) -> dict[tuple[str, str], int]:
        # Like inventory: SKUs it has no record of simply have no rows.
        wanted = set(skus)
        return {k: v for k, v in self.stock.items() if k[1] in wanted}

    async def reserve(self, idempotency_key, order_id, location_id, lines) -> str:
        # Another buyer takes stock between planning and reserving.
        for key, units in list(self.steal_before_reserve.items()):
            self.stock[key] -= units
            del self.steal_before_reserve[key]
        self.requests.append((order_id, location_id, list(lines)))
        if any(self.stock.get((location_id, sku), 0) < qty for sku, qty in lines):
            raise ReservationRefused(f"short of stock at {location_id}")
        for sku, qty in lines:
            self.stock[(location_id, sku)] -= qty
        return f"RES-{next(self._ids)}"
