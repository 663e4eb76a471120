"""Routing's part of the fulfilment flow: departures announce each parcel once, the
dispatch round plans and departs waves by itself under a per-warehouse lock, and a
cancelled or failed order's parcels are cancelled unless they already left."""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
from datetime import timedelta

from services.routing.adapters.ortools_vrptw import OrToolsVrpSolver, SearchSettings
from services.routing.config import RoutingConfig
from services.routing.domain.events import ParcelCancelled, ParcelDeparted, ParcelDispatched
from services.routing.domain.model import ParcelStatus, PlanStatus
from services.routing.service_layer import handlers
from services.routing.service_layer.dispatch_round import DispatchRound
from services.routing.service_layer.dispatcher import Dispatcher
from services.routing.service_layer.order_closures import (
    ClosedParcel,
    ParcelOutcome,
    cancel_order_parcels,
)
from services.routing.service_layer.ports import Depot

from .fakes import FakeWorld, run_inline
from .helpers import WAREHOUSE, carrier, local, parcel, vehicle

SOLVER = OrToolsVrpSolver(SearchSettings(time_limit_seconds=0.3, strategy="gls"))
NEAR = dict(lat=31.25, lon=121.48)
BEYOND_EVERYONE = dict(lat=40.0, lon=116.4)  # Beijing: no carrier card reaches it


class Clock:
    def __init__(self) -> None:
        self.now = local(9)

    def __call__(self):
        return self.now


class Locks:
    """Named locks as two replicas would see them: ``held`` are taken by the other one."""

    def __init__(self) -> None:
        self.held: set[str] = set()
        self.taken: list[str] = []

    @contextlib.contextmanager
    def exclusive(self, name: str):
        if name in self.held:
            yield False
            return
        self.held.add(name)
        self.taken.append(name)
        try:
            yield True
        finally:
            self.held.discard(name)


def world_with(*parcels) -> FakeWorld:
    world = FakeWorld()
    with world.uow() as uow:
        handlers.register_depot(Depot(*WAREHOUSE), uow)
    with world.uow() as uow:
        handlers.upsert_carrier(carrier(), uow)
    with world.uow() as uow:
        handlers.upsert_vehicle(vehicle(), uow)
    with world.uow() as uow:
        handlers.record_parcels(list(parcels), uow)
    return world


def round_for(world: FakeWorld, clock: Clock, locks: Locks | None = None, **config):
    settings = RoutingConfig(**config)
    dispatcher = Dispatcher(world.uow, SOLVER, SOLVER, settings, run_inline, run_inline, clock)
    locks = locks or Locks()
    return DispatchRound(dispatcher, world.uow, settings, locks.exclusive, run_inline), dispatcher


def departed(world: FakeWorld) -> list[str]:
    return sorted(e.parcel_id for e in world.outbox if isinstance(e, ParcelDeparted))


def close(world: FakeWorld, order_id: str, *parcel_ids: str) -> dict[str, ParcelOutcome]:
    items = [ClosedParcel(pid, WAREHOUSE[0], f"r-{pid}") for pid in parcel_ids]
    with world.uow() as uow:
        return cancel_order_parcels(order_id, items, f"order {order_id} cancelled", uow)


async def test_departure_announces_each_dispatched_parcel_once() -> None:
    world = world_with(parcel("a", **NEAR), parcel("far", **BEYOND_EVERYONE))
    _, dispatcher = round_for(world, Clock())
    stored = await dispatcher.dispatch_wave(WAREHOUSE[0])
    for _ in range(2):
        with world.uow() as uow:
            handlers.confirm_departure(stored.plan.plan_id, uow)

    [event] = [e for e in world.outbox if isinstance(e, ParcelDeparted)]
    assert (event.parcel_id, event.order_id, event.reservation_id) == ("a", "o-a", "r-a")
    assert event.plan_id == stored.plan.plan_id and event.vehicle_id == "v1"
    assert world.store.parcels["far"].status == ParcelStatus.PENDING, "unplaced waits for next"


async def test_round_plans_and_departs_at_once_by_default() -> None:
    world = world_with(parcel("a", **NEAR), parcel("b", lat=31.24, lon=121.50))
    dispatch_round, _ = round_for(world, Clock())

    result = await dispatch_round.run()

    assert [p.plan.warehouse_id for p in result.planned] == [WAREHOUSE[0]]
    assert [p.plan.status for p in result.departed] == [PlanStatus.DEPARTED]
    assert departed(world) == ["a", "b"]
    second = await dispatch_round.run()
    assert (second.planned, second.departed) == ([], [])
    assert departed(world) == ["a", "b"], "nothing departs twice"


async def test_wave_departs_once_its_delay_has_passed_and_latecomers_wait() -> None:
    world = world_with(parcel("a", **NEAR))
    clock = Clock()
    dispatch_round, _ = round_for(world, clock, auto_depart_after_seconds=60)

    first = await dispatch_round.run()
    assert len(first.planned) == 1 and first.departed == []
    with world.uow() as uow:
        handlers.record_parcels([parcel("late", lat=31.24, lon=121.50)], uow)
    clock.now += timedelta(seconds=30)
    assert (await dispatch_round.run()).departed == []
    assert world.store.parcels["late"].status == ParcelStatus.PENDING, "waits for the next wave"

    clock.now += timedelta(seconds=31)
    third = await dispatch_round.run()
    assert [p.plan.plan_id for p in third.departed] == [first.planned[0].plan.plan_id]
    assert departed(world) == ["a"]
    fourth = await dispatch_round.run()
    assert fourth.planned[0].plan.parcel_ids() == {"late"}


async def test_without_automatic_departure_waves_wait_for_confirmation() -> None:
    world = world_with(parcel("a", **NEAR))
    dispatch_round, _ = round_for(world, Clock(), auto_depart=False)
    result = await dispatch_round.run()
    assert len(result.planned) == 1 and result.departed == []
    assert departed(world) == []


async def test_round_skips_a_warehouse_another_replica_is_planning() -> None:
    world = world_with(parcel("a", **NEAR))
    locks = Locks()
    locks.held.add(f"routing-dispatch-{WAREHOUSE[0]}")
    dispatch_round, _ = round_for(world, Clock(), locks)

    result = await dispatch_round.run()

    assert result.skipped == [WAREHOUSE[0]] and result.planned == []
    assert world.store.parcels["a"].status == ParcelStatus.PENDING
    locks.held.clear()
    assert len((await dispatch_round.run()).planned) == 1
    assert locks.taken == [f"routing-dispatch-{WAREHOUSE[0]}"]


async def test_closed_order_cancels_waiting_parcels_once() -> None:
    world = world_with(parcel("a", **NEAR))
    assert close(world, "o-a", "a") == {"a": ParcelOutcome.CANCELLED}
    assert close(world, "o-a", "a") == {"a": ParcelOutcome.ALREADY_CANCELLED}
    assert world.store.parcels["a"].status == ParcelStatus.CANCELLED
    assert world.store.parcels["a"].reason == "order o-a cancelled"
    assert [e.parcel_id for e in world.outbox if isinstance(e, ParcelCancelled)] == ["a"]


async def test_cancelled_parcel_leaves_the_open_wave_before_it_departs() -> None:
    world = world_with(parcel("a", **NEAR), parcel("b", lat=31.24, lon=121.50))
    dispatch_round, dispatcher = round_for(world, Clock())
    opened = await dispatcher.dispatch_wave(WAREHOUSE[0])  # open, not departed yet

    assert close(world, "o-b", "b") == {"b": ParcelOutcome.CANCELLED}
    result = await dispatch_round.run()

    [replanned] = result.planned
    assert replanned.plan.plan_id == opened.plan.plan_id and replanned.revision == 2
    assert replanned.plan.parcel_ids() == {"a"}
    assert departed(world) == ["a"]


async def test_parcel_that_left_stays_departed_when_its_order_closes() -> None:
    world = world_with(parcel("a", **NEAR))
    dispatch_round, _ = round_for(world, Clock())
    await dispatch_round.run()
    assert close(world, "o-a", "a") == {"a": ParcelOutcome.DEPARTED}
    assert world.store.parcels["a"].status == ParcelStatus.DISPATCHED
    assert not any(isinstance(e, ParcelCancelled) for e in world.outbox)


async def test_cancellation_that_overtakes_the_allocation_keeps_the_parcel_out() -> None:
    world = world_with()
    assert close(world, "o-x", "x") == {"x": ParcelOutcome.HELD_BACK}
    with world.uow() as uow:
        handlers.record_parcels([parcel("x", **NEAR)], uow)
    assert world.store.parcels["x"].status == ParcelStatus.CANCELLED
    dispatch_round, _ = round_for(world, Clock())
    assert (await dispatch_round.run()).planned == []
    assert departed(world) == []


async def test_round_plans_a_carriers_only_warehouse_while_another_is_still_solving() -> None:
    # "wh-sh" has a van (its wave goes to the routing search); "zz-carriers" has none.
    other = dataclasses.replace(parcel("c", **NEAR), warehouse_id="zz-carriers")
    world = world_with(parcel("a", **NEAR))
    with world.uow() as uow:
        handlers.register_depot(Depot("zz-carriers", WAREHOUSE[1], WAREHOUSE[2]), uow)
    with world.uow() as uow:
        handlers.record_parcels([other], uow)

    def dispatched(parcel_id: str) -> bool:
        return any(
            isinstance(e, ParcelDispatched) and e.parcel_id == parcel_id for e in world.outbox
        )

    async def solve_after_the_other_warehouse(fn, *args):
        # Planned one warehouse after the other, "c" would wait behind this solve forever.
        deadline = asyncio.get_running_loop().time() + 5
        while not dispatched("c"):
            assert asyncio.get_running_loop().time() < deadline, "the round ran one at a time"
            await asyncio.sleep(0.01)
        return fn(*args)

    settings = RoutingConfig()
    dispatcher = Dispatcher(
        world.uow, SOLVER, SOLVER, settings, run_inline, solve_after_the_other_warehouse, Clock()
    )
    dispatch_round = DispatchRound(dispatcher, world.uow, settings, Locks().exclusive, run_inline)

    result = await dispatch_round.run()

    assert sorted(p.plan.warehouse_id for p in result.planned) == ["wh-sh", "zz-carriers"]
    assert dispatched("a") and dispatched("c")
