"""Random sequences of every stock operation; the ledger invariant is checked after each step.

The invariant: for each (sku, location), on-hand and reserved equal the sums of the
ledger's deltas, reserved equals the units held by active reservations, and
0 <= reserved <= on-hand (available never below zero). A simple model beside the
service predicts on-hand and available, so a wrongly granted or wrongly refused
request is caught too, not only a broken sum.
"""

from __future__ import annotations

import itertools
from collections import defaultdict

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from cangpei.runtime.errors import DomainError
from services.inventory.domain import commands as c
from services.inventory.domain.model import LocationKind, ReservationStatus

from .inventory_helpers import Shop

SKUS = ["tea", "rice"]
LOCATIONS = ["A", "B", "S"]
quantities = st.integers(min_value=1, max_value=12)
skus = st.sampled_from(SKUS)
locations = st.sampled_from(LOCATIONS)


class LedgerMachine(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.shop = Shop()
        self.keys = itertools.count()
        self.shop.location("A", LocationKind.CENTRAL)
        self.shop.location("B", LocationKind.SATELLITE)
        self.shop.location("S", LocationKind.SUPPLIER_SITE, "sup")
        # tea has a low-stock threshold (its batches always lock first), rice has none.
        for sku, threshold in zip(SKUS, (5, 0), strict=True):
            self.shop.stock(sku, "A", 0, threshold=threshold)
        self.on_hand: dict[tuple[str, str], int] = defaultdict(int)
        self.reserved: dict[tuple[str, str], int] = defaultdict(int)
        self.active: dict[str, list] = {}
        self.version = itertools.count(1)

    def key(self) -> str:
        return f"p{next(self.keys)}"

    def available(self, sku: str, location: str) -> int:
        return self.on_hand[(sku, location)] - self.reserved[(sku, location)]

    @rule(sku=skus, location=locations, quantity=quantities)
    def receive(self, sku, location, quantity):
        self.shop.service.receive(c.ReceiveStock(self.key(), sku, location, quantity))
        self.on_hand[(sku, location)] += quantity

    @rule(sku=skus, location=locations, delta=st.integers(-10, 10).filter(bool))
    def adjust(self, sku, location, delta):
        expected_ok = self.available(sku, location) + delta >= 0 if delta < 0 else True
        try:
            self.shop.service.adjust(c.AdjustStock(self.key(), sku, location, delta, "count"))
            granted = True
        except DomainError:
            granted = False
        assert granted == expected_ok
        if granted:
            self.on_hand[(sku, location)] += delta

    @rule(sku=skus, source=locations, destination=locations, quantity=quantities)
    def transfer(self, sku, source, destination, quantity):
        if source == destination:
            return
        expected_ok = self.available(sku, source) >= quantity
        try:
            self.shop.service.transfer(
                c.TransferStock(self.key(), sku, source, destination, quantity)
            )
            granted = True
        except DomainError:
            granted = False
        assert granted == expected_ok
        if granted:
            self.on_hand[(sku, source)] -= quantity
            self.on_hand[(sku, destination)] += quantity

    @rule(sku=skus, level=st.integers(0, 30))
    def supplier_sync(self, sku, level):
        synced = c.SupplierLevel(sku, "S", level, next(self.version))
        self.shop.service.sync_supplier_stock(c.SyncSupplierStock(self.key(), "sup", (synced,)))
        self.on_hand[(sku, "S")] = max(level, self.reserved[(sku, "S")])

    @rule(sku=skus, location=locations, quantity=quantities, replays=st.integers(1, 3))
    def reserve_at(self, sku, location, quantity, replays):
        expected_ok = self.available(sku, location) >= quantity
        key = self.key()
        line = c.RequestedLine(sku, quantity, location)
        answers = []
        for _ in range(replays):
            try:
                answers.append(self.shop.service.reserve(c.ReserveStock(key, "o", (line,))))
            except DomainError:
                answers.append(None)
        assert (answers[0] is not None) == expected_ok
        if expected_ok:
            # Replays answer the same and add nothing.
            assert {a.reservation_id for a in answers} == {answers[0].reservation_id}
            self.active[answers[0].reservation_id] = answers[0].lines
            self.reserved[(sku, location)] += quantity

    @rule(
        lines=st.lists(
            st.tuples(skus, quantities), min_size=1, max_size=2, unique_by=lambda t: t[0]
        )
    )
    def reserve_anywhere(self, lines):
        requested = tuple(c.RequestedLine(s, q) for s, q in lines)
        expected_ok = all(
            sum(max(self.available(s, loc), 0) for loc in LOCATIONS) >= q for s, q in lines
        )
        try:
            r = self.shop.service.reserve(c.ReserveStock(self.key(), "o", requested))
        except DomainError:
            r = None
        assert (r is not None) == expected_ok
        if r is not None:
            for s, q in lines:
                assert sum(ln.quantity for ln in r.lines if ln.sku == s) == q
            self.active[r.reservation_id] = r.lines
            for ln in r.lines:
                self.reserved[(ln.sku, ln.location_id)] += ln.quantity

    @precondition(lambda self: self.active)
    @rule(data=st.data(), commit=st.booleans())
    def close(self, data, commit):
        rid = data.draw(st.sampled_from(sorted(self.active)))
        if commit:
            self.shop.service.commit(c.CommitReservation(rid))
        else:
            self.shop.service.release(c.ReleaseReservation(rid))
        for ln in self.active.pop(rid):
            self.reserved[(ln.sku, ln.location_id)] -= ln.quantity
            if commit:
                self.on_hand[(ln.sku, ln.location_id)] -= ln.quantity

    @rule()
    def switch_between_locking_first_and_locking_late(self):
        self.shop.service.defer_stock_locks = not self.shop.service.defer_stock_locks

    @rule(seconds=st.sampled_from([60, 600, 1000]))
    def time_passes_and_sweeper_runs(self, seconds):
        self.shop.clock.advance(seconds)
        self.shop.service.expire_due()
        state = self.shop.store.state
        for rid in list(self.active):
            if state.reservations[rid].status is ReservationStatus.EXPIRED:
                for ln in self.active.pop(rid):
                    self.reserved[(ln.sku, ln.location_id)] -= ln.quantity

    @invariant()
    def ledger_reconciles_with_levels_and_reservations(self):
        state = self.shop.store.state
        ledger_on_hand: dict = defaultdict(int)
        ledger_reserved: dict = defaultdict(int)
        for entry in state.ledger:
            ledger_on_hand[(entry.sku, entry.location_id)] += entry.on_hand_delta
            ledger_reserved[(entry.sku, entry.location_id)] += entry.reserved_delta
        held: dict = defaultdict(int)
        for r in state.reservations.values():
            if r.status is ReservationStatus.ACTIVE:
                for ln in r.lines:
                    held[(ln.sku, ln.location_id)] += ln.quantity
        for key, level in state.levels.items():
            assert level.on_hand == ledger_on_hand[key] == self.on_hand[key]
            assert level.reserved == ledger_reserved[key] == held[key] == self.reserved[key]
            assert 0 <= level.reserved <= level.on_hand
        assert set(self.active) == {
            rid for rid, r in state.reservations.items() if r.status is ReservationStatus.ACTIVE
        }

    @invariant()
    def low_stock_flags_match_the_levels(self):
        state = self.shop.store.state
        for sku, record in state.skus.items():
            available = sum(v.available for k, v in state.levels.items() if k[0] == sku)
            assert record.is_low == (available < record.low_stock_threshold)


LedgerMachine.TestCase.settings = settings(
    max_examples=60,
    stateful_step_count=30,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
test_ledger_invariant_holds_under_random_operations = LedgerMachine.TestCase
