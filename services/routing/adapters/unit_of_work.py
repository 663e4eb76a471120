"""The service layer's unit of work over the runtime's: SQL repository plus outbox events."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime

from cangpei.runtime.uow import UnitOfWork

from ..domain.events import Event
from .messages import event_message
from .sql_repository import SqlRoutingRepository


class SqlRoutingUnitOfWork:
    def __init__(
        self,
        inner: UnitOfWork,
        *,
        owns_commit: bool = True,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self._inner = inner
        self._owns_commit = owns_commit
        self._clock = clock
        self.repo = SqlRoutingRepository(inner.session)

    def emit(self, event: Event) -> None:
        subject, message = event_message(event, self._clock())
        self._inner.publish(subject, message, event_id=message.event_id)

    def commit(self) -> None:
        # Inside a NATS consumer the runtime commits, together with its inbox record.
        if self._owns_commit:
            self._inner.commit()


def sql_uow_factory(
    new_uow: Callable[[], UnitOfWork], clock: Callable[[], datetime] = lambda: datetime.now(UTC)
):
    @contextmanager
    def factory() -> Iterator[SqlRoutingUnitOfWork]:
        with new_uow() as inner:
            yield SqlRoutingUnitOfWork(inner, clock=clock)

    return factory
