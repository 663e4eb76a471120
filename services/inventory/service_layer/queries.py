"""Read-only questions: availability, a SKU's history at a location, low stock."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Generic, TypeVar

from cangpei.runtime.errors import InvalidArgument
from services.inventory.config import InventoryConfig
from services.inventory.domain.errors import ReservationNotFound, UnknownLocation, UnknownSku
from services.inventory.domain.model import LedgerEntry, Reservation, StockLevel
from services.inventory.domain.validation import validate_reservation_id
from services.inventory.service_layer.ports import LowStockRow, UnitOfWorkFactory

MAX_SKUS_PER_QUERY = 1000
T = TypeVar("T")


@dataclass(frozen=True)
class Page(Generic[T]):
    items: list[T]
    next_page_token: str


def page_size(requested: int, config: InventoryConfig, default: int) -> int:
    if requested < 0:
        raise InvalidArgument(f"page_size must not be negative, got {requested}")
    return min(requested or default, config.max_page_size)


class InventoryQueries:
    def __init__(self, read_uow: UnitOfWorkFactory, config: InventoryConfig) -> None:
        self.read_uow = read_uow
        self.config = config

    def availability(self, skus: list[str], location_ids: list[str]) -> list[StockLevel]:
        skus = list(dict.fromkeys(s for s in skus))
        if not skus or any(not s for s in skus):
            raise InvalidArgument("name at least one sku, and no empty sku")
        if len(skus) > MAX_SKUS_PER_QUERY:
            raise InvalidArgument(f"{len(skus)} skus asked; at most {MAX_SKUS_PER_QUERY} at once")
        # A SKU inventory has never heard of has no stock anywhere: an empty answer,
        # not an error, so a caller asking for a whole order is not failed by one
        # product listed a moment ago.
        with self.read_uow() as uow:
            if location_ids:
                known = uow.repo.locations(location_ids)
                if missing := sorted(set(location_ids) - set(known)):
                    raise UnknownLocation(missing)
            return uow.repo.availability(skus, location_ids)

    def reservation(self, reservation_id: str) -> Reservation:
        validate_reservation_id(reservation_id)
        with self.read_uow() as uow:
            found = uow.repo.get_reservation(reservation_id)
        if found is None:
            raise ReservationNotFound(reservation_id)
        return found

    def history(self, sku: str, location_id: str, size: int, token: str) -> Page[LedgerEntry]:
        if not sku or not location_id:
            raise InvalidArgument("both sku and location_id are required for a history")
        after = _sequence_token(token)
        limit = page_size(size, self.config, self.config.history_page_size)
        with self.read_uow() as uow:
            if not uow.repo.skus([sku]):
                raise UnknownSku([sku])
            if not uow.repo.locations([location_id]):
                raise UnknownLocation([location_id])
            entries = uow.repo.history(sku, location_id, after, limit + 1)
        more = len(entries) > limit
        entries = entries[:limit]
        return Page(entries, str(entries[-1].sequence) if more else "")

    def low_stock(self, size: int, token: str) -> Page[LowStockRow]:
        limit = page_size(size, self.config, self.config.history_page_size)
        with self.read_uow() as uow:
            rows = uow.repo.low_stock(token, limit + 1)
        more = len(rows) > limit
        rows = rows[:limit]
        return Page(rows, rows[-1].sku if more else "")


def _sequence_token(token: str) -> int:
    if not token:
        return 0
    if not token.isdigit():
        raise InvalidArgument(f"page_token {token!r} is not one this service gave out")
    return int(token)
