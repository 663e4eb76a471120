"""Refuse at the door an order whose promised delivery no warehouse in reach could keep."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta, timezone

from cangpei.runtime.errors import FailedPrecondition

from ..config import WarehouseConfig
from ..domain.geo import haversine_km
from ..domain.order import Order
from ..domain.promise import estimated_delivery
from ..domain.tiers import Tier, tier_for
from ..domain.warehouse import Warehouse


def check_promise(order: Order, warehouses: Sequence[Warehouse], config: WarehouseConfig) -> None:
    """FailedPrecondition when every warehouse that reaches the order would deliver too late.

    Uses the same cut-off and transit times as the allocation; an order no warehouse
    reaches at all is left to the allocation, which says which lines cannot be served.
    """
    if order.promised_by is None:
        return
    transit = {
        Tier.NEAR_SATELLITE: config.near_transit_hours,
        Tier.FAR_SATELLITE: config.far_transit_hours,
        Tier.CENTRAL: config.central_transit_hours,
        Tier.SUPPLIER: config.supplier_transit_hours,
    }
    earliest = None
    for w in warehouses:
        tier = tier_for(w, haversine_km(order.destination, w.location), config.near_radius_km)
        if tier is None:
            continue
        eta = estimated_delivery(
            order.placed_at, w.cutoff_minute, tier, transit, config.utc_offset_minutes
        )
        if eta <= order.promised_by:
            return  # one warehouse in time is enough (this runs on every submit)
        earliest = eta if earliest is None else min(earliest, eta)
    if earliest is None:
        return
    local = timezone(timedelta(minutes=config.utc_offset_minutes))
    raise FailedPrecondition(
        f"order {order.order_id!r} promises delivery by "
        f"{order.promised_by.astimezone(local).isoformat()} but the earliest any warehouse "
        f"can deliver is {earliest.astimezone(local).isoformat()}"
    )
