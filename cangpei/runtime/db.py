"""SQLAlchemy engines and sessions: SQLite files by default, PostgreSQL by URL."""

from __future__ import annotations

import contextlib
import time
from collections.abc import Iterator
from pathlib import Path

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DisconnectionError
from sqlalchemy.orm import Session, sessionmaker


def normalise_url(url: str) -> str:
    """Use psycopg 3 for PostgreSQL whatever driver the URL names (or none)."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "postgresql" and parsed.get_driver_name() != "psycopg":
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed.render_as_string(hide_password=False)


# A pooled PostgreSQL connection idle at least this long is checked (a round trip)
# before it is handed out, so that one the server dropped meanwhile (a restart, a
# failover) is replaced instead of failing the next transaction. A connection back in
# the pool for less has just worked. Checking every checkout (SQLAlchemy's
# pool_pre_ping) costs a round trip per transaction under load, and the thread waiting
# for its answer then waits for the GIL again (inventory's hot SKU benchmark, six runs
# interleaved: 1,225 reservations/s pinging every checkout, 1,300/s pinging idle ones,
# 1,341/s never pinging; the runs vary by about 10 %).
PING_IF_IDLE_SECONDS = 1.0


def _ping_when_idle(engine: Engine, idle_seconds: float) -> None:
    @event.listens_for(engine, "checkin")
    def _on_checkin(_dbapi_connection, record):  # type: ignore[no-untyped-def]
        record.info["idle_since"] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def _on_checkout(dbapi_connection, record, _proxy):  # type: ignore[no-untyped-def]
        idle_since = record.info.get("idle_since")
        if idle_since is None or time.monotonic() - idle_since < idle_seconds:
            return  # new, or used a moment ago
        try:
            ok = engine.dialect.do_ping(dbapi_connection)
        except engine.dialect.loaded_dbapi.Error as exc:
            if not engine.dialect.is_disconnect(exc, dbapi_connection, None):
                raise
            ok = False
        if not ok:
            # The pool then discards this connection and checks out a new one.
            raise DisconnectionError("pooled connection was closed by the server")


class Database:
    """Owns the engines of one service's database.

    On SQLite every read-write transaction begins IMMEDIATE: two writers that both
    started deferred would deadlock when upgrading their read locks, and one of them
    would fail with "database is locked" instead of waiting its turn.
    """

    def __init__(self, url: str, *, pool_size: int = 10) -> None:
        self.url = normalise_url(url)
        self.is_sqlite = make_url(self.url).get_backend_name() == "sqlite"
        if self.is_sqlite:
            self.writer = self._sqlite_engine(begin="BEGIN IMMEDIATE", pool_size=pool_size)
            self.reader = self._sqlite_engine(begin="BEGIN", pool_size=pool_size)
        else:
            self.writer = create_engine(self.url, pool_size=pool_size, max_overflow=pool_size)
            _ping_when_idle(self.writer, PING_IF_IDLE_SECONDS)
            self.reader = self.writer
        self._writer_sessions = sessionmaker(self.writer, expire_on_commit=False)
        self._reader_sessions = sessionmaker(self.reader, expire_on_commit=False)

    def _sqlite_engine(self, *, begin: str, pool_size: int) -> Engine:
        database = make_url(self.url).database
        if database and database != ":memory:":
            Path(database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(
            self.url,
            pool_size=pool_size,
            max_overflow=pool_size,
            connect_args={"check_same_thread": False, "timeout": 30},
        )

        @event.listens_for(engine, "connect")
        def _on_connect(dbapi_connection, _record):  # type: ignore[no-untyped-def]
            # Take transaction control from the sqlite3 module so "begin" below decides.
            dbapi_connection.isolation_level = None
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA busy_timeout=30000")
            cursor.close()

        @event.listens_for(engine, "begin")
        def _on_begin(connection):  # type: ignore[no-untyped-def]
            connection.exec_driver_sql(begin)

        return engine

    @contextlib.contextmanager
    def session(self) -> Iterator[Session]:
        """A read-write transaction: committed when the block ends, rolled back on error."""
        with self._writer_sessions() as session, session.begin():
            yield session

    @contextlib.contextmanager
    def read_session(self) -> Iterator[Session]:
        with self._reader_sessions() as session, session.begin():
            yield session

    def new_session(self) -> Session:
        """An unopened read-write session; the caller owns its transaction."""
        return self._writer_sessions()

    def ping(self) -> None:
        """Raise when the database cannot answer a trivial query."""
        with self.reader.connect() as connection:
            connection.execute(text("SELECT 1"))

    def dispose(self) -> None:
        self.writer.dispose()
        if self.reader is not self.writer:
            self.reader.dispose()
