"""The routing API as async functions of protobuf requests, shared by gRPC and NATS."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from cangpei.routing.v1 import routing_pb2 as pb
from cangpei.runtime.errors import InvalidArgument, NotFound

from ..adapters import messages
from ..service_layer import handlers
from ..service_layer.dispatcher import Dispatcher
from ..service_layer.ports import Depot, UnitOfWorkFactory


class RoutingApi:
    def __init__(
        self,
        uow_factory: UnitOfWorkFactory,
        dispatcher: Dispatcher,
        run_blocking: Callable[..., Awaitable[Any]],
    ) -> None:
        self.uow_factory = uow_factory
        self.dispatcher = dispatcher
        self.run_blocking = run_blocking

    async def _in_uow(self, fn: Callable[..., Any], *args: Any) -> Any:
        def call() -> Any:
            with self.uow_factory() as uow:
                return fn(*args, uow)

        return await self.run_blocking(call)

    async def register_depot(self, request: pb.RegisterDepotRequest) -> pb.RegisterDepotResponse:
        if not request.HasField("location"):
            raise InvalidArgument(f"depot {request.warehouse_id}: a location is required")
        depot = Depot(request.warehouse_id, request.location.latitude, request.location.longitude)
        await self._in_uow(handlers.register_depot, depot)
        return pb.RegisterDepotResponse()

    async def upsert_carrier(self, request: pb.UpsertCarrierRequest) -> pb.UpsertCarrierResponse:
        carrier = messages.carrier_from_message(request.carrier)
        saved = await self._in_uow(handlers.upsert_carrier, carrier)
        return pb.UpsertCarrierResponse(carrier=messages.carrier_message(saved))

    async def get_carrier(self, request: pb.GetCarrierRequest) -> pb.GetCarrierResponse:
        carrier = await self._in_uow(_get_carrier, request.carrier_id)
        return pb.GetCarrierResponse(carrier=messages.carrier_message(carrier))

    async def list_carriers(self, request: pb.ListCarriersRequest) -> pb.ListCarriersResponse:
        carriers = await self._in_uow(lambda uow: uow.repo.list_carriers())
        return pb.ListCarriersResponse(carriers=[messages.carrier_message(c) for c in carriers])

    async def upsert_vehicle(self, request: pb.UpsertVehicleRequest) -> pb.UpsertVehicleResponse:
        vehicle = messages.vehicle_from_message(request.vehicle)
        saved = await self._in_uow(handlers.upsert_vehicle, vehicle)
        return pb.UpsertVehicleResponse(vehicle=messages.vehicle_message(saved))

    async def list_vehicles(self, request: pb.ListVehiclesRequest) -> pb.ListVehiclesResponse:
        vehicles = await self._in_uow(lambda uow: uow.repo.list_vehicles(request.depot_id or None))
        return pb.ListVehiclesResponse(vehicles=[messages.vehicle_message(v) for v in vehicles])

    async def dispatch_wave(self, request: pb.DispatchWaveRequest) -> pb.DispatchWaveResponse:
        if not request.warehouse_id:
            raise InvalidArgument("warehouse_id is required to dispatch a wave")
        stored = await self.dispatcher.dispatch_wave(request.warehouse_id, request.wave_id)
        return pb.DispatchWaveResponse(plan=messages.plan_message(stored.plan, stored.revision))

    async def get_plan(self, request: pb.GetPlanRequest) -> pb.GetPlanResponse:
        stored = await self._in_uow(_get_plan, request.plan_id, request.warehouse_id)
        return pb.GetPlanResponse(plan=messages.plan_message(stored.plan, stored.revision))

    async def cancel_parcel(self, request: pb.CancelParcelRequest) -> pb.CancelParcelResponse:
        if not request.parcel_id:
            raise InvalidArgument("parcel_id is required to cancel a parcel")
        parcel, stored = await self.dispatcher.cancel_parcel(request.parcel_id)
        response = pb.CancelParcelResponse(parcel=messages.parcel_message(parcel))
        if stored is not None:
            response.plan.CopyFrom(messages.plan_message(stored.plan, stored.revision))
        return response

    async def confirm_departure(
        self, request: pb.ConfirmDepartureRequest
    ) -> pb.ConfirmDepartureResponse:
        stored = await self._in_uow(handlers.confirm_departure, request.plan_id)
        return pb.ConfirmDepartureResponse(plan=messages.plan_message(stored.plan, stored.revision))

    async def get_parcel(self, request: pb.GetParcelRequest) -> pb.GetParcelResponse:
        parcel = await self._in_uow(handlers.require_parcel_in, request.parcel_id)
        response = pb.GetParcelResponse(parcel=messages.parcel_message(parcel))
        dispatch = messages.dispatch_message(parcel)
        if dispatch is not None:
            response.dispatch.CopyFrom(dispatch)
        return response


def _get_carrier(carrier_id: str, uow) -> Any:
    carrier = uow.repo.get_carrier(carrier_id)
    if carrier is None:
        raise NotFound(f"no carrier {carrier_id!r}")
    return carrier


def _get_plan(plan_id: str, warehouse_id: str, uow) -> Any:
    if plan_id:
        stored = uow.repo.get_plan(plan_id)
        if stored is None:
            raise NotFound(f"no dispatch plan {plan_id!r}")
        return stored
    if not warehouse_id:
        raise InvalidArgument("give a plan_id, or a warehouse_id for its open plan")
    stored = uow.repo.open_plan(warehouse_id)
    if stored is None:
        raise NotFound(f"warehouse {warehouse_id!r} has no open plan")
    return stored
