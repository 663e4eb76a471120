"""Translation between domain objects and the protobuf messages of the contract."""

from __future__ import annotations

from datetime import UTC, datetime

from google.protobuf.timestamp_pb2 import Timestamp

from cangpei.common.v1 import common_pb2
from cangpei.warehouse.v1 import warehouse_pb2 as pb

from ..domain.allocation_record import AllocationRecord, ReservedParcel
from ..domain.geo import GeoPoint
from ..domain.tiers import Tier
from ..domain.warehouse import Warehouse, WarehouseKind

KIND_TO_PB = {
    WarehouseKind.SATELLITE: pb.WAREHOUSE_KIND_SATELLITE,
    WarehouseKind.CENTRAL: pb.WAREHOUSE_KIND_CENTRAL,
    WarehouseKind.SUPPLIER_SITE: pb.WAREHOUSE_KIND_SUPPLIER_SITE,
}
KIND_FROM_PB = {v: k for k, v in KIND_TO_PB.items()}
TIER_TO_PB = {
    Tier.NEAR_SATELLITE: pb.SERVICE_TIER_NEAR_SATELLITE,
    Tier.FAR_SATELLITE: pb.SERVICE_TIER_FAR_SATELLITE,
    Tier.CENTRAL: pb.SERVICE_TIER_CENTRAL,
    Tier.SUPPLIER: pb.SERVICE_TIER_SUPPLIER,
}


def timestamp(moment: datetime | None) -> Timestamp | None:
    if moment is None:
        return None
    ts = Timestamp()
    ts.FromDatetime(moment.astimezone(UTC))
    return ts


def from_timestamp(ts: Timestamp) -> datetime:
    return ts.ToDatetime(tzinfo=UTC)


def point(p: GeoPoint) -> common_pb2.GeoPoint:
    return common_pb2.GeoPoint(latitude=p.latitude, longitude=p.longitude)


def warehouse_message(w: Warehouse) -> pb.Warehouse:
    return pb.Warehouse(
        warehouse_id=w.warehouse_id,
        name=w.name,
        kind=KIND_TO_PB[w.kind],
        location=point(w.location),
        service_radius_km=w.service_radius_km,
        daily_capacity_parcels=w.daily_capacity_parcels,
        cutoff_minute=w.cutoff_minute,
        active=w.active,
    )


def parcel_message(p: ReservedParcel, record: AllocationRecord) -> pb.AllocatedParcel:
    return pb.AllocatedParcel(
        parcel_id=p.parcel_id,
        warehouse_id=p.warehouse_id,
        origin=point(p.origin),
        destination=point(p.destination),
        lines=[pb.ParcelLine(sku=ln.sku, quantity=ln.quantity) for ln in p.lines],
        weight_grams=p.weight_grams,
        volume_cm3=p.volume_cm3,
        promised_by=timestamp(record.promised_by),
        reservation_id=p.reservation_id,
        distance_km=p.distance_km,
        tier=TIER_TO_PB[p.tier],
        explanation=p.explanation,
    )


def unserved_messages(record: AllocationRecord) -> list[pb.UnservedLine]:
    return [
        pb.UnservedLine(sku=u.sku, quantity=u.quantity, reason=u.reason) for u in record.unserved
    ]


def solve_summary(record: AllocationRecord) -> pb.SolveSummary:
    return pb.SolveSummary(
        status=record.solver_status,
        objective=record.objective,
        best_bound=record.best_bound,
        gap=record.gap,
        stopped_early=record.solver_status != "optimal",
    )


def allocation_message(record: AllocationRecord) -> pb.Allocation:
    return pb.Allocation(
        allocation_id=record.allocation_id,
        order_id=record.order_id,
        wave_id=record.wave_id,
        parcels=[parcel_message(p, record) for p in record.parcels],
        unserved=unserved_messages(record),
        explanations=list(record.explanations),
        created_at=timestamp(record.created_at),
        solve=solve_summary(record),
    )


def allocation_created(record: AllocationRecord, event_id: str) -> pb.AllocationCreated:
    return pb.AllocationCreated(
        event_id=event_id,
        allocation_id=record.allocation_id,
        order_id=record.order_id,
        parcels=[parcel_message(p, record) for p in record.parcels],
        occurred_at=timestamp(record.created_at),
        unserved=unserved_messages(record),
        wave_id=record.wave_id,
        explanations=list(record.explanations),
    )
