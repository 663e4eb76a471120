"""Allocate orders: plan with the optimiser, reserve per parcel, re-plan refused lines.

The plan is computed on the CPU pool, reservations are requested from inventory one
parcel (one warehouse) at a time so a refusal affects only that parcel's lines, and
those lines are planned again against fresh stock. What is decided is stored and its
AllocationCreated events queued in one unit of work, after every reservation answered.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta, timezone

import numpy as np

from cangpei.runtime.errors import AlreadyExists, FailedPrecondition, InvalidArgument, NotFound

from ..config import WarehouseConfig
from ..domain.allocation import AllocationPlan, PlannedParcel, SolveReport
from ..domain.allocation_record import AllocationRecord, ReservedParcel, UnservedRecord
from ..domain.geo import haversine_km
from ..domain.order import Order, OrderLine
from ..domain.promise import estimated_delivery
from ..domain.tiers import Tier, tier_for
from ..domain.warehouse import Warehouse
from .planner import Optimiser, make_plan
from .ports import ReservationRefused, Reserver, StockSource, UnitOfWork
from .problem import AllocationProblem, build_problem

RESERVE_CONCURRENCY = 32


# (order id, warehouse id, re-plan round) -> the reservation's idempotency key.
ReservationKey = Callable[[str, str, int], str]


@dataclass(frozen=True)
class ReservationIntent:
    """A reservation about to be asked for, exactly as it will be asked."""

    idempotency_key: str
    order_id: str
    location_id: str
    lines: tuple[tuple[str, int], ...]


# Called with a round's reservations before any is asked for (to note them durably).
BeforeReserve = Callable[[Sequence[ReservationIntent]], Awaitable[None]]


@dataclass(frozen=True)
class AllocateOrders:
    wave_id: str
    orders: tuple[Order, ...]
    # Keys derived from the order alone let a wave retried after a crash find the
    # reservations it already made; by default keys belong to this wave.
    reservation_key: ReservationKey | None = None
    # False: the caller stores the records (and their events) itself.
    save: bool = True
    before_reserve: BeforeReserve | None = None


@dataclass(frozen=True)
class WaveResult:
    wave_id: str
    records: tuple[AllocationRecord, ...]
    report: SolveReport
    replanned_lines: int


@dataclass
class AllocationDeps:
    uow: Callable[[], UnitOfWork]
    stock: StockSource
    reserver: Reserver
    optimiser: Optimiser | None
    config: WarehouseConfig
    run_blocking: Callable[..., Awaitable]
    run_cpu: Callable[..., Awaitable]
    now: Callable[[], datetime]
    new_id: Callable[[], str]


@dataclass
class _Context:
    warehouses: list[Warehouse]
    parcels_today: dict[str, int]


async def allocate_orders(cmd: AllocateOrders, deps: AllocationDeps) -> WaveResult:
    config = deps.config
    orders = list(cmd.orders)
    _check_wave(orders, config)
    now = deps.now()
    local_day = (now + timedelta(minutes=config.utc_offset_minutes)).date()
    ctx = await deps.run_blocking(_load_context, deps.uow, [o.order_id for o in orders], local_day)

    skus = sorted({line.sku for o in orders for line in o.lines})
    stock = await deps.stock.availability(skus)
    # A SKU with a stock record somewhere, even at zero, is known and its lines may be
    # reported unservable; one with no record anywhere cannot be allocated at all.
    known = {sku for (_, sku) in stock}
    if unknown := [s for s in skus if s not in known]:
        shown = ", ".join(repr(s) for s in unknown[:10])
        more = f" and {len(unknown) - 10} more" if len(unknown) > 10 else ""
        raise NotFound(
            f"unknown SKU {shown}{more}: inventory has no record of it at any location "
            "(never registered or never stocked)"
        )

    capacity_left = {
        w.warehouse_id: w.daily_capacity_parcels - ctx.parcels_today.get(w.warehouse_id, 0)
        for w in ctx.warehouses
    }
    problem = build_problem(orders, ctx.warehouses, stock, capacity_left, config)
    _check_promises(problem, config)

    plan = await deps.run_cpu(make_plan, problem, deps.optimiser)
    first_report = plan.report
    parcels: dict[str, list[ReservedParcel]] = {o.order_id: [] for o in orders}
    unserved: dict[str, list[UnservedRecord]] = {o.order_id: [] for o in orders}
    # Why each line went where it went, by (order, sku); a re-plan overwrites it.
    line_notes: dict[tuple[str, str], str] = {}
    allocation_ids = {o.order_id: deps.new_id() for o in orders}
    order_by_id = {o.order_id: o for o in orders}
    wh_by_id = {w.warehouse_id: w for w in ctx.warehouses}
    replanned = 0
    key_for = cmd.reservation_key or (
        lambda order_id, warehouse_id, round_no: (
            f"{cmd.wave_id}:{order_id}:{warehouse_id}:r{round_no}"
        )
    )

    for round_no in range(config.max_replan_rounds + 1):
        for u in plan.unserved:
            unserved[u.order_id].append(UnservedRecord(u.sku, u.quantity, u.reason))
        for e in plan.explanations:
            if e.tier is not None:
                line_notes[(e.order_id, e.sku)] = e.text
        if cmd.before_reserve is not None:
            await cmd.before_reserve(
                [
                    ReservationIntent(
                        key_for(p.order_id, p.warehouse_id, round_no),
                        p.order_id,
                        p.warehouse_id,
                        tuple((ln.sku, ln.quantity) for ln in p.lines),
                    )
                    for p in plan.parcels
                ]
            )
        accepted, refused = await _reserve_plan(
            plan, round_no, key_for, allocation_ids, order_by_id, wh_by_id, deps, parcels
        )
        for p in accepted:
            capacity_left[p.warehouse_id] = capacity_left.get(p.warehouse_id, 0) - 1
        if not refused:
            break
        failed_lines: dict[str, list[OrderLine]] = {}
        for parcel in refused:
            failed_lines.setdefault(parcel.order_id, []).extend(parcel.lines)
            for line in parcel.lines:
                # The refused plan's reasoning no longer holds for these lines.
                line_notes.pop((parcel.order_id, line.sku), None)
        replanned += sum(len(v) for v in failed_lines.values())
        if round_no == config.max_replan_rounds:
            for order_id, lines in failed_lines.items():
                for line in lines:
                    unserved[order_id].append(
                        UnservedRecord(
                            line.sku,
                            line.quantity,
                            "inventory refused the reservation (stock moved meanwhile) "
                            f"{config.max_replan_rounds + 1} times",
                        )
                    )
            break
        # Re-plan only the refused lines, against fresh stock and the capacity left.
        retry_orders = [
            replace(order_by_id[oid], lines=tuple(lines)) for oid, lines in failed_lines.items()
        ]
        fresh = await deps.stock.availability(
            sorted({line.sku for o in retry_orders for line in o.lines})
        )
        retry_problem = build_problem(retry_orders, ctx.warehouses, fresh, capacity_left, config)
        plan = await deps.run_cpu(make_plan, retry_problem, deps.optimiser)

    records = tuple(
        AllocationRecord(
            allocation_id=allocation_ids[o.order_id],
            order_id=o.order_id,
            wave_id=cmd.wave_id,
            created_at=now,
            local_day=local_day,
            promised_by=o.promised_by,
            parcels=tuple(parcels[o.order_id]),
            unserved=tuple(unserved[o.order_id]),
            explanations=tuple(
                [p.explanation for p in parcels[o.order_id]]
                + [text for (oid, _), text in line_notes.items() if oid == o.order_id]
                + [u.reason for u in unserved[o.order_id]]
            ),
            solver_status=first_report.status.value,
            objective=first_report.objective,
            best_bound=first_report.best_bound,
            gap=first_report.gap,
        )
        for o in orders
    )
    if cmd.save:
        await deps.run_blocking(_save, deps.uow, records)
    return WaveResult(cmd.wave_id, records, first_report, replanned)


def _check_wave(orders: Sequence[Order], config: WarehouseConfig) -> None:
    if not orders:
        raise InvalidArgument("no orders to allocate; send at least one order")
    if len(orders) > config.max_wave_orders:
        raise InvalidArgument(
            f"{len(orders)} orders in one wave; at most {config.max_wave_orders} are accepted"
        )
    seen: set[str] = set()
    for o in orders:
        if o.order_id in seen:
            raise InvalidArgument(f"order {o.order_id!r} appears twice in the wave")
        seen.add(o.order_id)


def _load_context(uow_factory: Callable[[], UnitOfWork], order_ids: list[str], day) -> _Context:
    with uow_factory() as uow:
        existing = uow.allocations.allocated(order_ids)
        if existing:
            shown = "; ".join(
                f"order {oid!r} (allocation {aid})" for oid, aid in list(existing.items())[:5]
            )
            more = f" and {len(existing) - 5} more" if len(existing) > 5 else ""
            raise AlreadyExists(f"already allocated: {shown}{more}; fetch them with GetAllocation")
        warehouses = uow.warehouses.list(active_only=True)
        if not warehouses:
            raise FailedPrecondition("no active warehouse is registered; register one first")
        return _Context(warehouses, uow.allocations.parcels_on(day))


def _check_promises(problem: AllocationProblem, config: WarehouseConfig) -> None:
    """Refuse orders whose promise no warehouse in reach could keep, whatever the stock."""
    reach = problem.in_reach.sum(axis=1)
    slow = problem.too_slow.sum(axis=1)
    impossible = np.flatnonzero((slow > 0) & (slow == reach)).tolist()
    if not impossible:
        return
    transit = {
        Tier.NEAR_SATELLITE: config.near_transit_hours,
        Tier.FAR_SATELLITE: config.far_transit_hours,
        Tier.CENTRAL: config.central_transit_hours,
        Tier.SUPPLIER: config.supplier_transit_hours,
    }
    faults = []
    for o in impossible[:5]:
        order = problem.orders[o]
        earliest = None
        for w in problem.warehouses:
            tier = tier_for(w, haversine_km(order.destination, w.location), config.near_radius_km)
            if tier is None:
                continue
            eta = estimated_delivery(
                order.placed_at, w.cutoff_minute, tier, transit, config.utc_offset_minutes
            )
            earliest = eta if earliest is None else min(earliest, eta)
        local = timezone(timedelta(minutes=config.utc_offset_minutes))
        faults.append(
            f"order {order.order_id!r} promises delivery by "
            f"{order.promised_by.astimezone(local).isoformat()} but the earliest any warehouse "
            f"can deliver is {earliest.astimezone(local).isoformat() if earliest else 'never'}"
        )
    more = f" (and {len(impossible) - 5} more orders)" if len(impossible) > 5 else ""
    raise FailedPrecondition("; ".join(faults) + more)


async def _reserve_plan(
    plan: AllocationPlan,
    round_no: int,
    key_for: ReservationKey,
    allocation_ids: dict[str, str],
    orders: dict[str, Order],
    warehouses: dict[str, Warehouse],
    deps: AllocationDeps,
    reserved: dict[str, list[ReservedParcel]],
) -> tuple[list[PlannedParcel], list[PlannedParcel]]:
    """Reserve each parcel; return the parcels reserved and those inventory refused."""
    gate = asyncio.Semaphore(RESERVE_CONCURRENCY)

    async def one(parcel: PlannedParcel) -> tuple[PlannedParcel, str | None]:
        key = key_for(parcel.order_id, parcel.warehouse_id, round_no)
        async with gate:
            try:
                reservation_id = await deps.reserver.reserve(
                    key,
                    parcel.order_id,
                    parcel.warehouse_id,
                    [(ln.sku, ln.quantity) for ln in parcel.lines],
                )
            except ReservationRefused:
                return parcel, None
        return parcel, reservation_id

    results = await asyncio.gather(*(one(p) for p in plan.parcels))
    accepted, refused = [], []
    for parcel, reservation_id in results:
        if reservation_id is None:
            refused.append(parcel)
            continue
        accepted.append(parcel)
        order_parcels = reserved[parcel.order_id]
        wh = warehouses[parcel.warehouse_id]
        order_parcels.append(
            ReservedParcel(
                parcel_id=(f"{allocation_ids[parcel.order_id]}-{len(order_parcels) + 1}"),
                warehouse_id=parcel.warehouse_id,
                origin=wh.location,
                destination=orders[parcel.order_id].destination,
                tier=parcel.tier,
                distance_km=parcel.distance_km,
                lines=parcel.lines,
                reservation_id=reservation_id,
                explanation=(
                    f"{', '.join(f'{ln.quantity} x {ln.sku}' for ln in parcel.lines)} "
                    f"{parcel.explanation}"
                ),
            )
        )
    return accepted, refused


def _save(uow_factory: Callable[[], UnitOfWork], records: Sequence[AllocationRecord]) -> None:
    with uow_factory() as uow:
        uow.allocations.add_many(records)
        for record in records:
            uow.record_allocation_created(record)
        uow.commit()
