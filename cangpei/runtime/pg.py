"""PostgreSQL helpers for the local stack: one database per service on a given server."""

from __future__ import annotations

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from cangpei.runtime.db import normalise_url


def ensure_service_databases(server_url: str, services: tuple[str, ...]) -> dict[str, str]:
    """Create cangpei_<service> databases where missing; return each service's URL."""
    base = make_url(normalise_url(server_url))
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    urls = {}
    try:
        with admin.connect() as connection:
            existing = set(connection.execute(text("SELECT datname FROM pg_database")).scalars())
            for service in services:
                name = f"cangpei_{service}"
                if name not in existing:
                    connection.execute(text(f'CREATE DATABASE "{name}"'))
                urls[service] = base.set(database=name).render_as_string(hide_password=False)
    finally:
        admin.dispose()
    return urls
