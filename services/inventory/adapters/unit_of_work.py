"""The service layer's unit of work over the runtime's (outbox included) and a read-only one."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any

from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError
from sqlalchemy.orm import Session

from cangpei.runtime.db import Database
from cangpei.runtime.uow import UnitOfWork
from services.inventory.adapters.event_messages import to_message
from services.inventory.adapters.sql_repository import SqlRepository
from services.inventory.domain.events import Event
from services.inventory.service_layer.ports import ConcurrentConflict

# unique_violation, serialization_failure, deadlock_detected
RETRYABLE_SQLSTATES = {"23505", "40001", "40P01"}


def is_conflict(exc: BaseException) -> bool:
    """A lost race another attempt can win, as opposed to a bug or an outage."""
    if not isinstance(exc, DBAPIError):
        return False
    state = getattr(exc.orig, "sqlstate", None)
    if state is not None:
        return state in RETRYABLE_SQLSTATES
    message = str(exc.orig)
    if isinstance(exc, IntegrityError):
        return "UNIQUE constraint failed" in message
    return isinstance(exc, OperationalError) and "database is locked" in message


class SqlUnitOfWork:
    def __init__(self, new_uow: Callable[[], UnitOfWork], *, lock_rows: bool) -> None:
        self._new_uow = new_uow
        self._lock_rows = lock_rows
        self._inner: UnitOfWork

    def __enter__(self) -> SqlUnitOfWork:
        self._inner = self._new_uow()
        self._inner.__enter__()
        self.repo = SqlRepository(self._inner.session, lock_rows=self._lock_rows)
        return self

    def __exit__(self, exc_type: Any, exc: BaseException | None, tb: Any) -> None:
        self._inner.__exit__(exc_type, exc, tb)
        if exc is not None and is_conflict(exc):
            raise ConcurrentConflict(str(exc.orig)) from exc  # type: ignore[union-attr]

    def publish(self, event: Event) -> None:
        subject, message = to_message(event)
        self._inner.publish(subject, message)

    def commit(self) -> None:
        self._inner.commit()


class SqlReadUnitOfWork:
    """A read-only transaction: on SQLite it does not take the write lock."""

    def __init__(self, db: Database) -> None:
        self._db = db
        self._context: AbstractContextManager[Session]

    def __enter__(self) -> SqlReadUnitOfWork:
        self._context = self._db.read_session()
        self.repo = SqlRepository(self._context.__enter__(), lock_rows=False)
        return self

    def __exit__(self, exc_type: Any, exc: BaseException | None, tb: Any) -> None:
        self._context.__exit__(exc_type, exc, tb)

    def publish(self, event: Event) -> None:
        raise RuntimeError("a read-only unit of work cannot publish")

    def commit(self) -> None:
        raise RuntimeError("a read-only unit of work cannot commit")


def sql_unit_of_work_factories(
    db: Database, new_uow: Callable[[], UnitOfWork]
) -> tuple[Callable[[], SqlUnitOfWork], Callable[[], SqlReadUnitOfWork]]:
    lock_rows = not db.is_sqlite
    return (lambda: SqlUnitOfWork(new_uow, lock_rows=lock_rows)), (lambda: SqlReadUnitOfWork(db))
