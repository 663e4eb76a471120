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
    metadata.create_all(connection)


MIGRATIONS = [create_v1]
