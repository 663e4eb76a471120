"""The gRPC face of the inventory API: every method delegates to InventoryApi."""

from __future__ import annotations

import grpc

from cangpei.inventory.v1 import inventory_pb2 as pb
from cangpei.inventory.v1 import inventory_pb2_grpc
from services.inventory.entrypoints.api import InventoryApi


class InventoryServicer(inventory_pb2_grpc.InventoryServiceServicer):
    def __init__(self, api: InventoryApi) -> None:
        self.api = api

    async def Reserve(self, request: pb.ReserveRequest, context: grpc.aio.ServicerContext):
        return await self.api.reserve(request)

    async def GetAvailability(self, request, context):
        return await self.api.get_availability(request)

    async def Release(self, request, context):
        return await self.api.release(request)

    async def Commit(self, request, context):
        return await self.api.commit(request)

    async def GetReservation(self, request, context):
        return await self.api.get_reservation(request)

    async def RegisterLocation(self, request, context):
        return await self.api.register_location(request)

    async def RegisterSku(self, request, context):
        return await self.api.register_sku(request)

    async def SetLowStockThreshold(self, request, context):
        return await self.api.set_low_stock_threshold(request)

    async def ReceiveStock(self, request, context):
        return await self.api.receive_stock(request)

    async def AdjustStock(self, request, context):
        return await self.api.adjust_stock(request)

    async def TransferStock(self, request, context):
        return await self.api.transfer_stock(request)

    async def ReturnStock(self, request, context):
        return await self.api.return_stock(request)

    async def SyncSupplierStock(self, request, context):
        return await self.api.sync_supplier_stock(request)

    async def GetHistory(self, request, context):
        return await self.api.get_history(request)

    async def ListLowStock(self, request, context):
        return await self.api.list_low_stock(request)
