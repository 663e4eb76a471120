"""The tier rules on hand-made networks: near satellite, far satellite, central, supplier."""

from __future__ import annotations

from services.warehouse.domain.tiers import Tier
from services.warehouse.service_layer.planner import make_plan
from services.warehouse.service_layer.problem import build_problem

from .warehouse_helpers import CONFIG, central, optimiser, order, satellite, supplier


def plan_for(orders, warehouses, stock, capacity=None):
    problem = build_problem(orders, warehouses, stock, capacity or {}, CONFIG)
    return make_plan(problem, optimiser())


def test_order_49_km_from_stocked_satellite_goes_there():
    plan = plan_for(
        [order("O1", ("TEA", 1))],
        [satellite("S49", 49), central("C", 10), supplier("P", 5)],
        {("S49", "TEA"): 5, ("C", "TEA"): 5, ("P", "TEA"): 5},
    )
    [parcel] = plan.parcels
    assert (parcel.warehouse_id, parcel.tier) == ("S49", Tier.NEAR_SATELLITE)
    assert abs(parcel.distance_km - 49) < 0.01
    assert plan.explanations == ()


def test_order_51_km_from_satellite_goes_to_the_100_km_tier():
    plan = plan_for(
        [order("O1", ("TEA", 1))],
        [satellite("S51", 51, radius=100), central("C", 10)],
        {("S51", "TEA"): 5, ("C", "TEA"): 5},
    )
    [parcel] = plan.parcels
    assert (parcel.warehouse_id, parcel.tier) == ("S51", Tier.FAR_SATELLITE)
    [why] = plan.explanations
    assert why.text == "1 x TEA from S51 (satellite within 100 km): no satellite within 50 km"


def test_satellite_with_50_km_radius_does_not_serve_at_51_km():
    plan = plan_for(
        [order("O1", ("TEA", 1))],
        [satellite("S51", 51, radius=50), central("C", 300)],
        {("S51", "TEA"): 5, ("C", "TEA"): 5},
    )
    [parcel] = plan.parcels
    assert (parcel.warehouse_id, parcel.tier) == ("C", Tier.CENTRAL)


def test_beyond_100_km_goes_to_central_then_supplier():
    to_central = plan_for(
        [order("O1", ("TEA", 1))],
        [satellite("S101", 101, radius=100), central("C", 150), supplier("P", 120)],
        {("S101", "TEA"): 5, ("C", "TEA"): 5, ("P", "TEA"): 5},
    )
    assert [(p.warehouse_id, p.tier) for p in to_central.parcels] == [("C", Tier.CENTRAL)]
    [why] = to_central.explanations
    assert "no satellite within 50 km; no satellite within 100 km" in why.text

    to_supplier = plan_for(
        [order("O1", ("TEA", 1))],
        [satellite("S101", 101, radius=100), central("C", 150), supplier("P", 120)],
        {("S101", "TEA"): 5, ("P", "TEA"): 5},
    )
    assert [(p.warehouse_id, p.tier) for p in to_supplier.parcels] == [("P", Tier.SUPPLIER)]
    [why] = to_supplier.explanations
    assert why.text.endswith("no stock of 1 x TEA at a central warehouse")


def test_near_satellite_without_enough_stock_is_named_in_the_explanation():
    plan = plan_for(
        [order("O1", ("TEA", 3))],
        [satellite("S10", 10), satellite("S70", 70, radius=100)],
        {("S10", "TEA"): 2, ("S70", "TEA"): 3},
    )
    [parcel] = plan.parcels
    assert parcel.warehouse_id == "S70"
    [why] = plan.explanations
    assert why.text == (
        "3 x TEA from S70 (satellite within 100 km): no stock of 3 x TEA within 50 km"
    )


def test_inactive_warehouse_is_never_used():
    near = satellite("S5", 5).with_changes(active=False)
    plan = plan_for(
        [order("O1", ("TEA", 1))],
        [near, central("C", 30)],
        {("S5", "TEA"): 5, ("C", "TEA"): 5},
    )
    assert [p.warehouse_id for p in plan.parcels] == ["C"]


def test_a_tier_step_costs_its_configured_penalty_in_km():
    # Central 400 km away against a supplier 20 km away: one tier step (50 km by
    # default) is far less than 380 km of extra travel, so the supplier ships.
    plan = plan_for(
        [order("O1", ("TEA", 1))],
        [central("C", 400), supplier("P", 20)],
        {("C", "TEA"): 5, ("P", "TEA"): 5},
    )
    assert [p.warehouse_id for p in plan.parcels] == ["P"]
    [why] = plan.explanations
    assert "at a central warehouse: C holds it" in why.text
