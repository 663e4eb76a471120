"""The allocation problem as flat arrays: orders' lines, candidate warehouses, stock, capacity.

Built in bulk with numpy so that large waves do not spend their time in Python loops:
satellites are prefiltered by radius with a grid index, every (line, candidate) pair
that the stock could serve becomes an arc, everything else is left out of the model.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from ..config import WarehouseConfig
from ..domain.order import Order
from ..domain.tiers import Tier
from ..domain.warehouse import Warehouse, WarehouseKind
from .spatial import GridIndex, haversine_km_many

N_TIERS = len(Tier)
KIND_CODE = {WarehouseKind.SATELLITE: 0, WarehouseKind.CENTRAL: 1, WarehouseKind.SUPPLIER_SITE: 2}


@dataclass(frozen=True)
class CostWeights:
    """Integer cost per parcel, in metres of travel (see WarehouseConfig)."""

    extra_parcel_m: int
    tier_step_m: int
    unserved_line_m: int

    @classmethod
    def from_config(cls, config: WarehouseConfig) -> CostWeights:
        return cls(
            extra_parcel_m=config.extra_parcel_penalty_km * 1000,
            tier_step_m=config.tier_step_penalty_km * 1000,
            unserved_line_m=config.unserved_line_penalty_km * 1000,
        )


@dataclass
class AllocationProblem:
    orders: list[Order]
    warehouses: list[Warehouse]
    skus: list[str]
    weights: CostWeights
    near_radius_km: float
    max_radius_km: float
    # Lines, grouped by order: lines of order o are order_line_start[o]:order_line_start[o+1].
    line_order: np.ndarray
    line_sku: np.ndarray
    line_qty: np.ndarray
    order_line_start: np.ndarray
    # Candidate parcels (order, warehouse), sorted by order.
    cand_order: np.ndarray
    cand_wh: np.ndarray
    cand_dist_km: np.ndarray
    cand_tier: np.ndarray
    # Cost of opening the parcel: distance in metres plus tier steps plus the parcel penalty.
    cand_cost: np.ndarray
    # Arcs: line arc_line[a] may ship in candidate parcel arc_cand[a] (stock suffices).
    arc_line: np.ndarray
    arc_cand: np.ndarray
    stock: np.ndarray  # (warehouses, skus) available units
    capacity: np.ndarray  # (warehouses,) parcels still allowed today
    # For explanations, per (order, tier): warehouses in reach, and those too slow for the promise.
    in_reach: np.ndarray
    too_slow: np.ndarray

    @property
    def n_orders(self) -> int:
        return len(self.orders)

    @property
    def n_lines(self) -> int:
        return len(self.line_qty)

    def parcel_cost_without_penalty(self, cand: np.ndarray) -> np.ndarray:
        return self.cand_cost[cand] - self.weights.extra_parcel_m


def build_problem(
    orders: Sequence[Order],
    warehouses: Sequence[Warehouse],
    stock: Mapping[tuple[str, str], int],
    capacity_left: Mapping[str, int],
    config: WarehouseConfig,
) -> AllocationProblem:
    """Arrays describing who could ship what to whom. Inactive warehouses are left out."""
    orders = list(orders)
    whs = [w for w in warehouses if w.active]
    wh_index = {w.warehouse_id: i for i, w in enumerate(whs)}
    skus = sorted({line.sku for o in orders for line in o.lines})
    sku_index = {s: i for i, s in enumerate(skus)}
    n_o, n_w = len(orders), len(whs)

    # Lines.
    counts = np.fromiter((len(o.lines) for o in orders), dtype=np.int64, count=n_o)
    order_line_start = np.zeros(n_o + 1, dtype=np.int64)
    np.cumsum(counts, out=order_line_start[1:])
    line_order = np.repeat(np.arange(n_o, dtype=np.int64), counts)
    line_sku = np.fromiter(
        (sku_index[line.sku] for o in orders for line in o.lines), dtype=np.int64
    )
    line_qty = np.fromiter((line.quantity for o in orders for line in o.lines), dtype=np.int64)

    stock_m = np.zeros((n_w, len(skus)), dtype=np.int64)
    for (wid, sku), units in stock.items():
        w, s = wh_index.get(wid), sku_index.get(sku)
        if w is not None and s is not None and units > 0:
            stock_m[w, s] = units
    capacity = np.array(
        [max(0, int(capacity_left.get(w.warehouse_id, w.daily_capacity_parcels))) for w in whs],
        dtype=np.int64,
    )

    o_lat = np.array([o.destination.latitude for o in orders], dtype=float)
    o_lon = np.array([o.destination.longitude for o in orders], dtype=float)
    w_lat = np.array([w.location.latitude for w in whs], dtype=float)
    w_lon = np.array([w.location.longitude for w in whs], dtype=float)
    w_kind = np.array([KIND_CODE[w.kind] for w in whs], dtype=np.int64)
    w_radius = np.array([w.service_radius_km for w in whs], dtype=float)

    # Satellite pairs within the largest radius any satellite may have, by grid index.
    sat = np.flatnonzero(w_kind == 0)
    if len(sat) and n_o:
        grid = GridIndex(w_lat[sat], w_lon[sat], cell_km=config.max_radius_km)
        po, ps, pd = grid.within(o_lat, o_lon, config.max_radius_km)
        pw = sat[ps]
        keep = pd <= w_radius[pw]
        po, pw, pd = po[keep], pw[keep], pd[keep]
    else:
        po = pw = np.zeros(0, dtype=np.int64)
        pd = np.zeros(0, dtype=float)

    # Central warehouses and supplier sites ship anywhere: pair them with the orders for
    # which they hold at least one line's SKU.
    other = np.flatnonzero(w_kind != 0)
    if len(other) and n_o:
        holds = stock_m[other][:, line_sku] >= line_qty[None, :]  # (others, lines)
        any_line = (
            np.logical_or.reduceat(holds, order_line_start[:-1], axis=1)
            if len(line_qty)
            else np.zeros((len(other), n_o), dtype=bool)
        )
        ow, oo = np.nonzero(any_line)
        ow = other[ow]
        od = haversine_km_many(o_lat[oo], o_lon[oo], w_lat[ow], w_lon[ow])
        po = np.concatenate([po, oo])
        pw = np.concatenate([pw, ow])
        pd = np.concatenate([pd, od])

    tier = np.where(
        w_kind[pw] == 1,
        Tier.CENTRAL,
        np.where(
            w_kind[pw] == 2,
            Tier.SUPPLIER,
            np.where(
                pd <= np.minimum(config.near_radius_km, w_radius[pw]),
                Tier.NEAR_SATELLITE,
                Tier.FAR_SATELLITE,
            ),
        ),
    ).astype(np.int64)

    in_reach = np.zeros((n_o, N_TIERS), dtype=np.int64)
    np.add.at(in_reach, (po, tier), 1)

    # The promise: next local cut-off of the warehouse plus the tier's transit time.
    too_slow = np.zeros((n_o, N_TIERS), dtype=np.int64)
    promised = np.array(
        [o.promised_by.timestamp() if o.promised_by else np.inf for o in orders], dtype=float
    )
    if np.isfinite(promised).any() and len(po):
        placed = np.array([o.placed_at.timestamp() for o in orders], dtype=float)
        offset = config.utc_offset_minutes * 60
        local_midnight = np.floor((placed + offset) / 86400) * 86400 - offset
        cutoff = np.array([w.cutoff_minute * 60 for w in whs], dtype=float)
        dispatch = local_midnight[po] + cutoff[pw]
        dispatch = np.where(dispatch < placed[po], dispatch + 86400, dispatch)
        transit = np.array(
            [
                config.near_transit_hours,
                config.far_transit_hours,
                config.central_transit_hours,
                config.supplier_transit_hours,
            ],
            dtype=float,
        )
        eta = dispatch + transit[tier] * 3600
        late = eta > promised[po]
        np.add.at(too_slow, (po[late], tier[late]), 1)
        po, pw, pd, tier = po[~late], pw[~late], pd[~late], tier[~late]

    # Arcs: every line of the pair's order that the warehouse holds in full.
    n_lines_of = counts[po]
    arc_pair = np.repeat(np.arange(len(po), dtype=np.int64), n_lines_of)
    first = np.repeat(order_line_start[po], n_lines_of)
    step = np.arange(len(arc_pair), dtype=np.int64) - np.repeat(
        np.cumsum(n_lines_of) - n_lines_of, n_lines_of
    )
    arc_line = first + step
    ok = stock_m[pw[arc_pair], line_sku[arc_line]] >= line_qty[arc_line]
    arc_pair, arc_line = arc_pair[ok], arc_line[ok]

    # Keep pairs that serve something; of satellites keep the nearest few per order.
    useful = np.zeros(len(po), dtype=bool)
    useful[arc_pair] = True
    order_by = np.lexsort((pd, tier, po))
    order_by = order_by[useful[order_by]]
    is_sat = tier[order_by] <= Tier.FAR_SATELLITE
    sat_rank = _rank_within_groups(po[order_by], is_sat)
    order_by = order_by[~is_sat | (sat_rank < config.max_satellite_candidates)]

    new_id = np.full(len(po), -1, dtype=np.int64)
    new_id[order_by] = np.arange(len(order_by), dtype=np.int64)
    cand_order, cand_wh = po[order_by], pw[order_by]
    cand_dist, cand_tier = pd[order_by], tier[order_by]
    weights = CostWeights.from_config(config)
    cand_cost = (
        np.rint(cand_dist * 1000).astype(np.int64)
        + cand_tier * weights.tier_step_m
        + weights.extra_parcel_m
    )
    arc_cand = new_id[arc_pair]
    kept = arc_cand >= 0
    arc_cand, arc_line = arc_cand[kept], arc_line[kept]
    by_line = np.lexsort((arc_cand, arc_line))

    return AllocationProblem(
        orders=orders,
        warehouses=whs,
        skus=skus,
        weights=weights,
        near_radius_km=config.near_radius_km,
        max_radius_km=config.max_radius_km,
        line_order=line_order,
        line_sku=line_sku,
        line_qty=line_qty,
        order_line_start=order_line_start,
        cand_order=cand_order,
        cand_wh=cand_wh,
        cand_dist_km=cand_dist,
        cand_tier=cand_tier,
        cand_cost=cand_cost,
        arc_line=arc_line[by_line],
        arc_cand=arc_cand[by_line],
        stock=stock_m,
        capacity=capacity,
        in_reach=in_reach,
        too_slow=too_slow,
    )


def _rank_within_groups(groups: np.ndarray, counted: np.ndarray) -> np.ndarray:
    """For a sequence sorted by group, the 0-based rank of each counted item in its group."""
    if len(groups) == 0:
        return np.zeros(0, dtype=np.int64)
    c = counted.astype(np.int64)
    running = np.cumsum(c)
    starts = np.r_[True, groups[1:] != groups[:-1]]
    group_id = np.cumsum(starts) - 1
    before_group = (running - c)[starts]
    return running - c - before_group[group_id]


@dataclass(frozen=True)
class SubProblem:
    problem: AllocationProblem
    line_ids: np.ndarray  # global line id of each of its lines
    arc_ids: np.ndarray  # global arc id of each of its arcs


def restrict(
    problem: AllocationProblem, orders: np.ndarray, stock: np.ndarray, capacity: np.ndarray
) -> SubProblem:
    """The same problem over some orders only, with the stock and capacity given.

    Arcs whose warehouse no longer holds the line's quantity are dropped.
    """
    keep_order = np.zeros(problem.n_orders, dtype=bool)
    keep_order[orders] = True
    order_ids = np.flatnonzero(keep_order)
    new_order = np.full(problem.n_orders, -1, dtype=np.int64)
    new_order[order_ids] = np.arange(len(order_ids))

    line_ids = np.flatnonzero(keep_order[problem.line_order])
    new_line = np.full(problem.n_lines, -1, dtype=np.int64)
    new_line[line_ids] = np.arange(len(line_ids))
    counts = np.diff(problem.order_line_start)[order_ids]
    order_line_start = np.zeros(len(order_ids) + 1, dtype=np.int64)
    np.cumsum(counts, out=order_line_start[1:])

    cand_ids = np.flatnonzero(keep_order[problem.cand_order])
    new_cand = np.full(len(problem.cand_order), -1, dtype=np.int64)
    new_cand[cand_ids] = np.arange(len(cand_ids))

    arc_ok = keep_order[problem.line_order[problem.arc_line]]
    wh = problem.cand_wh[problem.arc_cand]
    arc_ok &= stock[wh, problem.line_sku[problem.arc_line]] >= problem.line_qty[problem.arc_line]
    arc_ids = np.flatnonzero(arc_ok)

    sub = AllocationProblem(
        orders=[problem.orders[o] for o in order_ids.tolist()],
        warehouses=problem.warehouses,
        skus=problem.skus,
        weights=problem.weights,
        near_radius_km=problem.near_radius_km,
        max_radius_km=problem.max_radius_km,
        line_order=new_order[problem.line_order[line_ids]],
        line_sku=problem.line_sku[line_ids],
        line_qty=problem.line_qty[line_ids],
        order_line_start=order_line_start,
        cand_order=new_order[problem.cand_order[cand_ids]],
        cand_wh=problem.cand_wh[cand_ids],
        cand_dist_km=problem.cand_dist_km[cand_ids],
        cand_tier=problem.cand_tier[cand_ids],
        cand_cost=problem.cand_cost[cand_ids],
        arc_line=new_line[problem.arc_line[arc_ids]],
        arc_cand=new_cand[problem.arc_cand[arc_ids]],
        stock=stock,
        capacity=capacity,
        in_reach=problem.in_reach[order_ids],
        too_slow=problem.too_slow[order_ids],
    )
    return SubProblem(sub, line_ids, arc_ids)


def spatial_blocks(problem: AllocationProblem, block_orders: int) -> list[np.ndarray]:
    """Orders cut into blocks of neighbours (by a coarse grid, then position)."""
    lat = np.array([o.destination.latitude for o in problem.orders])
    lon = np.array([o.destination.longitude for o in problem.orders])
    # Half-degree bands of latitude, snaking in longitude, keep neighbours together.
    band = np.floor(lat / 0.5).astype(np.int64)
    snake = np.where(band % 2 == 0, lon, -lon)
    order = np.lexsort((snake, band))
    return [order[i : i + block_orders] for i in range(0, len(order), block_orders)]
