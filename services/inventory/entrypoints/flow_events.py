"""Inventory's part of the fulfilment flow, driven by the other services' events.

- ``routing.parcel.departed``: the parcel left, so its reservation is committed.
- ``warehouse.order.cancelled`` and ``warehouse.order.failed``: the order will not
  ship, so its reservations still active are released.

Each handler runs in the runtime's transaction with the event's inbox row (applied
once per consumer), and the effects are conditional on the reservation's state, so
a repeated event, or a Commit/Release call that got there first, changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from cangpei.routing.v1 import routing_pb2
from cangpei.runtime.app import ServiceApp
from cangpei.runtime.messaging import BatchHandler, IncomingEvent
from cangpei.runtime.uow import UnitOfWork
from cangpei.warehouse.v1 import warehouse_pb2
from services.inventory.adapters.unit_of_work import ConsumerUnitOfWork
from services.inventory.service_layer.handlers import InventoryService

PARCEL_DEPARTED = "routing.parcel.departed"
ORDER_CANCELLED = "warehouse.order.cancelled"
ORDER_FAILED = "warehouse.order.failed"

Handler = Callable[[IncomingEvent, UnitOfWork], None]


def make_departure_handler(service: InventoryService, *, postgres: bool) -> Handler:
    def on_parcel_departed(event: IncomingEvent, uow: UnitOfWork) -> None:
        departed = routing_pb2.ParcelDeparted.FromString(event.data)
        service.commit_departed(
            ConsumerUnitOfWork(uow, postgres=postgres),
            departed.reservation_id,
            departed.parcel_id,
            departed.order_id,
        )

    return on_parcel_departed


def make_departures_batch_handler(service: InventoryService, *, postgres: bool) -> BatchHandler:
    def on_parcels_departed(events: list[IncomingEvent], uow: UnitOfWork) -> None:
        departures = [routing_pb2.ParcelDeparted.FromString(e.data) for e in events]
        service.commit_departed_many(
            ConsumerUnitOfWork(uow, postgres=postgres),
            [(d.reservation_id, d.parcel_id, d.order_id) for d in departures],
        )

    return on_parcels_departed


def make_order_closed_handler(service: InventoryService, *, postgres: bool) -> Handler:
    def on_order_closed(event: IncomingEvent, uow: UnitOfWork) -> None:
        if event.subject == ORDER_CANCELLED:
            closed: Any = warehouse_pb2.FulfilmentOrderCancelled.FromString(event.data)
            why = f"order {closed.order_id} cancelled"
        else:
            closed = warehouse_pb2.FulfilmentOrderClosed.FromString(event.data)
            why = f"order {closed.order_id} failed"
        service.release_for_order(
            ConsumerUnitOfWork(uow, postgres=postgres),
            closed.order_id,
            [parcel.reservation_id for parcel in closed.parcels],
            f"{why}: {closed.reason}" if closed.reason else why,
        )

    return on_order_closed


def add_flow_consumers(app: ServiceApp, service: InventoryService) -> None:
    """Register the durable consumers of the flow's events."""
    postgres = not app.db.is_sqlite
    app.add_consumer(
        durable="inventory-departures",
        stream="ROUTING",
        subjects=[PARCEL_DEPARTED],
        handler=make_departure_handler(service, postgres=postgres),
        batch_handler=make_departures_batch_handler(service, postgres=postgres),
    )
    app.add_consumer(
        durable="inventory-order-closures",
        stream="WAREHOUSE",
        subjects=[ORDER_CANCELLED, ORDER_FAILED],
        handler=make_order_closed_handler(service, postgres=postgres),
    )
