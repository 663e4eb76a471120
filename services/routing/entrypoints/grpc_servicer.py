"""gRPC entrypoint: each method hands the request to the API (domain errors become statuses
in the runtime's interceptor)."""

from __future__ import annotations

from cangpei.routing.v1 import routing_pb2_grpc

from .api import RoutingApi


class RoutingServicer(routing_pb2_grpc.RoutingServiceServicer):
    def __init__(self, api: RoutingApi) -> None:
        self.api = api

    async def GetParcel(self, request, context):  # noqa: N802
        return await self.api.get_parcel(request)

    async def RegisterDepot(self, request, context):  # noqa: N802
        return await self.api.register_depot(request)

    async def UpsertCarrier(self, request, context):  # noqa: N802
        return await self.api.upsert_carrier(request)

    async def GetCarrier(self, request, context):  # noqa: N802
        return await self.api.get_carrier(request)

    async def ListCarriers(self, request, context):  # noqa: N802
        return await self.api.list_carriers(request)

    async def UpsertVehicle(self, request, context):  # noqa: N802
        return await self.api.upsert_vehicle(request)

    async def ListVehicles(self, request, context):  # noqa: N802
        return await self.api.list_vehicles(request)

    async def DispatchWave(self, request, context):  # noqa: N802
        return await self.api.dispatch_wave(request)

    async def GetPlan(self, request, context):  # noqa: N802
        return await self.api.get_plan(request)

    async def CancelParcel(self, request, context):  # noqa: N802
        return await self.api.cancel_parcel(request)

    async def ConfirmDeparture(self, request, context):  # noqa: N802
        return await self.api.confirm_departure(request)
