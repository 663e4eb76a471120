"""Departed parcels commit their reservations; cancelled or failed orders release theirs.

The handlers run inside a unit of work the caller commits (in the service, the
consumer's transaction with its inbox row); here an in-memory one.
"""

from __future__ import annotations

from services.inventory.domain import commands as c
from services.inventory.domain.events import StockCommitted, StockExpired, StockReleased
from services.inventory.domain.model import ReservationStatus
from services.inventory.service_layer.handlers import FlowOutcome

from .inventory_helpers import Shop


def depart(shop: Shop, reservation_id: str, parcel_id: str = "p1", order_id: str = "o1"):
    with shop.store.uow() as uow:
        outcome = shop.service.commit_departed(uow, reservation_id, parcel_id, order_id)
        uow.commit()
    return outcome


def close_order(shop: Shop, *reservation_ids: str, order_id: str = "o1"):
    with shop.store.uow() as uow:
        outcomes = shop.service.release_for_order(
            uow, order_id, list(reservation_ids), f"order {order_id} cancelled"
        )
        uow.commit()
    return outcomes


def status(shop: Shop, reservation_id: str) -> ReservationStatus:
    return shop.store.state.reservations[reservation_id].status


def test_departed_parcel_commits_its_reservation_once(shop: Shop) -> None:
    shop.stock("tea", "A", 10)
    reservation = shop.reserve(("tea", 3, "A"), order="o1")

    assert depart(shop, reservation.reservation_id) is FlowOutcome.APPLIED
    assert depart(shop, reservation.reservation_id) is FlowOutcome.ALREADY_DONE

    level = shop.level("tea", "A")
    assert (level.on_hand, level.reserved) == (7, 0)
    assert status(shop, reservation.reservation_id) is ReservationStatus.COMMITTED
    [committed] = shop.events(StockCommitted)
    assert committed.order_id == "o1" and committed.reference == "p1"
    assert committed.actor == "routing"
    assert [e.kind.value for e in shop.store.state.ledger][-1] == "commit"


def test_order_is_taken_from_the_event_when_the_reservation_has_none(shop: Shop) -> None:
    shop.stock("tea", "A", 10)
    reservation = shop.reserve(("tea", 1, "A"), order="")
    depart(shop, reservation.reservation_id, order_id="o-from-routing")
    [committed] = shop.events(StockCommitted)
    assert committed.order_id == "o-from-routing"


def test_departure_of_a_released_reservation_is_skipped(shop: Shop) -> None:
    shop.stock("tea", "A", 10)
    reservation = shop.reserve(("tea", 3, "A"))
    shop.service.release(c.ReleaseReservation(reservation.reservation_id, "shop", "changed mind"))

    assert depart(shop, reservation.reservation_id) is FlowOutcome.SKIPPED

    assert status(shop, reservation.reservation_id) is ReservationStatus.RELEASED
    assert shop.events(StockCommitted) == []
    level = shop.level("tea", "A")
    assert (level.on_hand, level.reserved) == (10, 0)


def test_departure_after_the_expiry_time_expires_instead_of_committing(shop: Shop) -> None:
    shop.stock("tea", "A", 10)
    reservation = shop.reserve(("tea", 3, "A"), ttl=60)
    shop.clock.advance(61)  # due, but the sweeper has not run

    assert depart(shop, reservation.reservation_id) is FlowOutcome.SKIPPED

    assert status(shop, reservation.reservation_id) is ReservationStatus.EXPIRED
    assert len(shop.events(StockExpired)) == 1
    assert shop.events(StockCommitted) == []
    level = shop.level("tea", "A")
    assert (level.on_hand, level.reserved) == (10, 0)


def test_departure_naming_an_unknown_reservation_changes_nothing(shop: Shop) -> None:
    shop.stock("tea", "A", 10)
    ledger, events = len(shop.store.state.ledger), len(shop.store.state.events)
    assert depart(shop, "no-such-reservation") is FlowOutcome.SKIPPED
    assert depart(shop, "") is FlowOutcome.SKIPPED
    assert len(shop.store.state.ledger) == ledger
    assert len(shop.store.state.events) == events


def test_closed_order_releases_what_is_still_active_and_keeps_what_left(shop: Shop) -> None:
    shop.stock("tea", "A", 10)
    shop.stock("rice", "A", 10)
    waiting = shop.reserve(("tea", 2, "A"), ("rice", 4, "A"))
    left = shop.reserve(("tea", 1, "A"))
    already = shop.reserve(("rice", 1, "A"))
    depart(shop, left.reservation_id)
    shop.service.release(c.ReleaseReservation(already.reservation_id, "warehouse", "re-planned"))

    outcomes = close_order(
        shop, waiting.reservation_id, left.reservation_id, already.reservation_id, "ghost"
    )

    assert outcomes == {
        waiting.reservation_id: FlowOutcome.APPLIED,
        left.reservation_id: FlowOutcome.SKIPPED,
        already.reservation_id: FlowOutcome.ALREADY_DONE,
        "ghost": FlowOutcome.SKIPPED,
    }
    assert status(shop, waiting.reservation_id) is ReservationStatus.RELEASED
    assert status(shop, left.reservation_id) is ReservationStatus.COMMITTED
    released = [e for e in shop.events(StockReleased) if e.reservation_id == waiting.reservation_id]
    assert len(released) == 1 and released[0].reason == "order o1 cancelled"
    tea, rice = shop.level("tea", "A"), shop.level("rice", "A")
    assert (tea.on_hand, tea.reserved) == (9, 0)
    assert (rice.on_hand, rice.reserved) == (10, 0)


def test_closing_an_order_twice_releases_once(shop: Shop) -> None:
    shop.stock("tea", "A", 10)
    reservation = shop.reserve(("tea", 2, "A"))
    assert close_order(shop, reservation.reservation_id) == {
        reservation.reservation_id: FlowOutcome.APPLIED
    }
    assert close_order(shop, reservation.reservation_id) == {
        reservation.reservation_id: FlowOutcome.ALREADY_DONE
    }
    assert len(shop.events(StockReleased)) == 1
    assert shop.level("tea", "A").reserved == 0


def test_a_batch_of_departures_commits_each_active_reservation_once(shop: Shop) -> None:
    shop.stock("tea", "A", 10)
    shop.stock("cup", "A", 10)
    tea = shop.reserve(("tea", 3, "A"), order="o1")
    cup = shop.reserve(("cup", 2, "A"), ("tea", 1, "A"), order="o2")
    released = shop.reserve(("tea", 1, "A"), order="o3")
    close_order(shop, released.reservation_id, order_id="o3")

    with shop.store.uow() as uow:
        outcomes = shop.service.commit_departed_many(
            uow,
            [
                (tea.reservation_id, "p1", "o1"),
                (cup.reservation_id, "p2", "o2"),
                (tea.reservation_id, "p1", "o1"),  # delivered twice in one batch
                (released.reservation_id, "p3", "o3"),
                ("no-such-reservation", "p4", "o4"),
            ],
        )
        uow.commit()

    assert outcomes == [
        FlowOutcome.APPLIED,
        FlowOutcome.APPLIED,
        FlowOutcome.ALREADY_DONE,
        FlowOutcome.SKIPPED,
        FlowOutcome.SKIPPED,
    ]
    tea_level, cup_level = shop.level("tea", "A"), shop.level("cup", "A")
    assert (tea_level.on_hand, tea_level.reserved) == (6, 0)
    assert (cup_level.on_hand, cup_level.reserved) == (8, 0)
    assert sorted(e.reference for e in shop.events(StockCommitted)) == ["p1", "p2"]
    assert status(shop, released.reservation_id) is ReservationStatus.RELEASED
