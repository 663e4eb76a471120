"""The service's operations on protobuf messages, shared by gRPC and NATS request/reply."""

from __future__ import annotations

import asyncio
import base64
import uuid
from collections.abc import Callable
from datetime import datetime

from cangpei.runtime.errors import InvalidArgument, NotFound
from cangpei.warehouse.v1 import warehouse_pb2 as pb

from ..adapters import messages as m
from ..config import WarehouseConfig
from ..domain.geo import GeoPoint
from ..domain.order import Order, make_order
from ..domain.warehouse import Warehouse
from ..service_layer import registry
from ..service_layer.allocate import AllocateOrders, AllocationDeps, allocate_orders
from ..service_layer.ports import UnitOfWork

DEFAULT_PAGE = 100
MAX_PAGE = 1000


class WarehouseApi:
    def __init__(
        self,
        uow: Callable[[], UnitOfWork],
        deps: AllocationDeps,
        config: WarehouseConfig,
    ) -> None:
        self.uow = uow
        self.deps = deps
        self.config = config
        self.run_blocking = deps.run_blocking
        # One allocation at a time in this process: capacity left today is read, planned
        # against and written back, and two waves must not spend the same capacity.
        self._allocating = asyncio.Lock()

    # ---------------------------------------------------------------- registry

    async def get_warehouse(self, request: pb.GetWarehouseRequest) -> pb.GetWarehouseResponse:
        w = await self.run_blocking(registry.get_warehouse, request.warehouse_id, self.uow())
        return pb.GetWarehouseResponse(warehouse=m.warehouse_message(w))

    async def register_warehouse(
        self, request: pb.RegisterWarehouseRequest
    ) -> pb.RegisterWarehouseResponse:
        w = _warehouse_from(request.warehouse)
        saved = await self.run_blocking(registry.register_warehouse, w, self.uow(), self.config)
        return pb.RegisterWarehouseResponse(warehouse=m.warehouse_message(saved))

    async def update_warehouse(
        self, request: pb.UpdateWarehouseRequest
    ) -> pb.UpdateWarehouseResponse:
        cmd = registry.UpdateWarehouse(
            warehouse_id=request.warehouse_id,
            name=request.name if request.HasField("name") else None,
            location=(
                GeoPoint.checked(
                    request.location.latitude, request.location.longitude, "warehouse location"
                )
                if request.HasField("location")
                else None
            ),
            service_radius_km=(
                request.service_radius_km if request.HasField("service_radius_km") else None
            ),
            daily_capacity_parcels=(
                request.daily_capacity_parcels
                if request.HasField("daily_capacity_parcels")
                else None
            ),
            cutoff_minute=request.cutoff_minute if request.HasField("cutoff_minute") else None,
            active=request.active if request.HasField("active") else None,
        )
        saved = await self.run_blocking(registry.update_warehouse, cmd, self.uow(), self.config)
        return pb.UpdateWarehouseResponse(warehouse=m.warehouse_message(saved))

    async def list_warehouses(self, request: pb.ListWarehousesRequest) -> pb.ListWarehousesResponse:
        kind = None
        if request.kind != pb.WAREHOUSE_KIND_UNSPECIFIED:
            kind = m.KIND_FROM_PB.get(request.kind)
            if kind is None:
                raise InvalidArgument(f"unknown warehouse kind {request.kind}")
        size = request.page.page_size or DEFAULT_PAGE
        if size < 0:
            raise InvalidArgument(f"page_size {size} must not be negative")
        size = min(size, MAX_PAGE)
        offset = _offset(request.page.page_token)
        found = await self.run_blocking(
            registry.list_warehouses, self.uow(), kind, request.active_only
        )
        page = found[offset : offset + size]
        more = offset + size < len(found)
        return pb.ListWarehousesResponse(
            warehouses=[m.warehouse_message(w) for w in page],
            next_page_token=_token(offset + size) if more else "",
        )

    async def get_coverage(self, request: pb.GetCoverageRequest) -> pb.GetCoverageResponse:
        if not request.HasField("point"):
            raise InvalidArgument("point is required: the latitude and longitude to cover")
        p = GeoPoint(request.point.latitude, request.point.longitude)
        found = await self.run_blocking(registry.coverage, p, self.uow(), self.config)
        return pb.GetCoverageResponse(
            entries=[
                pb.CoverageEntry(
                    warehouse=m.warehouse_message(c.warehouse),
                    tier=m.TIER_TO_PB[c.tier],
                    distance_km=c.distance_km,
                )
                for c in found
            ]
        )

    # ---------------------------------------------------------------- allocation

    async def allocate(self, request: pb.AllocateRequest) -> pb.AllocateResponse:
        if not request.HasField("order"):
            raise InvalidArgument("order is required")
        order = self._order_from(request.order, self.deps.now())
        result = await self._allocate(AllocateOrders(f"single-{order.order_id}", (order,)))
        return pb.AllocateResponse(allocation=m.allocation_message(result.records[0]))

    async def allocate_wave(self, request: pb.AllocateWaveRequest) -> pb.AllocateWaveResponse:
        now = self.deps.now()
        orders = tuple(self._order_from(o, now) for o in request.orders)
        wave_id = request.wave_id or f"wave-{uuid.uuid4().hex[:12]}"
        result = await self._allocate(AllocateOrders(wave_id, orders))
        report = result.report
        return pb.AllocateWaveResponse(
            wave_id=wave_id,
            allocations=[m.allocation_message(r) for r in result.records],
            solve=pb.SolveSummary(
                status=report.status.value,
                objective=report.objective,
                best_bound=report.best_bound,
                gap=report.gap,
                stopped_early=report.stopped_early,
            ),
            replanned_lines=result.replanned_lines,
        )

    async def get_allocation(self, request: pb.GetAllocationRequest) -> pb.GetAllocationResponse:
        if not (request.allocation_id or request.order_id):
            raise InvalidArgument("give allocation_id or order_id")

        def find():
            with self.uow() as uow:
                if request.allocation_id:
                    return uow.allocations.get(request.allocation_id)
                return uow.allocations.for_order(request.order_id)

        record = await self.run_blocking(find)
        if record is None:
            what = request.allocation_id or f"for order {request.order_id}"
            raise NotFound(f"no allocation {what}")
        return pb.GetAllocationResponse(allocation=m.allocation_message(record))

    async def _allocate(self, cmd: AllocateOrders):
        async with self._allocating:
            return await allocate_orders(cmd, self.deps)

    @staticmethod
    def _order_from(o: pb.Order, now: datetime) -> Order:
        if not o.HasField("destination"):
            raise InvalidArgument(f"order {o.order_id!r} has no destination")
        return make_order(
            o.order_id,
            [(ln.sku, ln.quantity) for ln in o.lines],
            o.destination.latitude,
            o.destination.longitude,
            m.from_timestamp(o.placed_at) if o.HasField("placed_at") else now,
            m.from_timestamp(o.promised_by) if o.HasField("promised_by") else None,
        )


def _warehouse_from(w: pb.Warehouse) -> Warehouse:
    kind = m.KIND_FROM_PB.get(w.kind)
    if kind is None:
        raise InvalidArgument(
            f"warehouse {w.warehouse_id!r}: kind must be satellite, central or supplier site"
        )
    if not w.HasField("location"):
        raise InvalidArgument(f"warehouse {w.warehouse_id!r}: location is required")
    return Warehouse(
        warehouse_id=w.warehouse_id,
        name=w.name,
        kind=kind,
        location=GeoPoint.checked(
            w.location.latitude, w.location.longitude, f"warehouse {w.warehouse_id!r}"
        ),
        service_radius_km=w.service_radius_km,
        daily_capacity_parcels=w.daily_capacity_parcels,
        cutoff_minute=w.cutoff_minute,
        active=w.active,
    )


def _offset(token: str) -> int:
    if not token:
        return 0
    try:
        return int(base64.urlsafe_b64decode(token.encode()).decode())
    except ValueError as exc:
        raise InvalidArgument(f"page_token {token!r} is not one this service gave out") from exc


def _token(offset: int) -> str:
    return base64.urlsafe_b64encode(str(offset).encode()).decode()
