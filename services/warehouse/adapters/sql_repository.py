"""SQLAlchemy Core repositories for warehouses and allocations."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import UTC, date, datetime

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from cangpei.runtime.errors import AlreadyExists

from ..domain.allocation_record import (
    AllocationRecord,
    ReservedParcel,
    UnservedRecord,
)
from ..domain.geo import GeoPoint
from ..domain.order import OrderLine
from ..domain.tiers import Tier
from ..domain.warehouse import Warehouse, WarehouseKind
from .schema import allocations, parcels, warehouses

# Order ids per IN (...) query: well under every database's parameter limit.
IN_CHUNK = 500


def _aware(moment: datetime | None) -> datetime | None:
    # SQLite hands back naive datetimes; they were stored in UTC.
    if moment is not None and moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment


class SqlWarehouseRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def get(self, warehouse_id: str) -> Warehouse | None:
        row = self.session.execute(
            select(warehouses).where(warehouses.c.warehouse_id == warehouse_id)
        ).first()
        return _warehouse(row) if row else None

    def add(self, warehouse: Warehouse) -> None:
        self.session.execute(warehouses.insert().values(**_row(warehouse)))

    def update(self, warehouse: Warehouse) -> None:
        self.session.execute(
            warehouses.update()
            .where(warehouses.c.warehouse_id == warehouse.warehouse_id)
            .values(**_row(warehouse))
        )

    def list(self, kind: WarehouseKind | None = None, active_only: bool = False) -> list[Warehouse]:
        query = select(warehouses).order_by(warehouses.c.warehouse_id)
        if kind is not None:
            query = query.where(warehouses.c.kind == kind.value)
        if active_only:
            query = query.where(warehouses.c.active.is_(True))
        return [_warehouse(r) for r in self.session.execute(query)]


def _row(w: Warehouse) -> dict:
    return dict(
        warehouse_id=w.warehouse_id,
        name=w.name,
        kind=w.kind.value,
        latitude=w.location.latitude,
        longitude=w.location.longitude,
        service_radius_km=w.service_radius_km,
        daily_capacity_parcels=w.daily_capacity_parcels,
        cutoff_minute=w.cutoff_minute,
        active=w.active,
    )


def _warehouse(r) -> Warehouse:
    return Warehouse(
        warehouse_id=r.warehouse_id,
        name=r.name,
        kind=WarehouseKind(r.kind),
        location=GeoPoint(r.latitude, r.longitude),
        service_radius_km=r.service_radius_km,
        daily_capacity_parcels=r.daily_capacity_parcels,
        cutoff_minute=r.cutoff_minute,
        active=bool(r.active),
    )


class SqlAllocationRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def get(self, allocation_id: str) -> AllocationRecord | None:
        row = self.session.execute(
            select(allocations).where(allocations.c.allocation_id == allocation_id)
        ).first()
        return self._record(row) if row else None

    def for_order(self, order_id: str) -> AllocationRecord | None:
        row = self.session.execute(
            select(allocations).where(allocations.c.order_id == order_id)
        ).first()
        return self._record(row) if row else None

    def add(self, record: AllocationRecord) -> None:
        self.add_many([record])

    def add_many(self, records: Sequence[AllocationRecord]) -> None:
        """Insert a wave's allocations with one statement per table."""
        if not records:
            return
        try:
            self._insert(records)
        except IntegrityError as exc:
            orders = ", ".join(repr(r.order_id) for r in records[:3])
            more = f" (or another of {len(records)})" if len(records) > 3 else ""
            raise AlreadyExists(
                f"order {orders}{more} is already allocated; fetch it with GetAllocation"
            ) from exc

    def _insert(self, records: Sequence[AllocationRecord]) -> None:
        self.session.execute(
            allocations.insert(),
            [
                dict(
                    allocation_id=record.allocation_id,
                    order_id=record.order_id,
                    wave_id=record.wave_id,
                    created_at=record.created_at,
                    local_day=record.local_day,
                    promised_by=record.promised_by,
                    solver_status=record.solver_status,
                    objective=record.objective,
                    best_bound=record.best_bound,
                    gap=record.gap,
                    explanations=json.dumps(list(record.explanations), ensure_ascii=False),
                    unserved=json.dumps(
                        [
                            {"sku": u.sku, "quantity": u.quantity, "reason": u.reason}
                            for u in record.unserved
                        ],
                        ensure_ascii=False,
                    ),
                )
                for record in records
            ],
        )
        parcel_rows = [
            dict(
                parcel_id=p.parcel_id,
                allocation_id=record.allocation_id,
                position=i,
                warehouse_id=p.warehouse_id,
                local_day=record.local_day,
                tier=int(p.tier),
                distance_km=p.distance_km,
                origin_latitude=p.origin.latitude,
                origin_longitude=p.origin.longitude,
                destination_latitude=p.destination.latitude,
                destination_longitude=p.destination.longitude,
                lines=json.dumps([[ln.sku, ln.quantity] for ln in p.lines]),
                reservation_id=p.reservation_id,
                explanation=p.explanation,
            )
            for record in records
            for i, p in enumerate(record.parcels)
        ]
        if parcel_rows:
            self.session.execute(parcels.insert(), parcel_rows)

    def allocated(self, order_ids: Sequence[str]) -> dict[str, str]:
        found: dict[str, str] = {}
        ids = list(order_ids)
        for i in range(0, len(ids), IN_CHUNK):
            rows = self.session.execute(
                select(allocations.c.order_id, allocations.c.allocation_id).where(
                    allocations.c.order_id.in_(ids[i : i + IN_CHUNK])
                )
            )
            found.update({oid: aid for oid, aid in rows})
        return found

    def parcels_on(self, day: date) -> dict[str, int]:
        rows = self.session.execute(
            select(parcels.c.warehouse_id, func.count())
            .where(parcels.c.local_day == day)
            .group_by(parcels.c.warehouse_id)
        )
        return {wid: int(n) for wid, n in rows}

    def _record(self, row) -> AllocationRecord:
        parcel_rows = self.session.execute(
            select(parcels)
            .where(parcels.c.allocation_id == row.allocation_id)
            .order_by(parcels.c.position)
        )
        return AllocationRecord(
            allocation_id=row.allocation_id,
            order_id=row.order_id,
            wave_id=row.wave_id,
            created_at=_aware(row.created_at),
            local_day=row.local_day,
            promised_by=_aware(row.promised_by),
            parcels=tuple(
                ReservedParcel(
                    parcel_id=p.parcel_id,
                    warehouse_id=p.warehouse_id,
                    origin=GeoPoint(p.origin_latitude, p.origin_longitude),
                    destination=GeoPoint(p.destination_latitude, p.destination_longitude),
                    tier=Tier(p.tier),
                    distance_km=p.distance_km,
                    lines=tuple(OrderLine(s, q) for s, q in json.loads(p.lines)),
                    reservation_id=p.reservation_id,
                    explanation=p.explanation,
                )
                for p in parcel_rows
            ),
            unserved=tuple(UnservedRecord(**u) for u in json.loads(row.unserved)),
            explanations=tuple(json.loads(row.explanations)),
            solver_status=row.solver_status,
            objective=row.objective,
            best_bound=row.best_bound,
            gap=row.gap,
        )
