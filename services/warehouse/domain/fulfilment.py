"""A fulfilment order's life: RECEIVED -> ALLOCATED -> DISPATCHED -> COMPLETED, or
CANCELLED / FAILED, driven by events that may arrive late, twice or out of order.

Every method is safe to repeat: an event that changes nothing returns False. An order
never moves backwards, and a final order (completed, cancelled, failed) stays as it is.
Each change of status appends one history entry with a sentence saying why.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import datetime

from cangpei.runtime.errors import FailedPrecondition

from .order import Order


class FulfilmentStatus(enum.Enum):
    RECEIVED = "received"
    ALLOCATED = "allocated"
    DISPATCHED = "dispatched"
    COMPLETED = "completed"
    CANCELLED = "cancelled"
    FAILED = "failed"

    @property
    def final(self) -> bool:
        return self in (
            FulfilmentStatus.COMPLETED,
            FulfilmentStatus.CANCELLED,
            FulfilmentStatus.FAILED,
        )


class ParcelStatus(enum.IntEnum):
    """Progress of one parcel; the value orders the steps so late events never undo one."""

    ALLOCATED = 0
    DISPATCHED = 1
    DEPARTED = 2
    COMMITTED = 3
    # Ends that are not progress: the parcel will not leave.
    CANCELLED = 10
    UNASSIGNED = 11

    @property
    def label(self) -> str:
        return self.name.lower()


@dataclass
class FulfilmentParcel:
    parcel_id: str
    warehouse_id: str
    reservation_id: str
    status: ParcelStatus = ParcelStatus.ALLOCATED
    carrier_id: str = ""
    vehicle_id: str = ""
    tier: int = 0
    distance_km: float = 0.0
    weight_grams: int = 0
    volume_cm3: int = 0

    @property
    def left(self) -> bool:
        """The parcel is on its way: its stock is (or is about to be) committed."""
        return self.status in (ParcelStatus.DEPARTED, ParcelStatus.COMMITTED)

    def note_carrier(self, carrier_id: str, vehicle_id: str) -> bool:
        """Record who carries the parcel, once; False when nothing new was learnt."""
        if self.status >= ParcelStatus.CANCELLED or self.carrier_id or self.vehicle_id:
            return False
        if not (carrier_id or vehicle_id):
            return False
        self.carrier_id, self.vehicle_id = carrier_id, vehicle_id
        return True

    def advance(self, status: ParcelStatus) -> bool:
        if self.status >= ParcelStatus.CANCELLED or status <= self.status:
            return False
        self.status = status
        return True


@dataclass(frozen=True)
class StatusChange:
    status: FulfilmentStatus
    at: datetime
    detail: str


@dataclass
class FulfilmentOrder:
    order_id: str
    idempotency_key: str
    fingerprint: str  # of the submitted order, to recognise a replay of the same key
    order: Order
    status: FulfilmentStatus
    created_at: datetime
    updated_at: datetime
    history: list[StatusChange] = field(default_factory=list)
    parcels: list[FulfilmentParcel] = field(default_factory=list)
    failure_reason: str = ""

    @classmethod
    def receive(
        cls, order: Order, idempotency_key: str, fingerprint: str, now: datetime
    ) -> FulfilmentOrder:
        lines = sum(line.quantity for line in order.lines)
        received = cls(
            order_id=order.order_id,
            idempotency_key=idempotency_key,
            fingerprint=fingerprint,
            order=order,
            status=FulfilmentStatus.RECEIVED,
            created_at=now,
            updated_at=now,
        )
        received._change(
            FulfilmentStatus.RECEIVED,
            now,
            f"accepted {len(order.lines)} line(s), {lines} unit(s); waiting for the next "
            "allocation wave",
        )
        return received

    # ------------------------------------------------------------------ queries

    def parcel(self, parcel_id: str) -> FulfilmentParcel | None:
        return next((p for p in self.parcels if p.parcel_id == parcel_id), None)

    def parcel_by_reservation(self, reservation_id: str) -> FulfilmentParcel | None:
        return next((p for p in self.parcels if p.reservation_id == reservation_id), None)

    def parcels_to_release(self) -> list[FulfilmentParcel]:
        """Parcels whose stock is still held and whose dispatch can still be called off."""
        return [p for p in self.parcels if not p.left]

    # ------------------------------------------------------------------ transitions

    def allocate(self, parcels: list[FulfilmentParcel], now: datetime, detail: str) -> bool:
        if self.status is not FulfilmentStatus.RECEIVED:
            return False
        self.parcels = list(parcels)
        self._change(FulfilmentStatus.ALLOCATED, now, detail)
        return True

    def fail(self, reason: str, now: datetime) -> bool:
        if self.status.final:
            return False
        self.failure_reason = reason
        self._change(FulfilmentStatus.FAILED, now, reason)
        return True

    def cancel(self, reason: str, now: datetime) -> bool:
        """Cancel before any parcel left; False when it was already cancelled."""
        if self.status is FulfilmentStatus.CANCELLED:
            return False
        if self.status.final:
            why = f": {self.failure_reason}" if self.failure_reason else ""
            raise FailedPrecondition(
                f"order {self.order_id!r} is already {self.status.value}{why}; "
                "only an open order can be cancelled"
            )
        if gone := [p.parcel_id for p in self.parcels if p.left]:
            raise FailedPrecondition(
                f"order {self.order_id!r} cannot be cancelled: parcel(s) "
                f"{', '.join(gone)} already left the warehouse"
            )
        for p in self.parcels:
            p.status = ParcelStatus.CANCELLED
        self._change(
            FulfilmentStatus.CANCELLED, now, reason or "cancelled at the customer's request"
        )
        return True

    def parcel_dispatched(
        self, parcel_id: str, carrier_id: str, vehicle_id: str, now: datetime
    ) -> bool:
        return self._parcel_moved(parcel_id, ParcelStatus.DISPATCHED, carrier_id, vehicle_id, now)

    def parcel_departed(
        self, parcel_id: str, carrier_id: str, vehicle_id: str, now: datetime
    ) -> bool:
        return self._parcel_moved(parcel_id, ParcelStatus.DEPARTED, carrier_id, vehicle_id, now)

    def _parcel_moved(
        self, parcel_id: str, status: ParcelStatus, carrier_id: str, vehicle_id: str, now: datetime
    ) -> bool:
        parcel = self.parcel(parcel_id)
        if parcel is None:
            return False
        # Inventory's commit can overtake routing's events and close the order first;
        # who carries the parcel is still worth keeping then.
        noted = parcel.note_carrier(carrier_id, vehicle_id)
        if self.status.final:
            return noted
        changed = parcel.advance(status)
        return self._maybe_dispatched(now) or changed or noted

    def stock_committed(self, reservation_id: str, now: datetime) -> bool:
        """A parcel's stock left inventory; the last one completes the order."""
        parcel = self.parcel_by_reservation(reservation_id)
        if parcel is None or self.status.final:
            return False
        changed = parcel.advance(ParcelStatus.COMMITTED)
        if self.status is FulfilmentStatus.RECEIVED:
            return changed
        if all(p.status is ParcelStatus.COMMITTED for p in self.parcels):
            self._maybe_dispatched(now)
            self._change(
                FulfilmentStatus.COMPLETED,
                now,
                f"all {len(self.parcels)} parcel(s) left and their stock is committed",
            )
            return True
        return changed

    def parcel_unassigned(self, parcel_id: str, reason: str, now: datetime) -> bool:
        parcel = self.parcel(parcel_id)
        if parcel is None or self.status.final or parcel.left:
            return False
        parcel.status = ParcelStatus.UNASSIGNED
        return self.fail(
            f"parcel {parcel_id} from {parcel.warehouse_id}: no carrier or vehicle could take "
            f"it ({reason or 'no reason given'})",
            now,
        )

    def reservation_expired(self, reservation_id: str, now: datetime) -> bool:
        parcel = self.parcel_by_reservation(reservation_id)
        if parcel is None or self.status.final or parcel.left:
            return False
        return self.fail(
            f"reservation expired before the parcel left: parcel {parcel.parcel_id} from "
            f"{parcel.warehouse_id} (reservation {reservation_id})",
            now,
        )

    def _maybe_dispatched(self, now: datetime) -> bool:
        if self.status is not FulfilmentStatus.ALLOCATED:
            return False
        if not all(
            ParcelStatus.DISPATCHED <= p.status < ParcelStatus.CANCELLED for p in self.parcels
        ):
            return False
        carriers = sorted({p.carrier_id or p.vehicle_id for p in self.parcels} - {""})
        by = f" ({', '.join(carriers)})" if carriers else ""
        self._change(
            FulfilmentStatus.DISPATCHED,
            now,
            f"every parcel ({len(self.parcels)}) has a carrier or a vehicle{by}",
        )
        return True

    def _change(self, status: FulfilmentStatus, now: datetime, detail: str) -> None:
        self.status = status
        self.updated_at = now
        self.history.append(StatusChange(status, now, detail))
