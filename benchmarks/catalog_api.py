"""The catalog's gRPC API end to end: listing products, searching, checking chains.

    python benchmarks/catalog_api.py [--products 2000] [--concurrency 16]
                                     [--database-url postgresql+psycopg://...]

Starts a nats-server and the catalog in this process (SQLite file by default), onboards
suppliers through the API, then measures calls from concurrent clients. Every figure
includes authentication, validation, the database transaction and, for listings, the
outbox row. Wall-clock on a shared machine: read them as orders of magnitude.
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import grpc  # noqa: E402

from cangpei.catalog.v1 import catalog_pb2 as pb  # noqa: E402
from cangpei.catalog.v1 import catalog_pb2_grpc  # noqa: E402
from cangpei.common.v1.common_pb2 import PageRequest  # noqa: E402
from cangpei.runtime.app import start_app  # noqa: E402
from cangpei.runtime.natsd import NatsServer  # noqa: E402
from cangpei.runtime.settings import ServiceSettings  # noqa: E402
from services.catalog.bootstrap import make_wire  # noqa: E402
from services.catalog.domain.config import CatalogConfig  # noqa: E402

STAFF = (("authorization", "Bearer bench-staff-token-0123456789abcdef"),)


async def timed(calls, concurrency: int) -> list[float]:  # type: ignore[no-untyped-def]
    """Run the coroutine factories ``concurrency`` at a time; latency of each in ms."""
    latencies: list[float] = []
    queue = list(calls)

    async def worker() -> None:
        while queue:
            make = queue.pop()
            started = time.perf_counter()
            await make()
            latencies.append((time.perf_counter() - started) * 1000)

    await asyncio.gather(*(worker() for _ in range(concurrency)))
    return latencies


def report(label: str, latencies: list[float], elapsed: float) -> None:
    ordered = sorted(latencies)
    p95 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))]
    print(
        f"  {label:28s} {len(ordered):6d} calls  {len(ordered) / elapsed:8.0f}/s  "
        f"median {statistics.median(ordered):6.1f} ms  p95 {p95:6.1f} ms"
    )


async def run(args: argparse.Namespace, workdir: Path) -> None:
    nats_server = NatsServer(workdir / "nats", sync_always=False)
    nats_server.start()
    database_url = args.database_url or f"sqlite:///{workdir / 'catalog.db'}"
    config = dataclasses.replace(
        CatalogConfig(), bootstrap_staff_token=STAFF[0][1].split()[1], recheck_interval_seconds=0
    )
    app = await start_app(
        ServiceSettings.for_tests("catalog", database_url, nats_server.url), make_wire(config)
    )
    try:
        async with grpc.aio.insecure_channel(f"127.0.0.1:{app.grpc_port}") as channel:
            stub = catalog_pb2_grpc.CatalogServiceStub(channel)
            suppliers = []
            for index in range(args.suppliers):
                registered = await stub.RegisterSupplier(
                    pb.RegisterSupplierRequest(
                        name=f"工厂 {index}", kind=pb.SUPPLIER_KIND_FACTORY, issue_token=True
                    ),
                    metadata=STAFF,
                )
                sid = registered.supplier.supplier_id
                own = (("authorization", f"Bearer {registered.token}"),)
                await stub.SubmitQualification(
                    pb.SubmitQualificationRequest(
                        supplier_id=sid,
                        registered_capital_fen=500_000_000,
                        tax_status=pb.TAX_STATUS_GENERAL_TAXPAYER,
                        licence_number=f"LIC-{index}",
                    ),
                    metadata=own,
                )
                await stub.RecordDepositEntry(
                    pb.RecordDepositEntryRequest(
                        supplier_id=sid,
                        kind=pb.DEPOSIT_ENTRY_KIND_PAYMENT,
                        amount_fen=1_000_000,
                    ),
                    metadata=own,
                )
                await stub.RequestVerdict(pb.RequestVerdictRequest(supplier_id=sid), metadata=own)
                suppliers.append((sid, own))

            def listing(number: int):  # type: ignore[no-untyped-def]
                sid, own = suppliers[number % len(suppliers)]
                request = pb.ListProductRequest(
                    supplier_id=sid,
                    sku=f"SKU-{number}",
                    name="枸杞 Goji 500 g",
                    category=("food", "beauty", "home")[number % 3],
                    price_fen=5_900,
                    commission_bps=1_800,
                    affiliate_commission_bps=1_500,
                    other_platform_prices=[pb.OtherPlatformPrice(platform="JD", price_fen=6_900)],
                    shipping=pb.Shipping(
                        weight_grams=520, length_mm=200, width_mm=150, height_mm=60
                    ),
                )
                return lambda: stub.ListProduct(request, metadata=own)

            print(
                f"catalog on {'SQLite' if not args.database_url else args.database_url}, "
                f"{args.suppliers} suppliers, {args.concurrency} concurrent clients"
            )
            started = time.perf_counter()
            latencies = await timed([listing(n) for n in range(args.products)], args.concurrency)
            report("ListProduct (admitted)", latencies, time.perf_counter() - started)

            def search(number: int):  # type: ignore[no-untyped-def]
                sid, own = suppliers[number % len(suppliers)]
                request = pb.SearchProductsRequest(category="food", page=PageRequest(page_size=50))
                return lambda: stub.SearchProducts(request, metadata=own)

            started = time.perf_counter()
            latencies = await timed([search(n) for n in range(args.products)], args.concurrency)
            report("SearchProducts (50 a page)", latencies, time.perf_counter() - started)

            def get(number: int):  # type: ignore[no-untyped-def]
                sid, own = suppliers[number % len(suppliers)]
                return lambda: stub.GetSupplier(
                    pb.GetSupplierRequest(supplier_id=sid), metadata=own
                )

            started = time.perf_counter()
            latencies = await timed([get(n) for n in range(args.products)], args.concurrency)
            report("GetSupplier", latencies, time.perf_counter() - started)
    finally:
        await app.stop(grace=0)
        nats_server.stop()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--products", type=int, default=2_000)
    parser.add_argument("--suppliers", type=int, default=20)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--database-url", default="")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        asyncio.run(run(args, Path(tmp)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
