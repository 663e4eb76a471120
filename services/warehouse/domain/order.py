"""Orders to allocate: lines of SKU x quantity, a delivery point and a promise."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from cangpei.runtime.errors import InvalidArgument

from .geo import GeoPoint


@dataclass(frozen=True)
class OrderLine:
    sku: str
    quantity: int


@dataclass(frozen=True)
class Order:
    order_id: str
    lines: tuple[OrderLine, ...]
    destination: GeoPoint
    placed_at: datetime
    # The latest delivery time promised to the consumer; None means no promise.
    promised_by: datetime | None = None


def make_order(
    order_id: str,
    lines: list[tuple[str, int]],
    latitude: float,
    longitude: float,
    placed_at: datetime,
    promised_by: datetime | None = None,
) -> Order:
    """Build a validated order. Repeated SKUs are merged into one line.

    Raises InvalidArgument naming the order and what is wrong with it.
    """
    if not order_id.strip():
        raise InvalidArgument("order_id is empty; every order needs its id")
    if not lines:
        raise InvalidArgument(f"order {order_id!r} has no lines; send at least one SKU x quantity")
    merged: dict[str, int] = {}
    for sku, quantity in lines:
        if not sku.strip():
            raise InvalidArgument(f"order {order_id!r} has a line with an empty SKU")
        if quantity <= 0:
            raise InvalidArgument(
                f"order {order_id!r}: quantity of {sku!r} is {quantity}; it must be at least 1"
            )
        merged[sku] = merged.get(sku, 0) + quantity
    destination = GeoPoint.checked(latitude, longitude, f"order {order_id!r} delivery point")
    if placed_at.tzinfo is None:
        raise InvalidArgument(f"order {order_id!r}: placed_at must carry a time zone")
    if promised_by is not None:
        if promised_by.tzinfo is None:
            raise InvalidArgument(f"order {order_id!r}: promised_by must carry a time zone")
        if promised_by <= placed_at:
            raise InvalidArgument(
                f"order {order_id!r}: promised delivery {promised_by.isoformat()} is not after "
                f"the order time {placed_at.isoformat()}"
            )
    return Order(
        order_id=order_id,
        lines=tuple(OrderLine(sku, qty) for sku, qty in merged.items()),
        destination=destination,
        placed_at=placed_at,
        promised_by=promised_by,
    )
