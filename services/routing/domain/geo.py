"""Great-circle distances on WGS-84 coordinates (the mean Earth radius is enough for dispatch)."""

from __future__ import annotations

import math
from collections.abc import Sequence

EARTH_RADIUS_KM = 6371.0088


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi = phi2 - phi1
    dlambda = math.radians(lon2 - lon1)
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlambda / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


def distance_matrix_km(points: Sequence[tuple[float, float]]) -> list[list[float]]:
    """Pairwise great-circle distances. Vectorised: plain loops take seconds past a few
    hundred points, and numpy is always present (OR-Tools depends on it)."""
    try:
        import numpy as np
    except ImportError:  # pragma: no cover - numpy comes with the solver
        return [[haversine_km(*p, *q) for q in points] for p in points]
    lat = np.radians(np.array([p[0] for p in points], dtype=np.float64))
    lon = np.radians(np.array([p[1] for p in points], dtype=np.float64))
    dphi = lat[None, :] - lat[:, None]
    dlambda = lon[None, :] - lon[:, None]
    a = (
        np.sin(dphi / 2) ** 2
        + np.cos(lat)[:, None] * np.cos(lat)[None, :] * np.sin(dlambda / 2) ** 2
    )
    return (2 * EARTH_RADIUS_KM * np.arcsin(np.minimum(1.0, np.sqrt(a)))).tolist()
