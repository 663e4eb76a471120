"""NATS entrypoints: the warehouse's allocations in, and the periodic dispatch round."""

from __future__ import annotations

import asyncio
import logging

from cangpei.runtime.errors import DomainError
from cangpei.runtime.messaging import IncomingEvent
from cangpei.runtime.uow import UnitOfWork
from cangpei.warehouse.v1 import warehouse_pb2 as wpb

from ..adapters.messages import parcels_from_allocation
from ..adapters.unit_of_work import SqlRoutingUnitOfWork
from ..service_layer import handlers
from ..service_layer.dispatcher import Dispatcher

log = logging.getLogger(__name__)


def on_allocation_created(event: IncomingEvent, uow: UnitOfWork) -> None:
    """Store an allocation's parcels; runs in the runtime's transaction with its inbox row."""
    message = wpb.AllocationCreated.FromString(event.data)
    parcels = parcels_from_allocation(message)
    handlers.record_parcels(parcels, SqlRoutingUnitOfWork(uow, owns_commit=False))


def make_dispatch_loop(dispatcher: Dispatcher, interval_seconds: float):
    async def dispatch_loop(app) -> None:  # noqa: ANN001 - the runtime passes its app
        if interval_seconds <= 0:
            return
        while True:
            await asyncio.sleep(interval_seconds)
            try:
                plans = await dispatcher.dispatch_all_waiting()
            except DomainError as exc:
                log.warning("dispatch round stopped: %s", exc.message)
            except Exception:  # a failed round must not end the loop; the next one retries
                log.exception("dispatch round failed")
            else:
                if plans:
                    log.info("dispatch round planned %d wave(s)", len(plans))

    return dispatch_loop
