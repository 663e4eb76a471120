"""The automatic dispatch round, run every ``dispatch_interval_seconds``.

For each warehouse with parcels waiting or an open wave (a few warehouses at a time), under
a lock named after the warehouse (so two replicas never plan the same warehouse's wave at
once; the one that does not get the lock skips the warehouse this round):

1. an open wave that still holds a parcel cancelled since it was planned is re-planned
   without it; with no open wave, the waiting parcels are planned as a new wave (while
   a wave is open, parcels arriving wait for the next one, so a wave's departure time
   does not keep moving);
2. with automatic departure on, a wave planned at least ``auto_depart_after_seconds``
   ago departs (0: in the same round that planned it).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import AbstractContextManager, ExitStack, asynccontextmanager
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from cangpei.runtime.errors import DomainError

from ..config import RoutingConfig
from ..domain.model import ParcelStatus
from . import handlers
from .dispatcher import Dispatcher
from .ports import StoredPlan, UnitOfWorkFactory

log = logging.getLogger(__name__)

# A named lock across replicas: True when this process holds it for the block.
Exclusive = Callable[[str], AbstractContextManager[bool]]


@dataclass
class RoundResult:
    planned: list[StoredPlan] = field(default_factory=list)
    departed: list[StoredPlan] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # warehouses another replica held


@dataclass(frozen=True)
class WarehouseState:
    waiting: bool
    open_plan: StoredPlan | None
    holds_cancelled: bool


class DispatchRound:
    def __init__(
        self,
        dispatcher: Dispatcher,
        uow_factory: UnitOfWorkFactory,
        config: RoutingConfig,
        exclusive: Exclusive,
        run_blocking: Callable[..., Awaitable[Any]],
    ) -> None:
        self.dispatcher = dispatcher
        self.uow_factory = uow_factory
        self.config = config
        self.exclusive = exclusive
        self.run_blocking = run_blocking

    def _in_uow(self, fn: Callable[..., Any], *args: Any) -> Callable[[], Any]:
        def call() -> Any:
            with self.uow_factory() as uow:
                return fn(*args, uow)

        return call

    @asynccontextmanager
    async def _held(self, name: str) -> AsyncIterator[bool]:
        # Taking and giving back the lock may touch the database: off the event loop.
        stack = ExitStack()
        mine = await self.run_blocking(stack.enter_context, self.exclusive(name))
        try:
            yield mine
        finally:
            await self.run_blocking(stack.close)

    async def run(self) -> RoundResult:
        result = RoundResult()
        warehouses = await self.run_blocking(self._in_uow(_warehouses_with_work))
        slots = asyncio.Semaphore(max(1, self.config.dispatch_concurrency))

        async def one(warehouse_id: str) -> None:
            async with slots, self._held(f"routing-dispatch-{warehouse_id}") as mine:
                if not mine:
                    result.skipped.append(warehouse_id)
                    return
                try:
                    await self._warehouse(warehouse_id, result)
                except DomainError as exc:
                    # One warehouse's trouble (a wave changed while solved, ...) must not
                    # stop the others; the next round tries it again.
                    log.warning("dispatch round: warehouse %s: %s", warehouse_id, exc.message)

        outcomes = await asyncio.gather(*(one(w) for w in warehouses), return_exceptions=True)
        # Anything else (the database away, ...) ends the round once every warehouse's
        # step has finished, so none is left running into the next round.
        for outcome in outcomes:
            if isinstance(outcome, BaseException):
                raise outcome
        return result

    async def _warehouse(self, warehouse_id: str, result: RoundResult) -> None:
        # Read again under the lock: another replica may have just done the work.
        state = await self.run_blocking(self._in_uow(_warehouse_state, warehouse_id))
        if state.holds_cancelled or (state.open_plan is None and state.waiting):
            planned = await self.dispatcher.dispatch_wave(warehouse_id)
            result.planned.append(planned)
            state = WarehouseState(False, planned, False)
        if self.config.auto_depart and state.open_plan is not None:
            plan = state.open_plan.plan
            delay = timedelta(seconds=self.config.auto_depart_after_seconds)
            if plan.planned_at + delay <= self.dispatcher.clock():
                departed = await self.run_blocking(
                    self._in_uow(handlers.confirm_departure, plan.plan_id)
                )
                result.departed.append(departed)


def _warehouses_with_work(uow) -> list[str]:  # noqa: ANN001
    return sorted(
        set(uow.repo.warehouses_with_pending_parcels()) | set(uow.repo.warehouses_with_open_plan())
    )


def _warehouse_state(warehouse_id: str, uow) -> WarehouseState:  # noqa: ANN001
    repo = uow.repo
    waiting = warehouse_id in repo.warehouses_with_pending_parcels()
    stored = repo.open_plan(warehouse_id)
    holds_cancelled = False
    if stored is not None:
        in_plan = stored.plan.parcel_ids()
        holds_cancelled = any(
            p.status == ParcelStatus.CANCELLED and p.parcel_id in in_plan
            for p in repo.parcels_of_plan(stored.plan.plan_id)
        )
    return WarehouseState(waiting, stored, holds_cancelled)
