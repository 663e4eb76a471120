import datetime

from cangpei.common.v1 import common_pb2 as _common_pb2
from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class PlanStatus(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    PLAN_STATUS_UNSPECIFIED: _ClassVar[PlanStatus]
    PLAN_STATUS_PLANNED: _ClassVar[PlanStatus]
    PLAN_STATUS_DEPARTED: _ClassVar[PlanStatus]

class ParcelStatus(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    PARCEL_STATUS_UNSPECIFIED: _ClassVar[ParcelStatus]
    PARCEL_STATUS_PENDING: _ClassVar[ParcelStatus]
    PARCEL_STATUS_DISPATCHED: _ClassVar[ParcelStatus]
    PARCEL_STATUS_UNASSIGNED: _ClassVar[ParcelStatus]
    PARCEL_STATUS_CANCELLED: _ClassVar[ParcelStatus]
PLAN_STATUS_UNSPECIFIED: PlanStatus
PLAN_STATUS_PLANNED: PlanStatus
PLAN_STATUS_DEPARTED: PlanStatus
PARCEL_STATUS_UNSPECIFIED: ParcelStatus
PARCEL_STATUS_PENDING: ParcelStatus
PARCEL_STATUS_DISPATCHED: ParcelStatus
PARCEL_STATUS_UNASSIGNED: ParcelStatus
PARCEL_STATUS_CANCELLED: ParcelStatus

class RateBand(_message.Message):
    __slots__ = ("max_km", "first_weight_fen", "additional_kg_fen", "delivery_hours")
    MAX_KM_FIELD_NUMBER: _ClassVar[int]
    FIRST_WEIGHT_FEN_FIELD_NUMBER: _ClassVar[int]
    ADDITIONAL_KG_FEN_FIELD_NUMBER: _ClassVar[int]
    DELIVERY_HOURS_FIELD_NUMBER: _ClassVar[int]
    max_km: float
    first_weight_fen: int
    additional_kg_fen: int
    delivery_hours: float
    def __init__(self, max_km: _Optional[float] = ..., first_weight_fen: _Optional[int] = ..., additional_kg_fen: _Optional[int] = ..., delivery_hours: _Optional[float] = ...) -> None: ...

class WarehouseCapacity(_message.Message):
    __slots__ = ("warehouse_id", "parcels_per_day")
    WAREHOUSE_ID_FIELD_NUMBER: _ClassVar[int]
    PARCELS_PER_DAY_FIELD_NUMBER: _ClassVar[int]
    warehouse_id: str
    parcels_per_day: int
    def __init__(self, warehouse_id: _Optional[str] = ..., parcels_per_day: _Optional[int] = ...) -> None: ...

class Carrier(_message.Message):
    __slots__ = ("carrier_id", "name", "bands", "cutoff_minute", "capacities", "default_parcels_per_day", "active")
    CARRIER_ID_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    BANDS_FIELD_NUMBER: _ClassVar[int]
    CUTOFF_MINUTE_FIELD_NUMBER: _ClassVar[int]
    CAPACITIES_FIELD_NUMBER: _ClassVar[int]
    DEFAULT_PARCELS_PER_DAY_FIELD_NUMBER: _ClassVar[int]
    ACTIVE_FIELD_NUMBER: _ClassVar[int]
    carrier_id: str
    name: str
    bands: _containers.RepeatedCompositeFieldContainer[RateBand]
    cutoff_minute: int
    capacities: _containers.RepeatedCompositeFieldContainer[WarehouseCapacity]
    default_parcels_per_day: int
    active: bool
    def __init__(self, carrier_id: _Optional[str] = ..., name: _Optional[str] = ..., bands: _Optional[_Iterable[_Union[RateBand, _Mapping]]] = ..., cutoff_minute: _Optional[int] = ..., capacities: _Optional[_Iterable[_Union[WarehouseCapacity, _Mapping]]] = ..., default_parcels_per_day: _Optional[int] = ..., active: _Optional[bool] = ...) -> None: ...

class Vehicle(_message.Message):
    __slots__ = ("vehicle_id", "depot_id", "capacity_grams", "capacity_cm3", "shift_start_minute", "shift_end_minute", "fixed_cost_fen", "cost_per_km_fen", "active")
    VEHICLE_ID_FIELD_NUMBER: _ClassVar[int]
    DEPOT_ID_FIELD_NUMBER: _ClassVar[int]
    CAPACITY_GRAMS_FIELD_NUMBER: _ClassVar[int]
    CAPACITY_CM3_FIELD_NUMBER: _ClassVar[int]
    SHIFT_START_MINUTE_FIELD_NUMBER: _ClassVar[int]
    SHIFT_END_MINUTE_FIELD_NUMBER: _ClassVar[int]
    FIXED_COST_FEN_FIELD_NUMBER: _ClassVar[int]
    COST_PER_KM_FEN_FIELD_NUMBER: _ClassVar[int]
    ACTIVE_FIELD_NUMBER: _ClassVar[int]
    vehicle_id: str
    depot_id: str
    capacity_grams: int
    capacity_cm3: int
    shift_start_minute: int
    shift_end_minute: int
    fixed_cost_fen: int
    cost_per_km_fen: int
    active: bool
    def __init__(self, vehicle_id: _Optional[str] = ..., depot_id: _Optional[str] = ..., capacity_grams: _Optional[int] = ..., capacity_cm3: _Optional[int] = ..., shift_start_minute: _Optional[int] = ..., shift_end_minute: _Optional[int] = ..., fixed_cost_fen: _Optional[int] = ..., cost_per_km_fen: _Optional[int] = ..., active: _Optional[bool] = ...) -> None: ...

class RegisterDepotRequest(_message.Message):
    __slots__ = ("warehouse_id", "location")
    WAREHOUSE_ID_FIELD_NUMBER: _ClassVar[int]
    LOCATION_FIELD_NUMBER: _ClassVar[int]
    warehouse_id: str
    location: _common_pb2.GeoPoint
    def __init__(self, warehouse_id: _Optional[str] = ..., location: _Optional[_Union[_common_pb2.GeoPoint, _Mapping]] = ...) -> None: ...

class RegisterDepotResponse(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class UpsertCarrierRequest(_message.Message):
    __slots__ = ("carrier",)
    CARRIER_FIELD_NUMBER: _ClassVar[int]
    carrier: Carrier
    def __init__(self, carrier: _Optional[_Union[Carrier, _Mapping]] = ...) -> None: ...

class UpsertCarrierResponse(_message.Message):
    __slots__ = ("carrier",)
    CARRIER_FIELD_NUMBER: _ClassVar[int]
    carrier: Carrier
    def __init__(self, carrier: _Optional[_Union[Carrier, _Mapping]] = ...) -> None: ...

class GetCarrierRequest(_message.Message):
    __slots__ = ("carrier_id",)
    CARRIER_ID_FIELD_NUMBER: _ClassVar[int]
    carrier_id: str
    def __init__(self, carrier_id: _Optional[str] = ...) -> None: ...

class GetCarrierResponse(_message.Message):
    __slots__ = ("carrier",)
    CARRIER_FIELD_NUMBER: _ClassVar[int]
    carrier: Carrier
    def __init__(self, carrier: _Optional[_Union[Carrier, _Mapping]] = ...) -> None: ...

class ListCarriersRequest(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class ListCarriersResponse(_message.Message):
    __slots__ = ("carriers",)
    CARRIERS_FIELD_NUMBER: _ClassVar[int]
    carriers: _containers.RepeatedCompositeFieldContainer[Carrier]
    def __init__(self, carriers: _Optional[_Iterable[_Union[Carrier, _Mapping]]] = ...) -> None: ...

class UpsertVehicleRequest(_message.Message):
    __slots__ = ("vehicle",)
    VEHICLE_FIELD_NUMBER: _ClassVar[int]
    vehicle: Vehicle
    def __init__(self, vehicle: _Optional[_Union[Vehicle, _Mapping]] = ...) -> None: ...

class UpsertVehicleResponse(_message.Message):
    __slots__ = ("vehicle",)
    VEHICLE_FIELD_NUMBER: _ClassVar[int]
    vehicle: Vehicle
    def __init__(self, vehicle: _Optional[_Union[Vehicle, _Mapping]] = ...) -> None: ...

class ListVehiclesRequest(_message.Message):
    __slots__ = ("depot_id",)
    DEPOT_ID_FIELD_NUMBER: _ClassVar[int]
    depot_id: str
    def __init__(self, depot_id: _Optional[str] = ...) -> None: ...

class ListVehiclesResponse(_message.Message):
    __slots__ = ("vehicles",)
    VEHICLES_FIELD_NUMBER: _ClassVar[int]
    vehicles: _containers.RepeatedCompositeFieldContainer[Vehicle]
    def __init__(self, vehicles: _Optional[_Iterable[_Union[Vehicle, _Mapping]]] = ...) -> None: ...

class RouteStop(_message.Message):
    __slots__ = ("parcel_id", "eta_minute", "load_grams_after")
    PARCEL_ID_FIELD_NUMBER: _ClassVar[int]
    ETA_MINUTE_FIELD_NUMBER: _ClassVar[int]
    LOAD_GRAMS_AFTER_FIELD_NUMBER: _ClassVar[int]
    parcel_id: str
    eta_minute: float
    load_grams_after: int
    def __init__(self, parcel_id: _Optional[str] = ..., eta_minute: _Optional[float] = ..., load_grams_after: _Optional[int] = ...) -> None: ...

class VehicleRoute(_message.Message):
    __slots__ = ("vehicle_id", "stops", "distance_km", "load_grams", "load_cm3", "cost_fen")
    VEHICLE_ID_FIELD_NUMBER: _ClassVar[int]
    STOPS_FIELD_NUMBER: _ClassVar[int]
    DISTANCE_KM_FIELD_NUMBER: _ClassVar[int]
    LOAD_GRAMS_FIELD_NUMBER: _ClassVar[int]
    LOAD_CM3_FIELD_NUMBER: _ClassVar[int]
    COST_FEN_FIELD_NUMBER: _ClassVar[int]
    vehicle_id: str
    stops: _containers.RepeatedCompositeFieldContainer[RouteStop]
    distance_km: float
    load_grams: int
    load_cm3: int
    cost_fen: int
    def __init__(self, vehicle_id: _Optional[str] = ..., stops: _Optional[_Iterable[_Union[RouteStop, _Mapping]]] = ..., distance_km: _Optional[float] = ..., load_grams: _Optional[int] = ..., load_cm3: _Optional[int] = ..., cost_fen: _Optional[int] = ...) -> None: ...

class CarrierParcel(_message.Message):
    __slots__ = ("parcel_id", "carrier_id", "cost_fen", "reason")
    PARCEL_ID_FIELD_NUMBER: _ClassVar[int]
    CARRIER_ID_FIELD_NUMBER: _ClassVar[int]
    COST_FEN_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    parcel_id: str
    carrier_id: str
    cost_fen: int
    reason: str
    def __init__(self, parcel_id: _Optional[str] = ..., carrier_id: _Optional[str] = ..., cost_fen: _Optional[int] = ..., reason: _Optional[str] = ...) -> None: ...

class UnassignedParcel(_message.Message):
    __slots__ = ("parcel_id", "reason")
    PARCEL_ID_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    parcel_id: str
    reason: str
    def __init__(self, parcel_id: _Optional[str] = ..., reason: _Optional[str] = ...) -> None: ...

class Plan(_message.Message):
    __slots__ = ("plan_id", "revision", "warehouse_id", "wave_id", "status", "planned_at", "routes", "carrier_parcels", "unassigned", "total_cost_fen", "solve_seconds", "engine")
    PLAN_ID_FIELD_NUMBER: _ClassVar[int]
    REVISION_FIELD_NUMBER: _ClassVar[int]
    WAREHOUSE_ID_FIELD_NUMBER: _ClassVar[int]
    WAVE_ID_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    PLANNED_AT_FIELD_NUMBER: _ClassVar[int]
    ROUTES_FIELD_NUMBER: _ClassVar[int]
    CARRIER_PARCELS_FIELD_NUMBER: _ClassVar[int]
    UNASSIGNED_FIELD_NUMBER: _ClassVar[int]
    TOTAL_COST_FEN_FIELD_NUMBER: _ClassVar[int]
    SOLVE_SECONDS_FIELD_NUMBER: _ClassVar[int]
    ENGINE_FIELD_NUMBER: _ClassVar[int]
    plan_id: str
    revision: int
    warehouse_id: str
    wave_id: str
    status: PlanStatus
    planned_at: _timestamp_pb2.Timestamp
    routes: _containers.RepeatedCompositeFieldContainer[VehicleRoute]
    carrier_parcels: _containers.RepeatedCompositeFieldContainer[CarrierParcel]
    unassigned: _containers.RepeatedCompositeFieldContainer[UnassignedParcel]
    total_cost_fen: int
    solve_seconds: float
    engine: str
    def __init__(self, plan_id: _Optional[str] = ..., revision: _Optional[int] = ..., warehouse_id: _Optional[str] = ..., wave_id: _Optional[str] = ..., status: _Optional[_Union[PlanStatus, str]] = ..., planned_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., routes: _Optional[_Iterable[_Union[VehicleRoute, _Mapping]]] = ..., carrier_parcels: _Optional[_Iterable[_Union[CarrierParcel, _Mapping]]] = ..., unassigned: _Optional[_Iterable[_Union[UnassignedParcel, _Mapping]]] = ..., total_cost_fen: _Optional[int] = ..., solve_seconds: _Optional[float] = ..., engine: _Optional[str] = ...) -> None: ...

class DispatchWaveRequest(_message.Message):
    __slots__ = ("warehouse_id", "wave_id")
    WAREHOUSE_ID_FIELD_NUMBER: _ClassVar[int]
    WAVE_ID_FIELD_NUMBER: _ClassVar[int]
    warehouse_id: str
    wave_id: str
    def __init__(self, warehouse_id: _Optional[str] = ..., wave_id: _Optional[str] = ...) -> None: ...

class DispatchWaveResponse(_message.Message):
    __slots__ = ("plan",)
    PLAN_FIELD_NUMBER: _ClassVar[int]
    plan: Plan
    def __init__(self, plan: _Optional[_Union[Plan, _Mapping]] = ...) -> None: ...

class GetPlanRequest(_message.Message):
    __slots__ = ("plan_id", "warehouse_id")
    PLAN_ID_FIELD_NUMBER: _ClassVar[int]
    WAREHOUSE_ID_FIELD_NUMBER: _ClassVar[int]
    plan_id: str
    warehouse_id: str
    def __init__(self, plan_id: _Optional[str] = ..., warehouse_id: _Optional[str] = ...) -> None: ...

class GetPlanResponse(_message.Message):
    __slots__ = ("plan",)
    PLAN_FIELD_NUMBER: _ClassVar[int]
    plan: Plan
    def __init__(self, plan: _Optional[_Union[Plan, _Mapping]] = ...) -> None: ...

class CancelParcelRequest(_message.Message):
    __slots__ = ("parcel_id",)
    PARCEL_ID_FIELD_NUMBER: _ClassVar[int]
    parcel_id: str
    def __init__(self, parcel_id: _Optional[str] = ...) -> None: ...

class CancelParcelResponse(_message.Message):
    __slots__ = ("parcel", "plan")
    PARCEL_FIELD_NUMBER: _ClassVar[int]
    PLAN_FIELD_NUMBER: _ClassVar[int]
    parcel: ParcelState
    plan: Plan
    def __init__(self, parcel: _Optional[_Union[ParcelState, _Mapping]] = ..., plan: _Optional[_Union[Plan, _Mapping]] = ...) -> None: ...

class ConfirmDepartureRequest(_message.Message):
    __slots__ = ("plan_id",)
    PLAN_ID_FIELD_NUMBER: _ClassVar[int]
    plan_id: str
    def __init__(self, plan_id: _Optional[str] = ...) -> None: ...

class ConfirmDepartureResponse(_message.Message):
    __slots__ = ("plan",)
    PLAN_FIELD_NUMBER: _ClassVar[int]
    plan: Plan
    def __init__(self, plan: _Optional[_Union[Plan, _Mapping]] = ...) -> None: ...

class ParcelState(_message.Message):
    __slots__ = ("parcel_id", "order_id", "warehouse_id", "status", "plan_id", "carrier_id", "vehicle_id", "cost_fen", "reason")
    PARCEL_ID_FIELD_NUMBER: _ClassVar[int]
    ORDER_ID_FIELD_NUMBER: _ClassVar[int]
    WAREHOUSE_ID_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    PLAN_ID_FIELD_NUMBER: _ClassVar[int]
    CARRIER_ID_FIELD_NUMBER: _ClassVar[int]
    VEHICLE_ID_FIELD_NUMBER: _ClassVar[int]
    COST_FEN_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    parcel_id: str
    order_id: str
    warehouse_id: str
    status: ParcelStatus
    plan_id: str
    carrier_id: str
    vehicle_id: str
    cost_fen: int
    reason: str
    def __init__(self, parcel_id: _Optional[str] = ..., order_id: _Optional[str] = ..., warehouse_id: _Optional[str] = ..., status: _Optional[_Union[ParcelStatus, str]] = ..., plan_id: _Optional[str] = ..., carrier_id: _Optional[str] = ..., vehicle_id: _Optional[str] = ..., cost_fen: _Optional[int] = ..., reason: _Optional[str] = ...) -> None: ...

class GetParcelRequest(_message.Message):
    __slots__ = ("parcel_id",)
    PARCEL_ID_FIELD_NUMBER: _ClassVar[int]
    parcel_id: str
    def __init__(self, parcel_id: _Optional[str] = ...) -> None: ...

class GetParcelResponse(_message.Message):
    __slots__ = ("dispatch", "parcel")
    DISPATCH_FIELD_NUMBER: _ClassVar[int]
    PARCEL_FIELD_NUMBER: _ClassVar[int]
    dispatch: ParcelDispatched
    parcel: ParcelState
    def __init__(self, dispatch: _Optional[_Union[ParcelDispatched, _Mapping]] = ..., parcel: _Optional[_Union[ParcelState, _Mapping]] = ...) -> None: ...

class ParcelDispatched(_message.Message):
    __slots__ = ("event_id", "parcel_id", "order_id", "warehouse_id", "reservation_id", "carrier_id", "vehicle_id", "cost_fen", "occurred_at", "plan_id")
    EVENT_ID_FIELD_NUMBER: _ClassVar[int]
    PARCEL_ID_FIELD_NUMBER: _ClassVar[int]
    ORDER_ID_FIELD_NUMBER: _ClassVar[int]
    WAREHOUSE_ID_FIELD_NUMBER: _ClassVar[int]
    RESERVATION_ID_FIELD_NUMBER: _ClassVar[int]
    CARRIER_ID_FIELD_NUMBER: _ClassVar[int]
    VEHICLE_ID_FIELD_NUMBER: _ClassVar[int]
    COST_FEN_FIELD_NUMBER: _ClassVar[int]
    OCCURRED_AT_FIELD_NUMBER: _ClassVar[int]
    PLAN_ID_FIELD_NUMBER: _ClassVar[int]
    event_id: str
    parcel_id: str
    order_id: str
    warehouse_id: str
    reservation_id: str
    carrier_id: str
    vehicle_id: str
    cost_fen: int
    occurred_at: _timestamp_pb2.Timestamp
    plan_id: str
    def __init__(self, event_id: _Optional[str] = ..., parcel_id: _Optional[str] = ..., order_id: _Optional[str] = ..., warehouse_id: _Optional[str] = ..., reservation_id: _Optional[str] = ..., carrier_id: _Optional[str] = ..., vehicle_id: _Optional[str] = ..., cost_fen: _Optional[int] = ..., occurred_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., plan_id: _Optional[str] = ...) -> None: ...

class RoutePlanned(_message.Message):
    __slots__ = ("event_id", "plan_id", "revision", "warehouse_id", "route", "occurred_at")
    EVENT_ID_FIELD_NUMBER: _ClassVar[int]
    PLAN_ID_FIELD_NUMBER: _ClassVar[int]
    REVISION_FIELD_NUMBER: _ClassVar[int]
    WAREHOUSE_ID_FIELD_NUMBER: _ClassVar[int]
    ROUTE_FIELD_NUMBER: _ClassVar[int]
    OCCURRED_AT_FIELD_NUMBER: _ClassVar[int]
    event_id: str
    plan_id: str
    revision: int
    warehouse_id: str
    route: VehicleRoute
    occurred_at: _timestamp_pb2.Timestamp
    def __init__(self, event_id: _Optional[str] = ..., plan_id: _Optional[str] = ..., revision: _Optional[int] = ..., warehouse_id: _Optional[str] = ..., route: _Optional[_Union[VehicleRoute, _Mapping]] = ..., occurred_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class ParcelUnassigned(_message.Message):
    __slots__ = ("event_id", "parcel_id", "order_id", "warehouse_id", "plan_id", "reason", "occurred_at")
    EVENT_ID_FIELD_NUMBER: _ClassVar[int]
    PARCEL_ID_FIELD_NUMBER: _ClassVar[int]
    ORDER_ID_FIELD_NUMBER: _ClassVar[int]
    WAREHOUSE_ID_FIELD_NUMBER: _ClassVar[int]
    PLAN_ID_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    OCCURRED_AT_FIELD_NUMBER: _ClassVar[int]
    event_id: str
    parcel_id: str
    order_id: str
    warehouse_id: str
    plan_id: str
    reason: str
    occurred_at: _timestamp_pb2.Timestamp
    def __init__(self, event_id: _Optional[str] = ..., parcel_id: _Optional[str] = ..., order_id: _Optional[str] = ..., warehouse_id: _Optional[str] = ..., plan_id: _Optional[str] = ..., reason: _Optional[str] = ..., occurred_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class ParcelCancelled(_message.Message):
    __slots__ = ("event_id", "parcel_id", "order_id", "warehouse_id", "reservation_id", "occurred_at")
    EVENT_ID_FIELD_NUMBER: _ClassVar[int]
    PARCEL_ID_FIELD_NUMBER: _ClassVar[int]
    ORDER_ID_FIELD_NUMBER: _ClassVar[int]
    WAREHOUSE_ID_FIELD_NUMBER: _ClassVar[int]
    RESERVATION_ID_FIELD_NUMBER: _ClassVar[int]
    OCCURRED_AT_FIELD_NUMBER: _ClassVar[int]
    event_id: str
    parcel_id: str
    order_id: str
    warehouse_id: str
    reservation_id: str
    occurred_at: _timestamp_pb2.Timestamp
    def __init__(self, event_id: _Optional[str] = ..., parcel_id: _Optional[str] = ..., order_id: _Optional[str] = ..., warehouse_id: _Optional[str] = ..., reservation_id: _Optional[str] = ..., occurred_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class ParcelDeparted(_message.Message):
    __slots__ = ("event_id", "parcel_id", "order_id", "warehouse_id", "reservation_id", "plan_id", "carrier_id", "vehicle_id", "occurred_at")
    EVENT_ID_FIELD_NUMBER: _ClassVar[int]
    PARCEL_ID_FIELD_NUMBER: _ClassVar[int]
    ORDER_ID_FIELD_NUMBER: _ClassVar[int]
    WAREHOUSE_ID_FIELD_NUMBER: _ClassVar[int]
    RESERVATION_ID_FIELD_NUMBER: _ClassVar[int]
    PLAN_ID_FIELD_NUMBER: _ClassVar[int]
    CARRIER_ID_FIELD_NUMBER: _ClassVar[int]
    VEHICLE_ID_FIELD_NUMBER: _ClassVar[int]
    OCCURRED_AT_FIELD_NUMBER: _ClassVar[int]
    event_id: str
    parcel_id: str
    order_id: str
    warehouse_id: str
    reservation_id: str
    plan_id: str
    carrier_id: str
    vehicle_id: str
    occurred_at: _timestamp_pb2.Timestamp
    def __init__(self, event_id: _Optional[str] = ..., parcel_id: _Optional[str] = ..., order_id: _Optional[str] = ..., warehouse_id: _Optional[str] = ..., reservation_id: _Optional[str] = ..., plan_id: _Optional[str] = ..., carrier_id: _Optional[str] = ..., vehicle_id: _Optional[str] = ..., occurred_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...
