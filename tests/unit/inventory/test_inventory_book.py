from datetime import UTC, datetime

import pytest

from services.inventory.domain.book import StockBook
from services.inventory.domain.errors import InsufficientStock
from services.inventory.domain.model import MovementKind, RequestedLine, StockLevel

NOW = datetime(2026, 1, 1, tzinfo=UTC)


def book(*levels: tuple[str, str, int, int]) -> StockBook:
    return StockBook(
        [StockLevel(s, loc, on_hand, reserved) for s, loc, on_hand, reserved in levels], NOW
    )


def test_named_line_is_placed_at_its_location():
    b = book(("tea", "A", 10, 0), ("tea", "B", 50, 0))
    plan = b.plan_reservation([RequestedLine("tea", 4, "A")])
    assert [(p.location_id, p.quantity) for p in plan] == [("A", 4)]


def test_anywhere_line_goes_whole_to_the_fullest_location():
    b = book(("tea", "A", 10, 0), ("tea", "B", 50, 45), ("tea", "C", 30, 0))
    plan = b.plan_reservation([RequestedLine("tea", 8)])
    assert [(p.location_id, p.quantity) for p in plan] == [("C", 8)]


def test_anywhere_line_is_split_only_when_no_location_holds_it_all():
    b = book(("tea", "A", 10, 0), ("tea", "B", 6, 0))
    plan = b.plan_reservation([RequestedLine("tea", 13)])
    assert sorted((p.location_id, p.quantity) for p in plan) == [("A", 10), ("B", 3)]


def test_anywhere_line_is_refused_when_splitting_is_off_and_no_location_holds_it():
    b = book(("tea", "A", 10, 0), ("tea", "B", 6, 0))
    with pytest.raises(InsufficientStock, match="at most 10 in one"):
        b.plan_reservation([RequestedLine("tea", 13)], split_anywhere=False)


def test_anywhere_line_does_not_take_units_a_named_line_needs():
    b = book(("tea", "A", 5, 0), ("tea", "B", 3, 0))
    plan = b.plan_reservation([RequestedLine("tea", 3), RequestedLine("tea", 5, "A")])
    assert sorted((p.location_id, p.quantity) for p in plan) == [("A", 5), ("B", 3)]


def test_plan_names_every_short_line():
    b = book(("tea", "A", 1, 0), ("rice", "A", 2, 2))
    with pytest.raises(InsufficientStock) as refused:
        b.plan_reservation([RequestedLine("tea", 2, "A"), RequestedLine("rice", 1)])
    assert "'tea' at 'A': 2 requested, 1 available" in refused.value.message
    assert "'rice' anywhere: 1 requested" in refused.value.message


def test_plan_reads_only():
    b = book(("tea", "A", 5, 1))
    b.plan_reservation([RequestedLine("tea", 2, "A")])
    assert (b.peek("tea", "A").reserved, b.entries) == (1, [])


def test_move_writes_an_entry_with_the_level_after():
    b = book(("tea", "A", 5, 1))
    entry = b.move(
        "tea", "A", MovementKind.RESERVATION, reserved_delta=3, actor="u", reference="r1"
    )
    assert (entry.on_hand_after, entry.reserved_after, entry.reserved_delta) == (5, 4, 3)
    assert b.changed_keys == {("tea", "A")}


def test_move_refuses_to_reserve_more_than_on_hand():
    b = book(("tea", "A", 5, 4))
    with pytest.raises(InsufficientStock):
        b.move("tea", "A", MovementKind.RESERVATION, reserved_delta=2)
    assert b.peek("tea", "A").reserved == 4 and b.entries == []


def test_move_refuses_to_take_reserved_units_off_hand():
    b = book(("tea", "A", 5, 4))
    with pytest.raises(InsufficientStock, match="available now is 1"):
        b.move("tea", "A", MovementKind.ADJUSTMENT, on_hand_delta=-2)


def test_first_movement_at_a_location_creates_its_row():
    b = book()
    b.move("tea", "A", MovementKind.RECEIPT, on_hand_delta=3)
    assert b.new_keys == {("tea", "A")} and b.available_total("tea") == 3


def test_refused_first_movement_creates_no_row():
    b = book()
    with pytest.raises(InsufficientStock):
        b.move("tea", "A", MovementKind.ADJUSTMENT, on_hand_delta=-1)
    assert b.new_keys == set() and b.levels == {}
