"""The naive baseline: a gRPC Reserve that takes one row lock and one commit per request.

Per request: begin, SELECT ... FOR UPDATE (on SQLite the transaction begins
IMMEDIATE instead), check, update, commit. It keeps no ledger, no reservation
record, no idempotency key and no outbox, so it does less work than the service.

    python benchmarks/inventory/naive_server.py --database-url URL --port N
    python benchmarks/inventory/naive_server.py --noop --port N   # Reserve does nothing
"""

from __future__ import annotations

import argparse
import asyncio
import functools
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import grpc
from grpc_health.v1 import health, health_pb2, health_pb2_grpc
from sqlalchemy import text

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from cangpei.inventory.v1 import inventory_pb2 as pb  # noqa: E402
from cangpei.inventory.v1 import inventory_pb2_grpc  # noqa: E402
from cangpei.runtime.db import Database  # noqa: E402

TABLE = "bench_naive_stock"


class NaiveStockError(Exception):
    pass


def reserve_one(db: Database, sku: str, location_id: str, quantity: int) -> None:
    lock = "" if db.is_sqlite else " FOR UPDATE"
    with db.session() as session:
        row = session.execute(
            text(
                f"SELECT on_hand, reserved FROM {TABLE} WHERE sku = :s AND location_id = :l{lock}"
            ),
            {"s": sku, "l": location_id},
        ).first()
        if row is None or row.on_hand - row.reserved < quantity:
            raise NaiveStockError("not enough stock")
        session.execute(
            text(
                f"UPDATE {TABLE} SET reserved = reserved + :q WHERE sku = :s AND location_id = :l"
            ),
            {"q": quantity, "s": sku, "l": location_id},
        )


class NaiveServicer(inventory_pb2_grpc.InventoryServiceServicer):
    def __init__(self, db: Database, pool: ThreadPoolExecutor) -> None:
        self.db = db
        self.pool = pool

    async def Reserve(self, request, context):
        line = request.lines[0]
        call = functools.partial(reserve_one, self.db, line.sku, line.location_id, line.quantity)
        try:
            await asyncio.get_running_loop().run_in_executor(self.pool, call)
        except NaiveStockError as exc:
            await context.abort(grpc.StatusCode.FAILED_PRECONDITION, str(exc))
        return pb.ReserveResponse(reservation_id="naive")


class NoopServicer(inventory_pb2_grpc.InventoryServiceServicer):
    """Answers Reserve at once: the cost of gRPC and of the load generator alone."""

    async def Reserve(self, request, context):
        return pb.ReserveResponse(reservation_id="noop")


async def serve(database_url: str | None, port: int) -> None:
    server = grpc.aio.server()
    if database_url is None:
        servicer: inventory_pb2_grpc.InventoryServiceServicer = NoopServicer()
    else:
        # The same sizes as the service's: 16 I/O threads, the runtime's default pool.
        servicer = NaiveServicer(Database(database_url), ThreadPoolExecutor(max_workers=16))
    inventory_pb2_grpc.add_InventoryServiceServicer_to_server(servicer, server)
    health_servicer = health.aio.HealthServicer()
    health_pb2_grpc.add_HealthServicer_to_server(health_servicer, server)
    server.add_insecure_port(f"127.0.0.1:{port}")
    await server.start()
    await health_servicer.set("", health_pb2.HealthCheckResponse.SERVING)
    await server.wait_for_termination()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url")
    parser.add_argument("--noop", action="store_true", help="a Reserve that does nothing")
    parser.add_argument("--port", type=int, required=True)
    args = parser.parse_args()
    if not args.noop and not args.database_url:
        parser.error("--database-url is required unless --noop")
    asyncio.run(serve(None if args.noop else args.database_url, args.port))


if __name__ == "__main__":
    main()
