"""Schema migrations of the catalog, applied in order at start. Never edit a shipped one."""

from __future__ import annotations

from sqlalchemy import Boolean, Column, Connection, inspect, true

from cangpei.runtime.migrations import alembic_ops
from services.catalog.adapters.tables import metadata


def create_catalog_v1(connection: Connection) -> None:
    metadata.create_all(connection)


def add_authorisation_confirmation(connection: Connection) -> None:
    """Links filed by their grantee wait for confirmation. A database made by the first
    migration after this column joined the table already has it; links that existed
    before were accepted as filed, so they start confirmed."""
    columns = {c["name"] for c in inspect(connection).get_columns("catalog_authorisations")}
    if "confirmed" not in columns:
        alembic_ops(connection).add_column(
            "catalog_authorisations",
            Column("confirmed", Boolean, nullable=False, server_default=true()),
        )


MIGRATIONS = [create_catalog_v1, add_authorisation_confirmation]
