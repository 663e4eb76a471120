"""Fulfilment orders and their events as protobuf messages of the contract."""

from __future__ import annotations

import hashlib
from datetime import datetime

from cangpei.warehouse.v1 import warehouse_pb2 as pb

from ..domain.fulfilment import FulfilmentOrder, FulfilmentParcel, FulfilmentStatus
from .messages import point, timestamp

STATUS_TO_PB = {
    FulfilmentStatus.RECEIVED: pb.FULFILMENT_STATUS_RECEIVED,
    FulfilmentStatus.ALLOCATED: pb.FULFILMENT_STATUS_ALLOCATED,
    FulfilmentStatus.DISPATCHED: pb.FULFILMENT_STATUS_DISPATCHED,
    FulfilmentStatus.COMPLETED: pb.FULFILMENT_STATUS_COMPLETED,
    FulfilmentStatus.CANCELLED: pb.FULFILMENT_STATUS_CANCELLED,
    FulfilmentStatus.FAILED: pb.FULFILMENT_STATUS_FAILED,
}
STATUS_FROM_PB = {v: k for k, v in STATUS_TO_PB.items()}
TIER_TO_PB = {
    0: pb.SERVICE_TIER_NEAR_SATELLITE,
    1: pb.SERVICE_TIER_FAR_SATELLITE,
    2: pb.SERVICE_TIER_CENTRAL,
    3: pb.SERVICE_TIER_SUPPLIER,
}


def fingerprint(order: pb.Order) -> str:
    """The submitted order's identity: a replay of its key must carry the same content."""
    return hashlib.sha256(order.SerializeToString(deterministic=True)).hexdigest()


def fulfilment_message(o: FulfilmentOrder) -> pb.FulfilmentOrder:
    order = o.order
    return pb.FulfilmentOrder(
        order_id=o.order_id,
        idempotency_key=o.idempotency_key,
        status=STATUS_TO_PB[o.status],
        history=[
            pb.StatusChange(status=STATUS_TO_PB[c.status], at=timestamp(c.at), detail=c.detail)
            for c in o.history
        ],
        parcels=[
            pb.FulfilmentParcel(
                parcel_id=p.parcel_id,
                warehouse_id=p.warehouse_id,
                reservation_id=p.reservation_id,
                status=p.status.label,
                carrier_id=p.carrier_id,
                vehicle_id=p.vehicle_id,
                tier=TIER_TO_PB.get(p.tier, pb.SERVICE_TIER_UNSPECIFIED),
                distance_km=p.distance_km,
            )
            for p in o.parcels
        ],
        failure_reason=o.failure_reason,
        order=pb.Order(
            order_id=order.order_id,
            lines=[pb.ParcelLine(sku=ln.sku, quantity=ln.quantity) for ln in order.lines],
            destination=point(order.destination),
            placed_at=timestamp(order.placed_at),
            promised_by=timestamp(order.promised_by),
        ),
        created_at=timestamp(o.created_at),
        updated_at=timestamp(o.updated_at),
    )


def cancelled_parcels(parcels: list[FulfilmentParcel]) -> list[pb.CancelledParcel]:
    return [
        pb.CancelledParcel(
            parcel_id=p.parcel_id, reservation_id=p.reservation_id, warehouse_id=p.warehouse_id
        )
        for p in parcels
    ]


def order_received(o: FulfilmentOrder, event_id: str) -> pb.FulfilmentOrderReceived:
    return pb.FulfilmentOrderReceived(
        event_id=event_id, order_id=o.order_id, occurred_at=timestamp(o.created_at)
    )


def order_cancelled(
    o: FulfilmentOrder, parcels: list[FulfilmentParcel], event_id: str
) -> pb.FulfilmentOrderCancelled:
    return pb.FulfilmentOrderCancelled(
        event_id=event_id,
        order_id=o.order_id,
        parcels=cancelled_parcels(parcels),
        reason=o.history[-1].detail,
        occurred_at=timestamp(o.updated_at),
    )


def order_closed(
    o: FulfilmentOrder, parcels: list[FulfilmentParcel], event_id: str, at: datetime
) -> pb.FulfilmentOrderClosed:
    return pb.FulfilmentOrderClosed(
        event_id=event_id,
        order_id=o.order_id,
        status=STATUS_TO_PB[o.status],
        reason=o.failure_reason or o.history[-1].detail,
        occurred_at=timestamp(at),
        parcels=cancelled_parcels(parcels),
    )
