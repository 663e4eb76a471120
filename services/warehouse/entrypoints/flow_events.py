"""Inbox consumers that move fulfilment orders on, and learn SKU shipping data.

Each runs inside the runtime's inbox transaction (an event is applied once per
consumer); the handlers themselves are safe to repeat as well.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from cangpei.catalog.v1 import catalog_pb2
from cangpei.inventory.v1 import inventory_pb2 as inv
from cangpei.routing.v1 import routing_pb2 as rt
from cangpei.runtime.messaging import BatchHandler, EventHandler, IncomingEvent
from cangpei.runtime.uow import UnitOfWork

from ..adapters.unit_of_work import SqlUnitOfWork
from ..config import WarehouseConfig
from ..service_layer import fulfilment
from ..service_layer.fulfilment_waves import shipping_volume_cm3

PARCEL_DISPATCHED = "routing.parcel.dispatched"
PARCEL_DEPARTED = "routing.parcel.departed"
PARCEL_UNASSIGNED = "routing.parcel.unassigned"
STOCK_COMMITTED = "inventory.stock.committed"
STOCK_EXPIRED = "inventory.stock.expired"
PRODUCT_LISTED = "catalog.product.listed"


@dataclass(frozen=True)
class ConsumerSpec:
    durable: str
    stream: str
    subjects: list[str]
    handler: EventHandler
    # The same for the events of one fetch together, in one transaction (None: one by one).
    batch_handler: BatchHandler | None = None


def flow_consumers(config: WarehouseConfig, now: Callable[[], datetime]) -> list[ConsumerSpec]:
    def on_routing(event: IncomingEvent, uow: UnitOfWork) -> None:
        ours = SqlUnitOfWork.over(uow)
        if event.subject == PARCEL_DISPATCHED:
            d = rt.ParcelDispatched.FromString(event.data)
            fulfilment.on_parcel_dispatched(
                ours, d.order_id, d.parcel_id, d.carrier_id, d.vehicle_id, now()
            )
        elif event.subject == PARCEL_DEPARTED:
            d = rt.ParcelDeparted.FromString(event.data)
            fulfilment.on_parcel_departed(
                ours, d.order_id, d.parcel_id, d.carrier_id, d.vehicle_id, now()
            )
        elif event.subject == PARCEL_UNASSIGNED:
            u = rt.ParcelUnassigned.FromString(event.data)
            fulfilment.on_parcel_unassigned(ours, u.order_id, u.parcel_id, u.reason, now())

    def on_inventory(event: IncomingEvent, uow: UnitOfWork) -> None:
        ours = SqlUnitOfWork.over(uow)
        if event.subject == STOCK_COMMITTED:
            c = inv.StockCommitted.FromString(event.data)
            fulfilment.on_stock_committed(ours, c.order_id, c.reservation_id, now())
        elif event.subject == STOCK_EXPIRED:
            e = inv.StockExpired.FromString(event.data)
            fulfilment.on_reservation_expired(ours, e.order_id, e.reservation_id, now())

    def routing_change(event: IncomingEvent) -> list[tuple[str, fulfilment.Transition]]:
        if event.subject == PARCEL_DISPATCHED:
            d = rt.ParcelDispatched.FromString(event.data)
            return [
                fulfilment.parcel_dispatched(
                    d.order_id, d.parcel_id, d.carrier_id, d.vehicle_id, now()
                )
            ]
        if event.subject == PARCEL_DEPARTED:
            p = rt.ParcelDeparted.FromString(event.data)
            return [
                fulfilment.parcel_departed(
                    p.order_id, p.parcel_id, p.carrier_id, p.vehicle_id, now()
                )
            ]
        if event.subject == PARCEL_UNASSIGNED:
            u = rt.ParcelUnassigned.FromString(event.data)
            return [fulfilment.parcel_unassigned(u.order_id, u.parcel_id, u.reason, now())]
        return []

    def on_routing_batch(events: list[IncomingEvent], uow: UnitOfWork) -> None:
        changes = [change for event in events for change in routing_change(event)]
        fulfilment.apply_to_orders(SqlUnitOfWork.over(uow), changes)

    def on_inventory_batch(events: list[IncomingEvent], uow: UnitOfWork) -> None:
        ours = SqlUnitOfWork.over(uow)
        stock_events: list[tuple[str, str, str]] = []  # (subject, order id, reservation id)
        for event in events:
            if event.subject == STOCK_COMMITTED:
                c = inv.StockCommitted.FromString(event.data)
                stock_events.append((event.subject, c.order_id, c.reservation_id))
            elif event.subject == STOCK_EXPIRED:
                e = inv.StockExpired.FromString(event.data)
                stock_events.append((event.subject, e.order_id, e.reservation_id))
        order_ids = fulfilment.orders_of_reservations(ours, [(o, r) for _, o, r in stock_events])
        at = now()
        changes = [
            fulfilment.stock_committed(order_id, rid, at)
            if subject == STOCK_COMMITTED
            else fulfilment.reservation_expired(order_id, rid, at)
            for (subject, _, rid), order_id in zip(stock_events, order_ids, strict=True)
        ]
        fulfilment.apply_to_orders(ours, changes)

    def on_product_listed(event: IncomingEvent, uow: UnitOfWork) -> None:
        listed = catalog_pb2.ProductListed.FromString(event.data)
        s = listed.shipping
        weight = s.weight_grams or config.default_sku_weight_grams
        volume = (
            shipping_volume_cm3(s.length_mm, s.width_mm, s.height_mm)
            if s.length_mm and s.width_mm and s.height_mm
            else config.default_sku_volume_cm3
        )
        fulfilment.on_product_listed(SqlUnitOfWork.over(uow), listed.sku, weight, volume)

    return [
        ConsumerSpec(
            "warehouse-routing-events",
            "ROUTING",
            [PARCEL_DISPATCHED, PARCEL_DEPARTED, PARCEL_UNASSIGNED],
            on_routing,
            on_routing_batch,
        ),
        ConsumerSpec(
            "warehouse-inventory-events",
            "INVENTORY",
            [STOCK_COMMITTED, STOCK_EXPIRED],
            on_inventory,
            on_inventory_batch,
        ),
        ConsumerSpec("warehouse-products", "CATALOG", [PRODUCT_LISTED], on_product_listed),
    ]
