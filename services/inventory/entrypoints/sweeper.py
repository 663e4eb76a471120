"""The expiry sweeper: at start, then every few seconds, release what has expired.

Running at start is what catches reservations that expired while the service was
down; the conditional close in the handler makes two replicas sweeping at once safe.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from services.inventory.service_layer.handlers import InventoryService

log = logging.getLogger(__name__)


def make_sweeper(
    service: InventoryService, interval_seconds: float, batch_size: int
) -> Callable[[Any], Awaitable[None]]:
    async def sweep_expired_reservations(app: Any) -> None:
        while True:
            try:
                # A full batch means there may be more: keep going before sleeping.
                while await app.run_blocking(service.expire_due, batch_size) >= batch_size:
                    pass
            except Exception:
                log.exception("expiry sweep failed; retrying in %.1f s", interval_seconds)
            await asyncio.sleep(interval_seconds)

    return sweep_expired_reservations
