"""Valid inequalities on the stock rows, to tighten the LP relaxation's bound.

Where the LP relaxation falls short of the best plan: measured on the realistic
benchmark (1,000 orders x 30 warehouses), the LP lies 0.8 % below what CP-SAT proves;
with every quantity set to 1 the LP is integral (no gap at all), and without capacity
rows the gap stays the same. The gap is the stock rows' knapsack structure,
sum(quantity * take) <= stock with quantities 2 and 3, which the LP fills exactly with
fractions of lines where a plan must leave units on the shelf.

Two families of cuts for one row sum(q_a x_a) <= S over 0/1 variables:

- extended covers: a set C of lines whose quantities exceed S cannot all ship; nor can
  any |C| lines of C plus the lines at least as large as C's largest:
  sum over that extension of x_a <= |C| - 1;
- Chvátal-Gomory roundings: for d > 0, sum(floor(q_a / d) x_a) <= floor(S / d).

Both hold for every plan, so the LP with them added is still a relaxation, and the
Lagrangian value of any duals of that LP is still a proven bound. On the benchmark's
1,000 x 30 case a few rounds of these close 0.67 of the 0.82 points.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..service_layer.problem import AllocationProblem
from ..service_layer.solution import arc_stock_rows, binding_rows

# Divisors of the Chvátal-Gomory roundings; quantities are small integers (mostly 1-3).
ROUNDING_DIVISORS = (2.0, 3.0, 1.5)
EPS = 1e-6


@dataclass(frozen=True)
class StockRows:
    """The stock rows that can bind, each as the arcs that draw on it."""

    arcs: np.ndarray  # arcs of binding rows, grouped by row
    row_start: np.ndarray  # arcs of row r are arcs[row_start[r]:row_start[r + 1]]
    quantity: np.ndarray  # per entry of ``arcs``
    stock: np.ndarray  # per row

    @classmethod
    def of(cls, problem: AllocationProblem) -> StockRows:
        stock_binds, _ = binding_rows(problem)
        key = arc_stock_rows(problem)
        arcs = np.flatnonzero(stock_binds)
        arcs = arcs[np.argsort(key[arcs], kind="stable")]
        keys = key[arcs]
        firsts = np.flatnonzero(np.r_[True, keys[1:] != keys[:-1]]) if len(keys) else []
        row_start = np.r_[firsts, len(arcs)].astype(np.int64)
        return cls(
            arcs=arcs,
            row_start=row_start,
            quantity=problem.line_qty[problem.arc_line[arcs]],
            stock=problem.stock.reshape(-1)[keys[row_start[:-1]]] if len(arcs) else np.zeros(0),
        )


@dataclass(frozen=True)
class Cuts:
    """Rows sum(coef * take[arc]) <= rhs, in coordinates (cut index, arc, coef)."""

    cut: np.ndarray
    arc: np.ndarray
    coef: np.ndarray
    rhs: np.ndarray

    @classmethod
    def empty(cls) -> Cuts:
        z = np.zeros(0, dtype=np.int64)
        return cls(z, z, np.zeros(0), np.zeros(0))

    def __len__(self) -> int:
        return len(self.rhs)

    def plus(self, other: Cuts) -> Cuts:
        return Cuts(
            np.r_[self.cut, other.cut + len(self)].astype(np.int64),
            np.r_[self.arc, other.arc].astype(np.int64),
            np.r_[self.coef, other.coef],
            np.r_[self.rhs, other.rhs],
        )


def violated_cuts(rows: StockRows, arc_values: np.ndarray, seen: set) -> Cuts:
    """Cuts the LP point ``arc_values`` (one value per arc) violates, not in ``seen``
    (a set of the cuts found before, updated)."""
    cut, arc, coef, rhs = [], [], [], []
    x_all = np.clip(arc_values[rows.arcs], 0.0, 1.0)
    for r in range(len(rows.stock)):
        lo, hi = int(rows.row_start[r]), int(rows.row_start[r + 1])
        x, q, stock = x_all[lo:hi], rows.quantity[lo:hi], float(rows.stock[r])
        if float(np.dot(x, q)) < stock - 0.5:
            continue  # a row with room to spare cuts nothing off
        found = [_extended_cover(x, q, stock)] + [_rounding(q, stock, d) for d in ROUNDING_DIVISORS]
        for members, weights, bound in found:
            if members is None or float(np.dot(weights, x[members])) <= bound + EPS:
                continue
            signature = (r, bound, tuple(members.tolist()), tuple(weights.tolist()))
            if signature in seen:
                continue
            seen.add(signature)
            cut.append(np.full(len(members), len(rhs), dtype=np.int64))
            arc.append(rows.arcs[lo + members])
            coef.append(weights)
            rhs.append(bound)
    if not rhs:
        return Cuts.empty()
    return Cuts(np.concatenate(cut), np.concatenate(arc), np.concatenate(coef), np.array(rhs))


def _extended_cover(
    x: np.ndarray, q: np.ndarray, stock: float
) -> tuple[np.ndarray | None, np.ndarray, float]:
    """A cover built greedily from the lines the LP ships most of per unit, extended by
    every line at least as large as its largest."""
    order = np.lexsort((-q, (1.0 - x) / q))
    total = np.cumsum(q[order])
    k = int(np.searchsorted(total, stock, side="right"))
    if k >= len(order):
        return None, np.zeros(0), 0.0  # all the row's lines fit: no cover
    cover = order[: k + 1]
    members = np.union1d(cover, np.flatnonzero(q >= q[cover].max()))
    return members, np.ones(len(members)), float(len(cover) - 1)


def _rounding(
    q: np.ndarray, stock: float, divisor: float
) -> tuple[np.ndarray | None, np.ndarray, float]:
    weights = np.floor(q / divisor)
    members = np.flatnonzero(weights > 0)
    if len(members) == 0:
        return None, np.zeros(0), 0.0
    return members, weights[members], float(np.floor(stock / divisor))
