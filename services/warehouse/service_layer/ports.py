"""What the service layer needs from the outside world, named by what it is for."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING, Protocol

from ..domain.allocation_record import AllocationRecord
from ..domain.fulfilment import FulfilmentOrder, FulfilmentParcel, FulfilmentStatus
from ..domain.warehouse import Warehouse, WarehouseKind

if TYPE_CHECKING:  # allocate.py imports this module
    from .allocate import ReservationIntent


class WarehouseRepository(Protocol):
    def get(self, warehouse_id: str) -> Warehouse | None: ...
    def add(self, warehouse: Warehouse) -> None: ...
    def update(self, warehouse: Warehouse) -> None: ...
    def list(
        self, kind: WarehouseKind | None = None, active_only: bool = False
    ) -> list[Warehouse]: ...


class AllocationRepository(Protocol):
    def get(self, allocation_id: str) -> AllocationRecord | None: ...
    def for_order(self, order_id: str) -> AllocationRecord | None: ...
    def add(self, record: AllocationRecord) -> None: ...
    def add_many(self, records: Sequence[AllocationRecord]) -> None: ...
    def allocated(self, order_ids: Sequence[str]) -> dict[str, str]:
        """Allocation id of each of these orders that is already allocated."""
        ...

    def parcels_on(self, day: date) -> dict[str, int]:
        """Parcels already allocated per warehouse on a local day (for capacity)."""
        ...


class UnitOfWork(Protocol):
    warehouses: WarehouseRepository
    allocations: AllocationRepository

    def __enter__(self) -> UnitOfWork: ...
    def __exit__(self, *exc: object) -> None: ...
    def record_allocation_created(self, record: AllocationRecord) -> None:
        """Queue the AllocationCreated event, published only if the unit commits."""
        ...

    def commit(self) -> None: ...


class StockSource(Protocol):
    async def availability(self, skus: Sequence[str]) -> dict[tuple[str, str], int]:
        """Available units per (location id, sku), for every location holding each SKU."""
        ...


class ReservationRefused(Exception):
    """Inventory refused a parcel (stock moved); the lines can be re-planned."""


class Reserver(Protocol):
    async def reserve(
        self,
        idempotency_key: str,
        order_id: str,
        location_id: str,
        lines: Sequence[tuple[str, int]],
    ) -> str:
        """Reserve all lines at one location; the reservation id, or ReservationRefused."""
        ...


class FulfilmentRepository(Protocol):
    def add(self, order: FulfilmentOrder) -> None: ...
    def get(self, order_id: str, for_update: bool = False) -> FulfilmentOrder | None: ...
    def get_many(
        self, order_ids: Sequence[str], for_update: bool = False
    ) -> dict[str, FulfilmentOrder]: ...
    def save_many(self, orders: Sequence[FulfilmentOrder]) -> None: ...
    def by_key(self, idempotency_key: str) -> FulfilmentOrder | None: ...
    def by_keys(self, idempotency_keys: Sequence[str]) -> dict[str, FulfilmentOrder]: ...
    def add_many(self, orders: Sequence[FulfilmentOrder]) -> None: ...
    def order_id_for_reservation(self, reservation_id: str) -> str | None: ...
    def order_ids_for_reservations(self, reservation_ids: Sequence[str]) -> dict[str, str]: ...
    def received(self, limit: int) -> list[FulfilmentOrder]:
        """The oldest orders waiting for allocation."""
        ...

    def page(
        self, status: FulfilmentStatus | None, offset: int, size: int
    ) -> list[FulfilmentOrder]: ...
    def counts(self) -> dict[FulfilmentStatus, int]: ...
    def save(self, order: FulfilmentOrder) -> None: ...


class ShippingRepository(Protocol):
    def put(self, sku: str, weight_grams: int, volume_cm3: int) -> None: ...
    def get_many(self, skus: Sequence[str]) -> dict[str, tuple[int, int]]:
        """(weight in grams, volume in cm3) of each SKU the catalog described."""
        ...


class ReservationIntents(Protocol):
    def add_many(self, intents: Sequence[ReservationIntent]) -> None: ...
    def for_orders(self, order_ids: Sequence[str] | None) -> list[ReservationIntent]:
        """The noted reservations of these orders (None: of every order)."""
        ...

    def forget(self, order_ids: Sequence[str]) -> None: ...


class FulfilmentUnitOfWork(UnitOfWork, Protocol):
    fulfilment: FulfilmentRepository
    shipping: ShippingRepository
    intents: ReservationIntents

    def record_order_received(self, order: FulfilmentOrder) -> None: ...
    def record_order_cancelled(
        self, order: FulfilmentOrder, parcels: list[FulfilmentParcel]
    ) -> None: ...
    def record_order_closed(self, order: FulfilmentOrder, parcels: list[FulfilmentParcel]) -> None:
        """warehouse.order.completed (or .failed, carrying the parcels to release)."""
        ...


class DuplicateSubmission(Exception):
    """Another submit stored the same idempotency key or order id first (a race)."""


class Releaser(Protocol):
    async def release(self, reservation_id: str, reason: str) -> None:
        """Give a reservation's stock back; releasing one already closed is not an error."""
        ...
