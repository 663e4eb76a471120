"""The inventory API, one async method per RPC, shared by the gRPC servicer and NATS replies.

Each method turns a request into a command, runs the handler off the event loop
(reservations through the admission queue) and turns the answer into a response.
Domain errors pass through; the runtime maps them to statuses.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from cangpei.inventory.v1 import inventory_pb2 as pb
from services.inventory.domain import commands as c
from services.inventory.entrypoints import messages as m
from services.inventory.service_layer.admission import ReservationAdmission
from services.inventory.service_layer.handlers import InventoryService
from services.inventory.service_layer.queries import InventoryQueries

T = TypeVar("T")
RunBlocking = Callable[..., Awaitable[Any]]


class InventoryApi:
    def __init__(
        self,
        service: InventoryService,
        queries: InventoryQueries,
        admission: ReservationAdmission,
        run_blocking: RunBlocking,
    ) -> None:
        self.service = service
        self.queries = queries
        self.admission = admission
        self.run_blocking = run_blocking

    async def reserve(self, request: pb.ReserveRequest) -> pb.ReserveResponse:
        reservation = await self.admission.submit(m.reserve_command(request))
        return m.reserve_response(reservation)

    async def get_availability(
        self, request: pb.GetAvailabilityRequest
    ) -> pb.GetAvailabilityResponse:
        levels = await self.run_blocking(
            self.queries.availability, list(request.skus), list(request.location_ids)
        )
        return pb.GetAvailabilityResponse(
            items=[
                pb.Availability(
                    sku=lv.sku,
                    location_id=lv.location_id,
                    on_hand=lv.on_hand,
                    reserved=lv.reserved,
                    available=lv.available,
                )
                for lv in levels
            ]
        )

    async def release(self, request: pb.ReleaseRequest) -> pb.ReleaseResponse:
        cmd = c.ReleaseReservation(request.reservation_id, request.actor, request.reason)
        reservation = await self.run_blocking(self.service.release, cmd)
        return pb.ReleaseResponse(reservation=m.reservation_message(reservation))

    async def commit(self, request: pb.CommitRequest) -> pb.CommitResponse:
        cmd = c.CommitReservation(request.reservation_id, request.actor, request.reference)
        reservation = await self.run_blocking(self.service.commit, cmd)
        return pb.CommitResponse(reservation=m.reservation_message(reservation))

    async def get_reservation(self, request: pb.GetReservationRequest) -> pb.GetReservationResponse:
        reservation = await self.run_blocking(self.queries.reservation, request.reservation_id)
        return pb.GetReservationResponse(reservation=m.reservation_message(reservation))

    async def register_location(
        self, request: pb.RegisterLocationRequest
    ) -> pb.RegisterLocationResponse:
        cmd = c.RegisterLocation(
            request.location_id, m.location_kind(request.kind), request.supplier_id
        )
        location = await self.run_blocking(self.service.register_location, cmd)
        return pb.RegisterLocationResponse(
            location_id=location.location_id,
            kind=m.location_kind_message(location.kind),
            supplier_id=location.supplier_id,
        )

    async def register_sku(self, request: pb.RegisterSkuRequest) -> pb.RegisterSkuResponse:
        cmd = c.RegisterSku(request.sku, request.low_stock_threshold)
        record = await self.run_blocking(self.service.register_sku, cmd)
        return pb.RegisterSkuResponse(
            sku=record.sku, low_stock_threshold=record.low_stock_threshold
        )

    async def set_low_stock_threshold(
        self, request: pb.SetLowStockThresholdRequest
    ) -> pb.SetLowStockThresholdResponse:
        cmd = c.SetLowStockThreshold(request.sku, request.threshold)
        result = await self.run_blocking(self.service.set_low_stock_threshold, cmd)
        return pb.SetLowStockThresholdResponse(
            sku=result.sku, threshold=result.threshold, available=result.available, low=result.low
        )

    async def receive_stock(self, request: pb.ReceiveStockRequest) -> pb.ReceiveStockResponse:
        cmd = c.ReceiveStock(
            request.idempotency_key,
            request.sku,
            request.location_id,
            request.quantity,
            request.actor,
            request.reference,
        )
        result = await self.run_blocking(self.service.receive, cmd)
        return pb.ReceiveStockResponse(entries=m.entries(result))

    async def adjust_stock(self, request: pb.AdjustStockRequest) -> pb.AdjustStockResponse:
        cmd = c.AdjustStock(
            request.idempotency_key,
            request.sku,
            request.location_id,
            request.delta,
            request.reason,
            request.actor,
            request.reference,
        )
        result = await self.run_blocking(self.service.adjust, cmd)
        return pb.AdjustStockResponse(entries=m.entries(result))

    async def transfer_stock(self, request: pb.TransferStockRequest) -> pb.TransferStockResponse:
        cmd = c.TransferStock(
            request.idempotency_key,
            request.sku,
            request.from_location_id,
            request.to_location_id,
            request.quantity,
            request.actor,
            request.reference,
        )
        result = await self.run_blocking(self.service.transfer, cmd)
        return pb.TransferStockResponse(entries=m.entries(result))

    async def return_stock(self, request: pb.ReturnStockRequest) -> pb.ReturnStockResponse:
        cmd = c.ReturnStock(
            request.idempotency_key,
            request.sku,
            request.location_id,
            request.quantity,
            request.actor,
            request.reference,
        )
        result = await self.run_blocking(self.service.return_stock, cmd)
        return pb.ReturnStockResponse(entries=m.entries(result))

    async def sync_supplier_stock(
        self, request: pb.SyncSupplierStockRequest
    ) -> pb.SyncSupplierStockResponse:
        result = await self.run_blocking(self.service.sync_supplier_stock, m.sync_command(request))
        return pb.SyncSupplierStockResponse(levels=m.synced_levels(result))

    async def get_history(self, request: pb.GetHistoryRequest) -> pb.GetHistoryResponse:
        page = await self.run_blocking(
            self.queries.history,
            request.sku,
            request.location_id,
            request.page.page_size,
            request.page.page_token,
        )
        return pb.GetHistoryResponse(
            entries=m.ledger_entries(page.items), next_page_token=page.next_page_token
        )

    async def list_low_stock(self, request: pb.ListLowStockRequest) -> pb.ListLowStockResponse:
        page = await self.run_blocking(
            self.queries.low_stock, request.page.page_size, request.page.page_token
        )
        return pb.ListLowStockResponse(
            items=[
                pb.LowStockItem(sku=r.sku, available=r.available, threshold=r.threshold)
                for r in page.items
            ],
            next_page_token=page.next_page_token,
        )
