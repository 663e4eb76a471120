"""Brand authorisation chain search over a graph of 10,000 authorisations.

    python benchmarks/catalog_chain_search.py [--links 10000] [--queries 2000] [--seed 7]
    python benchmarks/catalog_chain_search.py --sqlite     also through the SQL repository
    python benchmarks/catalog_chain_search.py --database-url postgresql+psycopg://.../empty_db

One brand, a layered distribution network (owner -> level 1 -> level 2 -> level 3 -> a
fourth level that is one link too deep), some parties authorised twice, 10 % of links
expired or off-category, and back links that make cycles. Queries mix suppliers that hold
a valid chain, suppliers refused for a too-long, expired or off-category chain, and
suppliers that hold no chain at all; refusals include the full explanation. Figures are
wall-clock on a shared machine: read them as orders of magnitude.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import statistics
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from services.catalog.domain.authorisations import Authorisation, Brand  # noqa: E402
from services.catalog.domain.chains import InMemoryLinks, LinkSource, find_chain  # noqa: E402

DAY = dt.date(2026, 6, 15)
VALID = (dt.date(2026, 1, 1), dt.date(2026, 12, 31))
EXPIRED = (dt.date(2025, 1, 1), dt.date(2025, 12, 31))


def build_graph(total_links: int, seed: int) -> tuple[Brand, list[Authorisation], list[str]]:
    rng = random.Random(seed)
    brand = Brand("brd_bench", "Bench", "owner")
    # Level sizes in proportion to a real network: few first-level agents, many at the end.
    share = [0.02, 0.13, 0.45, 0.25]
    sizes = [max(1, int(total_links * s / 1.4)) for s in share]
    levels = [["owner"]] + [[f"L{d + 1}_{i}" for i in range(n)] for d, n in enumerate(sizes)]
    links: list[Authorisation] = []

    def add(grantor: str, grantee: str) -> None:
        roll = rng.random()
        validity = EXPIRED if roll < 0.05 else VALID
        categories = frozenset({"food"} if 0.05 <= roll < 0.10 else {"beauty", "food"})
        links.append(
            Authorisation(
                f"aut_{len(links)}", brand.brand_id, grantor, grantee, categories, *validity
            )
        )

    for upper, lower in zip(levels, levels[1:], strict=False):
        for party in lower:
            for grantor in rng.sample(upper, k=min(len(upper), rng.choice((1, 1, 2)))):
                add(grantor, party)
    parties = [p for level in levels[1:] for p in level]
    while len(links) < total_links:  # cycles and cross links
        add(rng.choice(parties), rng.choice(parties))
    return brand, links[:total_links], parties


def run_queries(
    brand: Brand, source: LinkSource, parties: list[str], queries: int, seed: int
) -> tuple[list[float], list[float], Counter[str]]:
    rng = random.Random(seed + 1)
    accepted: list[float] = []
    refused: list[float] = []
    reasons: Counter[str] = Counter()
    for _ in range(queries):
        supplier = rng.choice(parties) if rng.random() < 0.9 else f"outsider_{rng.random()}"
        started = time.perf_counter()
        verdict = find_chain(brand, supplier, "beauty", DAY, source, max_links=3)
        elapsed = (time.perf_counter() - started) * 1000
        if verdict.holds:
            accepted.append(elapsed)
        else:
            refused.append(elapsed)
            reasons.update(f.code for f in verdict.failures)
    return accepted, refused, reasons


def report(label: str, accepted: list[float], refused: list[float], reasons: Counter[str]) -> None:
    print(f"\n{label}")
    for name, figures in (("chain found", accepted), ("refused, explained", refused)):
        if not figures:
            continue
        figures = sorted(figures)
        p95 = figures[min(len(figures) - 1, int(len(figures) * 0.95))]
        print(
            f"  {name:20s} n={len(figures):5d}  median {statistics.median(figures):7.3f} ms  "
            f"p95 {p95:7.3f} ms  max {figures[-1]:7.3f} ms"
        )
    print("  refusal reasons: " + ", ".join(f"{k} {v}" for k, v in reasons.most_common()))


def sql_source(brand: Brand, links: list[Authorisation], url: str):  # type: ignore[no-untyped-def]
    """The SQL repository over a database holding the same links."""
    from cangpei.runtime.db import Database
    from cangpei.runtime.migrations import migrate
    from services.catalog.adapters.migrations import MIGRATIONS
    from services.catalog.adapters.repositories import SqlAuthorisations, SqlBrands

    db = Database(url)
    migrate(db, "catalog", MIGRATIONS)
    with db.session() as session:
        SqlBrands(session).add(brand)
        repository = SqlAuthorisations(session)
        for link in links:
            repository.add(link)
    return db, SqlAuthorisations


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--links", type=int, default=10_000)
    parser.add_argument("--queries", type=int, default=2_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--sqlite", action="store_true", help="also query through SQLite")
    parser.add_argument(
        "--database-url", default="", help="also query through this (empty) database"
    )
    args = parser.parse_args()

    brand, links, parties = build_graph(args.links, args.seed)
    print(f"graph: {len(links):,} authorisations among {len(parties) + 1:,} parties, one brand")
    started = time.perf_counter()
    source = InMemoryLinks(links)
    print(f"index built in {(time.perf_counter() - started) * 1000:.1f} ms")
    report("in memory", *run_queries(brand, source, parties, args.queries, args.seed))

    with tempfile.TemporaryDirectory() as tmp:
        urls = [f"sqlite:///{Path(tmp) / 'catalog-bench.db'}"] if args.sqlite else []
        urls += [args.database_url] if args.database_url else []
        for url in urls:
            db, repository_class = sql_source(brand, links, url)
            with db.read_session() as session:
                figures = run_queries(
                    brand, repository_class(session), parties, args.queries // 4, args.seed
                )
            label = "SQLite" if url.startswith("sqlite") else "PostgreSQL"
            report(f"{label} through the repository (indexed by brand and grantee)", *figures)
            db.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
