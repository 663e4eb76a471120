"""Capacity, split penalties, scarce stock and what the explanation says about them."""

from __future__ import annotations

from dataclasses import replace

from services.warehouse.domain.tiers import Tier
from services.warehouse.service_layer.greedy import greedy_allocation
from services.warehouse.service_layer.planner import make_plan
from services.warehouse.service_layer.problem import build_problem
from services.warehouse.service_layer.solution import evaluate

from .warehouse_helpers import CONFIG, HOME, central, north_of, optimiser, order, satellite


def test_full_capacity_sends_the_second_order_elsewhere_and_says_so():
    problem = build_problem(
        [order("O1", ("TEA", 1)), order("O2", ("TEA", 1))],
        [satellite("S10", 10, capacity=1), central("C", 80)],
        {("S10", "TEA"): 10, ("C", "TEA"): 10},
        {},
        CONFIG,
    )
    plan = make_plan(problem, optimiser())
    assert sorted(p.warehouse_id for p in plan.parcels) == ["C", "S10"]
    [why] = plan.explanations
    assert why.tier is Tier.CENTRAL
    assert "within 50 km: capacity full at S10 (1 parcels)" in why.text


def test_capacity_left_today_is_what_counts():
    problem = build_problem(
        [order("O1", ("TEA", 1))],
        [satellite("S10", 10, capacity=5), central("C", 80)],
        {("S10", "TEA"): 10, ("C", "TEA"): 10},
        {"S10": 0},
        CONFIG,
    )
    plan = make_plan(problem, optimiser())
    assert [p.warehouse_id for p in plan.parcels] == ["C"]


def test_one_farther_parcel_beats_two_nearer_ones_when_the_split_costs_more():
    warehouses = [satellite("A", 30), satellite("B", 10), satellite("C", 12)]
    stock = {("A", "TEA"): 1, ("A", "CUP"): 1, ("B", "TEA"): 1, ("C", "CUP"): 1}
    problem = build_problem([order("O1", ("TEA", 1), ("CUP", 1))], warehouses, stock, {}, CONFIG)
    plan = make_plan(problem, optimiser())
    assert [(p.warehouse_id, len(p.lines)) for p in plan.parcels] == [("A", 2)]
    assert plan.cost.extra_parcels == 0


def test_without_split_penalty_the_nearer_warehouses_each_ship_a_parcel():
    no_penalty = replace(CONFIG, extra_parcel_penalty_km=0)
    warehouses = [satellite("A", 30), satellite("B", 10), satellite("C", 12)]
    stock = {("A", "TEA"): 1, ("A", "CUP"): 1, ("B", "TEA"): 1, ("C", "CUP"): 1}
    problem = build_problem(
        [order("O1", ("TEA", 1), ("CUP", 1))], warehouses, stock, {}, no_penalty
    )
    plan = make_plan(problem, optimiser())
    assert sorted(p.warehouse_id for p in plan.parcels) == ["B", "C"]
    assert plan.cost.extra_parcels == 1


def test_wave_gives_scarce_stock_to_the_order_that_saves_most_where_greedy_does_not():
    # O1 is near both satellites; O2 only near S1. Greedy serves O1 first from its
    # nearest (S1) and sends O2 to the far central warehouse; the wave swaps them.
    far_point = north_of(HOME, -40)
    orders = [order("O1", ("TEA", 1)), order("O2", ("TEA", 1), at=far_point)]
    warehouses = [satellite("S1", 5), satellite("S2", 20), central("C", 400)]
    stock = {("S1", "TEA"): 1, ("S2", "TEA"): 1, ("C", "TEA"): 5}
    problem = build_problem(orders, warehouses, stock, {}, CONFIG)
    greedy_cost = evaluate(problem, greedy_allocation(problem)).total
    plan = make_plan(problem, optimiser())
    assert {p.order_id: p.warehouse_id for p in plan.parcels} == {"O1": "S2", "O2": "S1"}
    assert plan.cost.total < greedy_cost
    assert plan.report.status.value == "optimal" and plan.report.gap == 0


def test_stock_taken_by_another_order_is_named_in_the_explanation():
    orders = [order("O1", ("TEA", 1)), order("O2", ("TEA", 1))]
    warehouses = [satellite("S1", 5), central("C", 60)]
    stock = {("S1", "TEA"): 1, ("C", "TEA"): 5}
    problem = build_problem(orders, warehouses, stock, {}, CONFIG)
    plan = make_plan(problem, optimiser())
    [why] = plan.explanations
    assert why.tier is Tier.CENTRAL
    assert "within 50 km: the stock of TEA at S1 went to other orders" in why.text
    assert "no satellite within 100 km" in why.text


def test_line_nobody_holds_is_reported_unservable_with_the_reason():
    problem = build_problem(
        [order("O1", ("TEA", 1), ("RARE", 2))],
        [satellite("S1", 5), central("C", 60)],
        {("S1", "TEA"): 1, ("C", "RARE"): 1},
        {},
        CONFIG,
    )
    plan = make_plan(problem, optimiser())
    assert [(p.warehouse_id, [ln.sku for ln in p.lines]) for p in plan.parcels] == [("S1", ["TEA"])]
    [unserved] = plan.unserved
    assert (unserved.order_id, unserved.sku, unserved.quantity) == ("O1", "RARE", 2)
    assert unserved.reason.startswith("no warehouse can ship 2 x RARE: ")
    assert "no stock of 2 x RARE at a central warehouse" in unserved.reason


def test_parcel_explanation_gives_tier_and_distance():
    problem = build_problem(
        [order("O1", ("TEA", 1))], [satellite("S1", 12.5)], {("S1", "TEA"): 1}, {}, CONFIG
    )
    [parcel] = make_plan(problem, optimiser()).parcels
    assert parcel.explanation == "from S1 (satellite within 50 km, 12.5 km)"
