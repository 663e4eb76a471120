"""The background allocation loop: a failed wave is retried smaller, and waves grow back."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from types import SimpleNamespace

from cangpei.runtime.db import Database
from cangpei.runtime.errors import Unavailable
from services.warehouse.entrypoints.allocation_loop import AllocationLoop


async def run_loop_until_none_waiting(
    tmp_path, waiting: list[int], wave: Callable[[int], Awaitable[int]]
) -> None:
    db = Database(f"sqlite:///{tmp_path / 'warehouse.db'}")

    async def run_blocking(fn, *args):
        return fn(*args)

    loop = AllocationLoop(wave, interval_seconds=0.01, batch_orders=400)
    runner = asyncio.create_task(loop.run(SimpleNamespace(db=db, run_blocking=run_blocking)))
    try:
        deadline = asyncio.get_running_loop().time() + 10
        while waiting[0] and asyncio.get_running_loop().time() < deadline:
            await asyncio.sleep(0.01)
    finally:
        runner.cancel()
        db.dispose()


def waves_over(waiting: list[int], sizes: list[int], fails_above: int | None = None):
    async def wave(limit: int) -> int:
        sizes.append(limit)
        if fails_above is not None and limit > fails_above:
            raise Unavailable("rpc.inventory.Reserve did not answer within 5 s")
        taken = min(limit, waiting[0])
        waiting[0] -= taken
        return taken

    return wave


async def test_a_failed_wave_is_retried_smaller_and_waves_grow_back(tmp_path) -> None:
    waiting, sizes = [1000], []  # orders RECEIVED; the size each wave asked for
    await run_loop_until_none_waiting(tmp_path, waiting, waves_over(waiting, sizes, 100))

    assert waiting[0] == 0, f"{waiting[0]} orders never allocated (wave sizes {sizes})"
    # 400 fails, 200 fails, 100 goes through; then the size creeps up a quarter at a time.
    assert sizes[:5] == [400, 200, 100, 125, 62]
    assert max(sizes[1:]) <= 200, "a failed size is not asked for again straight away"


async def test_waves_stay_full_size_while_they_succeed(tmp_path) -> None:
    waiting, sizes = [1000], []
    await run_loop_until_none_waiting(tmp_path, waiting, waves_over(waiting, sizes))

    assert waiting[0] == 0
    assert sizes[:3] == [400, 400, 400]
