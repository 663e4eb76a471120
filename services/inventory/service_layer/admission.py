"""The admission queue in front of the reservation handler: group commit for hot SKUs.

Concurrent Reserve calls wait here; a worker takes everything queued (up to the batch
size) and runs it as one transaction. While one batch is in the database the next one
fills, so a flash sale on one SKU costs one row lock and one commit per batch rather
than per request, and the batch grows with the load by itself (no timer, no waiting
when the service is idle).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Sequence

from cangpei.runtime.errors import Unavailable
from services.inventory.domain.commands import ReserveStock
from services.inventory.domain.model import Reservation

log = logging.getLogger(__name__)

RunBatch = Callable[[Sequence[ReserveStock]], Awaitable[list[Reservation | Exception]]]


class ReservationAdmission:
    def __init__(
        self, run_batch: RunBatch, *, batch_size: int, workers: int, linger_seconds: float = 0.0
    ) -> None:
        self._run_batch = run_batch
        self._batch_size = max(1, batch_size)
        self._workers = max(1, workers)
        self._linger = linger_seconds
        self._queue: asyncio.Queue[tuple[ReserveStock, asyncio.Future[Reservation]]] = (
            asyncio.Queue()
        )
        self.batches = 0
        self.admitted = 0

    async def submit(self, cmd: ReserveStock) -> Reservation:
        future: asyncio.Future[Reservation] = asyncio.get_running_loop().create_future()
        self._queue.put_nowait((cmd, future))  # unbounded: never waits
        return await future

    async def run(self, _app: object = None) -> None:
        """Serve the queue until cancelled; usable as an app task."""
        workers = [asyncio.create_task(self._work()) for _ in range(self._workers)]
        try:
            await asyncio.gather(*workers)
        finally:
            for worker in workers:
                worker.cancel()
            await asyncio.gather(*workers, return_exceptions=True)
            self._fail_waiting()

    async def _work(self) -> None:
        while True:
            batch = [await self._queue.get()]
            if self._linger and self._queue.qsize() < self._batch_size:
                # Under load a moment's wait fills the batch, and a fuller batch costs
                # less per reservation than two thin ones (the fixed statements and commit).
                await asyncio.sleep(self._linger)
            while len(batch) < self._batch_size and not self._queue.empty():
                batch.append(self._queue.get_nowait())
            live = [(cmd, fut) for cmd, fut in batch if not fut.done()]
            if not live:
                continue
            try:
                outcomes = await self._run_batch([cmd for cmd, _ in live])
            except asyncio.CancelledError:
                for _, fut in live:
                    if not fut.done():
                        fut.set_exception(Unavailable("inventory is shutting down; try again"))
                raise
            except Exception as exc:  # noqa: BLE001 - every waiting caller hears of it
                outcomes = [exc] * len(live)
            self.batches += 1
            self.admitted += len(live)
            for (_, fut), outcome in zip(live, outcomes, strict=True):
                if fut.done():
                    continue  # the caller gave up (deadline); its reservation stands and replays
                if isinstance(outcome, Exception):
                    fut.set_exception(outcome)
                else:
                    fut.set_result(outcome)

    def _fail_waiting(self) -> None:
        while not self._queue.empty():
            _, fut = self._queue.get_nowait()
            if not fut.done():
                fut.set_exception(Unavailable("inventory is shutting down; try again"))
