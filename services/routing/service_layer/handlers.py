"""One handler per command. Synchronous: the entrypoints run them in worker threads."""

from __future__ import annotations

import uuid
from collections import Counter
from dataclasses import dataclass, replace
from datetime import date, datetime

from cangpei.runtime.errors import Aborted, FailedPrecondition, InvalidArgument, NotFound

from ..domain.dispatch import WaveInput
from ..domain.events import (
    ParcelCancelled,
    ParcelDeparted,
    ParcelDispatched,
    ParcelUnassigned,
    RoutePlanned,
)
from ..domain.model import (
    Carrier,
    CarrierAssignment,
    DispatchPlan,
    Parcel,
    ParcelStatus,
    PlanStatus,
    Vehicle,
)
from ..domain.rates import next_pickup
from .ports import Depot, RoutingUnitOfWork, StoredPlan


def register_depot(depot: Depot, uow: RoutingUnitOfWork) -> Depot:
    if not depot.warehouse_id:
        raise InvalidArgument("a depot needs a warehouse_id")
    if not (-90 <= depot.latitude <= 90 and -180 <= depot.longitude <= 180):
        raise InvalidArgument(
            f"depot {depot.warehouse_id}: ({depot.latitude}, {depot.longitude}) "
            "is not a WGS-84 coordinate"
        )
    uow.repo.save_depot(depot)
    uow.commit()
    return depot


def upsert_carrier(carrier: Carrier, uow: RoutingUnitOfWork) -> Carrier:
    carrier.validate()
    for warehouse_id in carrier.daily_capacity:
        _require_depot(uow, warehouse_id)
    uow.repo.save_carrier(carrier)
    uow.commit()
    return carrier


def upsert_vehicle(vehicle: Vehicle, uow: RoutingUnitOfWork) -> Vehicle:
    vehicle.validate()
    _require_depot(uow, vehicle.depot_id)
    uow.repo.save_vehicle(vehicle)
    uow.commit()
    return vehicle


def record_parcels(parcels: list[Parcel], uow: RoutingUnitOfWork) -> int:
    """Store the parcels of an allocation; parcels already known are left as they are."""
    for parcel in parcels:
        parcel.validate()
    depots_known: set[str] = set()
    for parcel in parcels:
        if parcel.warehouse_id in depots_known:
            continue
        if uow.repo.get_depot(parcel.warehouse_id) is None:
            uow.repo.save_depot(
                Depot(parcel.warehouse_id, parcel.origin_latitude, parcel.origin_longitude)
            )
        depots_known.add(parcel.warehouse_id)
    known = uow.repo.get_parcels([p.parcel_id for p in parcels])
    new: dict[str, Parcel] = {}
    for parcel in parcels:
        if parcel.parcel_id not in known:
            new.setdefault(parcel.parcel_id, parcel)
    uow.repo.add_parcels(list(new.values()))
    uow.commit()
    return len(new)


def _pickup_day(assignment: CarrierAssignment, plan: DispatchPlan) -> date:
    # Plans stored before assignments recorded their pickup day counted it on the plan's day.
    return assignment.pickup_day or plan.planned_at.date()


@dataclass(frozen=True)
class PreparedWave:
    wave: WaveInput
    revision: int
    previous: StoredPlan | None
    cancelling: Parcel | None = None


def prepare_wave(
    warehouse_id: str,
    wave_id: str,
    now_local: datetime,
    cancelling: str | None,
    uow: RoutingUnitOfWork,
) -> PreparedWave:
    """Everything the planner needs, read in one transaction: a new wave of the waiting
    parcels, or the open wave re-planned with its parcels plus the ones that arrived since."""
    _require_depot(uow, warehouse_id)
    repo = uow.repo
    previous = repo.open_plan(warehouse_id)
    pending = repo.pending_parcels(warehouse_id)
    cancelled = None
    if previous is None:
        plan_id, revision, parcels, routes = uuid.uuid4().hex, 1, pending, None
    else:
        plan_id, revision = previous.plan.plan_id, previous.revision + 1
        in_plan = [p for p in repo.parcels_of_plan(plan_id) if p.status != ParcelStatus.CANCELLED]
        parcels = in_plan + pending
        routes = {r.vehicle_id: [s.parcel_id for s in r.stops] for r in previous.plan.routes}
    if cancelling is not None:
        cancelled = next((p for p in parcels if p.parcel_id == cancelling), None)
        parcels = [p for p in parcels if p.parcel_id != cancelling]
    if not parcels and previous is None:
        raise FailedPrecondition(f"warehouse {warehouse_id} has no parcels waiting for dispatch")
    carriers = [c for c in repo.list_carriers() if c.active]
    pickup_days = {c.carrier_id: next_pickup(c, now_local).date() for c in carriers}
    usage_by_day = {day: repo.carrier_usage(warehouse_id, day) for day in set(pickup_days.values())}
    used = {cid: usage_by_day[day].get(cid, 0) for cid, day in pickup_days.items()}
    if previous is not None:
        # The open plan's own carrier slots are given back: re-planning may reuse them
        # (those counted on another pickup day are given back on that day at commit).
        for assignment in previous.plan.carriers:
            cid = assignment.carrier_id
            if cid in used and _pickup_day(assignment, previous.plan) == pickup_days[cid]:
                used[cid] -= 1
    wave = WaveInput(
        plan_id=plan_id,
        wave_id=wave_id or (previous.plan.wave_id if previous else plan_id),
        warehouse_id=warehouse_id,
        now_local=now_local,
        parcels=parcels,
        carriers=carriers,
        vehicles=repo.list_vehicles(warehouse_id),
        carrier_used=used,
        previous_routes=routes,
        vehicles_out=repo.vehicles_out(warehouse_id, now_local.date()),
    )
    return PreparedWave(wave, revision, previous, cancelled)


def commit_plan(prepared: PreparedWave, plan: DispatchPlan, uow: RoutingUnitOfWork) -> StoredPlan:
    """Record a plan and its parcels' outcomes, unless the wave changed while it was solved."""
    repo = uow.repo
    repo.lock_depot(prepared.wave.warehouse_id)
    current = repo.open_plan(prepared.wave.warehouse_id)
    expected = prepared.previous.revision if prepared.previous else None
    if (current.revision if current else None) != expected or (
        current is not None and current.plan.plan_id != plan.plan_id
    ):
        raise Aborted(
            f"warehouse {plan.warehouse_id}'s wave changed while it was being planned; retry"
        )
    old_outcome: dict[str, tuple[str | None, str | None]] = {}
    usage_delta: Counter[tuple[str, date]] = Counter()
    if prepared.previous is not None:
        for assignment in prepared.previous.plan.carriers:
            usage_delta[assignment.carrier_id, _pickup_day(assignment, prepared.previous.plan)] -= 1
        for parcel in repo.parcels_of_plan(plan.plan_id):
            old_outcome[parcel.parcel_id] = (parcel.carrier_id, parcel.vehicle_id)
    for assignment in plan.carriers:
        usage_delta[assignment.carrier_id, _pickup_day(assignment, plan)] += 1
    for (carrier_id, day), delta in usage_delta.items():
        if delta:
            repo.add_carrier_usage(carrier_id, plan.warehouse_id, day, delta)

    parcels = {p.parcel_id: p for p in prepared.wave.parcels}
    stored_parcels = repo.get_parcels(list(parcels))
    for parcel_id in parcels:
        stored = stored_parcels.get(parcel_id)
        allowed = stored is not None and (
            stored.status == ParcelStatus.PENDING or stored.plan_id == plan.plan_id
        )
        if not allowed or stored.status == ParcelStatus.CANCELLED:
            raise Aborted(f"parcel {parcel_id} changed while the wave was being planned; retry")

    settled: list[Parcel] = []  # written together once the plan is settled

    def settle(parcel: Parcel, **changes) -> None:
        updated = replace(parcel, plan_id=plan.plan_id, **changes)
        settled.append(updated)
        outcome = (updated.carrier_id, updated.vehicle_id)
        # Re-planning republishes only the parcels whose carrier or vehicle changed.
        if (
            updated.status == ParcelStatus.DISPATCHED
            and old_outcome.get(parcel.parcel_id) != outcome
        ):
            uow.emit(
                ParcelDispatched(
                    parcel.parcel_id,
                    parcel.order_id,
                    parcel.warehouse_id,
                    parcel.reservation_id,
                    plan.plan_id,
                    updated.carrier_id,
                    updated.vehicle_id,
                    updated.cost_fen,
                )
            )

    for route in plan.routes:
        share = _split(route.cost_fen, len(route.stops))
        for stop, cost in zip(route.stops, share, strict=True):
            settle(
                parcels[stop.parcel_id],
                status=ParcelStatus.DISPATCHED,
                vehicle_id=route.vehicle_id,
                carrier_id=None,
                cost_fen=cost,
                reason="",
            )
        uow.emit(
            RoutePlanned(
                plan.plan_id,
                prepared.revision,
                plan.warehouse_id,
                route.vehicle_id,
                tuple(s.parcel_id for s in route.stops),
                tuple(s.eta_minute for s in route.stops),
                route.distance_km,
                route.load_grams,
                route.load_cm3,
                route.cost_fen,
            )
        )
    for assignment in plan.carriers:
        settle(
            parcels[assignment.parcel_id],
            status=ParcelStatus.DISPATCHED,
            carrier_id=assignment.carrier_id,
            vehicle_id=None,
            cost_fen=assignment.cost_fen,
            reason=assignment.reason,
        )
    for item in plan.unassigned:
        parcel = parcels[item.parcel_id]
        settle(
            parcel,
            status=ParcelStatus.UNASSIGNED,
            carrier_id=None,
            vehicle_id=None,
            cost_fen=0,
            reason=item.reason,
        )
        uow.emit(
            ParcelUnassigned(
                parcel.parcel_id, parcel.order_id, parcel.warehouse_id, plan.plan_id, item.reason
            )
        )
    repo.update_parcels(settled)
    if prepared.cancelling is not None:
        _cancel(prepared.cancelling, uow)
    repo.save_plan(plan, prepared.revision)
    uow.commit()
    return StoredPlan(plan, prepared.revision)


def cancel_or_locate(parcel_id: str, uow: RoutingUnitOfWork) -> tuple[Parcel, bool]:
    """Cancel a parcel no plan holds. A parcel in an open plan is left for re-planning
    (the second value says so); one that already left cannot be cancelled."""
    parcel = require_parcel(uow, parcel_id)
    if parcel.status == ParcelStatus.CANCELLED:
        return parcel, False
    if parcel.plan_id is not None:
        stored = uow.repo.get_plan(parcel.plan_id)
        if stored is not None and stored.plan.status == PlanStatus.DEPARTED:
            raise FailedPrecondition(
                f"parcel {parcel_id} left with plan {parcel.plan_id}; it can no longer be cancelled"
            )
        return parcel, True
    cancelled = _cancel(parcel, uow)
    uow.commit()
    return cancelled, False


def _cancel(parcel: Parcel, uow: RoutingUnitOfWork) -> Parcel:
    cancelled = replace(
        parcel,
        status=ParcelStatus.CANCELLED,
        carrier_id=None,
        vehicle_id=None,
        cost_fen=0,
        reason="cancelled",
    )
    uow.repo.update_parcel(cancelled)
    uow.emit(
        ParcelCancelled(
            parcel.parcel_id, parcel.order_id, parcel.warehouse_id, parcel.reservation_id
        )
    )
    return cancelled


def confirm_departure(plan_id: str, uow: RoutingUnitOfWork) -> StoredPlan:
    """The wave has left: its plan is final, each of its parcels is announced as departed
    (once: a second call finds the plan departed), and parcels it could not place wait
    for the next."""
    stored = uow.repo.get_plan(plan_id)
    if stored is None:
        raise NotFound(f"no dispatch plan {plan_id}")
    if stored.plan.status == PlanStatus.DEPARTED:
        return stored
    # Departures, re-plans and cancellations of one warehouse take turns; read again
    # under the lock, since another departure may have committed meanwhile.
    uow.repo.lock_depot(stored.plan.warehouse_id)
    stored = uow.repo.get_plan(plan_id)
    if stored is None or stored.plan.status == PlanStatus.DEPARTED:
        return stored  # type: ignore[return-value] - it existed a moment ago; plans are kept
    for parcel in uow.repo.parcels_of_plan(plan_id):
        if parcel.status == ParcelStatus.UNASSIGNED:
            uow.repo.update_parcel(replace(parcel, status=ParcelStatus.PENDING, plan_id=None))
        elif parcel.status == ParcelStatus.DISPATCHED:
            uow.emit(
                ParcelDeparted(
                    parcel.parcel_id,
                    parcel.order_id,
                    parcel.warehouse_id,
                    parcel.reservation_id,
                    plan_id,
                    parcel.carrier_id,
                    parcel.vehicle_id,
                )
            )
    day = stored.plan.planned_at.date()
    for route in stored.plan.routes:
        uow.repo.record_trip(route.vehicle_id, stored.plan.warehouse_id, day, route.back_at_minute)
    departed = replace(stored.plan, status=PlanStatus.DEPARTED)
    uow.repo.save_plan(departed, stored.revision)
    uow.commit()
    return StoredPlan(departed, stored.revision)


def require_parcel_in(parcel_id: str, uow: RoutingUnitOfWork) -> Parcel:
    return require_parcel(uow, parcel_id)


def require_parcel(uow: RoutingUnitOfWork, parcel_id: str) -> Parcel:
    parcel = uow.repo.get_parcel(parcel_id)
    if parcel is None:
        raise NotFound(f"no parcel {parcel_id}; parcels arrive with warehouse allocations")
    return parcel


def _require_depot(uow: RoutingUnitOfWork, warehouse_id: str) -> Depot:
    depot = uow.repo.get_depot(warehouse_id)
    if depot is None:
        raise NotFound(
            f"unknown warehouse {warehouse_id!r}: register it as a depot "
            "or wait for its first allocation"
        )
    return depot


def _split(total: int, parts: int) -> list[int]:
    """Share a route's cost over its parcels in whole fen that add up to the total."""
    base, extra = divmod(total, parts)
    return [base + (1 if k < extra else 0) for k in range(parts)]
