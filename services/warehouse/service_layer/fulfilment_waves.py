"""Allocation waves over RECEIVED fulfilment orders: plan together, reserve, settle each order.

Orders stay RECEIVED until the wave's outcome is written, so a wave cut short by a
crash is simply run again. Before asking inventory for reservations the wave notes
each request (key, order, warehouse, lines); the wave that picks the orders up again
first asks again with the same key (inventory answers with the reservation it already
made) and releases it, so a crash never leaves stock held twice.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime

from cangpei.runtime.errors import AlreadyExists, FailedPrecondition, InvalidArgument, NotFound

from ..config import WarehouseConfig
from ..domain.allocation_record import AllocationRecord, ReservedParcel
from ..domain.fulfilment import FulfilmentOrder, FulfilmentParcel, FulfilmentStatus
from ..domain.tiers import describe_tier
from .allocate import AllocateOrders, AllocationDeps, ReservationIntent, allocate_orders
from .ports import FulfilmentUnitOfWork, Releaser, ReservationRefused

log = logging.getLogger(__name__)

# Errors that concern the orders themselves (not a dependency being away).
ORDER_FAULTS = (InvalidArgument, NotFound, FailedPrecondition, AlreadyExists)


@dataclass
class WaveDeps:
    allocation: AllocationDeps
    uow: Callable[[], FulfilmentUnitOfWork]
    releaser: Releaser
    config: WarehouseConfig

    @property
    def run_blocking(self) -> Callable[..., Awaitable]:
        return self.allocation.run_blocking


def shipping_volume_cm3(length_mm: int, width_mm: int, height_mm: int) -> int:
    return math.ceil(length_mm * width_mm * height_mm / 1000)


async def allocate_received(deps: WaveDeps, limit: int | None = None) -> int:
    """Allocate the oldest RECEIVED orders (at most ``limit``, by default the configured
    batch) as one wave; return how many it took up."""
    # Only one wave runs at a time, so every reservation still noted now belongs to a
    # wave that was cut short (or to an order cancelled while its wave ran).
    await give_back_unfinished(None, deps)
    limit = limit or deps.config.allocation_batch_orders
    orders = await deps.run_blocking(_received, deps.uow, limit)
    if orders:
        await _allocate(orders, deps)
    return len(orders)


def _received(uow_factory: Callable[[], FulfilmentUnitOfWork], limit: int) -> list:
    with uow_factory() as uow:
        return uow.fulfilment.received(limit)


async def give_back_unfinished(order_ids: list[str] | None, deps: WaveDeps) -> None:
    """Release what a wave noted for these orders (None: every order) but did not keep.

    Asking again with the noted key and content returns the reservation inventory made
    (or makes it, when the first request never arrived); then it is released. Either way
    nothing stays held, and the new wave plans against the whole stock.
    """
    intents = await deps.run_blocking(_intents_of, deps.uow, order_ids)
    if not intents:
        return
    for i in intents:
        try:
            reservation_id = await deps.allocation.reserver.reserve(
                i.idempotency_key, i.order_id, i.location_id, list(i.lines)
            )
        except ReservationRefused:
            continue  # nothing is held under that key
        except AlreadyExists as exc:
            # Inventory holds another request under this key: not ours to release.
            log.warning("interrupted wave: %s", exc)
            continue
        await deps.releaser.release(
            reservation_id, "an allocation wave was interrupted; the order is planned again"
        )
    await deps.run_blocking(_forget_intents, deps.uow, sorted({i.order_id for i in intents}))
    log.info("gave back %d reservation(s) of an interrupted allocation wave", len(intents))


def _intents_of(
    uow_factory: Callable[[], FulfilmentUnitOfWork], order_ids: list[str] | None
) -> list:
    with uow_factory() as uow:
        return uow.intents.for_orders(order_ids)


def _forget_intents(uow_factory: Callable[[], FulfilmentUnitOfWork], order_ids: list[str]) -> None:
    with uow_factory() as uow:
        uow.intents.forget(order_ids)
        uow.commit()


def _note_intents(
    uow_factory: Callable[[], FulfilmentUnitOfWork], intents: Sequence[ReservationIntent]
) -> None:
    with uow_factory() as uow:
        uow.intents.add_many(intents)
        uow.commit()


async def _allocate(orders: list[FulfilmentOrder], deps: WaveDeps) -> None:
    a = deps.allocation
    cmd = AllocateOrders(
        wave_id=f"fw-{a.new_id()[:12]}",
        orders=tuple(o.order for o in orders),
        save=False,
        before_reserve=lambda intents: deps.run_blocking(_note_intents, deps.uow, intents),
    )
    try:
        result = await allocate_orders(cmd, a)
    except ORDER_FAULTS as exc:
        if len(orders) > 1:
            # One order spoils the whole wave (a SKU withdrawn since it was accepted, say):
            # settle them one at a time so the others go through.
            for o in orders:
                await _allocate([o], deps)
            return
        await give_back_unfinished([orders[0].order_id], deps)
        await deps.run_blocking(
            _save_failed, deps.uow, orders[0].order_id, f"could not be allocated: {exc}", a.now()
        )
        return
    for record in result.records:
        if record.unserved:
            # The order fails whole: what was reserved for its other lines goes back now.
            reason = f"order {record.order_id} failed: a line nobody can serve"
            for p in record.parcels:
                await deps.releaser.release(p.reservation_id, reason)
    cancelled = await deps.run_blocking(_save_wave, deps, result.records, a.now())
    if cancelled:
        # Their reservations stay noted until given back, so a crash here loses nothing.
        await give_back_unfinished(cancelled, deps)


def _save_failed(
    uow_factory: Callable[[], FulfilmentUnitOfWork], order_id: str, reason: str, now: datetime
) -> None:
    with uow_factory() as uow:
        order = uow.fulfilment.get(order_id, for_update=True)
        if (
            order is not None
            and order.status is FulfilmentStatus.RECEIVED
            and order.fail(reason, now)
        ):
            uow.fulfilment.save(order)
            uow.record_order_closed(order, [])
            uow.commit()


def unserved_reason(record: AllocationRecord) -> str:
    lines = "; ".join(f"{u.quantity} x {u.sku}: {u.reason}" for u in record.unserved)
    return f"no warehouse can serve every line ({lines})"


def _save_wave(deps: WaveDeps, records: Sequence[AllocationRecord], now: datetime) -> list[str]:
    """Write each order's outcome in one transaction; return orders cancelled meanwhile."""
    config = deps.config
    cancelled: list[str] = []
    with deps.uow() as uow:
        skus = sorted({ln.sku for r in records for p in r.parcels for ln in p.lines})
        shipping = uow.shipping.get_many(skus)
        found = uow.fulfilment.get_many([r.order_id for r in records], for_update=True)
        settled: list[FulfilmentOrder] = []
        allocated: list[AllocationRecord] = []
        for record in records:
            order = found.get(record.order_id)
            if order is None or order.status is not FulfilmentStatus.RECEIVED:
                # Cancelled while the wave ran: its reservations are ours to give back.
                cancelled.append(record.order_id)
                continue
            settled.append(order)
            if record.unserved:
                order.fail(unserved_reason(record), now)
                uow.record_order_closed(order, [])
                continue
            record = replace(
                record, parcels=tuple(_weighed(p, shipping, config) for p in record.parcels)
            )
            allocated.append(record)
            uow.record_allocation_created(record)
            order.allocate(
                [_fulfilment_parcel(p) for p in record.parcels],
                now,
                _allocation_detail(record, config),
            )
        uow.allocations.add_many(allocated)
        uow.fulfilment.save_many(settled)
        # The outcome of the others is written: their noted reservations are accounted for.
        uow.intents.forget([r.order_id for r in records if r.order_id not in cancelled])
        uow.commit()
    return cancelled


def _weighed(
    p: ReservedParcel, shipping: dict[str, tuple[int, int]], config: WarehouseConfig
) -> ReservedParcel:
    default = (config.default_sku_weight_grams, config.default_sku_volume_cm3)
    weight = volume = 0
    for line in p.lines:
        grams, cm3 = shipping.get(line.sku, default)
        weight += (grams or default[0]) * line.quantity
        volume += (cm3 or default[1]) * line.quantity
    return replace(p, weight_grams=weight, volume_cm3=volume)


def _fulfilment_parcel(p: ReservedParcel) -> FulfilmentParcel:
    return FulfilmentParcel(
        parcel_id=p.parcel_id,
        warehouse_id=p.warehouse_id,
        reservation_id=p.reservation_id,
        tier=int(p.tier),
        distance_km=p.distance_km,
        weight_grams=p.weight_grams,
        volume_cm3=p.volume_cm3,
    )


def _allocation_detail(record: AllocationRecord, config: WarehouseConfig) -> str:
    parts = [
        f"{p.parcel_id} from {p.warehouse_id} "
        f"({describe_tier(p.tier, config.near_radius_km, config.max_radius_km)}, "
        f"{p.distance_km:.1f} km)"
        for p in record.parcels
    ]
    return f"stock reserved in {len(parts)} parcel(s): " + "; ".join(parts)
