"""Domain events as the protobuf messages and subjects other services read."""

from __future__ import annotations

from datetime import datetime

from google.protobuf.message import Message
from google.protobuf.timestamp_pb2 import Timestamp

from cangpei.inventory.v1 import inventory_pb2 as pb
from services.inventory.domain import events as ev
from services.inventory.domain.model import LedgerEntry, ReservedLine

SUBJECT_RESERVED = "inventory.stock.reserved"
SUBJECT_RELEASED = "inventory.stock.released"
SUBJECT_EXPIRED = "inventory.stock.expired"
SUBJECT_COMMITTED = "inventory.stock.committed"
SUBJECT_ADJUSTED = "inventory.stock.adjusted"
SUBJECT_LOW = "inventory.stock.low"


def timestamp(value: datetime | None) -> Timestamp | None:
    if value is None:
        return None
    stamp = Timestamp()
    stamp.FromDatetime(value)
    return stamp


def reserved_lines(lines: tuple[ReservedLine, ...] | list[ReservedLine]) -> list[pb.ReservedLine]:
    return [
        pb.ReservedLine(sku=ln.sku, quantity=ln.quantity, location_id=ln.location_id)
        for ln in lines
    ]


def ledger_entry(entry: LedgerEntry) -> pb.LedgerEntry:
    return pb.LedgerEntry(
        sequence=entry.sequence,
        sku=entry.sku,
        location_id=entry.location_id,
        kind=entry.kind.value,
        on_hand_delta=entry.on_hand_delta,
        reserved_delta=entry.reserved_delta,
        on_hand_after=entry.on_hand_after,
        reserved_after=entry.reserved_after,
        actor=entry.actor,
        reference=entry.reference,
        reason=entry.reason,
        occurred_at=timestamp(entry.occurred_at),
    )


def to_message(event: ev.Event) -> tuple[str, Message]:
    match event:
        case ev.StockReserved():
            return SUBJECT_RESERVED, pb.StockReserved(
                reservation_id=event.reservation_id,
                order_id=event.order_id,
                lines=reserved_lines(event.lines),
                expires_at=timestamp(event.expires_at),
                actor=event.actor,
                occurred_at=timestamp(event.occurred_at),
            )
        case ev.StockReleased():
            return SUBJECT_RELEASED, pb.StockReleased(
                reservation_id=event.reservation_id,
                order_id=event.order_id,
                lines=reserved_lines(event.lines),
                actor=event.actor,
                reason=event.reason,
                occurred_at=timestamp(event.occurred_at),
            )
        case ev.StockExpired():
            return SUBJECT_EXPIRED, pb.StockExpired(
                reservation_id=event.reservation_id,
                order_id=event.order_id,
                lines=reserved_lines(event.lines),
                expired_at=timestamp(event.expired_at),
                occurred_at=timestamp(event.occurred_at),
            )
        case ev.StockCommitted():
            return SUBJECT_COMMITTED, pb.StockCommitted(
                reservation_id=event.reservation_id,
                order_id=event.order_id,
                lines=reserved_lines(event.lines),
                actor=event.actor,
                reference=event.reference,
                occurred_at=timestamp(event.occurred_at),
            )
        case ev.StockAdjusted():
            return SUBJECT_ADJUSTED, pb.StockAdjusted(entry=ledger_entry(event.entry))
        case ev.StockLow():
            return SUBJECT_LOW, pb.StockLow(
                sku=event.sku,
                available=event.available,
                threshold=event.threshold,
                occurred_at=timestamp(event.occurred_at),
            )
    raise TypeError(f"no message for event {type(event).__name__}")
