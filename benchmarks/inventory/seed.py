"""Stock for the benchmark, written straight into the database (seeding is not measured).

The service's rows get a matching receipt in the ledger, so the ledger still
reconciles; the naive baseline gets its own table with the same levels.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import BigInteger, Column, MetaData, String, Table, func, insert, select

from cangpei.runtime.db import Database
from services.inventory.adapters.schema import ledger, locations, skus, stock

naive_metadata = MetaData()
naive_stock = Table(
    "bench_naive_stock",
    naive_metadata,
    Column("sku", String(128), primary_key=True),
    Column("location_id", String(128), primary_key=True),
    Column("on_hand", BigInteger, nullable=False),
    Column("reserved", BigInteger, nullable=False),
)

LOCATION = "BENCH-A"
CHUNK = 10_000


def seed(db: Database, sku_names: list[str], on_hand: int) -> None:
    now = datetime.now(UTC)
    with db.writer.begin() as connection:
        naive_metadata.create_all(connection)
        if not connection.execute(
            select(locations).where(locations.c.location_id == LOCATION)
        ).first():
            connection.execute(
                insert(locations).values(
                    location_id=LOCATION, kind="central", supplier_id="", created_at=now
                )
            )
    for start in range(0, len(sku_names), CHUNK):
        part = sku_names[start : start + CHUNK]
        with db.writer.begin() as connection:
            connection.execute(
                insert(skus),
                [
                    {"sku": s, "low_stock_threshold": 0, "is_low": False, "created_at": now}
                    for s in part
                ],
            )
            connection.execute(
                insert(stock),
                [
                    {
                        "sku": s,
                        "location_id": LOCATION,
                        "on_hand": on_hand,
                        "reserved": 0,
                        "supplier_version": 0,
                        "updated_at": now,
                    }
                    for s in part
                ],
            )
            connection.execute(
                insert(ledger),
                [
                    {
                        "sku": s,
                        "location_id": LOCATION,
                        "kind": "receipt",
                        "on_hand_delta": on_hand,
                        "reserved_delta": 0,
                        "on_hand_after": on_hand,
                        "reserved_after": 0,
                        "actor": "benchmark",
                        "reference": "seed",
                        "reason": "",
                        "occurred_at": now,
                    }
                    for s in part
                ],
            )
            connection.execute(
                insert(naive_stock),
                [
                    {"sku": s, "location_id": LOCATION, "on_hand": on_hand, "reserved": 0}
                    for s in part
                ],
            )


def levels(db: Database, impl: str, prefix: str) -> tuple[int, int, int]:
    """(units on hand, units reserved, rows with more reserved than on hand) of a SKU set."""
    table = stock if impl == "ours" else naive_stock
    with db.reader.connect() as connection:
        row = connection.execute(
            select(
                func.coalesce(func.sum(table.c.on_hand), 0),
                func.coalesce(func.sum(table.c.reserved), 0),
                func.count().filter(table.c.reserved > table.c.on_hand),
            ).where(table.c.sku.like(f"{prefix}%"))
        ).one()
    return int(row[0]), int(row[1]), int(row[2])


def ledger_mismatches(db: Database, prefix: str) -> int:
    """Rows of the service whose level differs from the sum of their ledger entries."""
    sums = (
        select(
            ledger.c.sku,
            ledger.c.location_id,
            func.sum(ledger.c.on_hand_delta).label("on_hand"),
            func.sum(ledger.c.reserved_delta).label("reserved"),
        )
        .where(ledger.c.sku.like(f"{prefix}%"))
        .group_by(ledger.c.sku, ledger.c.location_id)
        .subquery()
    )
    with db.reader.connect() as connection:
        return connection.execute(
            select(func.count())
            .select_from(
                stock.join(
                    sums, (sums.c.sku == stock.c.sku) & (sums.c.location_id == stock.c.location_id)
                )
            )
            .where((sums.c.on_hand != stock.c.on_hand) | (sums.c.reserved != stock.c.reserved))
        ).scalar_one()
