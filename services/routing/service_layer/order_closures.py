"""An order the warehouse cancelled or failed: its parcels that have not left are cancelled.

Runs in the consumer's transaction (with the event's inbox row). A parcel in an open
wave is cancelled at once and the wave is re-planned without it by the next dispatch
round (solving inside the consumer's transaction would hold the database for seconds);
until then the wave's departure skips it. A parcel that already left stays as it is.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace
from enum import StrEnum

from ..domain.events import ParcelCancelled
from ..domain.model import Parcel, ParcelStatus, PlanStatus
from .ports import RoutingUnitOfWork

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ClosedParcel:
    parcel_id: str
    warehouse_id: str
    reservation_id: str


class ParcelOutcome(StrEnum):
    CANCELLED = "cancelled"
    ALREADY_CANCELLED = "already cancelled"
    DEPARTED = "departed"  # left before the order closed: it stays as it is
    HELD_BACK = "held back"  # not seen yet: its allocation, if it comes, is ignored


def cancel_order_parcels(
    order_id: str, parcels: list[ClosedParcel], why: str, uow: RoutingUnitOfWork
) -> dict[str, ParcelOutcome]:
    """Cancel the order's parcels that have not left; safe to repeat."""
    outcomes = {}
    for item in sorted(parcels, key=lambda p: p.parcel_id):
        outcomes[item.parcel_id] = _cancel_one(order_id, item, why, uow)
    uow.commit()
    return outcomes


def _cancel_one(
    order_id: str, item: ClosedParcel, why: str, uow: RoutingUnitOfWork
) -> ParcelOutcome:
    repo = uow.repo
    # Take turns with departures and plan commits of the warehouse, then read.
    repo.lock_depot(item.warehouse_id)
    parcel = repo.get_parcel(item.parcel_id)
    if parcel is None:
        # The cancellation overtook the allocation (they travel on separate consumers):
        # keep a cancelled record, so the allocation finds the parcel known and skips it.
        repo.add_parcel(_cancelled_placeholder(order_id, item, why))
        return ParcelOutcome.HELD_BACK
    if parcel.status == ParcelStatus.CANCELLED:
        return ParcelOutcome.ALREADY_CANCELLED
    if parcel.plan_id is not None:
        stored = repo.get_plan(parcel.plan_id)
        if stored is not None and stored.plan.status == PlanStatus.DEPARTED:
            log.warning(
                "order %s closed (%s), but parcel %s already left with plan %s; it stays departed",
                order_id,
                why,
                parcel.parcel_id,
                parcel.plan_id,
            )
            return ParcelOutcome.DEPARTED
    # The plan id stays: the open wave sees it holds a cancelled parcel and is re-planned.
    repo.update_parcel(
        replace(
            parcel,
            status=ParcelStatus.CANCELLED,
            carrier_id=None,
            vehicle_id=None,
            cost_fen=0,
            reason=why,
        )
    )
    uow.emit(
        ParcelCancelled(
            parcel.parcel_id, parcel.order_id, parcel.warehouse_id, parcel.reservation_id
        )
    )
    return ParcelOutcome.CANCELLED


def _cancelled_placeholder(order_id: str, item: ClosedParcel, why: str) -> Parcel:
    return Parcel(
        parcel_id=item.parcel_id,
        order_id=order_id,
        warehouse_id=item.warehouse_id,
        reservation_id=item.reservation_id,
        latitude=0.0,
        longitude=0.0,
        origin_latitude=0.0,
        origin_longitude=0.0,
        weight_grams=0,
        volume_cm3=0,
        window_start_minute=0,
        window_end_minute=0,
        status=ParcelStatus.CANCELLED,
        reason=f"{why} (before its allocation reached routing)",
    )
