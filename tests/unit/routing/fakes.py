"""In-memory stand-ins for the routing service's ports."""

from __future__ import annotations

import copy
from datetime import date

from services.routing.domain.model import (
    Carrier,
    DispatchPlan,
    Parcel,
    ParcelStatus,
    PlanStatus,
    Vehicle,
)
from services.routing.service_layer.ports import Depot, StoredPlan


class FakeRepository:
    def __init__(self) -> None:
        self.depots: dict[str, Depot] = {}
        self.carriers: dict[str, Carrier] = {}
        self.vehicles: dict[str, Vehicle] = {}
        self.parcels: dict[str, Parcel] = {}
        self.usage: dict[tuple[str, str, date], int] = {}
        self.plans: dict[str, StoredPlan] = {}
        self.trips: dict[tuple[str, date], tuple[str, float]] = {}

    def get_depot(self, warehouse_id):
        return self.depots.get(warehouse_id)

    def save_depot(self, depot):
        self.depots[depot.warehouse_id] = depot

    def lock_depot(self, warehouse_id):
        pass

    def get_carrier(self, carrier_id):
        return self.carriers.get(carrier_id)

    def save_carrier(self, carrier):
        self.carriers[carrier.carrier_id] = carrier

    def list_carriers(self):
        return sorted(self.carriers.values(), key=lambda c: c.carrier_id)

    def get_vehicle(self, vehicle_id):
        return self.vehicles.get(vehicle_id)

    def save_vehicle(self, vehicle):
        self.vehicles[vehicle.vehicle_id] = vehicle

    def list_vehicles(self, depot_id=None):
        return [v for v in self.vehicles.values() if depot_id in (None, v.depot_id)]

    def get_parcel(self, parcel_id):
        parcel = self.parcels.get(parcel_id)
        return copy.copy(parcel) if parcel else None

    def add_parcel(self, parcel):
        self.parcels[parcel.parcel_id] = copy.copy(parcel)

    def update_parcel(self, parcel):
        self.parcels[parcel.parcel_id] = copy.copy(parcel)

    def get_parcels(self, parcel_ids):
        return {pid: copy.copy(self.parcels[pid]) for pid in parcel_ids if pid in self.parcels}

    def add_parcels(self, new):
        for parcel in new:
            self.add_parcel(parcel)

    def update_parcels(self, changed):
        for parcel in changed:
            self.update_parcel(parcel)

    def pending_parcels(self, warehouse_id):
        return [
            copy.copy(p)
            for p in self.parcels.values()
            if p.warehouse_id == warehouse_id and p.status == ParcelStatus.PENDING
        ]

    def parcels_of_plan(self, plan_id):
        return [copy.copy(p) for p in self.parcels.values() if p.plan_id == plan_id]

    def warehouses_with_pending_parcels(self):
        return sorted({p.warehouse_id for p in self.parcels.values() if p.status == "pending"})

    def warehouses_with_open_plan(self):
        return sorted(
            {s.plan.warehouse_id for s in self.plans.values() if s.plan.status == "planned"}
        )

    def carrier_usage(self, warehouse_id, day):
        return {c: n for (c, w, d), n in self.usage.items() if w == warehouse_id and d == day}

    def add_carrier_usage(self, carrier_id, warehouse_id, day, delta):
        key = (carrier_id, warehouse_id, day)
        self.usage[key] = self.usage.get(key, 0) + delta

    def vehicles_out(self, depot_id, day):
        return {
            v: back for (v, d), (depot, back) in self.trips.items() if (depot, d) == (depot_id, day)
        }

    def record_trip(self, vehicle_id, depot_id, day, back_at):
        known = self.trips.get((vehicle_id, day), (depot_id, back_at))[1]
        self.trips[(vehicle_id, day)] = (depot_id, max(known, back_at))

    def get_plan(self, plan_id):
        return self.plans.get(plan_id)

    def open_plan(self, warehouse_id):
        for stored in self.plans.values():
            plan: DispatchPlan = stored.plan
            if plan.warehouse_id == warehouse_id and plan.status == PlanStatus.PLANNED:
                return stored
        return None

    def save_plan(self, plan, revision):
        self.plans[plan.plan_id] = StoredPlan(plan, revision)


class FakeUnitOfWork:
    """Commits by copying the working state over the committed one; events likewise."""

    def __init__(self, store: FakeRepository, outbox: list) -> None:
        self.store = store
        self.outbox = outbox

    def __enter__(self):
        self.repo = copy.deepcopy(self.store)
        self.events: list = []
        return self

    def __exit__(self, *exc):
        return False

    def emit(self, event):
        self.events.append(event)

    def commit(self):
        self.store.__dict__.update(copy.deepcopy(self.repo).__dict__)
        self.outbox.extend(self.events)
        self.events = []


class FakeWorld:
    def __init__(self) -> None:
        self.store = FakeRepository()
        self.outbox: list = []

    def uow(self) -> FakeUnitOfWork:
        return FakeUnitOfWork(self.store, self.outbox)


async def run_inline(fn, *args):
    return fn(*args)
