"""PostgreSQL pooled connections: checked before use only after sitting idle, and a
connection the server dropped meanwhile is replaced instead of failing a transaction."""

from __future__ import annotations

import pytest
from sqlalchemy import create_engine, text

from cangpei.runtime import db as db_module
from cangpei.runtime.db import PING_IF_IDLE_SECONDS, Database


class FakeMonotonic:
    def __init__(self) -> None:
        self.now = 1000.0

    def monotonic(self) -> float:
        return self.now


@pytest.fixture
def clock(monkeypatch) -> FakeMonotonic:
    fake = FakeMonotonic()
    monkeypatch.setattr(db_module, "time", fake)
    return fake


@pytest.fixture
def database(postgres_url, clock):
    database = Database(postgres_url, pool_size=1)
    pings = []
    dialect = database.writer.dialect
    real_ping = dialect.do_ping
    dialect.do_ping = lambda connection: pings.append(1) or real_ping(connection)
    yield database, pings
    database.dispose()


def backend_pid(database: Database) -> int:
    with database.session() as session:
        return session.execute(text("SELECT pg_backend_pid()")).scalar_one()


def test_a_connection_used_a_moment_ago_is_not_pinged_again(database, clock) -> None:
    db, pings = database
    first = backend_pid(db)
    clock.now += PING_IF_IDLE_SECONDS / 2
    assert backend_pid(db) == first
    assert pings == []
    clock.now += PING_IF_IDLE_SECONDS
    assert backend_pid(db) == first
    assert pings == [1]


def test_a_connection_the_server_dropped_while_idle_is_replaced(
    database, clock, postgres_url
) -> None:
    db, pings = database
    first = backend_pid(db)
    admin = create_engine(postgres_url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": first})
    finally:
        admin.dispose()
    clock.now += PING_IF_IDLE_SECONDS * 2
    # The next transaction gets a new connection, without an error.
    second = backend_pid(db)
    assert second != first
    assert pings == [1]
