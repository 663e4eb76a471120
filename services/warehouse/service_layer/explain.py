"""Turn a solution into parcels and say, for each line, why it was not served nearer."""

from __future__ import annotations

import numpy as np

from ..domain.allocation import LineExplanation, PlannedParcel, UnservedLine
from ..domain.order import OrderLine
from ..domain.tiers import Tier, describe_tier
from .problem import AllocationProblem
from .solution import UNSERVED, line_arc_ranges, usage


def explain(
    problem: AllocationProblem, choice: np.ndarray
) -> tuple[list[PlannedParcel], list[UnservedLine], list[LineExplanation]]:
    use = usage(problem, choice)
    arc_start = line_arc_ranges(problem)
    opened = set(problem.arc_cand[choice[choice != UNSERVED]].tolist())

    lines_by_cand: dict[int, list[int]] = {}
    for line in np.flatnonzero(choice != UNSERVED).tolist():
        lines_by_cand.setdefault(int(problem.arc_cand[choice[line]]), []).append(line)

    parcels = []
    for cand in sorted(lines_by_cand):
        wh = problem.warehouses[problem.cand_wh[cand]]
        tier = Tier(int(problem.cand_tier[cand]))
        distance = float(problem.cand_dist_km[cand])
        parcels.append(
            PlannedParcel(
                order_id=problem.orders[problem.cand_order[cand]].order_id,
                warehouse_id=wh.warehouse_id,
                tier=tier,
                distance_km=distance,
                lines=tuple(
                    OrderLine(problem.skus[problem.line_sku[line]], int(problem.line_qty[line]))
                    for line in lines_by_cand[cand]
                ),
                explanation=(
                    f"from {wh.warehouse_id} ({_tier_text(problem, tier)}, {distance:.1f} km)"
                ),
            )
        )

    unserved: list[UnservedLine] = []
    explanations: list[LineExplanation] = []
    for line in range(problem.n_lines):
        arc = int(choice[line])
        tier = None if arc == UNSERVED else Tier(int(problem.cand_tier[problem.arc_cand[arc]]))
        if tier is Tier.NEAR_SATELLITE:
            continue
        worse_than = len(Tier) if tier is None else int(tier)
        reasons = [
            _why_not(problem, line, Tier(t), arc_start, use, opened) for t in range(worse_than)
        ]
        o = int(problem.line_order[line])
        order_id = problem.orders[o].order_id
        sku = problem.skus[problem.line_sku[line]]
        qty = int(problem.line_qty[line])
        if tier is None:
            reason = f"no warehouse can ship {qty} x {sku}: " + "; ".join(reasons)
            unserved.append(UnservedLine(order_id, sku, qty, reason))
            explanations.append(LineExplanation(order_id, sku, None, reason))
        else:
            wh = problem.warehouses[problem.cand_wh[problem.arc_cand[arc]]]
            text = (
                f"{qty} x {sku} from {wh.warehouse_id} ({_tier_text(problem, tier)}): "
                + "; ".join(reasons)
            )
            explanations.append(LineExplanation(order_id, sku, tier, text))
    return parcels, unserved, explanations


def _tier_text(problem: AllocationProblem, tier: Tier) -> str:
    return describe_tier(tier, problem.near_radius_km, problem.max_radius_km)


def _why_not(
    problem: AllocationProblem,
    line: int,
    tier: Tier,
    arc_start: np.ndarray,
    use,
    opened: set[int],
) -> str:
    o = int(problem.line_order[line])
    sku_i = int(problem.line_sku[line])
    sku = problem.skus[sku_i]
    qty = int(problem.line_qty[line])
    where = {
        Tier.NEAR_SATELLITE: f"within {problem.near_radius_km:g} km",
        Tier.FAR_SATELLITE: f"within {problem.max_radius_km:g} km",
        Tier.CENTRAL: "at a central warehouse",
        Tier.SUPPLIER: "at a supplier site",
    }[tier]
    reach = int(problem.in_reach[o, tier])
    slow = int(problem.too_slow[o, tier])
    if reach == 0:
        if tier <= Tier.FAR_SATELLITE:
            return f"no satellite {where}"
        return f"no stock of {qty} x {sku} {where}"
    if slow == reach:
        return f"{where}: none can deliver by the promised time"
    arcs = [
        a
        for a in range(int(arc_start[line]), int(arc_start[line + 1]))
        if problem.cand_tier[problem.arc_cand[a]] == tier
    ]
    if not arcs:
        return f"no stock of {qty} x {sku} {where}"
    cand = int(problem.arc_cand[arcs[0]])  # the nearest at this tier
    w = int(problem.cand_wh[cand])
    wid = problem.warehouses[w].warehouse_id
    if problem.stock[w, sku_i] - use.stock_used[w, sku_i] < qty:
        return f"{where}: the stock of {sku} at {wid} went to other orders"
    if cand not in opened and use.parcels_used[w] >= problem.capacity[w]:
        return f"{where}: capacity full at {wid} ({int(problem.capacity[w])} parcels)"
    return (
        f"{where}: {wid} holds it, but the chosen plan costs less overall "
        "(distance, extra parcels and tier steps together)"
    )
