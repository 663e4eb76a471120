"""The routing repository on SQLAlchemy Core, inside the unit of work's session."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import bindparam, func, select, update
from sqlalchemy.orm import Session

from ..domain.model import (
    Carrier,
    DispatchPlan,
    Parcel,
    ParcelStatus,
    PlanStatus,
    RateBand,
    Vehicle,
)
from ..service_layer.ports import Depot, StoredPlan
from .plan_codec import plan_from_json, plan_to_json
from .schema import carrier_usage, carriers, depots, parcels, plans, vehicle_days, vehicles

# Keep IN lists well under SQLite's and PostgreSQL's parameter limits.
IN_CHUNK = 500


def _aware(moment: datetime | None) -> datetime | None:
    """SQLite hands timestamps back without their zone; they were written in UTC."""
    if moment is not None and moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment


class SqlRoutingRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def _upsert(self, table: Any, key: dict[str, Any], values: dict[str, Any]) -> None:
        where = [table.c[name] == value for name, value in key.items()]
        found = self.session.execute(select(*table.primary_key.columns).where(*where)).first()
        if found:
            self.session.execute(update(table).where(*where).values(**values))
        else:
            self.session.execute(table.insert().values(**key, **values))

    # ---------------------------------------------------------------- depots

    def get_depot(self, warehouse_id: str) -> Depot | None:
        row = self.session.execute(
            select(depots).where(depots.c.warehouse_id == warehouse_id)
        ).first()
        return Depot(row.warehouse_id, row.latitude, row.longitude) if row else None

    def lock_depot(self, warehouse_id: str) -> None:
        """Serialise plan commits of one warehouse (SQLite's IMMEDIATE begin already does)."""
        if self.session.get_bind().dialect.name != "sqlite":
            self.session.execute(
                select(depots.c.warehouse_id)
                .where(depots.c.warehouse_id == warehouse_id)
                .with_for_update()
            )

    def save_depot(self, depot: Depot) -> None:
        self._upsert(
            depots,
            {"warehouse_id": depot.warehouse_id},
            {"latitude": depot.latitude, "longitude": depot.longitude},
        )

    # ---------------------------------------------------------------- carriers

    def get_carrier(self, carrier_id: str) -> Carrier | None:
        row = self.session.execute(
            select(carriers).where(carriers.c.carrier_id == carrier_id)
        ).first()
        return _carrier(row) if row else None

    def save_carrier(self, carrier: Carrier) -> None:
        self._upsert(
            carriers,
            {"carrier_id": carrier.carrier_id},
            {
                "name": carrier.name,
                "cutoff_minute": carrier.cutoff_minute,
                "default_daily_capacity": carrier.default_daily_capacity,
                "active": carrier.active,
                "bands": [
                    [b.max_km, b.first_weight_fen, b.additional_kg_fen, b.delivery_hours]
                    for b in carrier.bands
                ],
                "daily_capacity": dict(carrier.daily_capacity),
            },
        )

    def list_carriers(self) -> list[Carrier]:
        rows = self.session.execute(select(carriers).order_by(carriers.c.carrier_id))
        return [_carrier(row) for row in rows]

    # ---------------------------------------------------------------- vehicles

    def get_vehicle(self, vehicle_id: str) -> Vehicle | None:
        row = self.session.execute(
            select(vehicles).where(vehicles.c.vehicle_id == vehicle_id)
        ).first()
        return _vehicle(row) if row else None

    def save_vehicle(self, vehicle: Vehicle) -> None:
        values = {k: v for k, v in vehicle.__dict__.items() if k != "vehicle_id"}
        self._upsert(vehicles, {"vehicle_id": vehicle.vehicle_id}, values)

    def list_vehicles(self, depot_id: str | None = None) -> list[Vehicle]:
        query = select(vehicles).order_by(vehicles.c.vehicle_id)
        if depot_id:
            query = query.where(vehicles.c.depot_id == depot_id)
        return [_vehicle(row) for row in self.session.execute(query)]

    # ---------------------------------------------------------------- parcels

    def get_parcel(self, parcel_id: str) -> Parcel | None:
        row = self.session.execute(select(parcels).where(parcels.c.parcel_id == parcel_id)).first()
        return _parcel(row) if row else None

    def add_parcel(self, parcel: Parcel) -> None:
        self.session.execute(parcels.insert().values(**_parcel_values(parcel)))

    def update_parcel(self, parcel: Parcel) -> None:
        values = _parcel_values(parcel)
        values.pop("parcel_id")
        self.session.execute(
            update(parcels).where(parcels.c.parcel_id == parcel.parcel_id).values(**values)
        )

    def get_parcels(self, parcel_ids: Sequence[str]) -> dict[str, Parcel]:
        ids = list(parcel_ids)
        found: dict[str, Parcel] = {}
        for start in range(0, len(ids), IN_CHUNK):
            rows = self.session.execute(
                select(parcels).where(parcels.c.parcel_id.in_(ids[start : start + IN_CHUNK]))
            )
            found.update((row.parcel_id, _parcel(row)) for row in rows)
        return found

    def add_parcels(self, new: Sequence[Parcel]) -> None:
        if new:
            self.session.execute(parcels.insert(), [_parcel_values(p) for p in new])

    def update_parcels(self, changed: Sequence[Parcel]) -> None:
        """Several parcels in one statement (a wave's outcome)."""
        if not changed:
            return
        rows = [_parcel_values(p) for p in changed]
        columns = [name for name in rows[0] if name != "parcel_id"]
        self.session.execute(
            update(parcels)
            .where(parcels.c.parcel_id == bindparam("b_parcel_id"))
            .values({name: bindparam(f"b_{name}") for name in columns}),
            [{f"b_{k}": v for k, v in row.items()} for row in rows],
        )

    def pending_parcels(self, warehouse_id: str) -> list[Parcel]:
        rows = self.session.execute(
            select(parcels)
            .where(
                parcels.c.warehouse_id == warehouse_id,
                parcels.c.status == ParcelStatus.PENDING.value,
            )
            .order_by(parcels.c.parcel_id)
        )
        return [_parcel(row) for row in rows]

    def parcels_of_plan(self, plan_id: str) -> list[Parcel]:
        rows = self.session.execute(
            select(parcels).where(parcels.c.plan_id == plan_id).order_by(parcels.c.parcel_id)
        )
        return [_parcel(row) for row in rows]

    def warehouses_with_pending_parcels(self) -> list[str]:
        rows = self.session.execute(
            select(parcels.c.warehouse_id)
            .where(parcels.c.status == ParcelStatus.PENDING.value)
            .group_by(parcels.c.warehouse_id)
            .order_by(parcels.c.warehouse_id)
        )
        return [row.warehouse_id for row in rows]

    def warehouses_with_open_plan(self) -> list[str]:
        rows = self.session.execute(
            select(plans.c.warehouse_id)
            .where(plans.c.status == PlanStatus.PLANNED.value)
            .group_by(plans.c.warehouse_id)
            .order_by(plans.c.warehouse_id)
        )
        return [row.warehouse_id for row in rows]

    # ---------------------------------------------------------------- carrier usage

    def carrier_usage(self, warehouse_id: str, day: date) -> dict[str, int]:
        rows = self.session.execute(
            select(carrier_usage.c.carrier_id, carrier_usage.c.used).where(
                carrier_usage.c.warehouse_id == warehouse_id, carrier_usage.c.day == day
            )
        )
        return {row.carrier_id: row.used for row in rows}

    def add_carrier_usage(self, carrier_id: str, warehouse_id: str, day: date, delta: int) -> None:
        key = {"carrier_id": carrier_id, "warehouse_id": warehouse_id, "day": day}
        where = [carrier_usage.c[name] == value for name, value in key.items()]
        changed = self.session.execute(
            update(carrier_usage).where(*where).values(used=carrier_usage.c.used + delta)
        ).rowcount
        if not changed:
            self.session.execute(carrier_usage.insert().values(**key, used=delta))

    # ---------------------------------------------------------------- vehicle trips

    def vehicles_out(self, depot_id: str, day: date) -> dict[str, float]:
        rows = self.session.execute(
            select(vehicle_days.c.vehicle_id, vehicle_days.c.back_at_minute).where(
                vehicle_days.c.depot_id == depot_id, vehicle_days.c.day == day
            )
        )
        return {row.vehicle_id: row.back_at_minute for row in rows}

    def record_trip(self, vehicle_id: str, depot_id: str, day: date, back_at: float) -> None:
        key = {"vehicle_id": vehicle_id, "day": day}
        where = [vehicle_days.c[name] == value for name, value in key.items()]
        # Trips of one depot are recorded under its lock, so read-then-write is safe.
        known = self.session.execute(
            select(vehicle_days.c.back_at_minute).where(*where)
        ).scalar_one_or_none()
        if known is None:
            self.session.execute(
                vehicle_days.insert().values(**key, depot_id=depot_id, back_at_minute=back_at)
            )
        elif back_at > known:
            self.session.execute(update(vehicle_days).where(*where).values(back_at_minute=back_at))

    # ---------------------------------------------------------------- plans

    def get_plan(self, plan_id: str) -> StoredPlan | None:
        row = self.session.execute(select(plans).where(plans.c.plan_id == plan_id)).first()
        return StoredPlan(plan_from_json(row.body), row.revision) if row else None

    def open_plan(self, warehouse_id: str) -> StoredPlan | None:
        row = self.session.execute(
            select(plans)
            .where(
                plans.c.warehouse_id == warehouse_id,
                plans.c.status == PlanStatus.PLANNED.value,
            )
            .order_by(plans.c.planned_at.desc())
            .limit(1)
        ).first()
        return StoredPlan(plan_from_json(row.body), row.revision) if row else None

    def save_plan(self, plan: DispatchPlan, revision: int) -> None:
        self._upsert(
            plans,
            {"plan_id": plan.plan_id},
            {
                "warehouse_id": plan.warehouse_id,
                "wave_id": plan.wave_id,
                "status": plan.status.value,
                "revision": revision,
                "planned_at": plan.planned_at.astimezone(UTC),
                "total_cost_fen": plan.total_cost_fen,
                "body": plan_to_json(plan),
            },
        )

    def count_parcels(self) -> int:
        return self.session.execute(select(func.count()).select_from(parcels)).scalar_one()


def _carrier(row: Any) -> Carrier:
    return Carrier(
        carrier_id=row.carrier_id,
        name=row.name,
        bands=tuple(RateBand(*band) for band in row.bands),
        cutoff_minute=row.cutoff_minute,
        daily_capacity=dict(row.daily_capacity),
        default_daily_capacity=row.default_daily_capacity,
        active=row.active,
    )


def _vehicle(row: Any) -> Vehicle:
    return Vehicle(**{column.name: row._mapping[column.name] for column in vehicles.columns})


def _parcel(row: Any) -> Parcel:
    values = dict(row._mapping)
    values["status"] = ParcelStatus(values["status"])
    values["promised_by"] = _aware(values["promised_by"])
    return Parcel(**values)


def _parcel_values(parcel: Parcel) -> dict[str, Any]:
    values = dict(parcel.__dict__)
    values["status"] = parcel.status.value
    if parcel.promised_by is not None:
        values["promised_by"] = parcel.promised_by.astimezone(UTC)
    return values
