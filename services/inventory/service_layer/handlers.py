"""The inventory use cases: one method per command, each one transaction.

Handlers are synchronous (they run in a worker thread); ``reserve_batch`` is the
group commit behind the admission queue: many reservations share one transaction,
so a hot SKU costs one lock and one commit per batch instead of one per request.
"""

from __future__ import annotations

import dataclasses
import enum
import itertools
import logging
import uuid
from collections.abc import Callable, Collection, Sequence
from datetime import UTC, datetime, timedelta
from typing import TypeVar

from cangpei.runtime.errors import Aborted, AlreadyExists, DomainError, InvalidArgument
from services.inventory.config import InventoryConfig
from services.inventory.domain import commands as c
from services.inventory.domain import events as ev
from services.inventory.domain.book import StockBook
from services.inventory.domain.errors import (
    IdempotencyKeyReused,
    InsufficientStock,
    ReservationClosed,
    ReservationNotFound,
    UnknownLocation,
    UnknownSku,
)
from services.inventory.domain.fingerprint import fingerprint
from services.inventory.domain.model import (
    LedgerEntry,
    Location,
    LocationKind,
    MovementKind,
    Reservation,
    ReservationStatus,
    SkuRecord,
    StockKey,
)
from services.inventory.domain.validation import (
    validate_movement,
    validate_register_location,
    validate_register_sku,
    validate_reservation_id,
    validate_reserve,
    validate_threshold,
)
from services.inventory.service_layer.ports import (
    ConcurrentConflict,
    InventoryUnitOfWork,
    StoredResult,
    UnitOfWorkFactory,
)
from services.inventory.service_layer.results import (
    MovementResult,
    SyncedLevel,
    SyncOutcome,
    decode_result,
    encode_result,
)

log = logging.getLogger(__name__)
T = TypeVar("T")

ReserveOutcome = Reservation | Exception


def utcnow() -> datetime:
    return datetime.now(UTC)


def new_reservation_id() -> str:
    return uuid.uuid4().hex


class FlowOutcome(enum.StrEnum):
    """What an event of the fulfilment flow did here."""

    APPLIED = "applied"
    ALREADY_DONE = "already done"  # an earlier delivery or call did it
    SKIPPED = "skipped"  # nothing to do, and logged why


@dataclasses.dataclass(frozen=True)
class ThresholdResult:
    sku: str
    threshold: int
    available: int
    low: bool


class InventoryService:
    def __init__(
        self,
        uow_factory: UnitOfWorkFactory,
        config: InventoryConfig,
        *,
        read_uow_factory: UnitOfWorkFactory | None = None,
        clock: Callable[[], datetime] = utcnow,
        new_id: Callable[[], str] = new_reservation_id,
        max_attempts: int = 5,
        defer_stock_locks: bool = False,
    ) -> None:
        self.uow = uow_factory
        self.read_uow = read_uow_factory or uow_factory
        self.config = config
        self.clock = clock
        self.new_id = new_id
        self.max_attempts = max_attempts
        # Reservation batches plan on an unlocked snapshot and lock the stock rows only
        # at the end, with conditional updates: a hot SKU's row is then held from that
        # update to the commit, not for the whole batch. Worth it where a row lock is
        # held across round trips (PostgreSQL); SQLite serialises writers anyway.
        self.defer_stock_locks = defer_stock_locks

    # ------------------------------------------------------------------ plumbing

    def _retrying(self, attempt: Callable[[], T]) -> T:
        """Run a whole transaction again when another one won a race on the same rows."""
        for number in range(1, self.max_attempts + 1):
            try:
                return attempt()
            except ConcurrentConflict as exc:
                if number == self.max_attempts:
                    raise Aborted(
                        "the stock changed under too many concurrent updates; try again"
                    ) from exc
                log.debug("concurrent conflict, attempt %d: %s", number, exc)
        raise AssertionError("unreachable")

    def _save_book(
        self,
        uow: InventoryUnitOfWork,
        book: StockBook,
        skus: dict[str, SkuRecord],
        *,
        with_sequence: bool = False,
    ) -> list[LedgerEntry]:
        """Write changed levels and new ledger entries; publish low stock on a crossing."""
        changed = sorted(book.changed_keys)
        uow.repo.save_levels([book.levels[k] for k in changed], book.new_keys & set(changed))
        entries = uow.repo.add_entries(book.entries, with_sequence=with_sequence)
        for sku in sorted({k[0] for k in changed}):
            record = skus.get(sku)
            if record is not None:
                self._check_low_stock(uow, record, book.available_total(sku), book.now)
        return entries

    @staticmethod
    def _check_low_stock(
        uow: InventoryUnitOfWork, record: SkuRecord, available: int, now: datetime
    ) -> bool:
        low = record.low_stock_threshold > 0 and available < record.low_stock_threshold
        if low != record.is_low:
            record.is_low = low
            uow.repo.update_sku(record)
            if low:
                uow.publish(ev.StockLow(record.sku, available, record.low_stock_threshold, now))
        return low

    # ------------------------------------------------------------------ reservations

    def reserve(self, cmd: c.ReserveStock) -> Reservation:
        outcome = self.reserve_batch([cmd])[0]
        if isinstance(outcome, Exception):
            raise outcome
        return outcome

    def reserve_batch(self, cmds: Sequence[c.ReserveStock]) -> list[ReserveOutcome]:
        """Each command's reservation or the error refusing it, in order.

        All-or-nothing per command: a refused command leaves no trace, and never
        affects the others in its batch.
        """
        outcomes: list[ReserveOutcome | None] = [None] * len(cmds)
        valid: list[int] = []
        for i, cmd in enumerate(cmds):
            try:
                validate_reserve(cmd, self.config)
                valid.append(i)
            except DomainError as exc:
                outcomes[i] = exc
        if valid:
            batch = [cmds[i] for i in valid]
            attempts = itertools.count()
            try:
                # A retry after a lost race locks first, so it cannot lose the same way.
                results = self._retrying(
                    lambda: self._reserve_together(batch, lock_first=next(attempts) > 0)
                )
            except Exception:
                if len(batch) == 1:
                    raise
                # One request must not sink the batch: try each alone to isolate it.
                log.exception("reservation batch of %d failed; retrying one by one", len(batch))
                results = [self._reserve_alone(cmd) for cmd in batch]
            for i, result in zip(valid, results, strict=True):
                outcomes[i] = result
        return outcomes  # type: ignore[return-value]

    def _reserve_alone(self, cmd: c.ReserveStock) -> ReserveOutcome:
        try:
            return self._retrying(lambda: self._reserve_together([cmd], lock_first=True))[0]
        except Exception as exc:  # noqa: BLE001 - handed back to this request's caller
            return exc

    def _reserve_together(
        self, cmds: Sequence[c.ReserveStock], *, lock_first: bool
    ) -> list[ReserveOutcome]:
        now = self.clock()
        prints = [fingerprint(cmd) for cmd in cmds]
        outcomes: list[ReserveOutcome | None] = [None] * len(cmds)
        with self.uow() as uow:
            repo = uow.repo
            # One read for everything the plans need (one round trip on PostgreSQL); the
            # SKUs and locations of replays in the batch are read too, which is harmless.
            optimistic = self.defer_stock_locks and not lock_first
            inputs = repo.reservation_inputs(
                {cmd.idempotency_key for cmd in cmds},
                {line.sku for cmd in cmds for line in cmd.lines},
                {line.location_id for cmd in cmds for line in cmd.lines if line.location_id},
                lock=not optimistic,
            )
            existing = inputs.existing
            first_with_key: dict[str, int] = {}
            repeats: list[tuple[int, int]] = []
            todo: list[int] = []
            for i, cmd in enumerate(cmds):
                key = cmd.idempotency_key
                if key in existing:
                    earlier = existing[key]
                    same = earlier.fingerprint == prints[i]
                    outcomes[i] = earlier if same else IdempotencyKeyReused(key)
                elif key in first_with_key:
                    repeats.append((i, first_with_key[key]))
                else:
                    first_with_key[key] = i
                    todo.append(i)

            if todo:
                known_skus = inputs.skus
                known_locations = inputs.locations
                levels = inputs.levels
                # A low-stock threshold needs the true totals to see a crossing: lock first.
                deferred = optimistic and not any(
                    r.low_stock_threshold for r in known_skus.values()
                )
                if optimistic and not deferred:
                    levels = repo.lock_levels(sorted(known_skus))
                book = StockBook(levels, now)
                granted: list[Reservation] = []
                for i in todo:
                    outcome = self._grant(cmds[i], prints[i], book, known_skus, known_locations)
                    outcomes[i] = outcome
                    if isinstance(outcome, Reservation):
                        granted.append(outcome)
                        uow.publish(
                            ev.StockReserved(
                                outcome.reservation_id,
                                outcome.order_id,
                                tuple(outcome.lines),
                                outcome.expires_at,
                                outcome.actor,
                                now,
                            )
                        )
                if granted and deferred:
                    repo.add_reservations(granted)
                    self._save_reserved_late(uow, book)
                    uow.commit()
                elif granted:
                    # Nothing below reads a result: the writes and the commit go to the
                    # database together (one round trip on PostgreSQL).
                    with uow.send_together():
                        repo.add_reservations(granted)
                        self._save_book(uow, book, known_skus)
                        uow.commit()

        for i, first in repeats:
            # The same key twice in one batch: the later one is a replay of the first.
            same = prints[i] == prints[first]
            outcomes[i] = outcomes[first] if same else IdempotencyKeyReused(cmds[i].idempotency_key)
        return outcomes  # type: ignore[return-value]

    @staticmethod
    def _save_reserved_late(uow: InventoryUnitOfWork, book: StockBook) -> None:
        """Take the units with conditional updates, then write the ledger from the rows'
        true levels (others may have moved them since the snapshot)."""
        deltas: dict[StockKey, int] = {}
        for entry in book.entries:
            key = (entry.sku, entry.location_id)
            deltas[key] = deltas.get(key, 0) + entry.reserved_delta
        after = uow.repo.reserve_if_available(list(deltas.items()), book.now)
        if after is None:
            raise ConcurrentConflict("stock was taken between the snapshot and the update")
        # The batch's entries for a row are consecutive under the row lock, so each is
        # off by the same amount: whatever other transactions did before ours.
        shift = {
            key: (on_hand - book.levels[key].on_hand, reserved - book.levels[key].reserved)
            for key, (on_hand, reserved) in after.items()
        }
        uow.repo.add_entries(
            [
                dataclasses.replace(
                    e,
                    on_hand_after=e.on_hand_after + shift[(e.sku, e.location_id)][0],
                    reserved_after=e.reserved_after + shift[(e.sku, e.location_id)][1],
                )
                for e in book.entries
            ]
        )

    def _grant(
        self,
        cmd: c.ReserveStock,
        print_: str,
        book: StockBook,
        known_skus: dict[str, SkuRecord],
        known_locations: dict[str, Location],
    ) -> ReserveOutcome:
        unknown = sorted({ln.sku for ln in cmd.lines if ln.sku not in known_skus})
        if unknown:
            return UnknownSku(unknown)
        nowhere = sorted(
            {ln.location_id for ln in cmd.lines if ln.location_id} - set(known_locations)
        )
        if nowhere:
            return UnknownLocation(nowhere)
        try:
            plan = book.plan_reservation(cmd.lines, split_anywhere=self.config.split_anywhere_lines)
        except InsufficientStock as exc:
            return exc
        reservation_id = self.new_id()
        for line in plan:
            book.move(
                line.sku,
                line.location_id,
                MovementKind.RESERVATION,
                reserved_delta=line.quantity,
                actor=cmd.actor,
                reference=reservation_id,
                reason=f"order {cmd.order_id}" if cmd.order_id else "",
            )
        ttl = cmd.ttl_seconds or self.config.reservation_ttl_seconds
        return Reservation(
            reservation_id=reservation_id,
            idempotency_key=cmd.idempotency_key,
            fingerprint=print_,
            order_id=cmd.order_id,
            lines=plan,
            status=ReservationStatus.ACTIVE,
            created_at=book.now,
            expires_at=book.now + timedelta(seconds=ttl),
            actor=cmd.actor,
        )

    def release(self, cmd: c.ReleaseReservation) -> Reservation:
        validate_reservation_id(cmd.reservation_id)
        return self._retrying(
            lambda: self._close(
                cmd.reservation_id, ReservationStatus.RELEASED, cmd.actor, cmd.reason, ""
            )
        )

    def commit(self, cmd: c.CommitReservation) -> Reservation:
        validate_reservation_id(cmd.reservation_id)
        return self._retrying(
            lambda: self._close(
                cmd.reservation_id, ReservationStatus.COMMITTED, cmd.actor, "", cmd.reference
            )
        )

    def _close(
        self,
        reservation_id: str,
        target: ReservationStatus,
        actor: str,
        reason: str,
        reference: str,
    ) -> Reservation:
        now = self.clock()
        with self.uow() as uow:
            reservation = uow.repo.get_reservation(reservation_id)
            if reservation is None:
                raise ReservationNotFound(reservation_id)
            if reservation.status is target:
                return reservation  # a replay: the first call already did it
            if reservation.status is not ReservationStatus.ACTIVE:
                raise ReservationClosed(
                    f"reservation {reservation_id!r} was {reservation.status.value} at "
                    f"{reservation.closed_at:%Y-%m-%d %H:%M:%S} UTC; it cannot be {target.value}"
                )
            if target is ReservationStatus.COMMITTED and reservation.is_due(now):
                # Too late to ship against it: its units may be promised again, so let them go.
                self._expire(uow, [reservation], now)
                uow.commit()
                raise ReservationClosed(
                    f"reservation {reservation_id!r} expired at "
                    f"{reservation.expires_at:%Y-%m-%d %H:%M:%S} UTC and its stock was "
                    "released; reserve again before shipping"
                )
            closed = self._close_active(uow, reservation, target, actor, reason, reference, now)
            uow.commit()
            return closed

    def _close_active(
        self,
        uow: InventoryUnitOfWork,
        reservation: Reservation,
        target: ReservationStatus,
        actor: str,
        reason: str,
        reference: str,
        now: datetime,
    ) -> Reservation:
        """Commit or release an active reservation inside ``uow``: its ledger moves and event."""
        [closed] = self._close_active_many(
            uow, [(reservation, reference)], target, actor, reason, now
        )
        return closed

    def _close_active_many(
        self,
        uow: InventoryUnitOfWork,
        closing: Sequence[tuple[Reservation, str]],
        target: ReservationStatus,
        actor: str,
        reason: str,
        now: datetime,
    ) -> list[Reservation]:
        """``_close_active`` for several reservations (each with its reference), their
        stock levels locked and written once."""
        skus = {line.sku for reservation, _ in closing for line in reservation.lines}
        known = uow.repo.skus(skus)
        book = StockBook(uow.repo.lock_levels(sorted(skus)), now)
        committing = target is ReservationStatus.COMMITTED
        all_closed = [
            dataclasses.replace(
                reservation,
                status=target,
                closed_at=now,
                close_actor=actor,
                close_reason=reason,
                reference=reference,
            )
            for reservation, reference in closing
        ]
        if uow.repo.close_reservations(all_closed, ReservationStatus.ACTIVE) != len(all_closed):
            ids = ", ".join(r.reservation_id for r in all_closed[:5])
            raise ConcurrentConflict(f"a reservation of {ids} changed while closing")
        for (reservation, reference), closed in zip(closing, all_closed, strict=True):
            reservation_id = reservation.reservation_id
            for line in reservation.lines:
                book.move(
                    line.sku,
                    line.location_id,
                    MovementKind.COMMIT if committing else MovementKind.RELEASE,
                    on_hand_delta=-line.quantity if committing else 0,
                    reserved_delta=-line.quantity,
                    actor=actor,
                    reference=reference or reservation_id,
                    reason=reason,
                )
            lines = tuple(closed.lines)
            if committing:
                uow.publish(
                    ev.StockCommitted(reservation_id, closed.order_id, lines, actor, reference, now)
                )
            else:
                uow.publish(
                    ev.StockReleased(reservation_id, closed.order_id, lines, actor, reason, now)
                )
        self._save_book(uow, book, known)
        return all_closed

    def expire_due(self, limit: int | None = None) -> int:
        """Release reservations past their expiry; return how many this call released.

        Safe beside another replica doing the same: each reservation is closed by a
        conditional update, and only the winner gives its stock back.
        """
        limit = limit or self.config.sweep_batch_size

        def attempt() -> int:
            now = self.clock()
            with self.uow() as uow:
                due = uow.repo.due_reservations(now, limit)
                if not due:
                    return 0
                count = self._expire(uow, due, now)
                uow.commit()
                return count

        return self._retrying(attempt)

    def _expire(self, uow: InventoryUnitOfWork, due: list[Reservation], now: datetime) -> int:
        skus = {line.sku for r in due for line in r.lines}
        known = uow.repo.skus(skus)
        book = StockBook(uow.repo.lock_levels(sorted(skus)), now)
        count = 0
        for reservation in due:
            expired = dataclasses.replace(
                reservation,
                status=ReservationStatus.EXPIRED,
                closed_at=now,
                close_reason="expired",
            )
            if not uow.repo.close_reservation(expired, ReservationStatus.ACTIVE):
                continue  # released, committed or expired by someone else meanwhile
            for line in reservation.lines:
                book.move(
                    line.sku,
                    line.location_id,
                    MovementKind.EXPIRY,
                    reserved_delta=-line.quantity,
                    reference=reservation.reservation_id,
                    reason="reservation expired",
                )
            uow.publish(
                ev.StockExpired(
                    reservation.reservation_id,
                    reservation.order_id,
                    tuple(reservation.lines),
                    reservation.expires_at,
                    now,
                )
            )
            count += 1
        self._save_book(uow, book, known)
        return count

    # ------------------------------------------------------------------ fulfilment events

    def commit_departed(
        self, uow: InventoryUnitOfWork, reservation_id: str, parcel_id: str, order_id: str
    ) -> FlowOutcome:
        """The parcel holding this reservation left its warehouse: its units leave stock.

        Runs inside the caller's unit of work (a consumer's, committed with its inbox
        row) and is safe to repeat: a committed reservation is left as it is. One that
        was released or expired is not committed (the warehouse fails its order on the
        expiry); one past its expiry time that the sweeper has not reached yet is
        expired now, as ``Commit`` does.
        """
        now = self.clock()
        reservation = uow.repo.get_reservation(reservation_id) if reservation_id else None
        if reservation is None:
            log.error(
                "parcel %s of order %s departed with reservation %r, which inventory has "
                "no record of; nothing committed",
                parcel_id,
                order_id,
                reservation_id,
            )
            return FlowOutcome.SKIPPED
        if reservation.status is ReservationStatus.COMMITTED:
            return FlowOutcome.ALREADY_DONE
        if reservation.status is not ReservationStatus.ACTIVE:
            log.warning(
                "parcel %s of order %s departed, but its reservation %s was %s at %s; "
                "its stock is not committed",
                parcel_id,
                order_id,
                reservation_id,
                reservation.status.value,
                reservation.closed_at,
            )
            return FlowOutcome.SKIPPED
        if reservation.is_due(now):
            self._expire(uow, [reservation], now)
            log.warning(
                "parcel %s of order %s departed after its reservation %s expired (at %s); "
                "the reservation is expired instead of committed",
                parcel_id,
                order_id,
                reservation_id,
                reservation.expires_at,
            )
            return FlowOutcome.SKIPPED
        # The order is named on the event even when the reservation was made without one.
        reservation = dataclasses.replace(reservation, order_id=reservation.order_id or order_id)
        self._close_active(
            uow, reservation, ReservationStatus.COMMITTED, "routing", "", parcel_id, now
        )
        return FlowOutcome.APPLIED

    def commit_departed_many(
        self, uow: InventoryUnitOfWork, departures: Sequence[tuple[str, str, str]]
    ) -> list[FlowOutcome]:
        """``commit_departed`` for a batch of departures (reservation, parcel, order), as a
        consumer fetches them: the active reservations are committed together, their
        stock levels locked and written once; any other case goes through
        ``commit_departed`` as before."""
        now = self.clock()
        outcomes: list[FlowOutcome] = []
        committing: list[tuple[Reservation, str]] = []
        seen: set[str] = set()
        found = uow.repo.get_reservations({rid for rid, _, _ in departures if rid})
        for reservation_id, parcel_id, order_id in departures:
            if reservation_id in seen:
                outcomes.append(FlowOutcome.ALREADY_DONE)
                continue
            reservation = found.get(reservation_id)
            if (
                reservation is None
                or reservation.status is not ReservationStatus.ACTIVE
                or reservation.is_due(now)
            ):
                outcomes.append(self.commit_departed(uow, reservation_id, parcel_id, order_id))
                continue
            seen.add(reservation_id)
            # The order is named on the event even when the reservation was made without one.
            reservation = dataclasses.replace(
                reservation, order_id=reservation.order_id or order_id
            )
            committing.append((reservation, parcel_id))
            outcomes.append(FlowOutcome.APPLIED)
        if committing:
            self._close_active_many(
                uow, committing, ReservationStatus.COMMITTED, "routing", "", now
            )
        return outcomes

    def release_for_order(
        self,
        uow: InventoryUnitOfWork,
        order_id: str,
        reservation_ids: Collection[str],
        reason: str,
    ) -> dict[str, FlowOutcome]:
        """The order was cancelled or failed: release each of its reservations still active.

        Runs inside the caller's unit of work and is safe to repeat. A reservation that
        is already closed keeps its state; a committed one means its parcel already left.
        """
        now = self.clock()
        outcomes: dict[str, FlowOutcome] = {}
        active: list[Reservation] = []
        for reservation_id in sorted({r for r in reservation_ids if r}):
            reservation = uow.repo.get_reservation(reservation_id)
            if reservation is None:
                log.warning(
                    "order %s closed with reservation %r, which inventory has no record of",
                    order_id,
                    reservation_id,
                )
                outcomes[reservation_id] = FlowOutcome.SKIPPED
            elif reservation.status is ReservationStatus.ACTIVE:
                active.append(reservation)
            elif reservation.status is ReservationStatus.COMMITTED:
                log.warning(
                    "order %s closed, but reservation %s was committed at %s (its parcel "
                    "left); it stays committed",
                    order_id,
                    reservation_id,
                    reservation.closed_at,
                )
                outcomes[reservation_id] = FlowOutcome.SKIPPED
            else:
                outcomes[reservation_id] = FlowOutcome.ALREADY_DONE
        if active:
            # All the rows at once and in key order, so two closures never wait on each other.
            uow.repo.lock_levels(sorted({line.sku for r in active for line in r.lines}))
        for reservation in active:
            self._close_active(
                uow, reservation, ReservationStatus.RELEASED, "warehouse", reason, "", now
            )
            outcomes[reservation.reservation_id] = FlowOutcome.APPLIED
        return outcomes

    # ------------------------------------------------------------------ registry

    def register_location(self, cmd: c.RegisterLocation) -> Location:
        """Make the location known; the registered location, whichever call created it."""
        validate_register_location(cmd)
        wanted = Location(cmd.location_id, cmd.kind, cmd.supplier_id)

        def attempt() -> Location:
            with self.uow() as uow:
                existing = uow.repo.locations([cmd.location_id]).get(cmd.location_id)
                if existing is not None:
                    if existing != wanted:
                        raise AlreadyExists(
                            f"location {cmd.location_id!r} is already registered as "
                            f"{existing.kind.value}"
                            + (
                                f" of supplier {existing.supplier_id!r}"
                                if existing.supplier_id
                                else ""
                            )
                        )
                    return existing
                uow.repo.add_location(wanted)
                uow.commit()
                return wanted

        return self._retrying(attempt)

    def register_sku(self, cmd: c.RegisterSku) -> SkuRecord:
        """Make the SKU known; the registered record, whichever call created it."""
        validate_register_sku(cmd)
        threshold = cmd.low_stock_threshold or self.config.default_low_stock_threshold

        def attempt() -> SkuRecord:
            with self.uow() as uow:
                if existing := uow.repo.skus([cmd.sku]).get(cmd.sku):
                    return existing
                # No stock yet: below any positive threshold from the start, but that is
                # not a crossing, so no event.
                record = SkuRecord(cmd.sku, threshold, is_low=threshold > 0)
                uow.repo.add_sku(record)
                uow.commit()
                return record

        return self._retrying(attempt)

    def set_low_stock_threshold(self, cmd: c.SetLowStockThreshold) -> ThresholdResult:
        validate_threshold(cmd)

        def attempt() -> ThresholdResult:
            with self.uow() as uow:
                record = uow.repo.skus([cmd.sku]).get(cmd.sku)
                if record is None:
                    raise UnknownSku([cmd.sku])
                book = StockBook(uow.repo.lock_levels([cmd.sku]), self.clock())
                record.low_stock_threshold = cmd.threshold
                uow.repo.update_sku(record)
                available = book.available_total(cmd.sku)
                low = self._check_low_stock(uow, record, available, book.now)
                uow.commit()
                return ThresholdResult(cmd.sku, cmd.threshold, available, low)

        return self._retrying(attempt)

    # ------------------------------------------------------------------ movements

    def receive(self, cmd: c.ReceiveStock) -> MovementResult:
        def apply(book: StockBook, _: dict[str, Location]) -> list[SyncedLevel]:
            book.move(
                cmd.sku,
                cmd.location_id,
                MovementKind.RECEIPT,
                on_hand_delta=cmd.quantity,
                actor=cmd.actor,
                reference=cmd.reference,
            )
            return []

        return self._movement(cmd, "receive", [cmd.sku], [cmd.location_id], apply)

    def return_stock(self, cmd: c.ReturnStock) -> MovementResult:
        def apply(book: StockBook, _: dict[str, Location]) -> list[SyncedLevel]:
            book.move(
                cmd.sku,
                cmd.location_id,
                MovementKind.RETURN,
                on_hand_delta=cmd.quantity,
                actor=cmd.actor,
                reference=cmd.reference,
            )
            return []

        return self._movement(cmd, "return", [cmd.sku], [cmd.location_id], apply)

    def adjust(self, cmd: c.AdjustStock) -> MovementResult:
        def apply(book: StockBook, _: dict[str, Location]) -> list[SyncedLevel]:
            book.move(
                cmd.sku,
                cmd.location_id,
                MovementKind.ADJUSTMENT,
                on_hand_delta=cmd.delta,
                actor=cmd.actor,
                reference=cmd.reference,
                reason=cmd.reason,
            )
            return []

        return self._movement(cmd, "adjust", [cmd.sku], [cmd.location_id], apply)

    def transfer(self, cmd: c.TransferStock) -> MovementResult:
        def apply(book: StockBook, _: dict[str, Location]) -> list[SyncedLevel]:
            reference = cmd.reference or cmd.idempotency_key
            book.move(
                cmd.sku,
                cmd.from_location_id,
                MovementKind.TRANSFER_OUT,
                on_hand_delta=-cmd.quantity,
                actor=cmd.actor,
                reference=reference,
                reason=f"to {cmd.to_location_id}",
            )
            book.move(
                cmd.sku,
                cmd.to_location_id,
                MovementKind.TRANSFER_IN,
                on_hand_delta=cmd.quantity,
                actor=cmd.actor,
                reference=reference,
                reason=f"from {cmd.from_location_id}",
            )
            return []

        locations = [cmd.from_location_id, cmd.to_location_id]
        return self._movement(cmd, "transfer", [cmd.sku], locations, apply)

    def sync_supplier_stock(self, cmd: c.SyncSupplierStock) -> MovementResult:
        def apply(book: StockBook, locations: dict[str, Location]) -> list[SyncedLevel]:
            foreign = sorted(
                lid
                for lid, loc in locations.items()
                if loc.kind is not LocationKind.SUPPLIER_SITE or loc.supplier_id != cmd.supplier_id
            )
            if foreign:
                raise InvalidArgument(
                    f"location {', '.join(map(repr, foreign))} is not a site of supplier "
                    f"{cmd.supplier_id!r}; a supplier syncs only its own sites"
                )
            return [self._sync_level(book, level, cmd) for level in cmd.levels]

        skus = sorted({level.sku for level in cmd.levels})
        locations = sorted({level.location_id for level in cmd.levels})
        return self._movement(cmd, "sync_supplier_stock", skus, locations, apply)

    @staticmethod
    def _sync_level(
        book: StockBook, wanted: c.SupplierLevel, cmd: c.SyncSupplierStock
    ) -> SyncedLevel:
        current = book.peek(wanted.sku, wanted.location_id)
        if wanted.version <= current.supplier_version:
            return SyncedLevel(
                wanted.sku,
                wanted.location_id,
                SyncOutcome.STALE,
                0,
                current.on_hand,
                current.reserved,
            )
        # Units already promised stay promised: the count may lower on-hand to them, not below.
        target = max(wanted.on_hand, current.reserved)
        delta = target - current.on_hand
        if delta:
            book.move(
                wanted.sku,
                wanted.location_id,
                MovementKind.ADJUSTMENT,
                on_hand_delta=delta,
                actor=cmd.actor or cmd.supplier_id,
                reference=cmd.idempotency_key,
                reason=f"supplier stock sync (count version {wanted.version})",
            )
        level = book.level(wanted.sku, wanted.location_id)
        level.supplier_version = wanted.version
        book.changed_keys.add(level.key)
        if wanted.on_hand < current.reserved:
            outcome = SyncOutcome.CLAMPED
        else:
            outcome = SyncOutcome.APPLIED if delta else SyncOutcome.UNCHANGED
        return SyncedLevel(
            wanted.sku, wanted.location_id, outcome, delta, level.on_hand, level.reserved
        )

    def _movement(
        self,
        cmd: c.StockMovement,
        operation: str,
        skus: Collection[str],
        location_ids: Collection[str],
        apply: Callable[[StockBook, dict[str, Location]], list[SyncedLevel]],
    ) -> MovementResult:
        validate_movement(cmd, self.config)
        print_ = fingerprint(cmd)
        key = cmd.idempotency_key

        def attempt() -> MovementResult:
            now = self.clock()
            with self.uow() as uow:
                stored = uow.repo.stored_result(key)
                if stored is not None:
                    if stored.operation != operation or stored.fingerprint != print_:
                        raise IdempotencyKeyReused(key)
                    return decode_result(stored.result)
                known = uow.repo.skus(skus)
                if missing := sorted(set(skus) - set(known)):
                    raise UnknownSku(missing)
                locations = uow.repo.locations(location_ids)
                if missing := sorted(set(location_ids) - set(locations)):
                    raise UnknownLocation(missing)
                book = StockBook(uow.repo.lock_levels(sorted(skus)), now)
                synced = apply(book, locations)
                entries = self._save_book(uow, book, known, with_sequence=True)
                for entry in entries:
                    uow.publish(ev.StockAdjusted(entry))
                result = MovementResult(tuple(entries), tuple(synced))
                uow.repo.store_result(
                    key, StoredResult(operation, print_, encode_result(result)), now
                )
                uow.commit()
                return result

        return self._retrying(attempt)
