"""Protobuf requests into commands, domain answers into protobuf responses."""

from __future__ import annotations

from collections.abc import Iterable

from cangpei.inventory.v1 import inventory_pb2 as pb
from cangpei.runtime.errors import InvalidArgument
from services.inventory.adapters.event_messages import ledger_entry, reserved_lines, timestamp
from services.inventory.domain import commands as c
from services.inventory.domain.model import (
    LedgerEntry,
    LocationKind,
    Reservation,
    ReservationStatus,
)
from services.inventory.service_layer.results import MovementResult, SyncOutcome

LOCATION_KINDS = {
    pb.LOCATION_KIND_SATELLITE: LocationKind.SATELLITE,
    pb.LOCATION_KIND_CENTRAL: LocationKind.CENTRAL,
    pb.LOCATION_KIND_SUPPLIER_SITE: LocationKind.SUPPLIER_SITE,
}
STATUSES = {
    ReservationStatus.ACTIVE: pb.RESERVATION_STATUS_ACTIVE,
    ReservationStatus.RELEASED: pb.RESERVATION_STATUS_RELEASED,
    ReservationStatus.COMMITTED: pb.RESERVATION_STATUS_COMMITTED,
    ReservationStatus.EXPIRED: pb.RESERVATION_STATUS_EXPIRED,
}
SYNC_OUTCOMES = {
    SyncOutcome.APPLIED: pb.SYNC_OUTCOME_APPLIED,
    SyncOutcome.UNCHANGED: pb.SYNC_OUTCOME_UNCHANGED,
    SyncOutcome.STALE: pb.SYNC_OUTCOME_STALE,
    SyncOutcome.CLAMPED: pb.SYNC_OUTCOME_CLAMPED,
}


def reserve_command(request: pb.ReserveRequest) -> c.ReserveStock:
    return c.ReserveStock(
        idempotency_key=request.idempotency_key,
        order_id=request.order_id,
        lines=tuple(
            c.RequestedLine(line.sku, line.quantity, line.location_id) for line in request.lines
        ),
        ttl_seconds=request.ttl_seconds,
        actor=request.actor,
    )


def reserve_response(reservation: Reservation) -> pb.ReserveResponse:
    return pb.ReserveResponse(
        reservation_id=reservation.reservation_id,
        lines=reserved_lines(reservation.lines),
        expires_at=timestamp(reservation.expires_at),
    )


def reservation_message(reservation: Reservation) -> pb.Reservation:
    return pb.Reservation(
        reservation_id=reservation.reservation_id,
        order_id=reservation.order_id,
        lines=reserved_lines(reservation.lines),
        status=STATUSES[reservation.status],
        created_at=timestamp(reservation.created_at),
        expires_at=timestamp(reservation.expires_at),
        closed_at=timestamp(reservation.closed_at),
        actor=reservation.actor,
    )


def location_kind_message(kind: LocationKind) -> int:
    return next(value for value, known in LOCATION_KINDS.items() if known is kind)


def location_kind(value: int) -> LocationKind:
    if value not in LOCATION_KINDS:
        names = ", ".join(pb.LocationKind.Name(k) for k in LOCATION_KINDS)
        raise InvalidArgument(f"location kind {value} is not one of {names}")
    return LOCATION_KINDS[value]


def sync_command(request: pb.SyncSupplierStockRequest) -> c.SyncSupplierStock:
    return c.SyncSupplierStock(
        idempotency_key=request.idempotency_key,
        supplier_id=request.supplier_id,
        levels=tuple(
            c.SupplierLevel(lv.sku, lv.location_id, lv.on_hand, lv.version) for lv in request.levels
        ),
        actor=request.actor,
    )


def entries(result: MovementResult) -> list[pb.LedgerEntry]:
    return ledger_entries(result.entries)


def ledger_entries(items: Iterable[LedgerEntry]) -> list[pb.LedgerEntry]:
    return [ledger_entry(e) for e in items]


def synced_levels(result: MovementResult) -> list[pb.SyncedLevel]:
    return [
        pb.SyncedLevel(
            sku=s.sku,
            location_id=s.location_id,
            outcome=SYNC_OUTCOMES[s.outcome],
            on_hand_delta=s.on_hand_delta,
            on_hand_after=s.on_hand_after,
            reserved=s.reserved,
        )
        for s in result.synced
    ]
