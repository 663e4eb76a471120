"""Scheduled work: the periodic supplier re-check, and the jobs runnable from a shell.

    python -m services.catalog.entrypoints.jobs recompute-tiers 2026-05
    python -m services.catalog.entrypoints.jobs recheck-suppliers [2026-06-15]

The shell jobs write to the catalog's database directly; their events wait in the outbox
until the running service's relay publishes them.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys

from cangpei.runtime.app import ServiceApp
from cangpei.runtime.db import Database
from cangpei.runtime.errors import DomainError
from cangpei.runtime.migrations import migrate
from cangpei.runtime.outbox import RUNTIME_MIGRATIONS
from cangpei.runtime.settings import ServiceSettings, load_config
from cangpei.runtime.uow import UnitOfWork
from services.catalog.adapters.migrations import MIGRATIONS
from services.catalog.adapters.uow import catalog_uow
from services.catalog.domain import commands as c
from services.catalog.domain.config import CatalogConfig
from services.catalog.domain.principals import STAFF
from services.catalog.service_layer.context import HandlerContext
from services.catalog.service_layer.shops import recompute_tiers
from services.catalog.service_layer.suppliers import RecheckOutcome, recheck_suppliers

log = logging.getLogger("cangpei.catalog.jobs")


def recheck_now(app: ServiceApp, config: CatalogConfig, on_date: str = "") -> RecheckOutcome:
    return recheck_suppliers(
        c.RecheckSuppliers(on_date),
        lambda: catalog_uow(app.uow),
        HandlerContext(config, STAFF),
    )


def recheck_loop(config: CatalogConfig):  # type: ignore[no-untyped-def]
    """A task re-checking approved suppliers every ``recheck_interval_seconds``.

    Running it on several replicas is harmless: a suspended supplier is no longer
    approved, so the second run finds nothing to do.
    """

    async def recheck_suppliers_periodically(app: ServiceApp) -> None:
        while True:
            await asyncio.sleep(config.recheck_interval_seconds)
            try:
                outcome = await app.run_blocking(recheck_now, app, config)
                if outcome.suspended_supplier_ids:
                    log.info("re-check suspended %s", ", ".join(outcome.suspended_supplier_ids))
            except Exception:
                log.exception("supplier re-check failed; retrying at the next interval")

    return recheck_suppliers_periodically


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="catalog jobs")
    sub = parser.add_subparsers(dest="job", required=True)
    tiers = sub.add_parser("recompute-tiers", help="the monthly tier job for one month")
    tiers.add_argument("month", help="YYYY-MM")
    recheck = sub.add_parser("recheck-suppliers", help="suspend suppliers that lapsed")
    recheck.add_argument("on_date", nargs="?", default="", help="YYYY-MM-DD, default today")
    args = parser.parse_args(argv)

    settings = ServiceSettings.from_env("catalog")
    config = load_config(CatalogConfig, "catalog")
    db = Database(settings.database_url)
    try:
        # The job may run before the service ever started on this database.
        migrate(db, "cangpei.runtime", RUNTIME_MIGRATIONS)
        migrate(db, "catalog", MIGRATIONS)
        ctx = HandlerContext(config, STAFF)
        if args.job == "recompute-tiers":
            with catalog_uow(lambda: UnitOfWork(db)) as uow:
                changes = recompute_tiers(c.RecomputeTiers(args.month), uow, ctx)
            for change in changes:
                print(f"{change.shop_id}: {change.previous.value} -> {change.tier.value}")
            print(f"{len(changes)} shop(s) changed tier for {args.month}")
        else:
            outcome = recheck_suppliers(
                c.RecheckSuppliers(args.on_date), lambda: catalog_uow(lambda: UnitOfWork(db)), ctx
            )
            print(
                f"checked {outcome.checked} supplier(s) on {outcome.day.isoformat()}; "
                f"suspended {len(outcome.suspended_supplier_ids)}"
            )
    except DomainError as refused:
        print(f"{args.job}: {refused.message}", file=sys.stderr)
        return 2
    finally:
        db.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
