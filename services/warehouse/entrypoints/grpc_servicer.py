"""gRPC door of the warehouse service: each method hands its request to the API.

Domain errors become their gRPC status in the runtime's interceptor.
"""

from __future__ import annotations

from cangpei.warehouse.v1 import warehouse_pb2 as pb
from cangpei.warehouse.v1 import warehouse_pb2_grpc

from .api import WarehouseApi
from .fulfilment_api import FulfilmentApi


class WarehouseServicer(warehouse_pb2_grpc.WarehouseServiceServicer):
    def __init__(self, api: WarehouseApi, fulfilment: FulfilmentApi | None = None) -> None:
        self.api = api
        self.fulfilment = fulfilment

    async def GetWarehouse(self, request: pb.GetWarehouseRequest, context):  # noqa: N802
        return await self.api.get_warehouse(request)

    async def RegisterWarehouse(self, request: pb.RegisterWarehouseRequest, context):  # noqa: N802
        return await self.api.register_warehouse(request)

    async def UpdateWarehouse(self, request: pb.UpdateWarehouseRequest, context):  # noqa: N802
        return await self.api.update_warehouse(request)

    async def ListWarehouses(self, request: pb.ListWarehousesRequest, context):  # noqa: N802
        return await self.api.list_warehouses(request)

    async def GetCoverage(self, request: pb.GetCoverageRequest, context):  # noqa: N802
        return await self.api.get_coverage(request)

    async def Allocate(self, request: pb.AllocateRequest, context):  # noqa: N802
        return await self.api.allocate(request)

    async def AllocateWave(self, request: pb.AllocateWaveRequest, context):  # noqa: N802
        return await self.api.allocate_wave(request)

    async def GetAllocation(self, request: pb.GetAllocationRequest, context):  # noqa: N802
        return await self.api.get_allocation(request)

    async def SubmitFulfilmentOrder(self, request, context):  # noqa: N802
        return await self.fulfilment.submit(request)

    async def GetFulfilmentOrder(self, request, context):  # noqa: N802
        return await self.fulfilment.get(request)

    async def CancelFulfilmentOrder(self, request, context):  # noqa: N802
        return await self.fulfilment.cancel(request)

    async def ListFulfilmentOrders(self, request, context):  # noqa: N802
        return await self.fulfilment.list(request)
