"""Schema migrations: a database made by the first migration is brought up to date."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import text

from cangpei.runtime.db import Database
from cangpei.runtime.migrations import migrate
from services.catalog.adapters.migrations import MIGRATIONS
from services.catalog.adapters.repositories import SqlAuthorisations


def test_links_from_before_confirmation_existed_are_kept_as_confirmed(database_url):
    db = Database(database_url)
    try:
        # The authorisations table as the first release created it, with one link in it.
        with db.writer.begin() as connection:
            connection.execute(
                text("CREATE TABLE catalog_brands (brand_id VARCHAR(64) PRIMARY KEY)")
            )
            connection.execute(
                text(
                    "CREATE TABLE catalog_authorisations ("
                    " authorisation_id VARCHAR(64) PRIMARY KEY, brand_id VARCHAR(64) NOT NULL,"
                    " grantor_id VARCHAR(64) NOT NULL, grantee_id VARCHAR(64) NOT NULL,"
                    " categories JSON NOT NULL, valid_from DATE NOT NULL,"
                    " valid_until DATE NOT NULL)"
                )
            )
            connection.execute(
                text(
                    "INSERT INTO catalog_authorisations VALUES"
                    " ('aut_old', 'brd', 'owner', 'S', '[\"beauty\"]', '2026-01-01', '2026-12-31')"
                )
            )
        migrate(db, "catalog", MIGRATIONS[:1])  # records version 1; tables it lacks appear
        assert migrate(db, "catalog", MIGRATIONS) == 1
        with db.read_session() as session:
            [link] = SqlAuthorisations(session).granted_to("brd", ["S"])
        assert link.confirmed
        assert link.valid_until == dt.date(2026, 12, 31)
        assert migrate(db, "catalog", MIGRATIONS) == 0
    finally:
        db.dispose()
