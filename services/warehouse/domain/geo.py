"""WGS-84 points and great-circle distances."""

from __future__ import annotations

import math
from dataclasses import dataclass

from cangpei.runtime.errors import InvalidArgument

# Mean Earth radius (IUGG), the usual choice for haversine on WGS-84 coordinates.
EARTH_RADIUS_KM = 6371.0088


@dataclass(frozen=True)
class GeoPoint:
    latitude: float
    longitude: float

    @classmethod
    def checked(cls, latitude: float, longitude: float, what: str = "point") -> GeoPoint:
        """A point whose coordinates are valid WGS-84 degrees, or InvalidArgument naming them."""
        if not (math.isfinite(latitude) and -90.0 <= latitude <= 90.0):
            raise InvalidArgument(
                f"{what}: latitude {latitude} is out of range; expected -90 to 90 degrees"
            )
        if not (math.isfinite(longitude) and -180.0 <= longitude <= 180.0):
            raise InvalidArgument(
                f"{what}: longitude {longitude} is out of range; expected -180 to 180 degrees"
            )
        return cls(latitude, longitude)


def haversine_km(a: GeoPoint, b: GeoPoint) -> float:
    """Great-circle distance in km between two WGS-84 points."""
    lat1, lat2 = math.radians(a.latitude), math.radians(b.latitude)
    dlat = lat2 - lat1
    dlon = math.radians(b.longitude - a.longitude)
    h = math.sin(dlat / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin(dlon / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))
