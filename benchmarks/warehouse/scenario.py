"""Realistic allocation scenarios in the Yangtze River Delta, from GeoNames cities.

Satellites sit in the most populous cities, two central warehouses near Shanghai and
Hangzhou, two supplier sites inland; consumers are drawn by population around every
city of the region. Stock is scarce on purpose: satellites together hold about
two thirds of the demand for the SKUs they carry, and capacity is tight.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

from services.warehouse.domain.geo import GeoPoint
from services.warehouse.domain.order import Order, OrderLine
from services.warehouse.domain.warehouse import Warehouse, WarehouseKind

DATA = Path(__file__).resolve().parents[2] / ".." / "shared" / "data"
CITIES = DATA / "cn_cities.csv"
# Hangzhou, Shanghai, Suzhou, Ningbo and their hinterland.
REGION = {"lat": (29.0, 32.6), "lon": (118.5, 122.3)}


@dataclass(frozen=True)
class City:
    name: str
    latitude: float
    longitude: float
    population: int


@dataclass
class Scenario:
    orders: list[Order]
    warehouses: list[Warehouse]
    stock: dict[tuple[str, str], int]
    capacity: dict[str, int]


def region_cities() -> list[City]:
    with CITIES.open(newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    cities = [
        City(r["name"], float(r["latitude"]), float(r["longitude"]), int(r["population"]))
        for r in rows
    ]
    return [
        c
        for c in cities
        if REGION["lat"][0] <= c.latitude <= REGION["lat"][1]
        and REGION["lon"][0] <= c.longitude <= REGION["lon"][1]
    ]


def make_scenario(n_orders: int, n_warehouses: int, seed: int = 7, n_skus: int = 150) -> Scenario:
    rng = np.random.default_rng(seed)
    cities = sorted(region_cities(), key=lambda c: -c.population)
    n_sat = n_warehouses - 4
    now = datetime(2026, 11, 11, 2, 0, tzinfo=UTC)  # 10:00 in China, before every cut-off

    warehouses: list[Warehouse] = []
    # Satellites: the biggest cities first, then a spread of smaller ones; a few jitter km.
    sat_cities = cities[:n_sat] if n_sat <= len(cities) else cities
    for i in range(n_sat):
        c = sat_cities[i % len(sat_cities)]
        lat, lon = _jitter(rng, c.latitude, c.longitude, 8.0)
        warehouses.append(
            Warehouse(
                warehouse_id=f"SAT-{i:03d}",
                name=f"{c.name} satellite {i}",
                kind=WarehouseKind.SATELLITE,
                location=GeoPoint(lat, lon),
                service_radius_km=100.0 if rng.random() < 0.4 else 50.0,
                daily_capacity_parcels=0,  # set below
                cutoff_minute=20 * 60,
            )
        )
    for wid, lat, lon in (("CEN-JIAXING", 30.75, 120.75), ("CEN-WUXI", 31.57, 120.30)):
        warehouses.append(
            Warehouse(wid, wid, WarehouseKind.CENTRAL, GeoPoint(lat, lon), 50.0, 0, 18 * 60)
        )
    for wid, lat, lon in (("SUP-YIWU", 29.31, 120.07), ("SUP-HEFEI", 31.82, 117.23)):
        warehouses.append(
            Warehouse(wid, wid, WarehouseKind.SUPPLIER_SITE, GeoPoint(lat, lon), 50.0, 0, 16 * 60)
        )

    # Demand: cities by population, consumers scattered up to ~15 km around them.
    pop = np.array([c.population for c in cities], dtype=float)
    where = rng.choice(len(cities), size=n_orders, p=pop / pop.sum())
    skus = [f"SKU-{k:04d}" for k in range(n_skus)]
    popularity = 1.0 / np.arange(1, n_skus + 1) ** 0.9
    popularity /= popularity.sum()
    orders: list[Order] = []
    demand = np.zeros(n_skus, dtype=np.int64)
    for i in range(n_orders):
        c = cities[where[i]]
        lat, lon = _jitter(rng, c.latitude, c.longitude, 15.0)
        n_lines = int(rng.choice([1, 2, 3], p=[0.55, 0.3, 0.15]))
        picked = rng.choice(n_skus, size=n_lines, replace=False, p=popularity)
        lines = []
        for k in picked.tolist():
            q = int(rng.choice([1, 2, 3], p=[0.7, 0.2, 0.1]))
            demand[k] += q
            lines.append(OrderLine(skus[k], q))
        orders.append(Order(f"ORD-{i:06d}", tuple(lines), GeoPoint(lat, lon), now))

    stock: dict[tuple[str, str], int] = {}
    sats = [w for w in warehouses if w.kind is WarehouseKind.SATELLITE]
    for k, sku in enumerate(skus):
        # Each SKU is carried by a third of the satellites; together they hold ~65% of demand.
        carriers = rng.choice(len(sats), size=max(1, len(sats) // 3), replace=False)
        share = rng.dirichlet(np.ones(len(carriers)))
        total = int(round(0.65 * demand[k]))
        for j, s in zip(carriers.tolist(), share.tolist(), strict=True):
            units = int(round(total * s))
            if units:
                stock[(sats[j].warehouse_id, sku)] = units
        stock[("CEN-JIAXING", sku)] = int(round(0.2 * demand[k]))
        stock[("CEN-WUXI", sku)] = int(round(0.2 * demand[k]))
        supplier = "SUP-YIWU" if k % 2 else "SUP-HEFEI"
        stock[(supplier, sku)] = int(demand[k]) + 10

    capacity: dict[str, int] = {}
    for w in warehouses:
        if w.kind is WarehouseKind.SATELLITE:
            capacity[w.warehouse_id] = int(rng.integers(6, 14) * n_orders / (10 * len(sats)))
        else:
            capacity[w.warehouse_id] = n_orders
    warehouses = [
        w.with_changes(daily_capacity_parcels=capacity[w.warehouse_id]) for w in warehouses
    ]
    return Scenario(orders, warehouses, stock, capacity)


def _jitter(rng: np.random.Generator, lat: float, lon: float, km: float) -> tuple[float, float]:
    r = km * np.sqrt(rng.random())
    theta = rng.random() * 2 * np.pi
    dlat = r * np.cos(theta) / 111.2
    dlon = r * np.sin(theta) / (111.2 * np.cos(np.radians(lat)))
    return float(lat + dlat), float(lon + dlon)
