"""A vehicle that left on a route is out until it is back, and pays its fixed cost once a day."""

from __future__ import annotations

from services.routing.adapters.ortools_vrptw import OrToolsVrpSolver, SearchSettings
from services.routing.config import RoutingConfig
from services.routing.service_layer import handlers
from services.routing.service_layer.dispatcher import Dispatcher
from services.routing.service_layer.ports import Depot

from .fakes import FakeWorld, run_inline
from .helpers import WAREHOUSE, carrier, local, parcel, vehicle

SOLVER = OrToolsVrpSolver(SearchSettings(time_limit_seconds=0.5, strategy="gls"))
FIXED_FEN = 500
PER_KM_FEN = 20


def world_with_one_van() -> FakeWorld:
    world = FakeWorld()
    with world.uow() as uow:
        handlers.register_depot(Depot(*WAREHOUSE), uow)
        # A carrier dear enough that the van is worth its fixed cost for two parcels.
        handlers.upsert_carrier(carrier(), uow)
        handlers.upsert_vehicle(vehicle(fixed_cost_fen=FIXED_FEN, cost_per_km_fen=PER_KM_FEN), uow)
    return world


def add_parcels(world: FakeWorld, *ids: str) -> None:
    with world.uow() as uow:
        handlers.record_parcels(
            [parcel(pid, lat=31.25 + 0.01 * k, lon=121.48) for k, pid in enumerate(ids)], uow
        )


async def test_a_van_out_on_a_trip_takes_the_next_wave_only_once_back_and_without_fixed_cost():
    world = world_with_one_van()
    dispatcher = Dispatcher(
        world.uow, SOLVER, SOLVER, RoutingConfig(), run_inline, run_inline, clock=lambda: local(9)
    )
    add_parcels(world, "a", "b")
    first = await dispatcher.dispatch_wave(WAREHOUSE[0])
    [trip] = first.plan.routes
    assert trip.cost_fen == FIXED_FEN + round(trip.distance_km * PER_KM_FEN)
    # Back after the last stop, its service time and the drive home.
    assert trip.back_at_minute > trip.stops[-1].eta_minute
    with world.uow() as uow:
        handlers.confirm_departure(first.plan.plan_id, uow)

    add_parcels(world, "c", "d")
    second = await dispatcher.dispatch_wave(WAREHOUSE[0])
    [again] = second.plan.routes
    assert again.vehicle_id == trip.vehicle_id
    assert again.stops[0].eta_minute >= trip.back_at_minute
    assert again.cost_fen == round(again.distance_km * PER_KM_FEN)


async def test_a_van_back_after_its_shift_leaves_the_next_wave_to_carriers():
    world = world_with_one_van()
    dispatcher = Dispatcher(
        world.uow, SOLVER, SOLVER, RoutingConfig(), run_inline, run_inline, clock=lambda: local(9)
    )
    add_parcels(world, "a", "b")
    first = await dispatcher.dispatch_wave(WAREHOUSE[0])
    with world.uow() as uow:
        handlers.confirm_departure(first.plan.plan_id, uow)
        # As if the trip ran past the end of the shift (20:00).
        uow.repo.record_trip("v1", WAREHOUSE[0], local(9).date(), 20 * 60 + 5)
        uow.commit()

    add_parcels(world, "c")
    second = await dispatcher.dispatch_wave(WAREHOUSE[0])
    assert second.plan.routes == ()
    assert [a.parcel_id for a in second.plan.carriers] == ["c"]
