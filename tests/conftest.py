"""Fixtures shared by every test: a real nats-server, real SQLite and PostgreSQL databases."""

from __future__ import annotations

import asyncio
import inspect
import os
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from cangpei.runtime.db import normalise_url
from cangpei.runtime.natsd import NatsServer
from cangpei.runtime.natsd import free_port as _free_port

POSTGRES_ENV = "CANGPEI_TEST_POSTGRES_URL"
REPO_ROOT = Path(__file__).resolve().parent.parent
SHARED_DATA = REPO_ROOT.parent / "shared" / "data"


@pytest.fixture
def free_port() -> Callable[[], int]:
    return _free_port


@pytest.fixture
def nats_server(tmp_path: Path) -> Iterator[NatsServer]:
    """A nats-server with JetStream (fsync always) on a free port and a temporary store."""
    server = NatsServer(tmp_path / "nats", log_file=tmp_path / "nats-server.log")
    server.start()
    yield server
    server.stop()


# ---------------------------------------------------------------- databases


@pytest.fixture(scope="session")
def postgres_database() -> Iterator[str]:
    """A PostgreSQL database made for this test run and dropped after it."""
    base = os.environ.get(POSTGRES_ENV)
    if not base:
        pytest.skip(
            f"PostgreSQL tests skipped: set {POSTGRES_ENV} "
            "(e.g. postgresql+psycopg://postgres@127.0.0.1:5432/test) to run them"
        )
    base_url = make_url(normalise_url(base))
    name = f"cangpei_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(base_url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as exc:  # a URL was given, so a failure here is an error, not a skip
        admin.dispose()
        raise RuntimeError(f"cannot create a test database through {POSTGRES_ENV}: {exc}") from exc
    try:
        yield base_url.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture
def postgres_url(postgres_database: str) -> Iterator[str]:
    """A fresh schema of the run's database, first on the search path: a test sees its rows only."""
    schema = f"t_{uuid.uuid4().hex[:12]}"
    engine = create_engine(postgres_database, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    # The application name marks the test's connections, so teardown can end any that
    # a stopped service left open (an idle transaction would block DROP SCHEMA forever).
    url = make_url(postgres_database).update_query_dict(
        {"options": f"-csearch_path={schema}", "application_name": schema}
    )
    try:
        yield url.render_as_string(hide_password=False)
    finally:
        with engine.connect() as connection:
            leftovers = connection.execute(
                text(
                    "SELECT pg_terminate_backend(pid), state FROM pg_stat_activity "
                    "WHERE application_name = :schema AND pid <> pg_backend_pid()"
                ),
                {"schema": schema},
            ).all()
            connection.execute(text("SET lock_timeout = '20s'"))
            connection.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        engine.dispose()
        idle_in_transaction = [state for _, state in leftovers if state == "idle in transaction"]
        assert not idle_in_transaction, (
            f"{len(idle_in_transaction)} connection(s) were left idle in a transaction"
        )


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'service.db'}"


@pytest.fixture(params=["sqlite", "postgres"])
def database_url(request: pytest.FixtureRequest) -> str:
    """Each test using this runs twice: on a SQLite file and on PostgreSQL."""
    if request.param == "sqlite":
        return request.getfixturevalue("sqlite_url")
    return request.getfixturevalue("postgres_url")


# ---------------------------------------------------------------- waiting


def _deadline_message(condition: Callable[[], object], timeout: float, what: str | None) -> str:
    name = what or getattr(condition, "__name__", "condition")
    return f"{name} did not hold within {timeout:g} s"


def wait_until(condition: Callable[[], object], timeout: float = 10.0, what: str | None = None):
    """Poll a condition until it is truthy; fail with a clear message at the deadline."""
    deadline = time.monotonic() + timeout
    while True:
        result = condition()
        if result:
            return result
        if time.monotonic() > deadline:
            raise AssertionError(_deadline_message(condition, timeout, what))
        time.sleep(0.02)


async def wait_for(condition: Callable[[], object], timeout: float = 10.0, what: str | None = None):
    """Async version: ``condition`` may be a plain function or a coroutine function."""
    deadline = time.monotonic() + timeout
    while True:
        result = condition()
        if inspect.isawaitable(result):
            result = await result
        if result:
            return result
        if time.monotonic() > deadline:
            raise AssertionError(_deadline_message(condition, timeout, what))
        await asyncio.sleep(0.02)


@pytest.fixture(name="wait_for")
def wait_for_fixture():
    return wait_for


@pytest.fixture(name="wait_until")
def wait_until_fixture():
    return wait_until


@pytest.fixture
def shared_data() -> Path:
    if not SHARED_DATA.exists():
        pytest.skip(f"benchmark data not found at {SHARED_DATA}")
    return SHARED_DATA
