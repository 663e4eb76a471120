"""A small uniform grid over latitude/longitude for "which points lie within r km" queries.

Cells are ``cell_km`` tall; their width in degrees of longitude is widened by the
cosine of the grid's most poleward latitude so a radius query never needs more than
the 3 x 3 neighbourhood (when r <= cell_km).
"""

from __future__ import annotations

import math
from collections import defaultdict

import numpy as np

from ..domain.geo import EARTH_RADIUS_KM

KM_PER_DEGREE = math.pi * EARTH_RADIUS_KM / 180.0


def haversine_km_many(
    lat1: np.ndarray, lon1: np.ndarray, lat2: np.ndarray, lon2: np.ndarray
) -> np.ndarray:
    """Element-wise great-circle distance in km (arrays broadcast)."""
    p1, p2 = np.radians(lat1), np.radians(lat2)
    dlat = p2 - p1
    dlon = np.radians(lon2 - lon1)
    h = np.sin(dlat / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dlon / 2) ** 2
    return 2 * EARTH_RADIUS_KM * np.arcsin(np.minimum(1.0, np.sqrt(h)))


class GridIndex:
    def __init__(self, latitudes: np.ndarray, longitudes: np.ndarray, cell_km: float) -> None:
        self.latitudes = np.asarray(latitudes, dtype=float)
        self.longitudes = np.asarray(longitudes, dtype=float)
        self.cell_km = cell_km
        self.lat_step = cell_km / KM_PER_DEGREE
        widest = float(np.max(np.abs(self.latitudes))) if len(self.latitudes) else 0.0
        # Points near the poles would need huge cells; cap so the grid stays a grid.
        cos_lat = max(math.cos(math.radians(min(widest + self.lat_step, 89.0))), 0.01)
        self.lon_step = self.lat_step / cos_lat
        self.cells: dict[tuple[int, int], list[int]] = defaultdict(list)
        rows = np.floor(self.latitudes / self.lat_step).astype(int)
        cols = np.floor(self.longitudes / self.lon_step).astype(int)
        for i, (r, c) in enumerate(zip(rows.tolist(), cols.tolist(), strict=True)):
            self.cells[(r, c)].append(i)

    def near_many(
        self, latitudes: np.ndarray, longitudes: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray]:
        """Pairs (query index, point index) of points in the 3 x 3 cells around each query.

        A superset of the points within ``cell_km``; callers filter by exact distance.
        """
        rows = np.floor(np.asarray(latitudes) / self.lat_step).astype(int).tolist()
        cols = np.floor(np.asarray(longitudes) / self.lon_step).astype(int).tolist()
        query_ids: list[int] = []
        point_ids: list[int] = []
        cache: dict[tuple[int, int], list[int]] = {}
        for q, (r, c) in enumerate(zip(rows, cols, strict=True)):
            found = cache.get((r, c))
            if found is None:
                found = []
                for dr in (-1, 0, 1):
                    for dc in (-1, 0, 1):
                        found.extend(self.cells.get((r + dr, c + dc), ()))
                cache[(r, c)] = found
            query_ids.extend([q] * len(found))
            point_ids.extend(found)
        return np.asarray(query_ids, dtype=np.int64), np.asarray(point_ids, dtype=np.int64)

    def within(
        self, latitudes: np.ndarray, longitudes: np.ndarray, radius_km: float
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Pairs (query, point, distance km) with distance <= radius_km (<= cell_km)."""
        if radius_km > self.cell_km:
            raise ValueError(f"radius {radius_km} km exceeds the grid cell of {self.cell_km} km")
        q, p = self.near_many(latitudes, longitudes)
        lat_q = np.asarray(latitudes, dtype=float)[q]
        lon_q = np.asarray(longitudes, dtype=float)[q]
        d = haversine_km_many(lat_q, lon_q, self.latitudes[p], self.longitudes[p])
        keep = d <= radius_km
        return q[keep], p[keep], d[keep]
