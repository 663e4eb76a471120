import sqlite3

from services.inventory.adapters.unit_of_work import is_conflict


class DriverError(Exception):
    def __init__(self, sqlstate: str) -> None:
        super().__init__(sqlstate)
        self.sqlstate = sqlstate


def test_unique_violation_deadlock_and_serialisation_failure_are_retried():
    assert all(is_conflict(DriverError(state)) for state in ("23505", "40P01", "40001"))


def test_a_broken_check_constraint_is_not_retried():
    assert not is_conflict(DriverError("23514"))


def test_sqlite_unique_failure_and_busy_database_are_retried_other_errors_not():
    assert is_conflict(sqlite3.IntegrityError("UNIQUE constraint failed: t.k"))
    assert is_conflict(sqlite3.OperationalError("database is locked"))
    assert not is_conflict(sqlite3.IntegrityError("CHECK constraint failed: no_oversell"))
    assert not is_conflict(ValueError("boom"))
