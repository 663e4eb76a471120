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


def _outbox_v1_columns() -> list[Column]:  # type: ignore[type-arg]
    return [
        # Integer (not BigInteger) so SQLite makes it a rowid alias and autoincrements it.
        Column(
            "seq",
            BigInteger().with_variant(Integer, "sqlite"),
            primary_key=True,
            autoincrement=True,
        ),
        Column("event_id", String(64), nullable=False, unique=True),
        Column("subject", String(255), nullable=False),
        Column("event_type", String(255), nullable=False),
        Column("payload", LargeBinary, nullable=False),
        Column("created_at", DateTime(timezone=True), nullable=False),
        Column("sent_at", DateTime(timezone=True), nullable=True),
        Column("attempts", Integer, nullable=False, default=0),
    ]


outbox = Table(
    "cangpei_outbox",
    metadata,
    *_outbox_v1_columns(),
    # A relay claims rows until this time before publishing them; a relay that dies
    # holding a claim only delays those rows until it lapses.
    Column("claimed_until", DateTime(timezone=True), nullable=True),
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
    # Version 1 as shipped: the claim column came with version 2.
    metadata.create_all(connection, tables=[inbox])
    v1_outbox = Table("cangpei_outbox", MetaData(), *_outbox_v1_columns())
    v1_outbox.create(connection)
    Index("ix_cangpei_outbox_unsent", v1_outbox.c.sent_at, v1_outbox.c.seq).create(connection)


def add_outbox_claims(connection: Connection) -> None:
    from cangpei.runtime.migrations import alembic_ops

    alembic_ops(connection).add_column(
        "cangpei_outbox", Column("claimed_until", DateTime(timezone=True), nullable=True)
    )


RUNTIME_MIGRATIONS = [create_messaging_tables, add_outbox_claims]
