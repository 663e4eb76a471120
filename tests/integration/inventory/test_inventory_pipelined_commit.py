"""A pipelined write-and-commit (PostgreSQL) gives its connection back to the pool only
after the pipeline has ended, so the next user of the pool (another request's thread,
the outbox relay) never gets a connection with someone else's pipeline open."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from cangpei.runtime.db import Database
from cangpei.runtime.migrations import migrate
from cangpei.runtime.outbox import RUNTIME_MIGRATIONS
from cangpei.runtime.uow import UnitOfWork
from services.inventory.adapters.schema import MIGRATIONS
from services.inventory.adapters.unit_of_work import sql_unit_of_work_factories
from services.inventory.domain.model import Location, LocationKind


def test_the_pool_gets_the_connection_back_out_of_the_pipeline(database_url: str) -> None:
    db = Database(database_url, pool_size=1)
    if db.is_sqlite:
        db.dispose()
        pytest.skip("only PostgreSQL pipelines its writes")
    try:
        migrate(db, "cangpei.runtime", RUNTIME_MIGRATIONS)
        migrate(db, "inventory", MIGRATIONS)
        write, _ = sql_unit_of_work_factories(db, lambda: UnitOfWork(db))
        with write() as uow, uow.send_together():
            uow.repo.add_location(Location("W-1", LocationKind.SATELLITE))
            uow.commit()
            # Still inside the pipelined block: the one pooled connection is back in the
            # pool and must be usable on its own, with the location committed.
            with db.writer.connect() as other:
                found = other.execute(
                    text("SELECT count(*) FROM inventory_locations WHERE location_id = 'W-1'")
                ).scalar_one()
        assert found == 1
    finally:
        db.dispose()
