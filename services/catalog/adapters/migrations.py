"""Schema migrations of the catalog, applied in order at start. Never edit a shipped one."""

from __future__ import annotations

from sqlalchemy import Connection

from services.catalog.adapters.tables import metadata


def create_catalog_v1(connection: Connection) -> None:
    metadata.create_all(connection)


MIGRATIONS = [create_catalog_v1]
