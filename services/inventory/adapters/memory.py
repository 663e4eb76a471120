"""An in-memory store behind the same ports as the SQL one.

For unit tests, property tests and local experiments: transactions are serialised by
one lock and work on a copy of the state that replaces it on commit, so a unit of
work left without commit changes nothing, as with the database.
"""

from __future__ import annotations

import contextlib
import copy
import dataclasses
import threading
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from datetime import datetime

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
from services.inventory.service_layer.ports import (
    ConcurrentConflict,
    LowStockRow,
    ReservationInputs,
    StoredResult,
)


@dataclass
class MemoryState:
    locations: dict[str, Location] = field(default_factory=dict)
    skus: dict[str, SkuRecord] = field(default_factory=dict)
    levels: dict[StockKey, StockLevel] = field(default_factory=dict)
    ledger: list[LedgerEntry] = field(default_factory=list)
    reservations: dict[str, Reservation] = field(default_factory=dict)
    reservation_by_key: dict[str, str] = field(default_factory=dict)
    results: dict[str, StoredResult] = field(default_factory=dict)
    events: list[Event] = field(default_factory=list)


class MemoryStore:
    def __init__(self) -> None:
        self.state = MemoryState()
        self.lock = threading.RLock()
        self.commits = 0

    def uow(self) -> MemoryUnitOfWork:
        return MemoryUnitOfWork(self)


class MemoryRepository:
    def __init__(self, state: MemoryState) -> None:
        self.s = state

    def locations(self, location_ids: Collection[str]) -> dict[str, Location]:
        return {i: self.s.locations[i] for i in location_ids if i in self.s.locations}

    def add_location(self, location: Location) -> None:
        if location.location_id in self.s.locations:
            raise ConcurrentConflict(f"location {location.location_id} exists")
        self.s.locations[location.location_id] = location

    def skus(self, skus: Collection[str]) -> dict[str, SkuRecord]:
        return {s: copy.copy(self.s.skus[s]) for s in skus if s in self.s.skus}

    def add_sku(self, record: SkuRecord) -> None:
        if record.sku in self.s.skus:
            raise ConcurrentConflict(f"sku {record.sku} exists")
        self.s.skus[record.sku] = copy.copy(record)

    def update_sku(self, record: SkuRecord) -> None:
        self.s.skus[record.sku] = copy.copy(record)

    def reserve_if_available(
        self, deltas: Sequence[tuple[StockKey, int]], now: datetime
    ) -> dict[StockKey, tuple[int, int]] | None:
        found = {}
        for key, delta in sorted(deltas):
            level = self.s.levels.get(key)
            if level is None or level.available < delta:
                return None
            level = copy.copy(level)
            level.reserved += delta
            self.s.levels[key] = level
            found[key] = (level.on_hand, level.reserved)
        return found

    def lock_levels(self, skus: Collection[str], *, lock: bool = True) -> list[StockLevel]:
        wanted = set(skus)
        return [copy.copy(v) for k, v in sorted(self.s.levels.items()) if k[0] in wanted]

    def save_levels(self, levels: Sequence[StockLevel], new_keys: Collection[StockKey]) -> None:
        for level in levels:
            if level.key in new_keys and level.key in self.s.levels:
                raise ConcurrentConflict(f"stock row {level.key} exists")
            if level.reserved < 0 or level.on_hand < level.reserved:
                raise AssertionError(f"stock row {level.key} would break the invariant")
            self.s.levels[level.key] = copy.copy(level)

    def add_entries(
        self, entries: Sequence[LedgerEntry], *, with_sequence: bool = False
    ) -> list[LedgerEntry]:
        stored = []
        for entry in entries:
            entry = dataclasses.replace(entry, sequence=len(self.s.ledger) + 1)
            self.s.ledger.append(entry)
            stored.append(entry)
        return stored

    def reservation_inputs(
        self,
        keys: Collection[str],
        skus: Collection[str],
        location_ids: Collection[str],
        *,
        lock: bool = True,
    ) -> ReservationInputs:
        return ReservationInputs(
            self.reservations_by_key(keys),
            self.skus(skus),
            self.locations(location_ids),
            self.lock_levels(sorted(skus), lock=lock),
        )

    def reservations_by_key(self, keys: Collection[str]) -> dict[str, Reservation]:
        found = {}
        for key in keys:
            if key in self.s.reservation_by_key:
                found[key] = copy.deepcopy(self.s.reservations[self.s.reservation_by_key[key]])
        return found

    def get_reservation(self, reservation_id: str) -> Reservation | None:
        found = self.s.reservations.get(reservation_id)
        return copy.deepcopy(found) if found else None

    def get_reservations(self, reservation_ids: Collection[str]) -> dict[str, Reservation]:
        return {
            rid: copy.deepcopy(self.s.reservations[rid])
            for rid in reservation_ids
            if rid in self.s.reservations
        }

    def add_reservations(self, reservations: Sequence[Reservation]) -> None:
        for r in reservations:
            if r.idempotency_key in self.s.reservation_by_key:
                raise ConcurrentConflict(f"idempotency key {r.idempotency_key} exists")
            self.s.reservations[r.reservation_id] = copy.deepcopy(r)
            self.s.reservation_by_key[r.idempotency_key] = r.reservation_id

    def close_reservation(self, reservation: Reservation, expected: ReservationStatus) -> bool:
        current = self.s.reservations.get(reservation.reservation_id)
        if current is None or current.status is not expected:
            return False
        self.s.reservations[reservation.reservation_id] = copy.deepcopy(reservation)
        return True

    def close_reservations(
        self, reservations: Sequence[Reservation], expected: ReservationStatus
    ) -> int:
        return sum(self.close_reservation(r, expected) for r in reservations)

    def due_reservations(self, now: datetime, limit: int) -> list[Reservation]:
        due = sorted(
            (r for r in self.s.reservations.values() if r.is_due(now)),
            key=lambda r: (r.expires_at, r.reservation_id),
        )
        return [copy.deepcopy(r) for r in due[:limit]]

    def stored_result(self, key: str) -> StoredResult | None:
        return self.s.results.get(key)

    def store_result(self, key: str, stored: StoredResult, now: datetime) -> None:
        if key in self.s.results:
            raise ConcurrentConflict(f"idempotency key {key} exists")
        self.s.results[key] = stored

    def availability(
        self, skus: Collection[str], location_ids: Collection[str]
    ) -> list[StockLevel]:
        return [
            copy.copy(v)
            for k, v in sorted(self.s.levels.items())
            if k[0] in skus and (not location_ids or k[1] in location_ids)
        ]

    def history(
        self, sku: str, location_id: str, after_sequence: int, limit: int
    ) -> list[LedgerEntry]:
        matching = (
            e
            for e in self.s.ledger
            if e.sku == sku and e.location_id == location_id and e.sequence > after_sequence
        )
        return [e for _, e in zip(range(limit), matching, strict=False)]

    def low_stock(self, after_sku: str, limit: int) -> list[LowStockRow]:
        rows = []
        for sku, record in sorted(self.s.skus.items()):
            if sku <= after_sku or record.low_stock_threshold <= 0:
                continue
            available = sum(v.available for k, v in self.s.levels.items() if k[0] == sku)
            if available < record.low_stock_threshold:
                rows.append(LowStockRow(sku, available, record.low_stock_threshold))
        return rows[:limit]


class MemoryUnitOfWork:
    def __init__(self, store: MemoryStore) -> None:
        self.store = store
        self.repo: MemoryRepository
        self._pending: list[Event] = []

    def __enter__(self) -> MemoryUnitOfWork:
        self.store.lock.acquire()
        self._working = copy.deepcopy(self.store.state)
        self.repo = MemoryRepository(self._working)
        self._pending = []
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.store.lock.release()

    def publish(self, event: Event) -> None:
        self._pending.append(event)

    def send_together(self) -> contextlib.AbstractContextManager[None]:
        return contextlib.nullcontext()

    def commit(self) -> None:
        self._working.events.extend(self._pending)
        self.store.state = self._working
        self.store.commits += 1
        self._pending = []
