"""What the service layer needs from storage and messaging, and nothing more.

The SQL adapter implements these over the runtime's unit of work; unit tests use
in-memory fakes. Every method runs inside the transaction the unit of work opened.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from services.inventory.domain.events import Event
from services.inventory.domain.model import (
    LedgerEntry,
    Location,
    Reservation,
    ReservationStatus,
    SkuRecord,
    StockKey,
    StockLevel,
)


class ConcurrentConflict(Exception):
    """Another transaction got there first (a unique key, a deadlock, a serialisation
    failure): the whole unit of work was rolled back and may be retried."""


@dataclass(frozen=True)
class StoredResult:
    operation: str
    fingerprint: str
    result: str


@dataclass(frozen=True)
class LowStockRow:
    sku: str
    available: int
    threshold: int


@dataclass(frozen=True)
class ReservationInputs:
    """What a batch of reservations reads before planning, fetched together."""

    existing: dict[str, Reservation]  # by idempotency key
    skus: dict[str, SkuRecord]
    locations: dict[str, Location]
    levels: list[StockLevel]  # every location's row of the SKUs, in key order


class InventoryRepository(Protocol):
    # --- registry
    def locations(self, location_ids: Collection[str]) -> dict[str, Location]: ...
    def add_location(self, location: Location) -> None: ...
    def skus(self, skus: Collection[str]) -> dict[str, SkuRecord]: ...
    def add_sku(self, record: SkuRecord) -> None: ...
    def update_sku(self, record: SkuRecord) -> None: ...

    # --- stock: every location's row of these SKUs, locked for the rest of the
    # transaction unless ``lock`` is False (then a snapshot that may be stale)
    def lock_levels(self, skus: Collection[str], *, lock: bool = True) -> list[StockLevel]: ...
    def reserve_if_available(
        self, deltas: Sequence[tuple[StockKey, int]], now: datetime
    ) -> dict[StockKey, tuple[int, int]] | None:
        """Add to reserved where still available, rows locked in key order; each row's
        (on_hand, reserved) after, or None if any row lacked the units."""
        ...

    def save_levels(self, levels: Sequence[StockLevel], new_keys: Collection[StockKey]) -> None: ...
    def add_entries(
        self, entries: Sequence[LedgerEntry], *, with_sequence: bool = False
    ) -> list[LedgerEntry]: ...

    # --- reservations
    def reservation_inputs(
        self,
        keys: Collection[str],
        skus: Collection[str],
        location_ids: Collection[str],
        *,
        lock: bool = True,
    ) -> ReservationInputs:
        """``reservations_by_key``, ``skus``, ``locations`` and ``lock_levels`` at once."""
        ...

    def reservations_by_key(self, keys: Collection[str]) -> dict[str, Reservation]: ...
    def get_reservation(self, reservation_id: str) -> Reservation | None: ...
    def get_reservations(self, reservation_ids: Collection[str]) -> dict[str, Reservation]: ...
    def add_reservations(self, reservations: Sequence[Reservation]) -> None: ...
    def close_reservation(self, reservation: Reservation, expected: ReservationStatus) -> bool:
        """Store the reservation's closed state only if it is still ``expected``; say if it was."""
        ...

    def close_reservations(
        self, reservations: Sequence[Reservation], expected: ReservationStatus
    ) -> int:
        """``close_reservation`` for several; how many were still ``expected`` and stored."""
        ...

    def due_reservations(self, now: datetime, limit: int) -> list[Reservation]: ...

    # --- idempotency of the stock movements
    def stored_result(self, key: str) -> StoredResult | None: ...
    def store_result(self, key: str, stored: StoredResult, now: datetime) -> None: ...

    # --- queries
    def availability(
        self, skus: Collection[str], location_ids: Collection[str]
    ) -> list[StockLevel]: ...
    def history(
        self, sku: str, location_id: str, after_sequence: int, limit: int
    ) -> list[LedgerEntry]: ...
    def low_stock(self, after_sku: str, limit: int) -> list[LowStockRow]: ...


class InventoryUnitOfWork(Protocol):
    repo: InventoryRepository

    def __enter__(self) -> InventoryUnitOfWork: ...
    def __exit__(self, *exc_info: object) -> None: ...
    def publish(self, event: Event) -> None: ...
    def send_together(self) -> AbstractContextManager[object]:
        """Within it, statements go out without waiting for each other (none reads a
        result); errors surface by the end of the block at the latest."""
        ...

    def commit(self) -> None:
        """Make the transaction durable; raise ConcurrentConflict when another one won a race."""
        ...


UnitOfWorkFactory = Callable[[], InventoryUnitOfWork]
