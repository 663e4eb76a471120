"""The optimiser's neighbourhood search: the orders that compete for an emptied stock
row, and the time the search gets."""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from services.warehouse.adapters.optimiser import _StockRowOrders
from services.warehouse.service_layer.greedy import greedy_allocation
from services.warehouse.service_layer.problem import build_problem
from services.warehouse.service_layer.solution import usage

from .warehouse_helpers import CONFIG, HOME, central, north_of, optimiser, order, satellite


def row_of(problem, warehouse_id: str, sku: str) -> int:
    w = [x.warehouse_id for x in problem.warehouses].index(warehouse_id)
    return w * len(problem.skus) + problem.skus.index(sku)


def test_a_row_whose_units_the_plan_takes_is_emptied_and_lists_every_order_that_could_use_it():
    far = north_of(HOME, 200)  # beyond every satellite's reach: only the central can serve
    problem = build_problem(
        [
            order("O1", ("TEA", 1)),
            order("O2", ("TEA", 1), ("COFFEE", 1)),
            order("O3", ("TEA", 1)),
            order("O4", ("COFFEE", 1)),
            order("FAR", ("TEA", 1), at=far),
        ],
        [satellite("S10", 10), satellite("S20", 20), central("C", 150)],
        {("S10", "TEA"): 2, ("S20", "TEA"): 5, ("S10", "COFFEE"): 5, ("C", "TEA"): 9},
        {},
        CONFIG,
    )
    rows = _StockRowOrders(problem)
    plan = greedy_allocation(problem)  # the nearest with stock: two of S10's TEA taken

    emptied = rows.emptied(usage(problem, plan).stock_used).tolist()

    assert emptied == [row_of(problem, "S10", "TEA")]
    ids = [problem.orders[i].order_id for i in rows.orders_of(np.array(emptied))]
    assert ids == ["O1", "O2", "O3"]  # FAR cannot draw on S10; O4 wants no TEA
    both = rows.orders_of(np.array(emptied + [row_of(problem, "S10", "COFFEE")]))
    assert [problem.orders[i].order_id for i in both] == ["O1", "O2", "O3", "O4"]


def test_a_row_the_plan_leaves_units_in_is_not_emptied():
    problem = build_problem(
        [order("O1", ("TEA", 1))],
        [satellite("S10", 10)],
        {("S10", "TEA"): 2},
        {},
        CONFIG,
    )
    used = usage(problem, greedy_allocation(problem)).stock_used
    assert _StockRowOrders(problem).emptied(used).tolist() == []


def test_the_neighbourhood_search_takes_the_spare_time_unless_told_to_leave_it():
    generous = optimiser(seconds=10.0)  # search_again_seconds 1.0, share 0.5
    flow = replace(generous, use_spare_time=False)

    # Enough left for a search of the whole wave afterwards: both take a share.
    assert generous.neighbourhood_seconds(3.0) == flow.neighbourhood_seconds(3.0) == 1.5
    # Too little for that search: the rest of the limit, or (the flow's waves) a share
    # only when a second is left, and nothing below.
    assert generous.neighbourhood_seconds(1.5) == 1.5
    assert flow.neighbourhood_seconds(1.5) == 0.75
    assert generous.neighbourhood_seconds(0.5) == 0.5
    assert flow.neighbourhood_seconds(0.5) == 0.0
    # Too little for a few steps: none.
    assert generous.neighbourhood_seconds(0.1) == 0.0
    assert replace(generous, neighbourhood_share=0.0).neighbourhood_seconds(3.0) == 0.0


def test_no_rows_have_no_orders():
    problem = build_problem(
        [order("O1", ("TEA", 1))], [satellite("S10", 10)], {("S10", "TEA"): 2}, {}, CONFIG
    )
    assert _StockRowOrders(problem).orders_of(np.zeros(0, dtype=np.int64)).tolist() == []
