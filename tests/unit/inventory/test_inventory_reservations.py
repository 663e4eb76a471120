import threading

import pytest

from cangpei.runtime.errors import AlreadyExists, FailedPrecondition, InvalidArgument, NotFound
from services.inventory.domain import commands as c
from services.inventory.domain import events as ev
from services.inventory.domain.errors import InsufficientStock
from services.inventory.domain.model import RequestedLine, ReservationStatus


def ledger_snapshot(shop):
    s = shop.store.state
    return (list(s.ledger), dict(s.levels), dict(s.reservations))


def test_reservation_within_stock_is_granted_and_reserves_the_units(shop):
    shop.stock("tea", "A", 10)
    reservation = shop.reserve(("tea", 4, "A"), order="o-7")
    assert reservation.status is ReservationStatus.ACTIVE
    assert [(ln.sku, ln.quantity, ln.location_id) for ln in reservation.lines] == [("tea", 4, "A")]
    level = shop.level("tea", "A")
    assert (level.on_hand, level.reserved, level.available) == (10, 4, 6)
    assert reservation.expires_at == shop.clock.now.replace(minute=15)
    [event] = shop.events(ev.StockReserved)
    assert event.reservation_id == reservation.reservation_id and event.order_id == "o-7"


def test_reservation_beyond_stock_is_refused_and_leaves_the_ledger_unchanged(shop):
    shop.stock("tea", "A", 3)
    before = ledger_snapshot(shop)
    with pytest.raises(InsufficientStock, match="'tea' at 'A': 4 requested, 3 available"):
        shop.reserve(("tea", 4, "A"))
    assert ledger_snapshot(shop) == before


def test_multi_line_reservation_is_all_or_nothing(shop):
    shop.stock("tea", "A", 10)
    shop.stock("rice", "A", 1)
    with pytest.raises(InsufficientStock):
        shop.reserve(("tea", 5, "A"), ("rice", 2, "A"))
    assert shop.level("tea", "A").reserved == 0
    assert shop.store.state.reservations == {}


@pytest.mark.parametrize(
    ("lines", "error", "message"),
    [
        ([("ghost", 1, "A")], NotFound, "unknown sku 'ghost'"),
        ([("tea", 1, "nowhere")], NotFound, "unknown location 'nowhere'"),
        ([("tea", 0, "A")], InvalidArgument, "positive"),
        ([("tea", -2, "A")], InvalidArgument, "positive"),
        ([("tea", 1, "A"), ("tea", 1, "A")], InvalidArgument, "repeats sku"),
    ],
)
def test_bad_reservation_is_refused_with_a_clear_status_and_no_trace(shop, lines, error, message):
    shop.stock("tea", "A", 10)
    before = ledger_snapshot(shop)
    with pytest.raises(error, match=message):
        shop.reserve(*lines)
    assert ledger_snapshot(shop) == before


def test_replaying_a_reservation_three_times_has_one_effect_and_one_answer(shop):
    shop.stock("tea", "A", 10)
    answers = [shop.reserve(("tea", 2, "A"), key="same") for _ in range(3)]
    assert len({a.reservation_id for a in answers}) == 1
    assert len({(a.expires_at, tuple(a.lines)) for a in answers}) == 1
    assert shop.level("tea", "A").reserved == 2
    assert len(shop.events(ev.StockReserved)) == 1


def test_replaying_a_reservation_concurrently_has_one_effect(shop):
    shop.stock("tea", "A", 100)
    answers, barrier = [], threading.Barrier(16)

    def client():
        barrier.wait()
        answers.append(shop.reserve(("tea", 3, "A"), key="same"))

    threads = [threading.Thread(target=client) for _ in range(16)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len({a.reservation_id for a in answers}) == 1 and len(answers) == 16
    assert shop.level("tea", "A").reserved == 3


def test_reusing_a_key_for_other_content_is_refused(shop):
    shop.stock("tea", "A", 10)
    shop.reserve(("tea", 2, "A"), key="same")
    with pytest.raises(AlreadyExists, match="'same' was already used for a different request"):
        shop.reserve(("tea", 3, "A"), key="same")
    assert shop.level("tea", "A").reserved == 2


def test_batch_grants_in_order_until_stock_runs_out_and_refuses_the_rest(shop):
    shop.stock("tea", "A", 5)
    cmds = [c.ReserveStock(f"b{i}", f"o{i}", (RequestedLine("tea", 2, "A"),)) for i in range(4)]
    outcomes = shop.service.reserve_batch(cmds)
    assert [type(o).__name__ for o in outcomes] == [
        "Reservation",
        "Reservation",
        "InsufficientStock",
        "InsufficientStock",
    ]
    assert shop.level("tea", "A").reserved == 4
    assert shop.store.commits == 4  # sku, location, receipt, and one for the whole batch


def test_batch_with_a_bad_command_still_grants_the_good_ones(shop):
    shop.stock("tea", "A", 5)
    cmds = [
        c.ReserveStock("b1", "o", (RequestedLine("tea", 1, "A"),)),
        c.ReserveStock("b2", "o", (RequestedLine("tea", 0, "A"),)),
        c.ReserveStock("b3", "o", (RequestedLine("ghost", 1, "A"),)),
        c.ReserveStock("b1", "o", (RequestedLine("tea", 1, "A"),)),
        c.ReserveStock("b1", "o", (RequestedLine("tea", 2, "A"),)),
    ]
    first, zero, ghost, replay, reused = shop.service.reserve_batch(cmds)
    assert replay is first
    assert isinstance(zero, InvalidArgument) and isinstance(ghost, NotFound)
    assert isinstance(reused, AlreadyExists)
    assert shop.level("tea", "A").reserved == 1


def test_reservation_anywhere_picks_a_location_with_stock(shop):
    shop.stock("tea", "A", 1)
    shop.stock("tea", "B", 9)
    reservation = shop.reserve(("tea", 5))
    assert [(ln.location_id, ln.quantity) for ln in reservation.lines] == [("B", 5)]


def test_release_gives_the_units_back_once(shop):
    shop.stock("tea", "A", 10)
    r = shop.reserve(("tea", 4, "A"))
    first = shop.service.release(c.ReleaseReservation(r.reservation_id, "ops", "cancelled"))
    again = shop.service.release(c.ReleaseReservation(r.reservation_id, "ops", "cancelled"))
    assert first.status is again.status is ReservationStatus.RELEASED
    assert first.closed_at == again.closed_at
    assert shop.level("tea", "A").reserved == 0
    assert len(shop.events(ev.StockReleased)) == 1


def test_commit_takes_the_units_off_hand_once(shop):
    shop.stock("tea", "A", 10)
    r = shop.reserve(("tea", 4, "A"))
    for _ in range(3):
        done = shop.service.commit(c.CommitReservation(r.reservation_id, "wh", "parcel-1"))
        assert done.status is ReservationStatus.COMMITTED
    level = shop.level("tea", "A")
    assert (level.on_hand, level.reserved) == (6, 0)
    assert len(shop.events(ev.StockCommitted)) == 1


def test_released_reservation_cannot_be_committed(shop):
    shop.stock("tea", "A", 10)
    r = shop.reserve(("tea", 4, "A"))
    shop.service.release(c.ReleaseReservation(r.reservation_id))
    with pytest.raises(FailedPrecondition, match="was released at .* cannot be committed"):
        shop.service.commit(c.CommitReservation(r.reservation_id))
    assert shop.level("tea", "A").on_hand == 10


def test_unknown_reservation_is_not_found(shop):
    with pytest.raises(NotFound, match="no reservation 'nope'"):
        shop.service.release(c.ReleaseReservation("nope"))


def test_sweeper_releases_expired_reservations_and_publishes_expiry(shop):
    shop.stock("tea", "A", 10)
    short = shop.reserve(("tea", 3, "A"), ttl=60)
    long = shop.reserve(("tea", 2, "A"), ttl=600)
    shop.clock.advance(61)
    assert shop.service.expire_due() == 1
    assert shop.service.expire_due() == 0
    assert shop.store.state.reservations[short.reservation_id].status is ReservationStatus.EXPIRED
    assert shop.store.state.reservations[long.reservation_id].status is ReservationStatus.ACTIVE
    assert shop.level("tea", "A").reserved == 2
    [expired] = shop.events(ev.StockExpired)
    assert expired.reservation_id == short.reservation_id


def test_sweeper_works_through_a_backlog_in_batches(shop):
    shop.stock("tea", "A", 100)
    for _ in range(7):
        shop.reserve(("tea", 1, "A"), ttl=1)
    shop.clock.advance(5)
    assert [shop.service.expire_due(limit=3) for _ in range(4)] == [3, 3, 1, 0]
    assert shop.level("tea", "A").reserved == 0


def test_commit_after_expiry_is_refused_and_releases_the_stock(shop):
    shop.stock("tea", "A", 10)
    r = shop.reserve(("tea", 3, "A"), ttl=60)
    shop.clock.advance(60)
    with pytest.raises(FailedPrecondition, match="expired at .* reserve again"):
        shop.service.commit(c.CommitReservation(r.reservation_id))
    assert shop.level("tea", "A").reserved == 0
    assert shop.store.state.reservations[r.reservation_id].status is ReservationStatus.EXPIRED


def test_expired_reservation_replays_its_first_answer(shop):
    shop.stock("tea", "A", 10)
    first = shop.reserve(("tea", 3, "A"), key="k", ttl=60)
    shop.clock.advance(120)
    shop.service.expire_due()
    again = shop.reserve(("tea", 3, "A"), key="k", ttl=60)
    assert (again.reservation_id, again.expires_at) == (first.reservation_id, first.expires_at)
    assert shop.level("tea", "A").reserved == 0


def test_low_stock_event_fires_once_when_the_threshold_is_crossed(shop):
    shop.stock("tea", "A", 10, threshold=5)
    shop.reserve(("tea", 4, "A"))
    assert shop.events(ev.StockLow) == []
    shop.reserve(("tea", 2, "A"))
    shop.reserve(("tea", 1, "A"))
    [low] = shop.events(ev.StockLow)
    assert (low.sku, low.available, low.threshold) == ("tea", 4, 5)
    assert [(r.sku, r.available) for r in shop.queries.low_stock(0, "").items] == [("tea", 3)]
