"""The same load without gRPC: clients call the reservation path in-process.

Separates what the storage design costs from what the transport costs. "ours" is
the admission queue and group commit of the service (InventoryService over the
SQL unit of work, outbox rows written but not relayed); "naive" is the baseline's
per-request transaction. Both run their database work on a 16-thread pool, as the
service does.
"""

from __future__ import annotations

import asyncio
import functools
import random
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

from benchmarks.inventory.load import LoadResult
from benchmarks.inventory.naive_server import NaiveStockError, reserve_one
from cangpei.runtime.db import Database
from cangpei.runtime.errors import DomainError
from cangpei.runtime.uow import UnitOfWork
from services.inventory.adapters.unit_of_work import sql_unit_of_work_factories
from services.inventory.config import InventoryConfig
from services.inventory.domain.commands import RequestedLine, ReserveStock
from services.inventory.service_layer.admission import ReservationAdmission
from services.inventory.service_layer.handlers import InventoryService


async def _drive(
    call: Callable[[str, str], object],
    *,
    clients: int,
    pick_sku: Callable[[random.Random], str],
    run_id: str,
    seconds: float,
) -> LoadResult:
    result = LoadResult()
    started = time.perf_counter()
    deadline = started + seconds

    async def client(number: int) -> None:
        rng = random.Random(number)
        i = 0
        while time.perf_counter() < deadline:
            sent = time.perf_counter()
            try:
                await call(f"{run_id}-{number}-{i}", pick_sku(rng))  # type: ignore[misc]
                result.granted += 1
            except (DomainError, NaiveStockError):
                result.refused += 1
            except Exception as exc:  # noqa: BLE001 - counted and shown
                result.errors += 1
                result.first_error = result.first_error or repr(exc)
            result.latencies.append(time.perf_counter() - sent)
            i += 1

    await asyncio.gather(*(client(n) for n in range(clients)))
    result.seconds = time.perf_counter() - started
    return result


def run_in_process(
    impl: str,
    db: Database,
    *,
    clients: int,
    pick_sku: Callable[[random.Random], str],
    location_id: str,
    run_id: str,
    seconds: float,
    batch_size: int,
) -> LoadResult:
    async def main() -> LoadResult:
        pool = ThreadPoolExecutor(max_workers=16)
        loop = asyncio.get_running_loop()
        try:
            if impl == "naive":

                async def naive(key: str, sku: str) -> None:
                    call = functools.partial(reserve_one, db, sku, location_id, 1)
                    await loop.run_in_executor(pool, call)

                return await _drive(
                    naive, clients=clients, pick_sku=pick_sku, run_id=run_id, seconds=seconds
                )
            write, read = sql_unit_of_work_factories(db, lambda: UnitOfWork(db))
            service = InventoryService(
                write,
                InventoryConfig(),
                read_uow_factory=read,
                defer_stock_locks=InventoryConfig().lock_stock_late and not db.is_sqlite,
            )

            async def run_batch(cmds):  # type: ignore[no-untyped-def]
                return await loop.run_in_executor(pool, service.reserve_batch, cmds)

            workers = 1 if db.is_sqlite else InventoryConfig().reservation_batch_workers
            admission = ReservationAdmission(run_batch, batch_size=batch_size, workers=workers)
            runner = asyncio.create_task(admission.run())

            async def ours(key: str, sku: str) -> None:
                line = RequestedLine(sku, 1, location_id)
                await admission.submit(ReserveStock(key, key, (line,), actor="bench"))

            try:
                return await _drive(
                    ours, clients=clients, pick_sku=pick_sku, run_id=run_id, seconds=seconds
                )
            finally:
                runner.cancel()
        finally:
            pool.shutdown(wait=True)

    return asyncio.run(main())
