"""The inventory tables and their migrations (applied in order at start, never edited)."""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Column,
    Connection,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
)

metadata = MetaData()

# SQLite autoincrements only an INTEGER PRIMARY KEY (the rowid alias).
SEQUENCE = BigInteger().with_variant(Integer, "sqlite")

locations = Table(
    "inventory_locations",
    metadata,
    Column("location_id", String(128), primary_key=True),
    Column("kind", String(32), nullable=False),
    Column("supplier_id", String(128), nullable=False, default=""),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

skus = Table(
    "inventory_skus",
    metadata,
    Column("sku", String(128), primary_key=True),
    Column("low_stock_threshold", BigInteger, nullable=False, default=0),
    Column("is_low", Boolean, nullable=False, default=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

stock = Table(
    "inventory_stock",
    metadata,
    Column("sku", String(128), ForeignKey("inventory_skus.sku"), primary_key=True),
    Column(
        "location_id",
        String(128),
        ForeignKey("inventory_locations.location_id"),
        primary_key=True,
    ),
    Column("on_hand", BigInteger, nullable=False),
    Column("reserved", BigInteger, nullable=False),
    Column("supplier_version", BigInteger, nullable=False, default=0),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    # The last line of defence: whatever the code does, the database refuses an oversell.
    CheckConstraint("reserved >= 0 AND on_hand >= reserved", name="ck_inventory_stock_no_oversell"),
)

ledger = Table(
    "inventory_ledger",
    metadata,
    Column("sequence", SEQUENCE, primary_key=True, autoincrement=True),
    Column("sku", String(128), nullable=False),
    Column("location_id", String(128), nullable=False),
    Column("kind", String(32), nullable=False),
    Column("on_hand_delta", BigInteger, nullable=False),
    Column("reserved_delta", BigInteger, nullable=False),
    Column("on_hand_after", BigInteger, nullable=False),
    Column("reserved_after", BigInteger, nullable=False),
    Column("actor", String(500), nullable=False),
    Column("reference", String(500), nullable=False),
    Column("reason", String(500), nullable=False),
    Column("occurred_at", DateTime(timezone=True), nullable=False),
)
Index("ix_inventory_ledger_history", ledger.c.sku, ledger.c.location_id, ledger.c.sequence)

reservations = Table(
    "inventory_reservations",
    metadata,
    Column("reservation_id", String(64), primary_key=True),
    Column("idempotency_key", String(128), nullable=False, unique=True),
    Column("fingerprint", String(64), nullable=False),
    Column("order_id", String(500), nullable=False),
    Column("status", String(16), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("expires_at", DateTime(timezone=True), nullable=False),
    Column("actor", String(500), nullable=False),
    Column("closed_at", DateTime(timezone=True), nullable=True),
    Column("close_actor", String(500), nullable=False, default=""),
    Column("close_reason", String(500), nullable=False, default=""),
    Column("reference", String(500), nullable=False, default=""),
)
Index("ix_inventory_reservations_due", reservations.c.status, reservations.c.expires_at)

reservation_lines = Table(
    "inventory_reservation_lines",
    metadata,
    Column(
        "reservation_id",
        String(64),
        ForeignKey("inventory_reservations.reservation_id"),
        primary_key=True,
    ),
    Column("line_no", Integer, primary_key=True),
    Column("sku", String(128), nullable=False),
    Column("location_id", String(128), nullable=False),
    Column("quantity", BigInteger, nullable=False),
)

idempotency = Table(
    "inventory_idempotency",
    metadata,
    Column("idempotency_key", String(128), primary_key=True),
    Column("operation", String(64), nullable=False),
    Column("fingerprint", String(64), nullable=False),
    Column("result", Text, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
)


def create_inventory_tables(connection: Connection) -> None:
    metadata.create_all(connection)


def notify_outbox_commits(connection: Connection) -> None:
    """PostgreSQL: every statement writing outbox rows notifies ``cangpei_outbox_written``.

    PostgreSQL delivers a notification at commit (never for a rolled-back transaction)
    and once per transaction however many statements raised it, so the outbox relay
    process (relay.py) wakes once per committed batch of events, whichever code path
    wrote them, instead of polling. A statement-level trigger costs one call per insert
    statement, not per row. The channel name is relay.OUTBOX_CHANNEL.
    """
    if connection.dialect.name != "postgresql":
        return
    connection.exec_driver_sql(
        "CREATE OR REPLACE FUNCTION inventory_notify_outbox_written() RETURNS trigger "
        "LANGUAGE plpgsql AS $$ BEGIN "
        "PERFORM pg_notify('cangpei_outbox_written', ''); RETURN NULL; END $$"
    )
    connection.exec_driver_sql(
        "CREATE TRIGGER inventory_outbox_written AFTER INSERT ON cangpei_outbox "
        "FOR EACH STATEMENT EXECUTE FUNCTION inventory_notify_outbox_written()"
    )


MIGRATIONS = [create_inventory_tables, notify_outbox_commits]
