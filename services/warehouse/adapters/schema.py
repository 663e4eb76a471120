"""The warehouse service's tables and their migrations."""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    Connection,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
)

metadata = MetaData()

warehouses = Table(
    "warehouse_warehouses",
    metadata,
    Column("warehouse_id", String(64), primary_key=True),
    Column("name", String(200), nullable=False),
    Column("kind", String(20), nullable=False),
    Column("latitude", Float, nullable=False),
    Column("longitude", Float, nullable=False),
    Column("service_radius_km", Float, nullable=False),
    Column("daily_capacity_parcels", Integer, nullable=False),
    Column("cutoff_minute", Integer, nullable=False),
    Column("active", Boolean, nullable=False),
)

allocations = Table(
    "warehouse_allocations",
    metadata,
    Column("allocation_id", String(64), primary_key=True),
    # One allocation per order: a second attempt is refused, even under a race.
    Column("order_id", String(128), nullable=False, unique=True),
    Column("wave_id", String(128), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("local_day", Date, nullable=False),
    Column("promised_by", DateTime(timezone=True), nullable=True),
    Column("solver_status", String(20), nullable=False),
    Column("objective", Integer, nullable=False),
    Column("best_bound", Integer, nullable=False),
    Column("gap", Float, nullable=False),
    Column("explanations", Text, nullable=False),  # JSON list of strings
    Column("unserved", Text, nullable=False),  # JSON list of {sku, quantity, reason}
)

parcels = Table(
    "warehouse_parcels",
    metadata,
    Column("parcel_id", String(100), primary_key=True),
    Column(
        "allocation_id",
        String(64),
        ForeignKey("warehouse_allocations.allocation_id"),
        nullable=False,
    ),
    Column("position", Integer, nullable=False),
    Column("warehouse_id", String(64), nullable=False),
    Column("local_day", Date, nullable=False),
    Column("tier", Integer, nullable=False),
    Column("distance_km", Float, nullable=False),
    Column("origin_latitude", Float, nullable=False),
    Column("origin_longitude", Float, nullable=False),
    Column("destination_latitude", Float, nullable=False),
    Column("destination_longitude", Float, nullable=False),
    Column("lines", Text, nullable=False),  # JSON list of [sku, quantity]
    Column("reservation_id", String(100), nullable=False),
    Column("explanation", Text, nullable=False),
)
Index("ix_warehouse_parcels_day", parcels.c.local_day, parcels.c.warehouse_id)
Index("ix_warehouse_parcels_allocation", parcels.c.allocation_id)


def create_v1(connection: Connection) -> None:
    # Only the tables of v1: later tables belong to their own migrations.
    metadata.create_all(connection, tables=[warehouses, allocations, parcels])


# ---- The fulfilment flow (v2): orders with their history and parcels, SKU shipping data.

fulfilment_orders = Table(
    "warehouse_fulfilment_orders",
    metadata,
    Column("order_id", String(128), primary_key=True),
    # One order per key: a replay finds it, a race on the same key hits this constraint.
    Column("idempotency_key", String(200), nullable=False, unique=True),
    Column("fingerprint", String(64), nullable=False),
    Column("status", String(20), nullable=False),
    Column("failure_reason", Text, nullable=False),
    Column("order_json", Text, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
)
Index(
    "ix_warehouse_fulfilment_status_age",
    fulfilment_orders.c.status,
    fulfilment_orders.c.created_at,
)

fulfilment_history = Table(
    "warehouse_fulfilment_history",
    metadata,
    Column("order_id", String(128), primary_key=True),
    Column("position", Integer, primary_key=True),
    Column("status", String(20), nullable=False),
    Column("at", DateTime(timezone=True), nullable=False),
    Column("detail", Text, nullable=False),
)

fulfilment_parcels = Table(
    "warehouse_fulfilment_parcels",
    metadata,
    Column("parcel_id", String(100), primary_key=True),
    Column("order_id", String(128), nullable=False, index=True),
    Column("position", Integer, nullable=False),
    Column("warehouse_id", String(64), nullable=False),
    Column("reservation_id", String(100), nullable=False, index=True),
    Column("status", Integer, nullable=False),
    Column("carrier_id", String(100), nullable=False),
    Column("vehicle_id", String(100), nullable=False),
    Column("tier", Integer, nullable=False),
    Column("distance_km", Float, nullable=False),
    Column("weight_grams", Integer, nullable=False),
    Column("volume_cm3", Integer, nullable=False),
)

sku_shipping = Table(
    "warehouse_sku_shipping",
    metadata,
    Column("sku", String(128), primary_key=True),
    Column("weight_grams", Integer, nullable=False),
    Column("volume_cm3", Integer, nullable=False),
)


def add_fulfilment(connection: Connection) -> None:
    for table in (fulfilment_orders, fulfilment_history, fulfilment_parcels, sku_shipping):
        table.create(connection, checkfirst=True)


# Reservations a wave is about to ask for, written before asking: a wave cut short by a
# crash leaves them here, and the next wave over those orders gives them back first.
reservation_intents = Table(
    "warehouse_reservation_intents",
    metadata,
    Column("idempotency_key", String(300), primary_key=True),
    Column("order_id", String(128), nullable=False, index=True),
    Column("location_id", String(64), nullable=False),
    Column("lines", Text, nullable=False),  # JSON list of [sku, quantity]
)


def add_reservation_intents(connection: Connection) -> None:
    reservation_intents.create(connection, checkfirst=True)


MIGRATIONS = [create_v1, add_fulfilment, add_reservation_intents]
