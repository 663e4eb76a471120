"""Worker processes that never outlive the process that started them.

A service killed with SIGKILL gets no chance to shut its process pools down, and a
worker blocked waiting for work would then live on, orphaned. Pools in Cangpei start
their workers with ``exit_with_parent`` as initializer: a daemon thread in the worker
notices when its parent is gone (it is re-parented) and ends the worker.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
import time
from concurrent.futures import ProcessPoolExecutor

# How often a worker checks its parent; an orphan lingers at most about this long
# (longer while a native solver holds the interpreter lock, at most its time limit).
PARENT_POLL_SECONDS = 0.5


def exit_with_parent(parent_pid: int, poll_seconds: float = PARENT_POLL_SECONDS) -> None:
    """Initializer for a pool's workers: exit as soon as ``parent_pid`` is no longer our parent."""

    def watch() -> None:
        while True:
            if os.getppid() != parent_pid:
                os._exit(0)
            time.sleep(poll_seconds)

    threading.Thread(target=watch, name="exit-with-parent", daemon=True).start()


def worker_pool(workers: int) -> ProcessPoolExecutor:
    """A process pool whose workers are spawned, not forked (forking a process that runs
    gRPC and NATS threads is unsafe), and end with this process."""
    return ProcessPoolExecutor(
        workers,
        mp_context=multiprocessing.get_context("spawn"),
        initializer=exit_with_parent,
        initargs=(os.getpid(),),
    )
