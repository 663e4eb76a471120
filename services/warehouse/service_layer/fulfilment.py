"""Handlers of fulfilment orders: submit, read, list, cancel, and the events that move them on.

Every event handler runs inside the inbox consumer's unit of work and is safe to repeat:
the order's own transitions ignore what changes nothing (see domain/fulfilment.py).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime

from cangpei.runtime.errors import AlreadyExists, DomainError, NotFound

from ..domain.fulfilment import FulfilmentOrder, FulfilmentStatus
from ..domain.order import Order
from .ports import DuplicateSubmission, FulfilmentUnitOfWork


@dataclass(frozen=True)
class SubmitFulfilmentOrder:
    idempotency_key: str
    fingerprint: str
    order: Order


@dataclass(frozen=True)
class Submitted:
    order: FulfilmentOrder
    created: bool


def submit(cmd: SubmitFulfilmentOrder, uow: FulfilmentUnitOfWork, now: datetime) -> Submitted:
    """Store the order as RECEIVED and queue warehouse.order.received, or return the replay."""
    try:
        with uow:
            replay = _replay(cmd, uow)
            if replay is not None:
                return replay
            order = FulfilmentOrder.receive(cmd.order, cmd.idempotency_key, cmd.fingerprint, now)
            uow.fulfilment.add(order)
            uow.record_order_received(order)
            uow.commit()
    except DuplicateSubmission:
        return replay_after_race(cmd, uow)
    return Submitted(order, created=True)


def submit_many(
    cmds: Sequence[SubmitFulfilmentOrder], uow: FulfilmentUnitOfWork, now: datetime
) -> list[Submitted | DomainError]:
    """``submit`` for many orders in one transaction (group commit); per command, what
    ``submit`` would have returned or raised. A later command of the batch with the key
    of an earlier one is its replay."""
    try:
        with uow:
            by_key = uow.fulfilment.by_keys(sorted({c.idempotency_key for c in cmds}))
            by_id = uow.fulfilment.get_many(sorted({c.order.order_id for c in cmds}))
            outcomes: list[Submitted | DomainError] = []
            new: list[FulfilmentOrder] = []
            for cmd in cmds:
                try:
                    replay = _replay_from(cmd, by_key.get, by_id.get)
                except AlreadyExists as exc:
                    outcomes.append(exc)
                    continue
                if replay is not None:
                    outcomes.append(replay)
                    continue
                order = FulfilmentOrder.receive(
                    cmd.order, cmd.idempotency_key, cmd.fingerprint, now
                )
                by_key[cmd.idempotency_key] = by_id[order.order_id] = order
                new.append(order)
                outcomes.append(Submitted(order, created=True))
            uow.fulfilment.add_many(new)
            for order in new:
                uow.record_order_received(order)
            uow.commit()
            return outcomes
    except DuplicateSubmission:
        # Another process inserted one of these meanwhile: settle them one at a time.
        results: list[Submitted | DomainError] = []
        for cmd in cmds:
            try:
                results.append(submit(cmd, uow, now))
            except AlreadyExists as exc:
                results.append(exc)
        return results


def replay_after_race(cmd: SubmitFulfilmentOrder, uow: FulfilmentUnitOfWork) -> Submitted:
    """After a concurrent submit of the same key or order id won the insert, answer as a replay."""
    with uow:
        replay = _replay(cmd, uow)
    if replay is None:  # pragma: no cover - the winner's row is committed before we get here
        raise AlreadyExists(f"order {cmd.order.order_id!r} is being submitted; try again")
    return replay


def _replay(cmd: SubmitFulfilmentOrder, uow: FulfilmentUnitOfWork) -> Submitted | None:
    return _replay_from(cmd, uow.fulfilment.by_key, uow.fulfilment.get)


def _replay_from(
    cmd: SubmitFulfilmentOrder,
    by_key: Callable[[str], FulfilmentOrder | None],
    by_id: Callable[[str], FulfilmentOrder | None],
) -> Submitted | None:
    known = by_key(cmd.idempotency_key)
    if known is not None:
        if known.fingerprint != cmd.fingerprint:
            raise AlreadyExists(
                f"idempotency key {cmd.idempotency_key!r} was used for order "
                f"{known.order_id!r} with other content; send a new key for a new order"
            )
        return Submitted(known, created=False)
    same_id = by_id(cmd.order.order_id)
    if same_id is not None:
        raise AlreadyExists(
            f"order {cmd.order.order_id!r} was already submitted with idempotency key "
            f"{same_id.idempotency_key!r}; resend with that key, or use a new order id"
        )
    return None


def get_order(order_id: str, uow: FulfilmentUnitOfWork) -> FulfilmentOrder:
    with uow:
        found = uow.fulfilment.get(order_id)
    if found is None:
        raise NotFound(f"no fulfilment order {order_id!r}; submit it first")
    return found


@dataclass(frozen=True)
class OrderPage:
    orders: list[FulfilmentOrder]
    more: bool
    counts: dict[FulfilmentStatus, int]


def list_orders(
    status: FulfilmentStatus | None, offset: int, size: int, uow: FulfilmentUnitOfWork
) -> OrderPage:
    with uow:
        found = uow.fulfilment.page(status, offset, size + 1)
        counts = uow.fulfilment.counts()
    return OrderPage(found[:size], len(found) > size, counts)


def cancel(order_id: str, reason: str, uow: FulfilmentUnitOfWork, now: datetime) -> FulfilmentOrder:
    """Cancel before departure; routing calls off the parcels and inventory releases the stock."""
    with uow:
        order = uow.fulfilment.get(order_id, for_update=True)
        if order is None:
            raise NotFound(f"no fulfilment order {order_id!r} to cancel")
        to_release = order.parcels_to_release()
        if order.cancel(reason.strip() or "cancelled at the customer's request", now):
            uow.fulfilment.save(order)
            uow.record_order_cancelled(order, to_release)
            uow.commit()
    return order


# ---------------------------------------------------------------- events from other services

Transition = Callable[[FulfilmentOrder], bool]


def apply_to_order(
    uow: FulfilmentUnitOfWork, order_id: str, transition: Transition
) -> FulfilmentOrder | None:
    """Apply one event's transition; publish what a close means. None: not our order."""
    order = uow.fulfilment.get(order_id, for_update=True)
    if order is None:
        return None
    to_release = order.parcels_to_release()
    was_final = order.status.final
    if not transition(order):
        return order
    uow.fulfilment.save(order)
    if order.status.final and not was_final:
        # A failure hands back every parcel still held; completion hands back none.
        uow.record_order_closed(
            order, to_release if order.status is FulfilmentStatus.FAILED else []
        )
    return order


def apply_to_orders(uow: FulfilmentUnitOfWork, changes: list[tuple[str, Transition]]) -> None:
    """Apply several events' transitions in their order, as ``apply_to_order`` does one
    at a time, loading the orders together and saving each changed one once."""
    if not changes:
        return
    # Sorted: consumers locking the same orders on PostgreSQL take them in one order.
    orders = uow.fulfilment.get_many(sorted({order_id for order_id, _ in changes}), True)
    changed: dict[str, FulfilmentOrder] = {}
    for order_id, transition in changes:
        order = orders.get(order_id)
        if order is None:
            continue
        to_release = order.parcels_to_release()
        was_final = order.status.final
        if not transition(order):
            continue
        changed[order_id] = order
        if order.status.final and not was_final:
            uow.record_order_closed(
                order, to_release if order.status is FulfilmentStatus.FAILED else []
            )
    uow.fulfilment.save_many(list(changed.values()))


def parcel_dispatched(
    order_id: str, parcel_id: str, carrier_id: str, vehicle_id: str, now: datetime
) -> tuple[str, Transition]:
    return order_id, lambda o: o.parcel_dispatched(parcel_id, carrier_id, vehicle_id, now)


def parcel_departed(
    order_id: str, parcel_id: str, carrier_id: str, vehicle_id: str, now: datetime
) -> tuple[str, Transition]:
    return order_id, lambda o: o.parcel_departed(parcel_id, carrier_id, vehicle_id, now)


def parcel_unassigned(
    order_id: str, parcel_id: str, reason: str, now: datetime
) -> tuple[str, Transition]:
    return order_id, lambda o: o.parcel_unassigned(parcel_id, reason, now)


def stock_committed(order_id: str, reservation_id: str, now: datetime) -> tuple[str, Transition]:
    return order_id, lambda o: o.stock_committed(reservation_id, now)


def reservation_expired(
    order_id: str, reservation_id: str, now: datetime
) -> tuple[str, Transition]:
    return order_id, lambda o: o.reservation_expired(reservation_id, now)


def orders_of_reservations(uow: FulfilmentUnitOfWork, named: list[tuple[str, str]]) -> list[str]:
    """The order of each (order id inventory named, reservation id) pair: inventory names
    the order it was given; the reservation is the sure link."""
    known = uow.fulfilment.order_ids_for_reservations([rid for _, rid in named])
    return [known.get(rid) or order_id for order_id, rid in named]


def on_parcel_dispatched(
    uow: FulfilmentUnitOfWork,
    order_id: str,
    parcel_id: str,
    carrier_id: str,
    vehicle_id: str,
    now: datetime,
) -> None:
    apply_to_order(
        uow, order_id, lambda o: o.parcel_dispatched(parcel_id, carrier_id, vehicle_id, now)
    )


def on_parcel_departed(
    uow: FulfilmentUnitOfWork,
    order_id: str,
    parcel_id: str,
    carrier_id: str,
    vehicle_id: str,
    now: datetime,
) -> None:
    apply_to_order(
        uow, order_id, lambda o: o.parcel_departed(parcel_id, carrier_id, vehicle_id, now)
    )


def on_parcel_unassigned(
    uow: FulfilmentUnitOfWork, order_id: str, parcel_id: str, reason: str, now: datetime
) -> None:
    apply_to_order(uow, order_id, lambda o: o.parcel_unassigned(parcel_id, reason, now))


def _order_of_reservation(uow: FulfilmentUnitOfWork, order_id: str, reservation_id: str) -> str:
    # Inventory names the order it was given; the reservation is the sure link.
    return uow.fulfilment.order_id_for_reservation(reservation_id) or order_id


def on_stock_committed(
    uow: FulfilmentUnitOfWork, order_id: str, reservation_id: str, now: datetime
) -> None:
    order_id = _order_of_reservation(uow, order_id, reservation_id)
    apply_to_order(uow, order_id, lambda o: o.stock_committed(reservation_id, now))


def on_reservation_expired(
    uow: FulfilmentUnitOfWork, order_id: str, reservation_id: str, now: datetime
) -> None:
    order_id = _order_of_reservation(uow, order_id, reservation_id)
    apply_to_order(uow, order_id, lambda o: o.reservation_expired(reservation_id, now))


def on_product_listed(
    uow: FulfilmentUnitOfWork, sku: str, weight_grams: int, volume_cm3: int
) -> None:
    if sku:
        uow.shipping.put(sku, weight_grams, volume_cm3)
