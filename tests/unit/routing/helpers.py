"""Small builders for the routing unit tests."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

from services.routing.domain.model import Carrier, Parcel, RateBand, Vehicle

CHINA = timezone(timedelta(hours=8))
WAREHOUSE = ("wh-sh", 31.2304, 121.4737)  # Shanghai


def carrier(
    carrier_id: str = "sf",
    bands: tuple[RateBand, ...] = (
        RateBand(max_km=50, first_weight_fen=1000, additional_kg_fen=200, delivery_hours=24),
        RateBand(max_km=300, first_weight_fen=1200, additional_kg_fen=400, delivery_hours=48),
    ),
    cutoff_minute: int = 18 * 60,
    capacity: int = 100,
) -> Carrier:
    return Carrier(
        carrier_id=carrier_id,
        name=carrier_id.upper(),
        bands=bands,
        cutoff_minute=cutoff_minute,
        default_daily_capacity=capacity,
    )


def parcel(
    parcel_id: str = "p1",
    *,
    lat: float = 31.30,
    lon: float = 121.50,
    weight_grams: int = 1000,
    volume_cm3: int = 1000,
    window: tuple[int, int] = (9 * 60, 21 * 60),
    promised_by: datetime | None = None,
) -> Parcel:
    return Parcel(
        parcel_id=parcel_id,
        order_id=f"o-{parcel_id}",
        warehouse_id=WAREHOUSE[0],
        reservation_id=f"r-{parcel_id}",
        latitude=lat,
        longitude=lon,
        origin_latitude=WAREHOUSE[1],
        origin_longitude=WAREHOUSE[2],
        weight_grams=weight_grams,
        volume_cm3=volume_cm3,
        window_start_minute=window[0],
        window_end_minute=window[1],
        promised_by=promised_by,
    )


def vehicle(
    vehicle_id: str = "v1",
    *,
    capacity_grams: int = 500_000,
    shift: tuple[int, int] = (8 * 60, 20 * 60),
    fixed_cost_fen: int = 0,
    cost_per_km_fen: int = 100,
) -> Vehicle:
    return Vehicle(
        vehicle_id=vehicle_id,
        depot_id=WAREHOUSE[0],
        capacity_grams=capacity_grams,
        capacity_cm3=10_000_000,
        shift_start_minute=shift[0],
        shift_end_minute=shift[1],
        fixed_cost_fen=fixed_cost_fen,
        cost_per_km_fen=cost_per_km_fen,
    )


def local(hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 11, 25, hour, minute, tzinfo=CHINA)


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)
