"""The stock of the SKUs one transaction touches, and the only way to change it.

Every change goes through ``move``, which writes a ledger entry and refuses any
state where reserved units exceed on-hand units or either goes negative. That is
the ledger invariant: for each (sku, location) the level equals the sum of its
entries, and available = on_hand - reserved is never below zero.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from services.inventory.domain.errors import InsufficientStock
from services.inventory.domain.model import (
    LedgerEntry,
    MovementKind,
    RequestedLine,
    ReservedLine,
    StockKey,
    StockLevel,
)


class StockBook:
    def __init__(self, levels: Iterable[StockLevel], now: datetime) -> None:
        self.levels: dict[StockKey, StockLevel] = {level.key: level for level in levels}
        self.now = now
        self.entries: list[LedgerEntry] = []
        # Keys whose row does not exist yet (the first movement at a location).
        self.new_keys: set[StockKey] = set()
        self.changed_keys: set[StockKey] = set()

    def level(self, sku: str, location_id: str) -> StockLevel:
        key = (sku, location_id)
        if key not in self.levels:
            self.levels[key] = StockLevel(sku, location_id)
            self.new_keys.add(key)
        return self.levels[key]

    def peek(self, sku: str, location_id: str) -> StockLevel:
        """The level without creating a row for it."""
        return self.levels.get((sku, location_id)) or StockLevel(sku, location_id)

    def levels_of(self, sku: str) -> list[StockLevel]:
        return [level for (s, _), level in self.levels.items() if s == sku]

    def available_total(self, sku: str) -> int:
        return sum(level.available for level in self.levels_of(sku))

    def move(
        self,
        sku: str,
        location_id: str,
        kind: MovementKind,
        *,
        on_hand_delta: int = 0,
        reserved_delta: int = 0,
        actor: str = "",
        reference: str = "",
        reason: str = "",
    ) -> LedgerEntry:
        level = self.peek(sku, location_id)
        on_hand = level.on_hand + on_hand_delta
        reserved = level.reserved + reserved_delta
        if reserved < 0 or on_hand < reserved:
            raise InsufficientStock(
                f"{kind.value} of sku {sku!r} at {location_id!r} would leave {on_hand} on hand "
                f"with {reserved} reserved; available now is {level.available}"
            )
        level = self.level(sku, location_id)
        level.on_hand, level.reserved = on_hand, reserved
        self.changed_keys.add(level.key)
        entry = LedgerEntry(
            sku=sku,
            location_id=location_id,
            kind=kind,
            on_hand_delta=on_hand_delta,
            reserved_delta=reserved_delta,
            on_hand_after=on_hand,
            reserved_after=reserved,
            actor=actor,
            reference=reference,
            reason=reason,
            occurred_at=self.now,
        )
        self.entries.append(entry)
        return entry

    def plan_reservation(
        self, lines: Iterable[RequestedLine], *, split_anywhere: bool = True
    ) -> list[ReservedLine]:
        """Where each line's units come from, or InsufficientStock naming every short line.

        Reads only; the caller applies the plan with ``move``. Named lines are placed
        first so an "anywhere" line never takes the units a named line needs.
        """
        lines = list(lines)
        taken: dict[StockKey, int] = {}
        placed: list[ReservedLine] = []
        shortages: list[str] = []

        def free(level: StockLevel) -> int:
            return level.available - taken.get(level.key, 0)

        for line in (ln for ln in lines if ln.location_id):
            level = self.peek(line.sku, line.location_id)
            if free(level) < line.quantity:
                shortages.append(
                    f"sku {line.sku!r} at {line.location_id!r}: {line.quantity} requested, "
                    f"{free(level)} available"
                )
                continue
            taken[level.key] = taken.get(level.key, 0) + line.quantity
            placed.append(ReservedLine(line.sku, line.quantity, line.location_id))

        for line in (ln for ln in lines if not ln.location_id):
            candidates = sorted(
                (lv for lv in self.levels_of(line.sku) if free(lv) > 0),
                key=lambda lv: (-free(lv), lv.location_id),
            )
            whole = [lv for lv in candidates if free(lv) >= line.quantity]
            if whole:
                # The fullest location that covers the line alone: one parcel, not several.
                chosen = [(whole[0], line.quantity)]
            elif split_anywhere and sum(free(lv) for lv in candidates) >= line.quantity:
                chosen, remaining = [], line.quantity
                for lv in candidates:
                    part = min(remaining, free(lv))
                    chosen.append((lv, part))
                    remaining -= part
                    if remaining == 0:
                        break
            else:
                total = sum(free(lv) for lv in candidates)
                best = free(candidates[0]) if candidates else 0
                detail = f"{total} available in all" if split_anywhere else f"at most {best} in one"
                shortages.append(
                    f"sku {line.sku!r} anywhere: {line.quantity} requested, {detail} locations"
                )
                continue
            for lv, part in chosen:
                taken[lv.key] = taken.get(lv.key, 0) + part
                placed.append(ReservedLine(line.sku, part, lv.location_id))

        if shortages:
            raise InsufficientStock("not enough stock: " + "; ".join(shortages))
        return placed
