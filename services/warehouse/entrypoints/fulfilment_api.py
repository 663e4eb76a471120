"""Fulfilment orders on protobuf messages, shared by gRPC and NATS request/reply."""

from __future__ import annotations

import asyncio
import math
import time
from collections.abc import Awaitable, Callable

from cangpei.runtime.errors import DomainError, FailedPrecondition, InvalidArgument, Unavailable
from cangpei.warehouse.v1 import warehouse_pb2 as pb

from ..adapters import fulfilment_messages as fm
from ..service_layer import fulfilment, registry
from ..service_layer.allocate import AllocationDeps
from ..service_layer.ports import FulfilmentUnitOfWork
from ..service_layer.promise_check import check_promise
from .api import DEFAULT_PAGE, MAX_PAGE, WarehouseApi, _offset, _token

WAREHOUSES_MAX_AGE_SECONDS = 2.0
# Submits written in one transaction at most.
SUBMIT_BATCH = 256

Outcome = fulfilment.Submitted | DomainError


class SubmitAdmission:
    """Group commit of submitted orders: while one batch is being written, the submits
    that arrive meanwhile wait together and go in the next transaction. Each caller is
    answered once its order's transaction has committed (or with its own refusal). One
    submit alone is written at once, as before."""

    def __init__(
        self, write: Callable[[list[fulfilment.SubmitFulfilmentOrder]], Awaitable[list[Outcome]]]
    ) -> None:
        self._write = write
        self._waiting: list[tuple[fulfilment.SubmitFulfilmentOrder, asyncio.Future]] = []
        self._writer: asyncio.Task | None = None

    async def submit(self, cmd: fulfilment.SubmitFulfilmentOrder) -> fulfilment.Submitted:
        answer: asyncio.Future = asyncio.get_running_loop().create_future()
        self._waiting.append((cmd, answer))
        if self._writer is None or self._writer.done():
            self._writer = asyncio.create_task(self._write_waiting())
        # A caller that gives up (deadline) does not cancel the batch it is part of.
        outcome = await asyncio.shield(answer)
        if isinstance(outcome, BaseException):
            raise outcome
        return outcome

    async def _write_waiting(self) -> None:
        while self._waiting:
            batch, self._waiting = self._waiting[:SUBMIT_BATCH], self._waiting[SUBMIT_BATCH:]
            try:
                outcomes: list = await self._write([cmd for cmd, _ in batch])
            except Exception as exc:  # the database away, say: every caller of the batch hears it
                outcomes = [exc] * len(batch)
            except BaseException:  # cancelled while stopping: nobody is left waiting forever
                for _, answer in batch + self._waiting:
                    if not answer.done():
                        answer.set_result(Unavailable("the warehouse service is stopping"))
                self._waiting = []
                raise
            for (_, answer), outcome in zip(batch, outcomes, strict=True):
                if not answer.done():
                    answer.set_result(outcome)


class FulfilmentApi:
    def __init__(
        self,
        uow: Callable[[], FulfilmentUnitOfWork],
        deps: AllocationDeps,
        on_submitted: Callable[[], None] = lambda: None,
    ) -> None:
        self.uow = uow
        self.deps = deps
        self.config = deps.config
        self.run_blocking = deps.run_blocking
        # Wakes the allocation loop so a new order does not wait for the next tick.
        self.on_submitted = on_submitted
        # A SKU inventory knows stays known: ask inventory only about new ones.
        self._known_skus: set[str] = set()
        self._admission = SubmitAdmission(self._write_batch)
        # The registry as the promise check last read it, and when (monotonic seconds).
        self._warehouses: list = []
        self._warehouses_read_at = -math.inf

    async def submit(
        self, request: pb.SubmitFulfilmentOrderRequest
    ) -> pb.SubmitFulfilmentOrderResponse:
        key = request.idempotency_key.strip()
        if not key:
            raise InvalidArgument(
                "idempotency_key is required: a key of your own that stays the same when "
                "you retry this order"
            )
        if not request.HasField("order"):
            raise InvalidArgument("order is required: its id, lines and delivery point")
        now = self.deps.now()
        order = WarehouseApi._order_from(request.order, now)
        await self._check_skus(sorted({line.sku for line in order.lines}))
        check_promise(order, await self._active_warehouses(), self.config)
        cmd = fulfilment.SubmitFulfilmentOrder(key, fm.fingerprint(request.order), order)
        submitted = await self._admission.submit(cmd)
        return pb.SubmitFulfilmentOrderResponse(
            order=fm.fulfilment_message(submitted.order), created=submitted.created
        )

    async def get(self, request: pb.GetFulfilmentOrderRequest) -> pb.GetFulfilmentOrderResponse:
        if not request.order_id:
            raise InvalidArgument("order_id is required")
        found = await self.run_blocking(fulfilment.get_order, request.order_id, self.uow())
        return pb.GetFulfilmentOrderResponse(order=fm.fulfilment_message(found))

    async def cancel(
        self, request: pb.CancelFulfilmentOrderRequest
    ) -> pb.CancelFulfilmentOrderResponse:
        if not request.order_id:
            raise InvalidArgument("order_id is required")
        order = await self.run_blocking(
            fulfilment.cancel, request.order_id, request.reason, self.uow(), self.deps.now()
        )
        return pb.CancelFulfilmentOrderResponse(order=fm.fulfilment_message(order))

    async def list(
        self, request: pb.ListFulfilmentOrdersRequest
    ) -> pb.ListFulfilmentOrdersResponse:
        status = None
        if request.status != pb.FULFILMENT_STATUS_UNSPECIFIED:
            status = fm.STATUS_FROM_PB.get(request.status)
            if status is None:
                raise InvalidArgument(f"unknown fulfilment status {request.status}")
        size = request.page.page_size or DEFAULT_PAGE
        if size < 0:
            raise InvalidArgument(f"page_size {size} must not be negative")
        size = min(size, MAX_PAGE)
        offset = _offset(request.page.page_token)
        page = await self.run_blocking(fulfilment.list_orders, status, offset, size, self.uow())
        return pb.ListFulfilmentOrdersResponse(
            orders=[fm.fulfilment_message(o) for o in page.orders],
            next_page_token=_token(offset + size) if page.more else "",
            counts=[
                pb.StatusCount(status=fm.STATUS_TO_PB[s], orders=n)
                for s, n in sorted(page.counts.items(), key=lambda item: fm.STATUS_TO_PB[item[0]])
            ],
        )

    async def _write_batch(
        self, cmds: list[fulfilment.SubmitFulfilmentOrder]
    ) -> list[fulfilment.Submitted | DomainError]:
        outcomes = await self.run_blocking(
            fulfilment.submit_many, cmds, self.uow(), self.deps.now()
        )
        if any(isinstance(o, fulfilment.Submitted) and o.created for o in outcomes):
            self.on_submitted()
        return outcomes

    async def _active_warehouses(self) -> list:
        """Active warehouses for the promise check, read at most every few seconds: under
        load, reading the registry was a transaction per submitted order. The check only
        refuses promises nobody can keep; the allocation reads the registry afresh."""
        if time.monotonic() - self._warehouses_read_at > WAREHOUSES_MAX_AGE_SECONDS:
            self._warehouses = await self.run_blocking(
                registry.list_warehouses, self.uow(), None, True
            )
            self._warehouses_read_at = time.monotonic()
        return self._warehouses

    async def _check_skus(self, skus: list[str]) -> None:
        new = [s for s in skus if s not in self._known_skus]
        if not new:
            return
        stock = await self.deps.stock.availability(new)
        self._known_skus.update(sku for (_, sku) in stock)
        if unknown := [s for s in new if s not in self._known_skus]:
            shown = ", ".join(repr(s) for s in unknown[:10])
            more = f" and {len(unknown) - 10} more" if len(unknown) > 10 else ""
            raise FailedPrecondition(
                f"unknown SKU {shown}{more}: inventory has no record of it at any location "
                "(never registered or never stocked)"
            )
