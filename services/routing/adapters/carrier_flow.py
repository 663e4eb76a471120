"""The carrier choice as a min-cost flow: every parcel placed that can be, at the least
total price, under each carrier's remaining daily capacity (exact, unlike a greedy)."""

from __future__ import annotations

from ortools.graph.python import min_cost_flow

# Leaving a parcel without a carrier costs more than any real price, so the flow places
# every parcel it can before it saves money.
_UNPLACED_FEN = 10**12


def choose_min_cost(
    offers: dict[str, list[tuple[str, int]]], remaining: dict[str, int]
) -> dict[str, str]:
    parcel_ids = [pid for pid, own in offers.items() if own]
    carrier_ids = sorted({cid for pid in parcel_ids for cid, _ in offers[pid]})
    if not parcel_ids or not carrier_ids:
        return {}
    source, sink = 0, 1
    parcel_node = {pid: 2 + k for k, pid in enumerate(parcel_ids)}
    carrier_node = {cid: 2 + len(parcel_ids) + k for k, cid in enumerate(carrier_ids)}
    flow = min_cost_flow.SimpleMinCostFlow()
    arcs: list[tuple[int, str, str]] = []
    for pid in parcel_ids:
        flow.add_arc_with_capacity_and_unit_cost(source, parcel_node[pid], 1, 0)
        flow.add_arc_with_capacity_and_unit_cost(parcel_node[pid], sink, 1, _UNPLACED_FEN)
        for cid, cost in offers[pid]:
            arc = flow.add_arc_with_capacity_and_unit_cost(
                parcel_node[pid], carrier_node[cid], 1, cost
            )
            arcs.append((arc, pid, cid))
    for cid in carrier_ids:
        flow.add_arc_with_capacity_and_unit_cost(
            carrier_node[cid], sink, max(0, remaining.get(cid, 0)), 0
        )
    flow.set_node_supply(source, len(parcel_ids))
    flow.set_node_supply(sink, -len(parcel_ids))
    status = flow.solve()
    if status != flow.OPTIMAL:
        raise RuntimeError(f"carrier assignment flow ended with status {status}")
    return {pid: cid for arc, pid, cid in arcs if flow.flow(arc) > 0}
