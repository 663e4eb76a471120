"""Translation between the domain and the protobuf contract (events and API messages)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from google.protobuf.message import Message
from google.protobuf.timestamp_pb2 import Timestamp

from cangpei.routing.v1 import routing_pb2 as pb
from cangpei.runtime.uow import new_event_id
from cangpei.warehouse.v1 import warehouse_pb2 as wpb

from ..domain import events
from ..domain.model import (
    Carrier,
    DispatchPlan,
    Parcel,
    ParcelStatus,
    PlanStatus,
    RateBand,
    Vehicle,
    VehicleRoute,
)

_DEPARTURES = uuid.UUID("5d0c3f0e-8a51-4a43-9a39-6f2d1c1f7e4b")


def timestamp(moment: datetime) -> Timestamp:
    stamp = Timestamp()
    stamp.FromDatetime(moment.astimezone(UTC))
    return stamp


def route_message(route: VehicleRoute) -> pb.VehicleRoute:
    return pb.VehicleRoute(
        vehicle_id=route.vehicle_id,
        stops=[
            pb.RouteStop(
                parcel_id=s.parcel_id, eta_minute=s.eta_minute, load_grams_after=s.load_grams_after
            )
            for s in route.stops
        ],
        distance_km=route.distance_km,
        load_grams=route.load_grams,
        load_cm3=route.load_cm3,
        cost_fen=route.cost_fen,
    )


def event_message(event: events.Event, now: datetime) -> tuple[str, Message]:
    """The subject and protobuf message of a domain event, with a fresh event id."""
    event_id, occurred_at = new_event_id(), timestamp(now)
    match event:
        case events.ParcelDispatched():
            message = pb.ParcelDispatched(
                event_id=event_id,
                parcel_id=event.parcel_id,
                order_id=event.order_id,
                warehouse_id=event.warehouse_id,
                reservation_id=event.reservation_id,
                cost_fen=event.cost_fen,
                occurred_at=occurred_at,
                plan_id=event.plan_id,
            )
            if event.carrier_id is not None:
                message.carrier_id = event.carrier_id
            else:
                message.vehicle_id = event.vehicle_id or ""
            return "routing.parcel.dispatched", message
        case events.RoutePlanned():
            route = pb.VehicleRoute(
                vehicle_id=event.vehicle_id,
                stops=[
                    pb.RouteStop(parcel_id=pid, eta_minute=eta)
                    for pid, eta in zip(event.parcel_ids, event.eta_minutes, strict=True)
                ],
                distance_km=event.distance_km,
                load_grams=event.load_grams,
                load_cm3=event.load_cm3,
                cost_fen=event.cost_fen,
            )
            return "routing.route.planned", pb.RoutePlanned(
                event_id=event_id,
                plan_id=event.plan_id,
                revision=event.revision,
                warehouse_id=event.warehouse_id,
                route=route,
                occurred_at=occurred_at,
            )
        case events.ParcelUnassigned():
            return "routing.parcel.unassigned", pb.ParcelUnassigned(
                event_id=event_id,
                parcel_id=event.parcel_id,
                order_id=event.order_id,
                warehouse_id=event.warehouse_id,
                plan_id=event.plan_id,
                reason=event.reason,
                occurred_at=occurred_at,
            )
        case events.ParcelCancelled():
            return "routing.parcel.cancelled", pb.ParcelCancelled(
                event_id=event_id,
                parcel_id=event.parcel_id,
                order_id=event.order_id,
                warehouse_id=event.warehouse_id,
                reservation_id=event.reservation_id,
                occurred_at=occurred_at,
            )
        case events.ParcelDeparted():
            return "routing.parcel.departed", pb.ParcelDeparted(
                # A parcel leaves once: a fixed id lets JetStream and the inboxes drop
                # any second copy of its departure.
                event_id=uuid.uuid5(_DEPARTURES, event.parcel_id).hex,
                parcel_id=event.parcel_id,
                order_id=event.order_id,
                warehouse_id=event.warehouse_id,
                reservation_id=event.reservation_id,
                plan_id=event.plan_id,
                carrier_id=event.carrier_id or "",
                vehicle_id=event.vehicle_id or "",
                occurred_at=occurred_at,
            )
    raise TypeError(f"no message for event {event!r}")


def parcels_from_allocation(message: wpb.AllocationCreated) -> list[Parcel]:
    result = []
    for item in message.parcels:
        promised = item.promised_by.ToDatetime(tzinfo=UTC) if item.HasField("promised_by") else None
        window = item.delivery_window
        result.append(
            Parcel(
                parcel_id=item.parcel_id,
                order_id=message.order_id,
                warehouse_id=item.warehouse_id,
                reservation_id=item.reservation_id,
                latitude=item.destination.latitude,
                longitude=item.destination.longitude,
                origin_latitude=item.origin.latitude,
                origin_longitude=item.origin.longitude,
                weight_grams=item.weight_grams,
                volume_cm3=item.volume_cm3,
                # No window given means any time of the day.
                window_start_minute=window.start_minute if item.HasField("delivery_window") else 0,
                window_end_minute=window.end_minute if item.HasField("delivery_window") else 1440,
                promised_by=promised,
            )
        )
    return result


# ---------------------------------------------------------------- API messages

_PARCEL_STATUS = {
    ParcelStatus.PENDING: pb.PARCEL_STATUS_PENDING,
    ParcelStatus.DISPATCHED: pb.PARCEL_STATUS_DISPATCHED,
    ParcelStatus.UNASSIGNED: pb.PARCEL_STATUS_UNASSIGNED,
    ParcelStatus.CANCELLED: pb.PARCEL_STATUS_CANCELLED,
}
_PLAN_STATUS = {
    PlanStatus.PLANNED: pb.PLAN_STATUS_PLANNED,
    PlanStatus.DEPARTED: pb.PLAN_STATUS_DEPARTED,
}


def carrier_message(carrier: Carrier) -> pb.Carrier:
    return pb.Carrier(
        carrier_id=carrier.carrier_id,
        name=carrier.name,
        bands=[
            pb.RateBand(
                max_km=b.max_km,
                first_weight_fen=b.first_weight_fen,
                additional_kg_fen=b.additional_kg_fen,
                delivery_hours=b.delivery_hours,
            )
            for b in carrier.bands
        ],
        cutoff_minute=carrier.cutoff_minute,
        capacities=[
            pb.WarehouseCapacity(warehouse_id=w, parcels_per_day=n)
            for w, n in sorted(carrier.daily_capacity.items())
        ],
        default_parcels_per_day=carrier.default_daily_capacity,
        active=carrier.active,
    )


def carrier_from_message(message: pb.Carrier) -> Carrier:
    return Carrier(
        carrier_id=message.carrier_id,
        name=message.name,
        bands=tuple(
            RateBand(b.max_km, b.first_weight_fen, b.additional_kg_fen, b.delivery_hours)
            for b in message.bands
        ),
        cutoff_minute=message.cutoff_minute,
        daily_capacity={c.warehouse_id: c.parcels_per_day for c in message.capacities},
        default_daily_capacity=message.default_parcels_per_day,
        active=message.active,
    )


def vehicle_message(vehicle: Vehicle) -> pb.Vehicle:
    return pb.Vehicle(**vehicle.__dict__)


def vehicle_from_message(message: pb.Vehicle) -> Vehicle:
    return Vehicle(
        vehicle_id=message.vehicle_id,
        depot_id=message.depot_id,
        capacity_grams=message.capacity_grams,
        capacity_cm3=message.capacity_cm3,
        shift_start_minute=message.shift_start_minute,
        shift_end_minute=message.shift_end_minute,
        fixed_cost_fen=message.fixed_cost_fen,
        cost_per_km_fen=message.cost_per_km_fen,
        active=message.active,
    )


def plan_message(plan: DispatchPlan, revision: int) -> pb.Plan:
    return pb.Plan(
        plan_id=plan.plan_id,
        revision=revision,
        warehouse_id=plan.warehouse_id,
        wave_id=plan.wave_id,
        status=_PLAN_STATUS[plan.status],
        planned_at=timestamp(plan.planned_at),
        routes=[route_message(r) for r in plan.routes],
        carrier_parcels=[
            pb.CarrierParcel(
                parcel_id=a.parcel_id, carrier_id=a.carrier_id, cost_fen=a.cost_fen, reason=a.reason
            )
            for a in plan.carriers
        ],
        unassigned=[
            pb.UnassignedParcel(parcel_id=u.parcel_id, reason=u.reason) for u in plan.unassigned
        ],
        total_cost_fen=plan.total_cost_fen,
        solve_seconds=plan.solve_seconds,
        engine=plan.engine,
    )


def parcel_message(parcel: Parcel) -> pb.ParcelState:
    return pb.ParcelState(
        parcel_id=parcel.parcel_id,
        order_id=parcel.order_id,
        warehouse_id=parcel.warehouse_id,
        status=_PARCEL_STATUS[parcel.status],
        plan_id=parcel.plan_id or "",
        carrier_id=parcel.carrier_id or "",
        vehicle_id=parcel.vehicle_id or "",
        cost_fen=parcel.cost_fen,
        reason=parcel.reason,
    )


def dispatch_message(parcel: Parcel) -> pb.ParcelDispatched | None:
    if parcel.status != ParcelStatus.DISPATCHED:
        return None
    message = pb.ParcelDispatched(
        parcel_id=parcel.parcel_id,
        order_id=parcel.order_id,
        warehouse_id=parcel.warehouse_id,
        reservation_id=parcel.reservation_id,
        cost_fen=parcel.cost_fen,
        plan_id=parcel.plan_id or "",
    )
    if parcel.carrier_id:
        message.carrier_id = parcel.carrier_id
    else:
        message.vehicle_id = parcel.vehicle_id or ""
    return message
