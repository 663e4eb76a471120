"""The neighbourhoods of the optimiser's search: the orders that compete for an emptied
stock row."""

from __future__ import annotations

import numpy as np

from services.warehouse.adapters.optimiser import _StockRowOrders
from services.warehouse.service_layer.greedy import greedy_allocation
from services.warehouse.service_layer.problem import build_problem

from .warehouse_helpers import CONFIG, HOME, central, north_of, order, satellite


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

    emptied = rows.emptied(plan).tolist()

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
    assert _StockRowOrders(problem).emptied(greedy_allocation(problem)).tolist() == []
