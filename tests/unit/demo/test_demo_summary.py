"""The demo's closing summary: what went by carrier, what by own van, and why."""

from __future__ import annotations

from collections import Counter

from cangpei.demo.replay import DayResult, reason_kind, summary_lines
from cangpei.warehouse.v1 import warehouse_pb2 as wh


def order(order_id: str, *parcels: wh.FulfilmentParcel) -> wh.FulfilmentOrder:
    return wh.FulfilmentOrder(
        order_id=order_id, status=wh.FULFILMENT_STATUS_COMPLETED, parcels=list(parcels)
    )


def test_summary_says_why_carrier_parcels_were_not_on_own_vans() -> None:
    near = wh.SERVICE_TIER_NEAR_SATELLITE
    result = DayResult(
        submitted=3,
        orders={
            "o1": order("o1", wh.FulfilmentParcel(parcel_id="a", carrier_id="SF", tier=near)),
            "o2": order("o2", wh.FulfilmentParcel(parcel_id="b", carrier_id="ZTO", tier=near)),
            "o3": order("o3", wh.FulfilmentParcel(parcel_id="c", vehicle_id="VAN-01", tier=near)),
        },
        dispatch_cost_fen=2_150,
        not_own_fleet=Counter({"no time left in the vans' shifts": 2}),
    )
    text = "\n".join(summary_lines(result))
    assert "carrier parcels         2  (SF 1, ZTO 1)" in text
    assert "own-fleet parcels       1" in text
    assert "carrier parcels not on an own van, because:" in text
    assert "     2  no time left in the vans' shifts" in text
    assert "dispatch cost           21.50 CNY" in text


def test_summary_groups_rare_reasons_beyond_the_three_commonest() -> None:
    reasons = Counter({"r1": 5, "r2": 4, "r3": 3, "r4": 2, "r5": 1})
    parcel = wh.FulfilmentParcel(parcel_id="a", carrier_id="SF")
    result = DayResult(submitted=1, orders={"o1": order("o1", parcel)}, not_own_fleet=reasons)
    lines = summary_lines(result)
    assert [line.split()[-1] for line in lines if line.startswith("     ")] == [
        "r1",
        "r2",
        "r3",
        "reasons",
    ]
    assert "         3  other reasons" in lines


def test_reasons_differing_only_in_figures_count_as_one_kind() -> None:
    dearer = (
        "cheaper by carrier: the cheapest vehicle trip ({} CNY) costs at least as much as "
        "the wave's {} parcels by carrier ({} CNY)"
    )
    first = reason_kind(dearer.format("300.00", 14, "95.20"))
    assert first == reason_kind(dearer.format("312.40", 9, "61.00"))
    assert first == (
        "cheaper by carrier: the cheapest vehicle trip costs at least as much as "
        "the wave's N parcels by carrier"
    )
    assert reason_kind("no vehicle can arrive within the delivery window") != first
