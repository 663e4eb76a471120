"""Bulk inserts for the reservation hot path, below SQLAlchemy's per-row processing.

A batch of reservations writes four rows per reservation (reservation, line, ledger
entry, outbox event). Through SQLAlchemy's executemany the Python work per row cost
more than the database did, so these go to the driver directly: on PostgreSQL one
``INSERT ... SELECT FROM unnest(<one array per column>)`` per table (unlike COPY it
can be pipelined, so a batch's inserts, updates and commit share one round trip),
the sqlite3 module's executemany on SQLite. Values are stored exactly as SQLAlchemy
would store them, so the repository reads them back through SQLAlchemy unchanged.
"""

from __future__ import annotations

import functools
import json
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, Table


def _sqlite_value(value: Any) -> Any:
    # SQLAlchemy's SQLite DateTime: UTC wall time as text, microseconds always present.
    if isinstance(value, datetime):
        return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")
    if isinstance(value, bool):
        return int(value)
    return value


def insert_rows(connection: Connection, table: Table, rows: list[dict[str, Any]]) -> None:
    """Insert ``rows`` (dicts with the same keys) into ``table`` inside the open transaction."""
    if not rows:
        return
    columns = list(rows[0])
    driver = connection.connection.dbapi_connection
    if connection.dialect.name == "postgresql":
        with driver.cursor() as cursor:  # type: ignore[union-attr]
            cursor.execute(
                _json_insert(table, tuple(columns)),
                [json.dumps(rows, default=_json_value, separators=(",", ":"))],
            )
        return
    marks = ", ".join("?" for _ in columns)
    names = ", ".join(f'"{c}"' for c in columns)
    cursor = driver.cursor()  # type: ignore[union-attr]
    try:
        cursor.executemany(
            f'INSERT INTO "{table.name}" ({names}) VALUES ({marks})',
            [[_sqlite_value(row[c]) for c in columns] for row in rows],
        )
    finally:
        cursor.close()


@functools.cache
def _json_insert(table: Table, columns: tuple[str, ...]) -> str:
    names = ", ".join(f'"{c}"' for c in columns)
    return (
        f'INSERT INTO "{table.name}" ({names}) '
        f'SELECT {names} FROM json_populate_recordset(NULL::"{table.name}", %s::json)'
    )


def _json_value(value: Any) -> str:
    # What json.dumps cannot write itself, in the text form PostgreSQL reads back.
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, bytes):
        return "\\x" + value.hex()
    raise TypeError(f"cannot store {type(value).__name__} through JSON")


def update_levels(
    connection: Connection,
    table: Table,
    levels: list[tuple[str, str, int, int, int]],
    now: datetime,
) -> None:
    """Set (on_hand, reserved, supplier_version) of existing rows keyed by (sku, location_id).

    ``levels`` holds (sku, location_id, on_hand, reserved, supplier_version) tuples.
    On PostgreSQL one UPDATE ... FROM (VALUES ...) for all of them.
    """
    if not levels:
        return
    driver = connection.connection.dbapi_connection
    name = table.name
    if connection.dialect.name == "postgresql":
        rows = ", ".join("(%s, %s, %s::bigint, %s::bigint, %s::bigint)" for _ in levels)
        with driver.cursor() as cursor:  # type: ignore[union-attr]
            cursor.execute(
                f'UPDATE "{name}" AS s SET on_hand = v.on_hand, reserved = v.reserved, '
                "supplier_version = v.version, updated_at = %s "
                f"FROM (VALUES {rows}) AS v(sku, location_id, on_hand, reserved, version) "
                "WHERE s.sku = v.sku AND s.location_id = v.location_id",
                [now, *(value for level in levels for value in level)],
            )
        return
    cursor = driver.cursor()  # type: ignore[union-attr]
    try:
        cursor.executemany(
            f'UPDATE "{name}" SET on_hand = ?, reserved = ?, supplier_version = ?, updated_at = ? '
            "WHERE sku = ? AND location_id = ?",
            [(oh, rs, ver, _sqlite_value(now), sku, loc) for sku, loc, oh, rs, ver in levels],
        )
    finally:
        cursor.close()


def reserve_if_available(
    connection: Connection,
    table: Table,
    deltas: list[tuple[tuple[str, str], int]],
    now: datetime,
) -> dict[tuple[str, str], tuple[int, int]]:
    """Conditionally add to ``reserved``, one statement per row in the given order;
    return (on_hand, reserved) after the update of the rows that had the units."""
    name = table.name
    found: dict[tuple[str, str], tuple[int, int]] = {}
    if not deltas:
        return found
    driver = connection.connection.dbapi_connection
    if connection.dialect.name == "postgresql":
        with driver.cursor() as cursor:  # type: ignore[union-attr]
            cursor.executemany(
                f'UPDATE "{name}" SET reserved = reserved + %s, updated_at = %s '
                "WHERE sku = %s AND location_id = %s AND on_hand - reserved >= %s "
                "RETURNING sku, location_id, on_hand, reserved",
                [(delta, now, sku, loc, delta) for (sku, loc), delta in deltas],
                returning=True,
            )
            while True:
                for sku, loc, on_hand, reserved in cursor.fetchall():
                    found[(sku, loc)] = (on_hand, reserved)
                if not cursor.nextset():
                    break
        return found
    cursor = driver.cursor()  # type: ignore[union-attr]
    try:
        for (sku, loc), delta in deltas:
            cursor.execute(
                f'UPDATE "{name}" SET reserved = reserved + ?, updated_at = ? '
                "WHERE sku = ? AND location_id = ? AND on_hand - reserved >= ? "
                "RETURNING on_hand, reserved",
                (delta, _sqlite_value(now), sku, loc, delta),
            )
            row = cursor.fetchone()
            if row is not None:
                found[(sku, loc)] = (row[0], row[1])
    finally:
        cursor.close()
    return found
