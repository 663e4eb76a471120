"""The routing tables and their migrations (applied in order at start, never edited)."""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    Connection,
    Date,
    DateTime,
    Float,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
)

metadata = MetaData()

depots = Table(
    "routing_depots",
    metadata,
    Column("warehouse_id", String(128), primary_key=True),
    Column("latitude", Float, nullable=False),
    Column("longitude", Float, nullable=False),
)

carriers = Table(
    "routing_carriers",
    metadata,
    Column("carrier_id", String(128), primary_key=True),
    Column("name", String(200), nullable=False),
    Column("cutoff_minute", Integer, nullable=False),
    Column("default_daily_capacity", Integer, nullable=False),
    Column("active", Boolean, nullable=False),
    # Rate bands and per-warehouse capacities are read and written whole with the carrier.
    Column("bands", JSON, nullable=False),
    Column("daily_capacity", JSON, nullable=False),
)

vehicles = Table(
    "routing_vehicles",
    metadata,
    Column("vehicle_id", String(128), primary_key=True),
    Column("depot_id", String(128), nullable=False, index=True),
    Column("capacity_grams", BigInteger, nullable=False),
    Column("capacity_cm3", BigInteger, nullable=False),
    Column("shift_start_minute", Integer, nullable=False),
    Column("shift_end_minute", Integer, nullable=False),
    Column("fixed_cost_fen", BigInteger, nullable=False),
    Column("cost_per_km_fen", BigInteger, nullable=False),
    Column("active", Boolean, nullable=False),
)

parcels = Table(
    "routing_parcels",
    metadata,
    Column("parcel_id", String(128), primary_key=True),
    Column("order_id", String(128), nullable=False),
    Column("warehouse_id", String(128), nullable=False),
    Column("reservation_id", String(128), nullable=False),
    Column("latitude", Float, nullable=False),
    Column("longitude", Float, nullable=False),
    Column("origin_latitude", Float, nullable=False),
    Column("origin_longitude", Float, nullable=False),
    Column("weight_grams", BigInteger, nullable=False),
    Column("volume_cm3", BigInteger, nullable=False),
    Column("window_start_minute", Integer, nullable=False),
    Column("window_end_minute", Integer, nullable=False),
    Column("promised_by", DateTime(timezone=True), nullable=True),
    Column("status", String(16), nullable=False),
    Column("plan_id", String(64), nullable=True, index=True),
    Column("carrier_id", String(128), nullable=True),
    Column("vehicle_id", String(128), nullable=True),
    Column("cost_fen", BigInteger, nullable=False),
    Column("reason", Text, nullable=False),
    Index("ix_routing_parcels_waiting", "warehouse_id", "status"),
)

carrier_usage = Table(
    "routing_carrier_usage",
    metadata,
    Column("carrier_id", String(128), primary_key=True),
    Column("warehouse_id", String(128), primary_key=True),
    Column("day", Date, primary_key=True),
    Column("used", Integer, nullable=False),
)

plans = Table(
    "routing_plans",
    metadata,
    Column("plan_id", String(64), primary_key=True),
    Column("warehouse_id", String(128), nullable=False),
    Column("wave_id", String(128), nullable=False),
    Column("status", String(16), nullable=False),
    Column("revision", Integer, nullable=False),
    Column("planned_at", DateTime(timezone=True), nullable=False),
    Column("total_cost_fen", BigInteger, nullable=False),
    Column("body", JSON, nullable=False),
    Index("ix_routing_plans_open", "warehouse_id", "status"),
)


# A vehicle's trips of a day: once it has left, its fixed cost is paid and it is out
# until back_at_minute (minutes since that day's local midnight).
vehicle_days = Table(
    "routing_vehicle_days",
    metadata,
    Column("vehicle_id", String(128), primary_key=True),
    Column("day", Date, primary_key=True),
    Column("depot_id", String(128), nullable=False),
    Column("back_at_minute", Float, nullable=False),
    Index("ix_routing_vehicle_days_depot", "depot_id", "day"),
)

V1_TABLES = [depots, carriers, vehicles, parcels, carrier_usage, plans]


def create_v1(connection: Connection) -> None:
    metadata.create_all(connection, tables=V1_TABLES)


def add_vehicle_days(connection: Connection) -> None:
    vehicle_days.create(connection)


MIGRATIONS = [create_v1, add_vehicle_days]
