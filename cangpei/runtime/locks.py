"""Named locks across replicas, for jobs only one replica should run at a time
(a periodic dispatch round, a re-check): PostgreSQL advisory locks, or a lock file
beside the SQLite database (replicas on one host)."""

from __future__ import annotations

import contextlib
import fcntl
import zlib
from collections.abc import Iterator
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.engine import make_url

from cangpei.runtime.db import Database


def _key(name: str) -> int:
    # Advisory lock keys are bigints; a stable hash of the name keeps them readable in code.
    return zlib.crc32(name.encode())


@contextlib.contextmanager
def exclusive(db: Database, name: str) -> Iterator[bool]:
    """Yield True when this process holds the lock ``name`` for the block, False when
    another holds it (then skip the job: the holder is doing it)."""
    if db.is_sqlite:
        database = make_url(db.url).database or "memory"
        path = Path(f"{database}.{name}.lock")
        with path.open("a") as handle:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                yield False
                return
            try:
                yield True
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)
        return
    with db.writer.connect() as connection:
        acquired = connection.execute(
            text("SELECT pg_try_advisory_lock(:key)"), {"key": _key(name)}
        ).scalar_one()
        connection.commit()
        try:
            yield bool(acquired)
        finally:
            if acquired:
                connection.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": _key(name)})
                connection.commit()
