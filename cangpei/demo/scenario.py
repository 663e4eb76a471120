"""A realistic, reproducible scenario: the Yangtze River Delta network and a promotion day.

Cities come from ../shared/data/cn_cities.csv (GeoNames) when it is there; a fresh
checkout without it falls back to the ten largest delta cities below (public
coordinates), so the demo runs anywhere.
"""

from __future__ import annotations

import csv
import math
import random
from dataclasses import dataclass
from pathlib import Path

DELTA_PROVINCES = {"Shanghai", "Jiangsu", "Zhejiang"}
CITIES_CSV = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "cn_cities.csv"

FALLBACK_CITIES = [
    ("Shanghai", 31.22222, 121.45806, 24874500),
    ("Suzhou", 31.30408, 120.59538, 4330000),
    ("Hangzhou", 30.29365, 120.16142, 3560000),
    ("Nanjing", 32.06167, 118.77778, 3470000),
    ("Ningbo", 29.87819, 121.54945, 1970000),
    ("Wuxi", 31.56887, 120.28857, 2100000),
    ("Changzhou", 31.77359, 119.95401, 1650000),
    ("Nantong", 32.03028, 120.87472, 1240000),
    ("Shaoxing", 30.00237, 120.57864, 900000),
    ("Jiaxing", 30.75220, 120.75000, 780000),
]


@dataclass(frozen=True)
class City:
    name: str
    latitude: float
    longitude: float
    population: int


@dataclass(frozen=True)
class Site:
    warehouse_id: str
    name: str
    kind: str  # "satellite" | "central" | "supplier"
    latitude: float
    longitude: float
    daily_capacity: int


@dataclass(frozen=True)
class Sku:
    sku: str
    name: str
    category: str
    price_fen: int
    weight_grams: int
    dims_mm: tuple[int, int, int]


@dataclass(frozen=True)
class DemoOrder:
    order_id: str
    hour: int
    second_in_hour: float
    latitude: float
    longitude: float
    lines: tuple[tuple[str, int], ...]


def load_delta_cities(path: Path = CITIES_CSV, limit: int = 40) -> list[City]:
    if not path.exists():
        return [City(*row) for row in FALLBACK_CITIES]
    with path.open(newline="", encoding="utf-8") as handle:
        rows = [row for row in csv.DictReader(handle) if row["province"] in DELTA_PROVINCES]
    rows.sort(key=lambda row: int(row["population"]), reverse=True)
    return [
        City(row["name"], float(row["latitude"]), float(row["longitude"]), int(row["population"]))
        for row in rows[:limit]
    ]


SKUS = [
    Sku(
        "TEA-LONGJING-250",
        "West Lake Longjing tea 250 g",
        "food_health",
        16800,
        320,
        (200, 120, 80),
    ),
    Sku("HONEY-ACACIA-500", "Acacia honey 500 g", "food_health", 6800, 700, (90, 90, 140)),
    Sku("VITC-CHEW-60", "Vitamin C chewables x60", "food_health", 9900, 180, (70, 70, 110)),
    Sku("SERUM-HYA-30", "Hyaluronic serum 30 ml", "beauty", 19900, 120, (50, 50, 130)),
    Sku("MASK-SILK-10", "Silk face masks x10", "beauty", 8900, 260, (190, 140, 30)),
    Sku("DIAPER-M-60", "Diapers size M x60", "mother_baby", 12900, 2400, (380, 250, 200)),
    Sku("PUZZLE-WOOD-100", "Wooden puzzle 100 pcs", "mother_baby", 5900, 450, (250, 200, 50)),
    Sku("KETTLE-1L7", "Electric kettle 1.7 l", "home_appliances", 15900, 1300, (230, 180, 250)),
    Sku("TOWEL-COTTON-3", "Cotton towels x3", "home_appliances", 6900, 600, (300, 200, 80)),
    Sku("TEE-SPORT-L", "Sports T-shirt L", "apparel_sports", 7900, 220, (300, 250, 30)),
]


def build_network(cities: list[City], seed: int = 7) -> list[Site]:
    """Satellites in the largest cities, two central warehouses, one supplier site."""
    satellites = [
        Site(
            f"SAT-{index:02d}",
            f"{city.name} satellite",
            "satellite",
            city.latitude,
            city.longitude,
            600,
        )
        for index, city in enumerate(cities[:12], start=1)
    ]
    by_name = {city.name: city for city in cities}
    centrals = []
    for index, name in enumerate(("Hangzhou", "Suzhou"), start=1):
        city = by_name.get(name, cities[min(index, len(cities) - 1)])
        centrals.append(
            Site(
                f"CEN-{index:02d}",
                f"{city.name} central",
                "central",
                city.latitude + 0.05,
                city.longitude + 0.05,
                5000,
            )
        )
    factory_city = by_name.get("Shaoxing", cities[-1])
    supplier = Site(
        "SUP-01",
        f"{factory_city.name} supplier site",
        "supplier",
        factory_city.latitude,
        factory_city.longitude,
        2000,
    )
    return [*satellites, *centrals, supplier]


def promotion_day(cities: list[City], orders: int, seed: int = 2018) -> list[DemoOrder]:
    """Orders from 07:00 to 23:00, weighted by population, bunched at the top of each hour."""
    rng = random.Random(seed)
    weights = [city.population for city in cities]
    hours = list(range(7, 23))
    day: list[DemoOrder] = []
    for number in range(orders):
        hour = hours[number % len(hours)]
        # Hourly promotions: about 60% of an hour's orders land in its first two minutes.
        second = rng.uniform(0, 120) if rng.random() < 0.6 else rng.uniform(120, 3600)
        city = rng.choices(cities, weights)[0]
        # Spread consumers around the city centre (about 15 km).
        distance_km = abs(rng.gauss(0, 8))
        bearing = rng.uniform(0, 2 * math.pi)
        latitude = city.latitude + distance_km / 111.0 * math.cos(bearing)
        longitude = city.longitude + distance_km / (
            111.0 * math.cos(math.radians(city.latitude))
        ) * math.sin(bearing)
        count = 1 if rng.random() < 0.7 else 2
        skus = rng.sample(SKUS, count)
        lines = tuple((sku.sku, rng.choice((1, 1, 1, 2))) for sku in skus)
        day.append(DemoOrder(f"ORD-{number + 1:06d}", hour, second, latitude, longitude, lines))
    day.sort(key=lambda order: (order.hour, order.second_in_hour))
    return day
