"""Ordered schema migrations, applied at start, each in its own transaction.

A component (a service, or the runtime's own tables) has a list of functions; the
n-th function is version n. Applied versions are recorded in cangpei_schema_version,
so a start applies only the new ones. Shipped migrations are never edited.
"""

from __future__ import annotations

import logging
import zlib
from collections.abc import Callable, Sequence
from datetime import UTC, datetime

from alembic.migration import MigrationContext
from alembic.operations import Operations
from sqlalchemy import Column, Connection, DateTime, Integer, MetaData, String, Table, select, text

from cangpei.runtime.db import Database

log = logging.getLogger(__name__)

Migration = Callable[[Connection], None]

_metadata = MetaData()
schema_version = Table(
    "cangpei_schema_version",
    _metadata,
    Column("component", String(100), primary_key=True),
    Column("version", Integer, primary_key=True),
    Column("name", String(200), nullable=False),
    Column("applied_at", DateTime(timezone=True), nullable=False),
)


def alembic_ops(connection: Connection) -> Operations:
    """Alembic's operations (add_column, create_index ...) bound to this connection."""
    return Operations(MigrationContext.configure(connection))


MIGRATION_LOCK = zlib.crc32(b"cangpei.migrations")


def migrate(db: Database, component: str, migrations: Sequence[Migration]) -> int:
    """Apply the migrations of ``component`` not yet recorded; return how many ran.

    Replicas starting together take turns: on PostgreSQL under an advisory lock held for
    the whole run (creating the version table included); on SQLite every write
    transaction begins IMMEDIATE, which serialises them.
    """
    with db.writer.connect() as lock_connection:
        if not db.is_sqlite:
            lock_connection.execute(text("SELECT pg_advisory_lock(:key)"), {"key": MIGRATION_LOCK})
            lock_connection.commit()
        try:
            return _apply(db, component, migrations)
        finally:
            if not db.is_sqlite:
                lock_connection.execute(
                    text("SELECT pg_advisory_unlock(:key)"), {"key": MIGRATION_LOCK}
                )
                lock_connection.commit()


def _apply(db: Database, component: str, migrations: Sequence[Migration]) -> int:
    with db.writer.begin() as connection:
        _metadata.create_all(connection)
    applied = 0
    for version, migration in enumerate(migrations, start=1):
        with db.writer.begin() as connection:
            done = connection.execute(
                select(schema_version.c.version).where(
                    schema_version.c.component == component, schema_version.c.version == version
                )
            ).first()
            if done:
                continue
            migration(connection)
            connection.execute(
                schema_version.insert().values(
                    component=component,
                    version=version,
                    name=migration.__name__,
                    applied_at=datetime.now(UTC),
                )
            )
            applied += 1
            log.info("applied migration %s %d (%s)", component, version, migration.__name__)
    return applied
