"""The service's unit of work over the runtime's: repositories, and events to the outbox."""

from __future__ import annotations

from collections.abc import Callable

from cangpei.runtime.uow import UnitOfWork as RuntimeUnitOfWork
from cangpei.runtime.uow import new_event_id

from ..domain.allocation_record import AllocationRecord
from ..domain.fulfilment import FulfilmentOrder, FulfilmentParcel
from . import fulfilment_messages as fm
from .fulfilment_repository import (
    SqlFulfilmentRepository,
    SqlReservationIntents,
    SqlShippingRepository,
)
from .messages import allocation_created
from .sql_repository import SqlAllocationRepository, SqlWarehouseRepository

ALLOCATION_CREATED = "warehouse.allocation.created"
ORDER_RECEIVED = "warehouse.order.received"
ORDER_CANCELLED = "warehouse.order.cancelled"
ORDER_COMPLETED = "warehouse.order.completed"
ORDER_FAILED = "warehouse.order.failed"


class SqlUnitOfWork:
    def __init__(self, runtime_uow: Callable[[], RuntimeUnitOfWork]) -> None:
        self._new = runtime_uow

    def __enter__(self) -> SqlUnitOfWork:
        self._attach(self._new().__enter__())
        return self

    @classmethod
    def over(cls, runtime_uow: RuntimeUnitOfWork) -> SqlUnitOfWork:
        """This service's view of a unit of work already open (an inbox consumer's)."""
        uow = cls(lambda: runtime_uow)
        uow._attach(runtime_uow)
        return uow

    def _attach(self, runtime_uow: RuntimeUnitOfWork) -> None:
        self._uow = runtime_uow
        session = runtime_uow.session
        postgres = session.get_bind().dialect.name == "postgresql"
        self.warehouses = SqlWarehouseRepository(session)
        self.allocations = SqlAllocationRepository(session)
        self.fulfilment = SqlFulfilmentRepository(session, postgres)
        self.shipping = SqlShippingRepository(session, postgres)
        self.intents = SqlReservationIntents(session)

    def __exit__(self, *exc: object) -> None:
        self._uow.__exit__(*exc)

    def record_allocation_created(self, record: AllocationRecord) -> None:
        event_id = new_event_id()
        self._uow.publish(
            ALLOCATION_CREATED, allocation_created(record, event_id), event_id=event_id
        )

    def record_order_received(self, order: FulfilmentOrder) -> None:
        event_id = new_event_id()
        self._uow.publish(ORDER_RECEIVED, fm.order_received(order, event_id), event_id=event_id)

    def record_order_cancelled(
        self, order: FulfilmentOrder, parcels: list[FulfilmentParcel]
    ) -> None:
        event_id = new_event_id()
        self._uow.publish(
            ORDER_CANCELLED, fm.order_cancelled(order, parcels, event_id), event_id=event_id
        )

    def record_order_closed(self, order: FulfilmentOrder, parcels: list[FulfilmentParcel]) -> None:
        """warehouse.order.completed or .failed, with the parcels to release and call off."""
        event_id = new_event_id()
        subject = ORDER_FAILED if order.failure_reason else ORDER_COMPLETED
        self._uow.publish(
            subject, fm.order_closed(order, parcels, event_id, order.updated_at), event_id=event_id
        )

    def commit(self) -> None:
        self._uow.commit()
