"""The service's unit of work over the runtime's: repositories, and events to the outbox."""

from __future__ import annotations

from collections.abc import Callable

from cangpei.runtime.uow import UnitOfWork as RuntimeUnitOfWork
from cangpei.runtime.uow import new_event_id

from ..domain.allocation_record import AllocationRecord
from .messages import allocation_created
from .sql_repository import SqlAllocationRepository, SqlWarehouseRepository

ALLOCATION_CREATED = "warehouse.allocation.created"


class SqlUnitOfWork:
    def __init__(self, runtime_uow: Callable[[], RuntimeUnitOfWork]) -> None:
        self._new = runtime_uow

    def __enter__(self) -> SqlUnitOfWork:
        self._uow = self._new().__enter__()
        self.warehouses = SqlWarehouseRepository(self._uow.session)
        self.allocations = SqlAllocationRepository(self._uow.session)
        return self

    def __exit__(self, *exc: object) -> None:
        self._uow.__exit__(*exc)

    def record_allocation_created(self, record: AllocationRecord) -> None:
        event_id = new_event_id()
        self._uow.publish(
            ALLOCATION_CREATED, allocation_created(record, event_id), event_id=event_id
        )

    def commit(self) -> None:
        self._uow.commit()
