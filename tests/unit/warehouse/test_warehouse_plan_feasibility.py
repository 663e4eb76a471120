"""Property: every plan respects stock and capacity and accounts for every line once."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from services.warehouse.service_layer.greedy import greedy_allocation
from services.warehouse.service_layer.planner import make_plan
from services.warehouse.service_layer.problem import build_problem
from services.warehouse.service_layer.solution import violations

from .warehouse_helpers import CONFIG, HOME, central, north_of, optimiser, order, satellite

SKUS = ["TEA", "CUP", "POT"]


@st.composite
def networks(draw):
    n_sat = draw(st.integers(1, 4))
    warehouses = [
        satellite(
            f"S{i}",
            draw(st.floats(0, 120)),
            radius=draw(st.sampled_from([50.0, 100.0])),
            capacity=draw(st.integers(0, 3)),
        )
        for i in range(n_sat)
    ]
    if draw(st.booleans()):
        warehouses.append(central("C", draw(st.floats(0, 300)), capacity=draw(st.integers(0, 3))))
    stock = {(w.warehouse_id, sku): draw(st.integers(0, 4)) for w in warehouses for sku in SKUS}
    orders = []
    for i in range(draw(st.integers(1, 6))):
        skus = draw(st.lists(st.sampled_from(SKUS), min_size=1, max_size=3, unique=True))
        lines = [(s, draw(st.integers(1, 3))) for s in skus]
        orders.append(order(f"O{i}", *lines, at=north_of(HOME, draw(st.floats(-60, 60)))))
    return orders, warehouses, stock


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    networks(),
    st.sampled_from(
        ["whole", "whole with RINS", "blocks with the LP bound", "blocks with RINS", "blocks only"]
    ),
)
def test_every_plan_is_feasible_and_serves_each_line_once_or_says_why(case, method):
    orders, warehouses, stock = case
    problem = build_problem(orders, warehouses, stock, {}, CONFIG)
    assert violations(problem, greedy_allocation(problem)) == []
    solver = optimiser(seconds=2.0)
    if method.endswith("RINS"):
        # The step large waves take: first plan, then orders re-solved where it and
        # the LP disagree.
        solver = replace(solver, refine_min_orders=1)
    if not method.startswith("whole"):
        # Waves above two orders go through the block decomposition, with or without
        # time for the LP bound.
        share = 0.0 if method == "blocks only" else 0.35
        solver = replace(solver, block_orders=2, large_wave_bound_share=share)
    plan = make_plan(problem, solver)

    shipped = Counter()
    parcels_per_wh = Counter()
    for parcel in plan.parcels:
        parcels_per_wh[parcel.warehouse_id] += 1
        for line in parcel.lines:
            shipped[(parcel.warehouse_id, line.sku)] += line.quantity
    for key, units in shipped.items():
        assert units <= stock.get(key, 0), f"{key} ships {units}, holds {stock.get(key, 0)}"
    capacity = {w.warehouse_id: w.daily_capacity_parcels for w in warehouses}
    for wid, n in parcels_per_wh.items():
        assert n <= capacity[wid]

    accounted = Counter()
    for parcel in plan.parcels:
        for line in parcel.lines:
            accounted[(parcel.order_id, line.sku)] += 1
    for u in plan.unserved:
        accounted[(u.order_id, u.sku)] += 1
        assert u.reason
    wanted = Counter((o.order_id, ln.sku) for o in orders for ln in o.lines)
    assert accounted == wanted
