"""PostgreSQL helpers for the local stack: one database per service on a given server."""

from __future__ import annotations

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from cangpei.runtime.db import normalise_url


def ensure_service_databases(
    server_url: str, services: tuple[str, ...], prefix: str = "cangpei_"
) -> dict[str, str]:
    """Create <prefix><service> databases where missing; return each service's URL."""
    base = make_url(normalise_url(server_url))
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    urls = {}
    try:
        with admin.connect() as connection:
            existing = set(connection.execute(text("SELECT datname FROM pg_database")).scalars())
            for service in services:
                name = f"{prefix}{service}"
                if name not in existing:
                    connection.execute(text(f'CREATE DATABASE "{name}"'))
                urls[service] = base.set(database=name).render_as_string(hide_password=False)
    finally:
        admin.dispose()
    return urls


def drop_service_databases(server_url: str, urls: dict[str, str]) -> None:
    admin = create_engine(make_url(normalise_url(server_url)), isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            for url in urls.values():
                name = make_url(url).database
                connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    finally:
        admin.dispose()
