"""The outbox and inbox tables every service database carries.

outbox: events written in the same transaction as the state change they describe;
        the relay publishes them and marks them sent.
inbox:  ids of events a consumer has applied, written in the same transaction as
        the effect, so a redelivered event is recognised and skipped.
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Column,
    Connection,
    DateTime,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
)

metadata = MetaData()

outbox = Table(
    "cangpei_outbox",
    metadata,
    # Integer (not BigInteger) so SQLite makes it a rowid alias and autoincrements it.
    Column(
        "seq", BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True
    ),
    Column("event_id", String(64), nullable=False, unique=True),
    Column("subject", String(255), nullable=False),
    Column("event_type", String(255), nullable=False),
    Column("payload", LargeBinary, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("sent_at", DateTime(timezone=True), nullable=True),
    Column("attempts", Integer, nullable=False, default=0),
)
Index("ix_cangpei_outbox_unsent", outbox.c.sent_at, outbox.c.seq)

inbox = Table(
    "cangpei_inbox",
    metadata,
    Column("consumer", String(100), primary_key=True),
    Column("event_id", String(64), primary_key=True),
    Column("subject", String(255), nullable=False),
    Column("applied_at", DateTime(timezone=True), nullable=False),
)


def create_messaging_tables(connection: Connection) -> None:
    metadata.create_all(connection)


RUNTIME_MIGRATIONS = [create_messaging_tables]
