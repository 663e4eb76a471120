"""The background job that allocates RECEIVED fulfilment orders in waves.

It runs every ``allocation_interval_seconds``, or at once when a submit wakes it, and
keeps going while waves come back full. Only one replica allocates at a time (a named
lock): two waves must not plan against the same stock and capacity.

A wave that fails (inventory too slow to answer, NATS away) is given back whole and
tried again; the next one is half as large, so an overloaded stack is not asked to
redo the same large wave over and over. Waves grow back to full size as they succeed.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable

from sqlalchemy.exc import SQLAlchemyError

from cangpei.runtime.app import ServiceApp
from cangpei.runtime.errors import DomainError
from cangpei.runtime.locks import exclusive

log = logging.getLogger(__name__)

LOCK_NAME = "warehouse-allocation-wave"
SMALLEST_WAVE = 10


class AllocationLoop:
    def __init__(
        self, wave: Callable[[int], Awaitable[int]], interval_seconds: float, batch_orders: int
    ) -> None:
        self._wave = wave  # allocates at most the given number of orders; says how many
        self._interval = interval_seconds
        self._batch = batch_orders
        self.wave_size = batch_orders
        self._wakeup = asyncio.Event()
        self._loop: asyncio.AbstractEventLoop | None = None

    def wake(self) -> None:
        """Called after a submit commits; safe from any thread."""
        if self._loop is not None:
            self._loop.call_soon_threadsafe(self._wakeup.set)

    async def run(self, app: ServiceApp) -> None:
        self._loop = asyncio.get_running_loop()
        failures = 0
        while True:
            try:
                await asyncio.wait_for(self._wakeup.wait(), self._interval)
            except TimeoutError:
                pass
            self._wakeup.clear()
            try:
                while True:
                    full = await self._one_wave(app) >= self.wave_size
                    failures = 0
                    self._grow()
                    if not full:
                        break  # a full wave: more orders are waiting, go on
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                # Inventory, NATS or the database away: the orders stay RECEIVED for the
                # next turn. An expected outage is one line; anything else its traceback.
                failures += 1
                self.wave_size = max(min(SMALLEST_WAVE, self._batch), self.wave_size // 2)
                if isinstance(exc, DomainError | SQLAlchemyError):
                    log.warning(
                        "allocation wave failed (%s); retrying with at most %d orders",
                        exc,
                        self.wave_size,
                    )
                else:
                    log.exception(
                        "allocation wave failed; retrying with at most %d orders", self.wave_size
                    )
                await asyncio.sleep(min(0.2 * 2**failures, 5.0))

    def _grow(self) -> None:
        # Back up by a quarter at a time: doubling straight back would ask an overloaded
        # stack for the wave that just failed.
        self.wave_size = min(self._batch, self.wave_size + max(SMALLEST_WAVE, self.wave_size // 4))

    async def _one_wave(self, app: ServiceApp) -> int:
        stack = contextlib.ExitStack()
        mine = await app.run_blocking(stack.enter_context, exclusive(app.db, LOCK_NAME))
        try:
            return await self._wave(self.wave_size) if mine else 0
        finally:
            await app.run_blocking(stack.close)
