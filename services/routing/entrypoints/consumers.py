"""NATS entrypoints: the warehouse's allocations and closed orders in, and the periodic
dispatch round."""

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
from ..service_layer.dispatch_round import DispatchRound
from ..service_layer.order_closures import ClosedParcel, cancel_order_parcels

log = logging.getLogger(__name__)


def on_allocation_created(event: IncomingEvent, uow: UnitOfWork) -> None:
    """Store an allocation's parcels; runs in the runtime's transaction with its inbox row."""
    message = wpb.AllocationCreated.FromString(event.data)
    parcels = parcels_from_allocation(message)
    handlers.record_parcels(parcels, SqlRoutingUnitOfWork(uow, owns_commit=False))


ORDER_CANCELLED = "warehouse.order.cancelled"
ORDER_FAILED = "warehouse.order.failed"


def on_order_closed(event: IncomingEvent, uow: UnitOfWork) -> None:
    """A cancelled or failed order: cancel its parcels that have not left."""
    if event.subject == ORDER_CANCELLED:
        closed = wpb.FulfilmentOrderCancelled.FromString(event.data)
        why = f"order {closed.order_id} cancelled"
    else:
        closed = wpb.FulfilmentOrderClosed.FromString(event.data)  # type: ignore[assignment]
        why = f"order {closed.order_id} failed"
    parcels = [ClosedParcel(p.parcel_id, p.warehouse_id, p.reservation_id) for p in closed.parcels]
    cancel_order_parcels(
        closed.order_id,
        parcels,
        f"{why}: {closed.reason}" if closed.reason else why,
        SqlRoutingUnitOfWork(uow, owns_commit=False),
    )


def make_dispatch_loop(dispatch_round: DispatchRound, interval_seconds: float):
    async def dispatch_loop(app) -> None:  # noqa: ANN001 - the runtime passes its app
        if interval_seconds <= 0:
            return
        while True:
            await asyncio.sleep(interval_seconds)
            try:
                result = await dispatch_round.run()
            except DomainError as exc:
                log.warning("dispatch round stopped: %s", exc.message)
            except Exception:  # a failed round must not end the loop; the next one retries
                log.exception("dispatch round failed")
            else:
                if result.planned or result.departed:
                    log.info(
                        "dispatch round planned %d wave(s), %d departed",
                        len(result.planned),
                        len(result.departed),
                    )

    return dispatch_loop
