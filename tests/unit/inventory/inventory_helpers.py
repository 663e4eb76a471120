"""Short-hands for the inventory unit tests: a service over an in-memory store."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta

from services.inventory.adapters.memory import MemoryStore
from services.inventory.config import InventoryConfig
from services.inventory.domain import commands as c
from services.inventory.domain.model import LocationKind
from services.inventory.service_layer.handlers import InventoryService
from services.inventory.service_layer.queries import InventoryQueries


class ManualClock:
    def __init__(self) -> None:
        self.now = datetime(2026, 11, 11, 10, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


class Shop:
    """The service over an in-memory store, with short-hands to set up stock."""

    def __init__(self, config: InventoryConfig | None = None) -> None:
        self.store = MemoryStore()
        self.clock = ManualClock()
        self.config = config or InventoryConfig()
        counter = itertools.count(1)
        self.service = InventoryService(
            self.store.uow, self.config, clock=self.clock, new_id=lambda: f"r{next(counter)}"
        )
        self.queries = InventoryQueries(self.store.uow, self.config)
        self._keys = itertools.count(1)

    def key(self) -> str:
        return f"k{next(self._keys)}"

    def location(self, location_id: str, kind: LocationKind = LocationKind.CENTRAL, supplier=""):
        self.service.register_location(c.RegisterLocation(location_id, kind, supplier))

    def stock(self, sku: str, location_id: str, quantity: int, threshold: int = 0) -> None:
        self.service.register_sku(c.RegisterSku(sku, threshold))
        if location_id not in self.store.state.locations:
            self.location(location_id)
        if quantity:
            self.service.receive(c.ReceiveStock(self.key(), sku, location_id, quantity))

    def reserve(self, *lines: tuple, key: str | None = None, ttl: int = 0, order: str = "o1"):
        requested = tuple(c.RequestedLine(*line) for line in lines)
        return self.service.reserve(c.ReserveStock(key or self.key(), order, requested, ttl))

    def level(self, sku: str, location_id: str):
        return self.store.state.levels[(sku, location_id)]

    def events(self, kind: type) -> list:
        return [e for e in self.store.state.events if isinstance(e, kind)]
