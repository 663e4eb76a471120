"""The fulfilment order's state machine: every transition, events out of order, repeats."""

from __future__ import annotations

from datetime import timedelta

import pytest

from cangpei.runtime.errors import FailedPrecondition
from services.warehouse.domain.fulfilment import (
    FulfilmentOrder,
    FulfilmentParcel,
    FulfilmentStatus,
    ParcelStatus,
)

from .warehouse_helpers import NOW, order

S = FulfilmentStatus
T1 = NOW + timedelta(minutes=1)


def received() -> FulfilmentOrder:
    return FulfilmentOrder.receive(order("O1", ("TEA", 2), ("RICE", 1)), "key-1", "fp", NOW)


def allocated(parcels: int = 2) -> FulfilmentOrder:
    o = received()
    o.allocate(
        [FulfilmentParcel(f"P{i}", f"S{i}", f"R{i}") for i in range(1, parcels + 1)],
        T1,
        "stock reserved",
    )
    return o


def statuses(o: FulfilmentOrder) -> list[FulfilmentStatus]:
    return [c.status for c in o.history]


def test_a_received_order_has_its_first_history_entry_saying_why():
    o = received()
    assert o.status is S.RECEIVED
    [entry] = o.history
    assert (entry.status, entry.at) == (S.RECEIVED, NOW)
    assert "accepted 2 line(s), 3 unit(s)" in entry.detail


def test_allocation_stores_parcels_once():
    o = allocated()
    assert o.status is S.ALLOCATED
    assert [p.status for p in o.parcels] == [ParcelStatus.ALLOCATED] * 2
    assert not o.allocate([FulfilmentParcel("PX", "SX", "RX")], T1, "again")
    assert [p.parcel_id for p in o.parcels] == ["P1", "P2"]
    assert statuses(o) == [S.RECEIVED, S.ALLOCATED]


def test_order_is_dispatched_when_every_parcel_has_a_carrier_or_vehicle():
    o = allocated()
    assert o.parcel_dispatched("P1", "SF", "", T1)
    assert o.status is S.ALLOCATED
    assert o.parcel_dispatched("P2", "", "VAN-7", T1)
    assert o.status is S.DISPATCHED
    assert (o.parcels[0].carrier_id, o.parcels[1].vehicle_id) == ("SF", "VAN-7")
    assert "SF, VAN-7" in o.history[-1].detail
    # The same event again changes nothing.
    assert not o.parcel_dispatched("P2", "", "VAN-7", T1)
    assert statuses(o) == [S.RECEIVED, S.ALLOCATED, S.DISPATCHED]


def test_order_completes_when_every_parcels_stock_is_committed():
    o = allocated()
    for p in ("P1", "P2"):
        o.parcel_dispatched(p, "SF", "", T1)
        o.parcel_departed(p, "SF", "", T1)
    assert o.stock_committed("R1", T1)
    assert o.status is S.DISPATCHED
    assert o.stock_committed("R2", T1)
    assert o.status is S.COMPLETED
    assert not o.stock_committed("R2", T1)
    assert statuses(o) == [S.RECEIVED, S.ALLOCATED, S.DISPATCHED, S.COMPLETED]


def test_events_out_of_order_never_move_an_order_backwards():
    o = allocated(parcels=1)
    # Inventory's commit overtakes routing's departure and dispatch.
    assert o.stock_committed("R1", T1)
    assert o.status is S.COMPLETED
    # The late departure still tells who carried the parcel; nothing else changes.
    assert o.parcel_departed("P1", "SF", "", T1)
    assert not o.parcel_dispatched("P1", "SF", "", T1)
    assert o.status is S.COMPLETED
    assert o.parcels[0].status is ParcelStatus.COMMITTED
    assert (o.parcels[0].carrier_id, o.parcels[0].vehicle_id) == ("SF", "")
    # Each status appears once, dispatched recorded on the way.
    assert statuses(o) == [S.RECEIVED, S.ALLOCATED, S.DISPATCHED, S.COMPLETED]


def test_departure_before_dispatch_counts_as_dispatched():
    o = allocated(parcels=1)
    assert o.parcel_departed("P1", "", "VAN-1", T1)
    assert o.status is S.DISPATCHED
    assert not o.parcel_dispatched("P1", "", "VAN-1", T1)
    assert o.parcels[0].status is ParcelStatus.DEPARTED


def test_cancel_before_departure_cancels_every_parcel():
    o = allocated()
    o.parcel_dispatched("P1", "SF", "", T1)
    assert [p.parcel_id for p in o.parcels_to_release()] == ["P1", "P2"]
    assert o.cancel("customer changed their mind", T1)
    assert o.status is S.CANCELLED
    assert o.history[-1].detail == "customer changed their mind"
    assert {p.status for p in o.parcels} == {ParcelStatus.CANCELLED}
    # A second cancel is a replay; later routing events are ignored.
    assert not o.cancel("again", T1)
    assert not o.parcel_dispatched("P2", "SF", "", T1)
    assert statuses(o) == [S.RECEIVED, S.ALLOCATED, S.CANCELLED]


def test_a_received_order_can_be_cancelled():
    o = received()
    assert o.cancel("", T1) and o.status is S.CANCELLED


def test_cancel_after_departure_is_refused_saying_which_parcel_left():
    o = allocated()
    o.parcel_departed("P2", "SF", "", T1)
    with pytest.raises(FailedPrecondition, match="parcel\\(s\\) P2 already left"):
        o.cancel("too late", T1)
    assert o.status is S.ALLOCATED


def test_cancel_of_a_closed_order_says_its_state():
    o = allocated()
    o.fail("no carrier", T1)
    with pytest.raises(FailedPrecondition, match="already failed: no carrier"):
        o.cancel("x", T1)


def test_unassigned_parcel_fails_the_order_with_the_reason():
    o = allocated()
    assert o.parcel_unassigned("P1", "parcel heavier than any vehicle", T1)
    assert o.status is S.FAILED
    assert "no carrier or vehicle could take it (parcel heavier" in o.failure_reason
    assert o.parcels[0].status is ParcelStatus.UNASSIGNED
    assert not o.parcel_unassigned("P1", "again", T1)
    assert statuses(o) == [S.RECEIVED, S.ALLOCATED, S.FAILED]


def test_expiry_before_departure_fails_the_order():
    o = allocated()
    o.parcel_departed("P1", "SF", "", T1)
    assert o.reservation_expired("R2", T1)
    assert o.status is S.FAILED
    assert o.failure_reason.startswith("reservation expired before the parcel left")
    # What still needs releasing: the parcel that did not leave.
    assert [p.parcel_id for p in o.parcels_to_release()] == ["P2"]


def test_expiry_after_departure_or_on_a_closed_order_is_ignored():
    o = allocated(parcels=1)
    o.parcel_departed("P1", "SF", "", T1)
    assert not o.reservation_expired("R1", T1)
    assert o.status is S.DISPATCHED
    done = allocated(parcels=1)
    done.stock_committed("R1", T1)
    assert not done.reservation_expired("R1", T1)
    assert done.status is S.COMPLETED


def test_events_for_unknown_parcels_change_nothing():
    o = allocated()
    assert not o.parcel_dispatched("nope", "SF", "", T1)
    assert not o.stock_committed("R-nope", T1)
    assert not o.reservation_expired("R-nope", T1)
    assert o.status is S.ALLOCATED


def test_a_failed_order_does_not_fail_twice():
    o = allocated()
    assert o.fail("first", T1)
    assert not o.fail("second", T1)
    assert o.failure_reason == "first"


def test_a_carrier_is_recorded_once_and_never_on_a_cancelled_parcel():
    o = allocated(parcels=2)
    assert o.parcel_dispatched("P1", "", "VAN-1", T1)
    # A repeat naming someone else does not overwrite who took the parcel.
    assert not o.parcel_dispatched("P1", "SF", "", T1)
    assert (o.parcels[0].carrier_id, o.parcels[0].vehicle_id) == ("", "VAN-1")
    o.cancel("changed my mind", T1)
    assert not o.parcel_dispatched("P2", "SF", "", T1)
    assert (o.parcels[1].carrier_id, o.parcels[1].vehicle_id) == ("", "")
