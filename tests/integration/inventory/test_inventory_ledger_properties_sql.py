"""Random operation sequences against the real SQL store; the ledger reconciles after each step."""

from __future__ import annotations

import itertools
from collections import defaultdict
from datetime import timedelta

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)

from cangpei.runtime.errors import DomainError
from services.inventory.domain import commands as c
from services.inventory.domain.model import LocationKind

from .conftest import open_inventory

LOCATIONS = ["A", "B"]
quantities = st.integers(min_value=1, max_value=8)
runs = itertools.count()


class Clock:
    def __init__(self, start) -> None:
        self.now = start

    def __call__(self):
        return self.now


def machine_for(url: str, inventory_holder: list):
    class SqlLedgerMachine(RuleBasedStateMachine):
        def __init__(self) -> None:
            super().__init__()
            if not inventory_holder:
                inventory_holder.append(open_inventory(url))
            self.inv = inventory_holder[0]
            self.clock = Clock(self.inv.service.clock())
            self.inv.service.clock = self.clock
            run = next(runs)
            self.sku = f"p{run}"
            self.keys = itertools.count()
            for location in LOCATIONS:
                self.inv.service.register_location(
                    c.RegisterLocation(location, LocationKind.CENTRAL)
                )
            # Without a threshold, PostgreSQL batches lock late; with one, they lock first.
            self.inv.service.register_sku(c.RegisterSku(self.sku, 6 if run % 2 else 0))
            self.on_hand = defaultdict(int)
            self.reserved = defaultdict(int)
            self.active: dict[str, tuple] = {}

        def key(self) -> str:
            return f"{self.sku}-{next(self.keys)}"

        @rule(location=st.sampled_from(LOCATIONS), quantity=quantities)
        def receive(self, location, quantity):
            self.inv.service.receive(c.ReceiveStock(self.key(), self.sku, location, quantity))
            self.on_hand[location] += quantity

        @rule(location=st.sampled_from(LOCATIONS), delta=st.integers(-6, 6).filter(bool))
        def adjust(self, location, delta):
            ok = delta > 0 or self.on_hand[location] - self.reserved[location] + delta >= 0
            try:
                self.inv.service.adjust(c.AdjustStock(self.key(), self.sku, location, delta, "x"))
                assert ok
                self.on_hand[location] += delta
            except DomainError:
                assert not ok

        @rule(
            lines=st.lists(
                st.tuples(st.sampled_from(["", *LOCATIONS]), quantities),
                min_size=1,
                max_size=2,
                unique_by=lambda t: t[0],
            ),
            batch=st.integers(1, 3),
        )
        def reserve(self, lines, batch):
            cmds = [
                c.ReserveStock(
                    self.key(),
                    "o",
                    tuple(c.RequestedLine(self.sku, q, loc) for loc, q in lines),
                    ttl_seconds=60,
                )
                for _ in range(batch)
            ]
            for outcome in self.inv.service.reserve_batch(cmds):
                if isinstance(outcome, Exception):
                    assert isinstance(outcome, DomainError)
                    continue
                self.active[outcome.reservation_id] = tuple(outcome.lines)
                for line in outcome.lines:
                    self.reserved[line.location_id] += line.quantity

        @precondition(lambda self: self.active)
        @rule(data=st.data(), commit=st.booleans())
        def close(self, data, commit):
            rid = data.draw(st.sampled_from(sorted(self.active)))
            lines = self.active.pop(rid)
            if commit:
                self.inv.service.commit(c.CommitReservation(rid))
            else:
                self.inv.service.release(c.ReleaseReservation(rid))
            for line in lines:
                self.reserved[line.location_id] -= line.quantity
                if commit:
                    self.on_hand[line.location_id] -= line.quantity

        @rule()
        def everything_expires(self):
            self.clock.now += timedelta(seconds=61)
            self.inv.service.expire_due()
            for lines in self.active.values():
                for line in lines:
                    self.reserved[line.location_id] -= line.quantity
            self.active.clear()

        @invariant()
        def ledger_reconciles(self):
            assert self.inv.reconciliation_problems() == []
            for location in LOCATIONS:
                if self.on_hand[location] or self.reserved[location]:
                    level = self.inv.level(self.sku, location)
                    assert level == (self.on_hand[location], self.reserved[location])

    return SqlLedgerMachine


def test_ledger_invariant_holds_on_the_sql_store(database_url):
    holder: list = []
    try:
        run_state_machine_as_test(
            machine_for(database_url, holder),
            settings=settings(
                max_examples=12,
                stateful_step_count=15,
                deadline=None,
                suppress_health_check=[HealthCheck.too_slow],
            ),
        )
    finally:
        for inventory in holder:
            inventory.db.dispose()
