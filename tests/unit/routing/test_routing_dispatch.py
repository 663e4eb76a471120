from __future__ import annotations

from datetime import timedelta

import pytest

from cangpei.runtime.errors import FailedPrecondition, InvalidArgument, NotFound
from services.routing.adapters.ortools_vrptw import OrToolsVrpSolver, SearchSettings
from services.routing.config import RoutingConfig
from services.routing.domain.events import ParcelCancelled, ParcelDispatched, RoutePlanned
from services.routing.domain.model import ParcelStatus, RateBand
from services.routing.service_layer import handlers
from services.routing.service_layer.dispatcher import Dispatcher
from services.routing.service_layer.ports import Depot

from .fakes import FakeWorld, run_inline
from .helpers import WAREHOUSE, carrier, local, parcel, vehicle

SOLVER = OrToolsVrpSolver(SearchSettings(time_limit_seconds=0.5, strategy="gls"))


def make_dispatcher(world: FakeWorld, hour: int = 9) -> Dispatcher:
    return Dispatcher(
        world.uow,
        SOLVER,
        SOLVER,
        RoutingConfig(),
        run_inline,
        run_inline,
        clock=lambda: local(hour),
    )


def seeded_world(*parcels, vehicles=(), carriers=None) -> FakeWorld:
    world = FakeWorld()
    with world.uow() as uow:
        handlers.register_depot(Depot(*WAREHOUSE), uow)
    for c in carriers if carriers is not None else [carrier()]:
        with world.uow() as uow:
            handlers.upsert_carrier(c, uow)
    for v in vehicles:
        with world.uow() as uow:
            handlers.upsert_vehicle(v, uow)
    with world.uow() as uow:
        handlers.record_parcels(list(parcels), uow)
    return world


async def test_nearby_parcels_ride_the_cheap_own_vehicle() -> None:
    world = seeded_world(
        parcel("a", lat=31.25, lon=121.48),
        parcel("b", lat=31.24, lon=121.50),
        vehicles=[vehicle(cost_per_km_fen=50)],
    )
    stored = await make_dispatcher(world).dispatch_wave(WAREHOUSE[0])
    [route] = stored.plan.routes
    assert {s.parcel_id for s in route.stops} == {"a", "b"}
    assert route.stops[0].eta_minute < route.stops[1].eta_minute
    assert route.load_grams == 2000
    assert stored.plan.carriers == ()
    assert world.store.parcels["a"].vehicle_id == "v1"
    assert sum(isinstance(e, ParcelDispatched) for e in world.outbox) == 2
    assert sum(isinstance(e, RoutePlanned) for e in world.outbox) == 1


async def test_parcel_no_vehicle_can_reach_in_time_goes_to_a_carrier_with_a_reason() -> None:
    # Window 09:00-09:10 but 40 km away at 30 km/h: no vehicle gets there in time.
    late = parcel("far", lat=31.59, lon=121.47, window=(9 * 60, 9 * 60 + 10))
    # Cheap to run, so that time, not price, is what keeps the parcel off the vehicle.
    world = seeded_world(late, vehicles=[vehicle(cost_per_km_fen=1)])
    stored = await make_dispatcher(world, hour=8).dispatch_wave(WAREHOUSE[0])
    assert stored.plan.routes == ()
    [assignment] = stored.plan.carriers
    assert assignment.carrier_id == "sf"
    assert "cheaper by carrier, or no vehicle can reach it in time" in assignment.reason
    assert world.store.parcels["far"].carrier_id == "sf"


async def test_window_closed_before_the_promise_is_explained() -> None:
    late = parcel("late", window=(9 * 60, 10 * 60))
    world = seeded_world(late, vehicles=[vehicle()])
    stored = await make_dispatcher(world, hour=11).dispatch_wave(WAREHOUSE[0])
    assert "no vehicle can arrive within the delivery window" in stored.plan.carriers[0].reason


async def test_parcel_no_one_can_serve_is_reported_with_every_reason() -> None:
    beyond = parcel("beyond", lat=40.0, lon=116.4)  # Beijing: outside the 300 km card
    world = seeded_world(beyond)
    stored = await make_dispatcher(world).dispatch_wave(WAREHOUSE[0])
    [item] = stored.plan.unassigned
    assert "beyond carrier sf's coverage" in item.reason
    assert "has no own vehicles" in item.reason
    assert world.store.parcels["beyond"].status == ParcelStatus.UNASSIGNED


async def test_full_carrier_sends_the_next_parcel_to_the_next_cheapest() -> None:
    cheap = carrier("cheap", capacity=1)
    dear = carrier(
        "dear",
        bands=(RateBand(300, 5000, 500, 24),),
        capacity=10,
    )
    world = seeded_world(parcel("p1"), parcel("p2"), carriers=[cheap, dear])
    stored = await make_dispatcher(world).dispatch_wave(WAREHOUSE[0])
    assert sorted(a.carrier_id for a in stored.plan.carriers) == ["cheap", "dear"]


async def test_carrier_full_from_earlier_waves_takes_nothing_more() -> None:
    world = seeded_world(parcel("p1"), carriers=[carrier("sf", capacity=1)])
    dispatcher = make_dispatcher(world)
    await dispatcher.dispatch_wave(WAREHOUSE[0])
    with world.uow() as uow:
        handlers.confirm_departure(next(iter(world.store.plans)), uow)
        handlers.record_parcels([parcel("p2")], uow)
    stored = await dispatcher.dispatch_wave(WAREHOUSE[0])
    [item] = stored.plan.unassigned
    assert "daily capacity at this warehouse is full for sf" in item.reason


async def test_cancelling_before_departure_replans_without_the_parcel() -> None:
    world = seeded_world(
        parcel("a", lat=31.25, lon=121.48),
        parcel("b", lat=31.24, lon=121.50),
        parcel("c", lat=31.22, lon=121.45),
        vehicles=[vehicle()],
    )
    dispatcher = make_dispatcher(world)
    first = await dispatcher.dispatch_wave(WAREHOUSE[0])
    cancelled, replanned = await dispatcher.cancel_parcel("b")
    assert cancelled.status == ParcelStatus.CANCELLED
    assert replanned.plan.plan_id == first.plan.plan_id and replanned.revision == 2
    assert "b" not in replanned.plan.parcel_ids()
    assert replanned.plan.parcel_ids() == {"a", "c"}
    assert any(isinstance(e, ParcelCancelled) and e.parcel_id == "b" for e in world.outbox)


async def test_parcel_added_before_departure_joins_the_open_wave() -> None:
    world = seeded_world(parcel("a", lat=31.25, lon=121.48), vehicles=[vehicle()])
    dispatcher = make_dispatcher(world)
    first = await dispatcher.dispatch_wave(WAREHOUSE[0])
    with world.uow() as uow:
        handlers.record_parcels([parcel("d", lat=31.26, lon=121.49)], uow)
    again = await dispatcher.dispatch_wave(WAREHOUSE[0])
    assert again.plan.plan_id == first.plan.plan_id and again.revision == 2
    assert again.plan.parcel_ids() == {"a", "d"}
    dispatched = [e.parcel_id for e in world.outbox if isinstance(e, ParcelDispatched)]
    assert dispatched.count("a") == 1, "an unchanged parcel is not announced again"


async def test_parcel_that_left_cannot_be_cancelled() -> None:
    world = seeded_world(parcel("a"), vehicles=[vehicle()])
    dispatcher = make_dispatcher(world)
    stored = await dispatcher.dispatch_wave(WAREHOUSE[0])
    with world.uow() as uow:
        handlers.confirm_departure(stored.plan.plan_id, uow)
    with pytest.raises(FailedPrecondition, match="can no longer be cancelled"):
        await dispatcher.cancel_parcel("a")


async def test_unknown_warehouse_is_refused() -> None:
    world = seeded_world()
    with pytest.raises(NotFound, match="unknown warehouse 'nowhere'"):
        await make_dispatcher(world).dispatch_wave("nowhere")


def test_negative_weight_is_refused_and_nothing_is_stored() -> None:
    world = FakeWorld()
    with world.uow() as uow, pytest.raises(InvalidArgument, match="weight must be positive"):
        handlers.record_parcels([parcel("ok"), parcel("bad", weight_grams=-5)], uow)
    assert world.store.parcels == {}


def test_window_end_before_start_is_refused() -> None:
    world = FakeWorld()
    with world.uow() as uow, pytest.raises(InvalidArgument, match="window ends"):
        handlers.record_parcels([parcel("w", window=(600, 540))], uow)


def test_vehicle_for_an_unknown_depot_is_refused() -> None:
    world = FakeWorld()
    with world.uow() as uow, pytest.raises(NotFound, match="unknown warehouse"):
        handlers.upsert_vehicle(vehicle(), uow)


async def test_dispatch_round_plans_every_warehouse_with_waiting_parcels() -> None:
    world = seeded_world(parcel("a"), vehicles=[vehicle()])
    with world.uow() as uow:
        handlers.register_depot(Depot("wh-hz", 30.29, 120.16), uow)
    other = parcel("h1", lat=30.30, lon=120.20)
    other.warehouse_id, other.origin_latitude, other.origin_longitude = "wh-hz", 30.29, 120.16
    with world.uow() as uow:
        handlers.record_parcels([other], uow)
    plans = await make_dispatcher(world).dispatch_all_waiting()
    assert sorted(p.plan.warehouse_id for p in plans) == ["wh-hz", WAREHOUSE[0]]
    assert all(p.status != ParcelStatus.PENDING for p in world.store.parcels.values())
    assert await make_dispatcher(world).dispatch_all_waiting() == [], "nothing left waiting"


class NeverCalled:
    """A solver that must not be asked: the wave has no vehicle that can help."""

    def solve(self, problem, initial_routes=None):  # noqa: ANN001, ANN201
        raise AssertionError("the solver was asked for a wave no vehicle can serve")


async def test_after_every_shift_has_ended_the_wave_goes_to_carriers_without_a_solve() -> None:
    world = seeded_world(
        parcel("a", lat=31.25, lon=121.48),
        vehicles=[vehicle(cost_per_km_fen=50, shift=(8 * 60, 10 * 60))],
    )
    dispatcher = Dispatcher(
        world.uow,
        NeverCalled(),
        NeverCalled(),
        RoutingConfig(),
        run_inline,
        run_inline,
        clock=lambda: local(11),  # the van's shift ended at 10:00; carriers take until 18:00
    )
    stored = await dispatcher.dispatch_wave(WAREHOUSE[0])
    assert stored.plan.routes == ()
    [assignment] = stored.plan.carriers
    assert assignment.carrier_id == "sf"
    assert assignment.reason == (
        "the warehouse's own vehicles have no time left in their shifts (the last ends at 10:00)"
    )
    assert world.store.parcels["a"].status == ParcelStatus.DISPATCHED


def test_the_search_time_follows_the_wave_size_under_the_configured_ceiling() -> None:
    from services.routing.service_layer.solver_budget import MIN_SECONDS, time_limit_for

    assert time_limit_for(3, ceiling=1.0) == MIN_SECONDS
    assert time_limit_for(30, ceiling=1.0) < time_limit_for(60, ceiling=1.0) < 1.0
    assert time_limit_for(500, ceiling=1.0) == 1.0


async def test_after_the_cutoff_a_full_carrier_takes_parcels_for_tomorrows_pickup() -> None:
    # Today's single slot is used at 17:00; at 19:00 today's pickup (18:00) has gone, so
    # the parcel goes with tomorrow's and counts against tomorrow's capacity.
    world = seeded_world(parcel("p1"), carriers=[carrier("sf", capacity=1, cutoff_minute=18 * 60)])
    first = await make_dispatcher(world, hour=17).dispatch_wave(WAREHOUSE[0])
    assert [a.pickup_day for a in first.plan.carriers] == [local(17).date()]
    with world.uow() as uow:
        handlers.confirm_departure(first.plan.plan_id, uow)
        handlers.record_parcels([parcel("p2")], uow)
    evening = await make_dispatcher(world, hour=19).dispatch_wave(WAREHOUSE[0])
    [late] = evening.plan.carriers
    assert (late.parcel_id, late.pickup_day) == ("p2", local(17).date() + timedelta(days=1))
    with world.uow() as uow:
        assert uow.repo.carrier_usage(WAREHOUSE[0], local(17).date()) == {"sf": 1}
        assert uow.repo.carrier_usage(WAREHOUSE[0], late.pickup_day) == {"sf": 1}


async def test_replanning_across_the_cutoff_moves_the_slot_to_tomorrow() -> None:
    world = seeded_world(parcel("p1"), carriers=[carrier("sf", capacity=5, cutoff_minute=18 * 60)])
    await make_dispatcher(world, hour=17).dispatch_wave(WAREHOUSE[0])
    with world.uow() as uow:
        handlers.record_parcels([parcel("p2")], uow)
    replanned = await make_dispatcher(world, hour=19).dispatch_wave(WAREHOUSE[0])
    tomorrow = local(17).date() + timedelta(days=1)
    assert {a.pickup_day for a in replanned.plan.carriers} == {tomorrow}
    with world.uow() as uow:
        assert uow.repo.carrier_usage(WAREHOUSE[0], local(17).date()) == {"sf": 0}
        assert uow.repo.carrier_usage(WAREHOUSE[0], tomorrow) == {"sf": 2}


class _NoSearch:
    """A solver that must not be asked: the wave is settled without a search."""

    def solve(self, problem, initial_routes=None):
        raise AssertionError("the routing search ran for a wave no vehicle can win")


async def test_a_vehicle_dearer_than_the_whole_wave_by_carrier_is_not_searched() -> None:
    # Two parcels by carrier cost 2 x 10 CNY; the vehicle's day alone costs 300 CNY.
    world = seeded_world(
        parcel("a", lat=31.25, lon=121.48),
        parcel("b", lat=31.24, lon=121.50),
        vehicles=[vehicle(fixed_cost_fen=30_000, cost_per_km_fen=50)],
    )
    no_search = _NoSearch()
    dispatcher = Dispatcher(
        world.uow,
        no_search,
        no_search,
        RoutingConfig(),
        run_inline,
        run_inline,
        clock=lambda: local(9),
    )
    stored = await dispatcher.dispatch_wave(WAREHOUSE[0])
    assert stored.plan.routes == ()
    assert {a.parcel_id for a in stored.plan.carriers} == {"a", "b"}
    reason = stored.plan.carriers[0].reason
    assert reason.startswith("cheaper by carrier: the cheapest vehicle trip (30")
    assert "the wave's 2 parcels by carrier (20.00 CNY)" in reason


async def test_a_vehicle_cheaper_than_the_wave_by_carrier_is_still_searched() -> None:
    # The same wave with a 5 CNY day: a route can beat 20 CNY of carrier prices.
    world = seeded_world(
        parcel("a", lat=31.25, lon=121.48),
        parcel("b", lat=31.24, lon=121.50),
        vehicles=[vehicle(fixed_cost_fen=500, cost_per_km_fen=50)],
    )
    stored = await make_dispatcher(world).dispatch_wave(WAREHOUSE[0])
    [route] = stored.plan.routes
    assert {s.parcel_id for s in route.stops} == {"a", "b"}
    assert route.cost_fen < 2000
