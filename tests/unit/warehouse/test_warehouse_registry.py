"""Registering, updating and querying warehouses; coverage by tier."""

from __future__ import annotations

import pytest

from cangpei.runtime.errors import AlreadyExists, InvalidArgument, NotFound
from services.warehouse.domain.tiers import Tier
from services.warehouse.service_layer.registry import (
    UpdateWarehouse,
    coverage,
    get_warehouse,
    register_warehouse,
    update_warehouse,
)

from .warehouse_helpers import CONFIG, HOME, FakeUnitOfWork, central, satellite


def test_registering_the_same_id_twice_is_refused():
    uow = FakeUnitOfWork()
    register_warehouse(satellite("S1", 5), uow, CONFIG)
    with pytest.raises(AlreadyExists, match="warehouse 'S1' is already registered"):
        register_warehouse(satellite("S1", 9), uow, CONFIG)


def test_zero_radius_means_the_default_50_km():
    uow = FakeUnitOfWork()
    saved = register_warehouse(satellite("S1", 5, radius=0.0), uow, CONFIG)
    assert saved.service_radius_km == 50.0


def test_update_changes_only_the_given_fields():
    uow = FakeUnitOfWork([satellite("S1", 5, capacity=10)])
    updated = update_warehouse(
        UpdateWarehouse("S1", daily_capacity_parcels=20, active=False), uow, CONFIG
    )
    assert (updated.daily_capacity_parcels, updated.active, updated.name) == (20, False, "S1")
    assert get_warehouse("S1", uow) == updated


def test_update_of_an_unknown_warehouse_is_refused():
    with pytest.raises(NotFound, match="warehouse 'NOPE' is not registered"):
        update_warehouse(UpdateWarehouse("NOPE", name="x"), FakeUnitOfWork(), CONFIG)


def test_update_to_a_radius_above_the_maximum_is_refused_and_nothing_changes():
    uow = FakeUnitOfWork([satellite("S1", 5)])
    with pytest.raises(InvalidArgument, match="at most 100"):
        update_warehouse(UpdateWarehouse("S1", service_radius_km=150.0), uow, CONFIG)
    assert get_warehouse("S1", uow).service_radius_km == 50.0


def test_coverage_lists_who_can_serve_a_point_best_tier_first():
    uow = FakeUnitOfWork(
        [
            satellite("FAR", 70, radius=100),
            satellite("NEAR", 20),
            satellite("OUT", 70, radius=50),
            satellite("OFF", 1).with_changes(active=False),
            central("C", 300),
        ]
    )
    found = coverage(HOME, uow, CONFIG)
    assert [(c.warehouse.warehouse_id, c.tier) for c in found] == [
        ("NEAR", Tier.NEAR_SATELLITE),
        ("FAR", Tier.FAR_SATELLITE),
        ("C", Tier.CENTRAL),
    ]
