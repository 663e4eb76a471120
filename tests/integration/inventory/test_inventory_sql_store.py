"""The service layer over real SQLite and PostgreSQL, many threads at once."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace

import pytest

from cangpei.runtime.errors import AlreadyExists, FailedPrecondition, NotFound
from services.inventory.adapters.schema import reservations
from services.inventory.domain import commands as c
from services.inventory.domain.errors import InsufficientStock
from services.inventory.domain.model import RequestedLine, ReservationStatus


def reserve_cmd(key: str, quantity: int = 1, sku: str = "hot", location: str = "A"):
    return c.ReserveStock(key, f"order-{key}", (RequestedLine(sku, quantity, location),))


def test_concurrent_reservations_without_batching_never_oversell_one_sku(inventory):
    # One transaction per request, 16 threads: the database locking alone must hold the line.
    inventory.stock("hot", "A", 150)
    granted, refused, barrier = [], [], threading.Barrier(16)

    def worker(number: int) -> None:
        barrier.wait()
        for i in range(20):
            try:
                granted.append(inventory.service.reserve(reserve_cmd(f"w{number}-{i}")))
            except InsufficientStock:
                refused.append(1)

    with ThreadPoolExecutor(16) as pool:
        list(pool.map(worker, range(16)))
    assert len(granted) == 150 and len(refused) == 16 * 20 - 150
    assert inventory.level("hot", "A") == (150, 150)
    assert inventory.reconciliation_problems() == []


def test_concurrent_replays_of_one_key_have_one_effect(inventory):
    inventory.stock("hot", "A", 100)
    barrier = threading.Barrier(16)

    def replay(_: int):
        barrier.wait()
        return inventory.service.reserve(reserve_cmd("same", 3))

    with ThreadPoolExecutor(16) as pool:
        answers = list(pool.map(replay, range(16)))
    assert {a.reservation_id for a in answers} == {answers[0].reservation_id}
    assert {a.expires_at for a in answers} == {answers[0].expires_at}
    assert inventory.level("hot", "A") == (100, 3)


def test_concurrent_replays_of_one_receipt_receive_once(inventory):
    inventory.stock("hot", "A", 0)
    barrier = threading.Barrier(16)
    cmd = c.ReceiveStock("receipt-1", "hot", "A", 7, "clerk", "PO-1")

    def replay(_: int):
        barrier.wait()
        return inventory.service.receive(cmd)

    with ThreadPoolExecutor(16) as pool:
        answers = list(pool.map(replay, range(16)))
    assert all(a == answers[0] for a in answers)
    assert inventory.level("hot", "A") == (7, 0)


def test_batch_of_reservations_shares_one_transaction_and_stops_at_zero(inventory):
    inventory.stock("hot", "A", 10)
    outcomes = inventory.service.reserve_batch([reserve_cmd(f"b{i}", 3) for i in range(5)])
    kinds = [type(o).__name__ for o in outcomes]
    assert kinds == ["Reservation"] * 3 + ["InsufficientStock"] * 2
    assert inventory.level("hot", "A") == (10, 9)
    assert inventory.reconciliation_problems() == []


def test_release_and_commit_happen_once_and_reconcile(inventory):
    inventory.stock("hot", "A", 10)
    keep = inventory.service.reserve(reserve_cmd("keep", 4))
    drop = inventory.service.reserve(reserve_cmd("drop", 3))
    for _ in range(3):
        assert inventory.service.commit(c.CommitReservation(keep.reservation_id)).status is (
            ReservationStatus.COMMITTED
        )
        inventory.service.release(c.ReleaseReservation(drop.reservation_id))
    with pytest.raises(FailedPrecondition):
        inventory.service.release(c.ReleaseReservation(keep.reservation_id))
    assert inventory.level("hot", "A") == (6, 0)
    assert inventory.reconciliation_problems() == []


def test_two_sweepers_release_each_expired_reservation_once(inventory):
    inventory.stock("hot", "A", 100)
    for i in range(40):
        inventory.service.reserve(
            c.ReserveStock(f"e{i}", "o", (RequestedLine("hot", 2, "A"),), ttl_seconds=1)
        )
    later = inventory.service.clock().replace(year=2100)
    inventory.service.clock = lambda: later
    with ThreadPoolExecutor(2) as pool:
        released = list(pool.map(lambda _: inventory.service.expire_due(limit=7), range(12)))
    assert sum(released) == 40
    assert inventory.level("hot", "A") == (100, 0)
    assert inventory.reconciliation_problems() == []


def test_bad_requests_leave_the_ledger_unchanged(inventory):
    inventory.stock("hot", "A", 5)
    before = inventory.queries.history("hot", "A", 100, "").items
    with pytest.raises(NotFound):
        inventory.service.reserve(reserve_cmd("x1", 1, sku="ghost"))
    with pytest.raises(NotFound):
        inventory.service.reserve(reserve_cmd("x2", 1, location="nowhere"))
    with pytest.raises(InsufficientStock):
        inventory.service.reserve(reserve_cmd("x3", 6))
    inventory.service.reserve(reserve_cmd("x4", 1))
    with pytest.raises(AlreadyExists):
        inventory.service.reserve(reserve_cmd("x4", 2))
    after = inventory.queries.history("hot", "A", 100, "").items
    assert after[: len(before)] == before and len(after) == len(before) + 1


def test_history_and_low_stock_queries(inventory):
    inventory.stock("hot", "A", 5)
    inventory.service.set_low_stock_threshold(c.SetLowStockThreshold("hot", 3))
    inventory.service.reserve(reserve_cmd("q1", 3))
    page = inventory.queries.history("hot", "A", 1, "")
    rest = inventory.queries.history("hot", "A", 10, page.next_page_token)
    assert [e.kind.value for e in page.items + rest.items] == ["receipt", "reservation"]
    [low] = inventory.queries.low_stock(10, "").items
    assert (low.sku, low.available, low.threshold) == ("hot", 2, 3)


def test_closing_reservations_together_stores_only_those_still_active(inventory):
    # The batched close a consumer uses: one statement, and a count that tells it when
    # a reservation changed meanwhile (so it can refuse the whole batch).
    from datetime import UTC, datetime

    from sqlalchemy import select as sql_select

    from services.inventory.adapters.sql_repository import SqlRepository

    inventory.stock("hot", "A", 10)
    first = inventory.service.reserve(reserve_cmd("first", 2))
    second = inventory.service.reserve(reserve_cmd("second", 3))
    inventory.service.release(c.ReleaseReservation(second.reservation_id))
    postgres = inventory.db.writer.dialect.name == "postgresql"
    now = datetime.now(UTC)
    with inventory.db.new_session() as session:
        session.begin()
        repo = SqlRepository(session, postgres=postgres)
        loaded = repo.get_reservations([first.reservation_id, second.reservation_id, "nope"])
        assert set(loaded) == {first.reservation_id, second.reservation_id}
        closing = [
            replace(loaded[rid], status=ReservationStatus.COMMITTED, closed_at=now, reference=rid)
            for rid in (first.reservation_id, second.reservation_id)
        ]
        assert repo.close_reservations(closing, ReservationStatus.ACTIVE) == 1
        session.rollback()
    with inventory.db.read_session() as session:
        rows = session.execute(sql_select(reservations.c.reservation_id, reservations.c.status))
        statuses = {rid: status for rid, status in rows}
    # Rolled back: nothing half-written stays.
    assert statuses == {first.reservation_id: "active", second.reservation_id: "released"}
