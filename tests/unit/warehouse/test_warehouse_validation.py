"""Bad input gets a clear error naming what is wrong."""

from __future__ import annotations

import math
from datetime import timedelta

import pytest

from cangpei.runtime.errors import InvalidArgument
from services.warehouse.domain.geo import GeoPoint, haversine_km
from services.warehouse.domain.order import make_order
from services.warehouse.domain.warehouse import validate_warehouse

from .warehouse_helpers import NOW, satellite


@pytest.mark.parametrize(
    ("lat", "lon", "message"),
    [
        (91.0, 120.0, "latitude 91.0 is out of range"),
        (-90.5, 120.0, "latitude -90.5 is out of range"),
        (30.0, 180.5, "longitude 180.5 is out of range"),
        (math.nan, 120.0, "latitude nan is out of range"),
    ],
)
def test_out_of_range_coordinates_are_refused(lat, lon, message):
    with pytest.raises(InvalidArgument, match=message):
        make_order("O1", [("TEA", 1)], lat, lon, NOW)


def test_empty_order_is_refused():
    with pytest.raises(InvalidArgument, match="order 'O1' has no lines"):
        make_order("O1", [], 30.0, 120.0, NOW)


def test_zero_quantity_is_refused():
    with pytest.raises(InvalidArgument, match="quantity of 'TEA' is 0; it must be at least 1"):
        make_order("O1", [("TEA", 0)], 30.0, 120.0, NOW)


def test_promise_not_after_the_order_time_is_refused():
    with pytest.raises(InvalidArgument, match="is not after the order time"):
        make_order("O1", [("TEA", 1)], 30.0, 120.0, NOW, promised_by=NOW - timedelta(hours=1))


def test_repeated_sku_lines_are_merged():
    o = make_order("O1", [("TEA", 1), ("TEA", 2), ("CUP", 1)], 30.0, 120.0, NOW)
    assert [(ln.sku, ln.quantity) for ln in o.lines] == [("TEA", 3), ("CUP", 1)]


def test_service_radius_above_100_km_is_refused():
    with pytest.raises(
        InvalidArgument, match="service_radius_km 120.0 must be above 0 and at most 100"
    ):
        validate_warehouse(satellite("S1", 5, radius=120.0), max_radius_km=100.0)


def test_every_fault_of_a_warehouse_is_named():
    bad = satellite("S1", 5).with_changes(name=" ", daily_capacity_parcels=-1, cutoff_minute=1440)
    with pytest.raises(InvalidArgument) as err:
        validate_warehouse(bad, max_radius_km=100.0)
    assert "name is empty" in err.value.message
    assert "daily_capacity_parcels -1 must not be negative" in err.value.message
    assert "cutoff_minute 1440 must be between 0 and 1439" in err.value.message


def test_haversine_matches_a_known_distance():
    # Shanghai to Hangzhou city centres: about 164 km on the sphere.
    d = haversine_km(GeoPoint(31.22222, 121.45806), GeoPoint(30.29365, 120.16142))
    assert 160 < d < 168
