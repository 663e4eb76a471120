"""NATS entrypoints: the warehouse's allocations and closed orders in, and the periodic
dispatch round."""

from __future__ import annotations

import asyncio
import contextlib
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


def on_allocations_created(events: list[IncomingEvent], uow: UnitOfWork) -> None:
    """The parcels of a fetch's allocations, stored together (one lookup, one insert)."""
    parcels = [
        parcel
        for event in events
        for parcel in parcels_from_allocation(wpb.AllocationCreated.FromString(event.data))
    ]
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


class DispatchLoop:
    """Runs the dispatch round every ``interval_seconds``, and soon after new parcels
    arrive (``wake``) rather than a whole interval later. A burst of allocations still
    makes one wave per warehouse: the round waits ``gather_seconds`` after a wake-up."""

    def __init__(
        self, dispatch_round: DispatchRound, interval_seconds: float, gather_seconds: float = 0.2
    ) -> None:
        self._round = dispatch_round
        self._interval = interval_seconds
        self._gather = min(gather_seconds, interval_seconds)
        self._wakeup: asyncio.Event | None = None

    def wake(self) -> None:
        """Parcels arrived (called on the event loop, after their consumer committed)."""
        if self._wakeup is not None:
            self._wakeup.set()

    async def run(self, app) -> None:  # noqa: ANN001 - the runtime passes its app
        if self._interval <= 0:
            return
        self._wakeup = asyncio.Event()
        while True:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wakeup.wait(), self._interval)
            if self._wakeup.is_set():
                await asyncio.sleep(self._gather)
            self._wakeup.clear()
            try:
                result = await self._round.run()
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


def make_dispatch_loop(dispatch_round: DispatchRound, interval_seconds: float):
    """The loop's job for ``app.add_task`` (a loop nobody wakes: every interval)."""
    return DispatchLoop(dispatch_round, interval_seconds).run
