"""Vehicle trips of a day in the SQL repository, on SQLite and PostgreSQL, including a
database made before the table existed."""

from __future__ import annotations

from datetime import date

from cangpei.runtime.db import Database
from cangpei.runtime.migrations import migrate
from services.routing.adapters.schema import MIGRATIONS
from services.routing.adapters.sql_repository import SqlRoutingRepository

DAY = date(2026, 11, 25)


def test_trips_keep_the_latest_return_per_vehicle_and_day(database_url) -> None:
    db = Database(database_url)
    try:
        # A routing database from before vehicle trips were recorded gets the table added.
        assert migrate(db, "routing", MIGRATIONS[:1]) == 1
        assert migrate(db, "routing", MIGRATIONS) == 1
        with db.session() as session:
            repo = SqlRoutingRepository(session)
            repo.record_trip("v1", "wh-a", DAY, 600.0)
            repo.record_trip("v1", "wh-a", DAY, 540.0)  # an earlier trip's return is older
            repo.record_trip("v2", "wh-a", DAY, 610.5)
            repo.record_trip("v3", "wh-b", DAY, 700.0)
            repo.record_trip("v1", "wh-a", date(2026, 11, 24), 900.0)
        with db.session() as session:
            repo = SqlRoutingRepository(session)
            assert repo.vehicles_out("wh-a", DAY) == {"v1": 600.0, "v2": 610.5}
            repo.record_trip("v1", "wh-a", DAY, 720.0)
        with db.read_session() as session:
            repo = SqlRoutingRepository(session)
            assert repo.vehicles_out("wh-a", DAY) == {"v1": 720.0, "v2": 610.5}
            assert repo.vehicles_out("wh-b", DAY) == {"v3": 700.0}
            assert repo.vehicles_out("wh-a", date(2026, 11, 26)) == {}
    finally:
        db.dispose()
