"""Solver runs in a separate process: OR-Tools keeps the GIL while it searches, so a
solve on a thread would stall the event loop (health checks, cheap calls) for its
whole time limit."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from typing import Any, TypeVar

from cangpei.runtime.processes import worker_pool

T = TypeVar("T")


class ProcessRunner:
    def __init__(self, workers: int = 1) -> None:
        self.workers = workers
        self._pool: ProcessPoolExecutor | None = None

    def __call__(self, fn: Callable[..., T], *args: Any) -> T:
        """Blocking: call from a worker thread (``app.run_cpu``), never from the loop."""
        if self._pool is None:
            self._pool = worker_pool(self.workers)
        return self._pool.submit(fn, *args).result()

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=False, cancel_futures=True)
            self._pool = None
