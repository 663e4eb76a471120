"""The service layer's unit of work over the runtime's (outbox included) and a read-only one."""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Callable
from contextlib import AbstractContextManager
from datetime import UTC, datetime
from typing import Any

from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from cangpei.runtime.db import Database
from cangpei.runtime.outbox import outbox
from cangpei.runtime.uow import UnitOfWork, new_event_id
from services.inventory.adapters.event_messages import to_message
from services.inventory.adapters.sql_repository import SqlRepository
from services.inventory.domain.events import Event
from services.inventory.service_layer.ports import ConcurrentConflict

# unique_violation, serialization_failure, deadlock_detected
RETRYABLE_SQLSTATES = {"23505", "40001", "40P01"}


def is_conflict(exc: BaseException) -> bool:
    """A lost race another attempt can win, as opposed to a bug or an outage.

    Looks through SQLAlchemy's wrapper to the driver's error, since the bulk inserts
    (``bulk.py``) talk to the driver directly.
    """
    orig = exc.orig if isinstance(exc, DBAPIError) else exc
    state = getattr(orig, "sqlstate", None)
    if state is not None:
        return state in RETRYABLE_SQLSTATES
    if isinstance(orig, sqlite3.IntegrityError):
        return "UNIQUE constraint failed" in str(orig)
    if isinstance(orig, sqlite3.OperationalError):
        return "database is locked" in str(orig)
    return False


class SqlUnitOfWork:
    """The runtime's unit of work, with events written to its outbox in one statement.

    A batch of reservations publishes one event per reservation; inserting them one
    by one cost more than everything else in the batch, so they are buffered and
    written together, as the same outbox rows ``UnitOfWork.publish`` would write,
    just before the commit.
    """

    def __init__(self, new_uow: Callable[[], UnitOfWork], *, postgres: bool) -> None:
        self._new_uow = new_uow
        self._postgres = postgres
        self._inner: UnitOfWork
        self._pending: list[dict[str, Any]] = []
        self._pipeline: contextlib.ExitStack | None = None  # while send_together is open

    def __enter__(self) -> SqlUnitOfWork:
        self._inner = self._new_uow()
        self._inner.__enter__()
        self._pending = []
        self.repo = SqlRepository(self._inner.session, postgres=self._postgres)
        return self

    def __exit__(self, exc_type: Any, exc: BaseException | None, tb: Any) -> None:
        self._inner.__exit__(exc_type, exc, tb)
        if exc is not None and is_conflict(exc):
            raise ConcurrentConflict(str(exc)) from exc

    def publish(self, event: Event) -> None:
        subject, message = to_message(event)
        self._pending.append(
            {
                "event_id": new_event_id(),
                "subject": subject,
                "event_type": message.DESCRIPTOR.full_name,
                "payload": message.SerializeToString(),
                "created_at": datetime.now(UTC),
                "attempts": 0,
            }
        )

    def send_together(self) -> AbstractContextManager[Any]:
        """Statements issued inside go out without waiting for each other's answers
        (a psycopg pipeline on PostgreSQL; SQLite, in-process, has no round trips to save).
        Only for statements whose results nobody reads before the block ends."""
        if not self._postgres:
            return contextlib.nullcontext()
        return self._pipelined()

    @contextlib.contextmanager
    def _pipelined(self) -> Any:
        with contextlib.ExitStack() as stack:
            stack.enter_context(self._dbapi_connection().pipeline())
            self._pipeline = stack
            try:
                yield
            finally:
                self._pipeline = None

    def _dbapi_connection(self) -> Any:
        return self._inner.session.connection().connection.dbapi_connection

    def commit(self) -> None:
        if self._pending:
            self.repo.bulk_insert(outbox, self._pending)
            # What the runtime's publish records, so the commit wakes the relay.
            self._inner.published.extend(row["event_id"] for row in self._pending)
            self._pending = []
        if self._pipeline is not None:
            # In a pipeline the COMMIT goes out with the writes, and the pipeline must end
            # before the session hands the connection back to the pool: another thread
            # (the outbox relay, say) would get it with the pipeline still open. The
            # session's own commit then finds no transaction left and only releases it.
            self._inner.flush_outbox()
            self._dbapi_connection().commit()
            self._pipeline.close()
        self._inner.commit()


class ConsumerUnitOfWork:
    """The service layer's view of a NATS consumer's transaction.

    The runtime opened it with the event's inbox row and commits it after the handler
    returns, so the effect, its events and the inbox record are one transaction.
    """

    def __init__(self, inner: UnitOfWork, *, postgres: bool) -> None:
        self._inner = inner
        self.repo = SqlRepository(inner.session, postgres=postgres)

    def publish(self, event: Event) -> None:
        subject, message = to_message(event)
        self._inner.publish(subject, message)

    def send_together(self) -> AbstractContextManager[Any]:
        return contextlib.nullcontext()

    def commit(self) -> None:
        """Nothing to do: the consumer commits, together with its inbox row."""


class SqlReadUnitOfWork:
    """A read-only transaction: on SQLite it does not take the write lock."""

    def __init__(self, db: Database) -> None:
        self._db = db
        self._context: AbstractContextManager[Session]

    def __enter__(self) -> SqlReadUnitOfWork:
        self._context = self._db.read_session()
        self.repo = SqlRepository(self._context.__enter__(), postgres=not self._db.is_sqlite)
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
    postgres = not db.is_sqlite
    return (lambda: SqlUnitOfWork(new_uow, postgres=postgres)), (lambda: SqlReadUnitOfWork(db))
