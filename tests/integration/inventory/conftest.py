from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from sqlalchemy import func, select

from cangpei.runtime.db import Database
from cangpei.runtime.migrations import migrate
from cangpei.runtime.outbox import RUNTIME_MIGRATIONS
from cangpei.runtime.uow import UnitOfWork
from services.inventory.adapters.schema import (
    MIGRATIONS,
    ledger,
    reservation_lines,
    reservations,
    stock,
)
from services.inventory.adapters.unit_of_work import sql_unit_of_work_factories
from services.inventory.config import InventoryConfig
from services.inventory.domain import commands as c
from services.inventory.domain.model import LocationKind
from services.inventory.service_layer.handlers import InventoryService
from services.inventory.service_layer.queries import InventoryQueries


@dataclass
class SqlInventory:
    db: Database
    service: InventoryService
    queries: InventoryQueries

    def stock(self, sku: str, location_id: str, quantity: int) -> None:
        self.service.register_location(c.RegisterLocation(location_id, LocationKind.CENTRAL))
        self.service.register_sku(c.RegisterSku(sku))
        if quantity:
            key = f"setup-{sku}-{location_id}-{quantity}"
            self.service.receive(c.ReceiveStock(key, sku, location_id, quantity))

    def level(self, sku: str, location_id: str) -> tuple[int, int]:
        with self.db.read_session() as session:
            row = session.execute(
                select(stock.c.on_hand, stock.c.reserved).where(
                    stock.c.sku == sku, stock.c.location_id == location_id
                )
            ).one()
        return row.on_hand, row.reserved

    def reconciliation_problems(self) -> list[str]:
        """Every (sku, location) whose level differs from its ledger or its reservations."""
        with self.db.read_session() as session:
            sums = {
                (r.sku, r.location_id): (r.on_hand, r.reserved)
                for r in session.execute(
                    select(
                        ledger.c.sku,
                        ledger.c.location_id,
                        func.sum(ledger.c.on_hand_delta).label("on_hand"),
                        func.sum(ledger.c.reserved_delta).label("reserved"),
                    ).group_by(ledger.c.sku, ledger.c.location_id)
                )
            }
            held = {
                (r.sku, r.location_id): r.quantity
                for r in session.execute(
                    select(
                        reservation_lines.c.sku,
                        reservation_lines.c.location_id,
                        func.sum(reservation_lines.c.quantity).label("quantity"),
                    )
                    .join(reservations)
                    .where(reservations.c.status == "active")
                    .group_by(reservation_lines.c.sku, reservation_lines.c.location_id)
                )
            }
            problems = []
            # Each entry's "after" figures follow from the one before it at the same row.
            last: dict[tuple[str, str], tuple[int, int]] = {}
            for e in session.execute(select(ledger).order_by(ledger.c.sequence)):
                key = (e.sku, e.location_id)
                before = last.get(key, (0, 0))
                expected = (before[0] + e.on_hand_delta, before[1] + e.reserved_delta)
                if (e.on_hand_after, e.reserved_after) != expected:
                    problems.append(
                        f"{key}: entry {e.sequence} says {e.on_hand_after, e.reserved_after}, "
                        f"the chain gives {expected}"
                    )
                last[key] = (e.on_hand_after, e.reserved_after)
            for r in session.execute(select(stock)):
                key = (r.sku, r.location_id)
                if sums.get(key) != (r.on_hand, r.reserved) or held.get(key, 0) != r.reserved:
                    problems.append(
                        f"{key}: level {(r.on_hand, r.reserved)}, ledger {sums.get(key)}"
                    )
                if not 0 <= r.reserved <= r.on_hand:
                    problems.append(f"{key}: oversold {(r.on_hand, r.reserved)}")
        return problems


def open_inventory(
    url: str, config: InventoryConfig | None = None, **service_options
) -> SqlInventory:
    db = Database(url, pool_size=20)
    migrate(db, "cangpei.runtime", RUNTIME_MIGRATIONS)
    migrate(db, "inventory", MIGRATIONS)
    write, read = sql_unit_of_work_factories(db, lambda: UnitOfWork(db))
    config = config or InventoryConfig()
    service_options.setdefault("defer_stock_locks", not db.is_sqlite)
    service = InventoryService(write, config, read_uow_factory=read, **service_options)
    return SqlInventory(db, service, InventoryQueries(read, config))


@pytest.fixture
def inventory(database_url: str) -> Iterator[SqlInventory]:
    store = open_inventory(database_url)
    yield store
    store.db.dispose()
