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

class ServiceTier(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    SERVICE_TIER_UNSPECIFIED: _ClassVar[ServiceTier]
    SERVICE_TIER_NEAR_SATELLITE: _ClassVar[ServiceTier]
    SERVICE_TIER_FAR_SATELLITE: _ClassVar[ServiceTier]
    SERVICE_TIER_CENTRAL: _ClassVar[ServiceTier]
    SERVICE_TIER_SUPPLIER: _ClassVar[ServiceTier]

class WarehouseKind(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    WAREHOUSE_KIND_UNSPECIFIED: _ClassVar[WarehouseKind]
    WAREHOUSE_KIND_SATELLITE: _ClassVar[WarehouseKind]
    WAREHOUSE_KIND_CENTRAL: _ClassVar[WarehouseKind]
    WAREHOUSE_KIND_SUPPLIER_SITE: _ClassVar[WarehouseKind]

class FulfilmentStatus(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    FULFILMENT_STATUS_UNSPECIFIED: _ClassVar[FulfilmentStatus]
    FULFILMENT_STATUS_RECEIVED: _ClassVar[FulfilmentStatus]
    FULFILMENT_STATUS_ALLOCATED: _ClassVar[FulfilmentStatus]
    FULFILMENT_STATUS_DISPATCHED: _ClassVar[FulfilmentStatus]
    FULFILMENT_STATUS_COMPLETED: _ClassVar[FulfilmentStatus]
    FULFILMENT_STATUS_CANCELLED: _ClassVar[FulfilmentStatus]
    FULFILMENT_STATUS_FAILED: _ClassVar[FulfilmentStatus]
SERVICE_TIER_UNSPECIFIED: ServiceTier
SERVICE_TIER_NEAR_SATELLITE: ServiceTier
SERVICE_TIER_FAR_SATELLITE: ServiceTier
SERVICE_TIER_CENTRAL: ServiceTier
SERVICE_TIER_SUPPLIER: ServiceTier
WAREHOUSE_KIND_UNSPECIFIED: WarehouseKind
WAREHOUSE_KIND_SATELLITE: WarehouseKind
WAREHOUSE_KIND_CENTRAL: WarehouseKind
WAREHOUSE_KIND_SUPPLIER_SITE: WarehouseKind
FULFILMENT_STATUS_UNSPECIFIED: FulfilmentStatus
FULFILMENT_STATUS_RECEIVED: FulfilmentStatus
FULFILMENT_STATUS_ALLOCATED: FulfilmentStatus
FULFILMENT_STATUS_DISPATCHED: FulfilmentStatus
FULFILMENT_STATUS_COMPLETED: FulfilmentStatus
FULFILMENT_STATUS_CANCELLED: FulfilmentStatus
FULFILMENT_STATUS_FAILED: FulfilmentStatus

class GetWarehouseRequest(_message.Message):
    __slots__ = ("warehouse_id",)
    WAREHOUSE_ID_FIELD_NUMBER: _ClassVar[int]
    warehouse_id: str
    def __init__(self, warehouse_id: _Optional[str] = ...) -> None: ...

class GetWarehouseResponse(_message.Message):
    __slots__ = ("warehouse",)
    WAREHOUSE_FIELD_NUMBER: _ClassVar[int]
    warehouse: Warehouse
    def __init__(self, warehouse: _Optional[_Union[Warehouse, _Mapping]] = ...) -> None: ...

class RegisterWarehouseRequest(_message.Message):
    __slots__ = ("warehouse",)
    WAREHOUSE_FIELD_NUMBER: _ClassVar[int]
    warehouse: Warehouse
    def __init__(self, warehouse: _Optional[_Union[Warehouse, _Mapping]] = ...) -> None: ...

class RegisterWarehouseResponse(_message.Message):
    __slots__ = ("warehouse",)
    WAREHOUSE_FIELD_NUMBER: _ClassVar[int]
    warehouse: Warehouse
    def __init__(self, warehouse: _Optional[_Union[Warehouse, _Mapping]] = ...) -> None: ...

class UpdateWarehouseRequest(_message.Message):
    __slots__ = ("warehouse_id", "name", "location", "service_radius_km", "daily_capacity_parcels", "cutoff_minute", "active")
    WAREHOUSE_ID_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    LOCATION_FIELD_NUMBER: _ClassVar[int]
    SERVICE_RADIUS_KM_FIELD_NUMBER: _ClassVar[int]
    DAILY_CAPACITY_PARCELS_FIELD_NUMBER: _ClassVar[int]
    CUTOFF_MINUTE_FIELD_NUMBER: _ClassVar[int]
    ACTIVE_FIELD_NUMBER: _ClassVar[int]
    warehouse_id: str
    name: str
    location: _common_pb2.GeoPoint
    service_radius_km: float
    daily_capacity_parcels: int
    cutoff_minute: int
    active: bool
    def __init__(self, warehouse_id: _Optional[str] = ..., name: _Optional[str] = ..., location: _Optional[_Union[_common_pb2.GeoPoint, _Mapping]] = ..., service_radius_km: _Optional[float] = ..., daily_capacity_parcels: _Optional[int] = ..., cutoff_minute: _Optional[int] = ..., active: _Optional[bool] = ...) -> None: ...

class UpdateWarehouseResponse(_message.Message):
    __slots__ = ("warehouse",)
    WAREHOUSE_FIELD_NUMBER: _ClassVar[int]
    warehouse: Warehouse
    def __init__(self, warehouse: _Optional[_Union[Warehouse, _Mapping]] = ...) -> None: ...

class ListWarehousesRequest(_message.Message):
    __slots__ = ("kind", "active_only", "page")
    KIND_FIELD_NUMBER: _ClassVar[int]
    ACTIVE_ONLY_FIELD_NUMBER: _ClassVar[int]
    PAGE_FIELD_NUMBER: _ClassVar[int]
    kind: WarehouseKind
    active_only: bool
    page: _common_pb2.PageRequest
    def __init__(self, kind: _Optional[_Union[WarehouseKind, str]] = ..., active_only: _Optional[bool] = ..., page: _Optional[_Union[_common_pb2.PageRequest, _Mapping]] = ...) -> None: ...

class ListWarehousesResponse(_message.Message):
    __slots__ = ("warehouses", "next_page_token")
    WAREHOUSES_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    warehouses: _containers.RepeatedCompositeFieldContainer[Warehouse]
    next_page_token: str
    def __init__(self, warehouses: _Optional[_Iterable[_Union[Warehouse, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...

class GetCoverageRequest(_message.Message):
    __slots__ = ("point",)
    POINT_FIELD_NUMBER: _ClassVar[int]
    point: _common_pb2.GeoPoint
    def __init__(self, point: _Optional[_Union[_common_pb2.GeoPoint, _Mapping]] = ...) -> None: ...

class CoverageEntry(_message.Message):
    __slots__ = ("warehouse", "tier", "distance_km")
    WAREHOUSE_FIELD_NUMBER: _ClassVar[int]
    TIER_FIELD_NUMBER: _ClassVar[int]
    DISTANCE_KM_FIELD_NUMBER: _ClassVar[int]
    warehouse: Warehouse
    tier: ServiceTier
    distance_km: float
    def __init__(self, warehouse: _Optional[_Union[Warehouse, _Mapping]] = ..., tier: _Optional[_Union[ServiceTier, str]] = ..., distance_km: _Optional[float] = ...) -> None: ...

class GetCoverageResponse(_message.Message):
    __slots__ = ("entries",)
    ENTRIES_FIELD_NUMBER: _ClassVar[int]
    entries: _containers.RepeatedCompositeFieldContainer[CoverageEntry]
    def __init__(self, entries: _Optional[_Iterable[_Union[CoverageEntry, _Mapping]]] = ...) -> None: ...

class Order(_message.Message):
    __slots__ = ("order_id", "lines", "destination", "placed_at", "promised_by")
    ORDER_ID_FIELD_NUMBER: _ClassVar[int]
    LINES_FIELD_NUMBER: _ClassVar[int]
    DESTINATION_FIELD_NUMBER: _ClassVar[int]
    PLACED_AT_FIELD_NUMBER: _ClassVar[int]
    PROMISED_BY_FIELD_NUMBER: _ClassVar[int]
    order_id: str
    lines: _containers.RepeatedCompositeFieldContainer[ParcelLine]
    destination: _common_pb2.GeoPoint
    placed_at: _timestamp_pb2.Timestamp
    promised_by: _timestamp_pb2.Timestamp
    def __init__(self, order_id: _Optional[str] = ..., lines: _Optional[_Iterable[_Union[ParcelLine, _Mapping]]] = ..., destination: _Optional[_Union[_common_pb2.GeoPoint, _Mapping]] = ..., placed_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., promised_by: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class AllocateRequest(_message.Message):
    __slots__ = ("order",)
    ORDER_FIELD_NUMBER: _ClassVar[int]
    order: Order
    def __init__(self, order: _Optional[_Union[Order, _Mapping]] = ...) -> None: ...

class AllocateResponse(_message.Message):
    __slots__ = ("allocation",)
    ALLOCATION_FIELD_NUMBER: _ClassVar[int]
    allocation: Allocation
    def __init__(self, allocation: _Optional[_Union[Allocation, _Mapping]] = ...) -> None: ...

class AllocateWaveRequest(_message.Message):
    __slots__ = ("wave_id", "orders")
    WAVE_ID_FIELD_NUMBER: _ClassVar[int]
    ORDERS_FIELD_NUMBER: _ClassVar[int]
    wave_id: str
    orders: _containers.RepeatedCompositeFieldContainer[Order]
    def __init__(self, wave_id: _Optional[str] = ..., orders: _Optional[_Iterable[_Union[Order, _Mapping]]] = ...) -> None: ...

class AllocateWaveResponse(_message.Message):
    __slots__ = ("wave_id", "allocations", "solve", "replanned_lines")
    WAVE_ID_FIELD_NUMBER: _ClassVar[int]
    ALLOCATIONS_FIELD_NUMBER: _ClassVar[int]
    SOLVE_FIELD_NUMBER: _ClassVar[int]
    REPLANNED_LINES_FIELD_NUMBER: _ClassVar[int]
    wave_id: str
    allocations: _containers.RepeatedCompositeFieldContainer[Allocation]
    solve: SolveSummary
    replanned_lines: int
    def __init__(self, wave_id: _Optional[str] = ..., allocations: _Optional[_Iterable[_Union[Allocation, _Mapping]]] = ..., solve: _Optional[_Union[SolveSummary, _Mapping]] = ..., replanned_lines: _Optional[int] = ...) -> None: ...

class GetAllocationRequest(_message.Message):
    __slots__ = ("allocation_id", "order_id")
    ALLOCATION_ID_FIELD_NUMBER: _ClassVar[int]
    ORDER_ID_FIELD_NUMBER: _ClassVar[int]
    allocation_id: str
    order_id: str
    def __init__(self, allocation_id: _Optional[str] = ..., order_id: _Optional[str] = ...) -> None: ...

class GetAllocationResponse(_message.Message):
    __slots__ = ("allocation",)
    ALLOCATION_FIELD_NUMBER: _ClassVar[int]
    allocation: Allocation
    def __init__(self, allocation: _Optional[_Union[Allocation, _Mapping]] = ...) -> None: ...

class SolveSummary(_message.Message):
    __slots__ = ("status", "objective", "best_bound", "gap", "stopped_early")
    STATUS_FIELD_NUMBER: _ClassVar[int]
    OBJECTIVE_FIELD_NUMBER: _ClassVar[int]
    BEST_BOUND_FIELD_NUMBER: _ClassVar[int]
    GAP_FIELD_NUMBER: _ClassVar[int]
    STOPPED_EARLY_FIELD_NUMBER: _ClassVar[int]
    status: str
    objective: int
    best_bound: int
    gap: float
    stopped_early: bool
    def __init__(self, status: _Optional[str] = ..., objective: _Optional[int] = ..., best_bound: _Optional[int] = ..., gap: _Optional[float] = ..., stopped_early: _Optional[bool] = ...) -> None: ...

class UnservedLine(_message.Message):
    __slots__ = ("sku", "quantity", "reason")
    SKU_FIELD_NUMBER: _ClassVar[int]
    QUANTITY_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    sku: str
    quantity: int
    reason: str
    def __init__(self, sku: _Optional[str] = ..., quantity: _Optional[int] = ..., reason: _Optional[str] = ...) -> None: ...

class Allocation(_message.Message):
    __slots__ = ("allocation_id", "order_id", "wave_id", "parcels", "unserved", "explanations", "created_at", "solve")
    ALLOCATION_ID_FIELD_NUMBER: _ClassVar[int]
    ORDER_ID_FIELD_NUMBER: _ClassVar[int]
    WAVE_ID_FIELD_NUMBER: _ClassVar[int]
    PARCELS_FIELD_NUMBER: _ClassVar[int]
    UNSERVED_FIELD_NUMBER: _ClassVar[int]
    EXPLANATIONS_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    SOLVE_FIELD_NUMBER: _ClassVar[int]
    allocation_id: str
    order_id: str
    wave_id: str
    parcels: _containers.RepeatedCompositeFieldContainer[AllocatedParcel]
    unserved: _containers.RepeatedCompositeFieldContainer[UnservedLine]
    explanations: _containers.RepeatedScalarFieldContainer[str]
    created_at: _timestamp_pb2.Timestamp
    solve: SolveSummary
    def __init__(self, allocation_id: _Optional[str] = ..., order_id: _Optional[str] = ..., wave_id: _Optional[str] = ..., parcels: _Optional[_Iterable[_Union[AllocatedParcel, _Mapping]]] = ..., unserved: _Optional[_Iterable[_Union[UnservedLine, _Mapping]]] = ..., explanations: _Optional[_Iterable[str]] = ..., created_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., solve: _Optional[_Union[SolveSummary, _Mapping]] = ...) -> None: ...

class Warehouse(_message.Message):
    __slots__ = ("warehouse_id", "name", "kind", "location", "service_radius_km", "daily_capacity_parcels", "cutoff_minute", "active")
    WAREHOUSE_ID_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    LOCATION_FIELD_NUMBER: _ClassVar[int]
    SERVICE_RADIUS_KM_FIELD_NUMBER: _ClassVar[int]
    DAILY_CAPACITY_PARCELS_FIELD_NUMBER: _ClassVar[int]
    CUTOFF_MINUTE_FIELD_NUMBER: _ClassVar[int]
    ACTIVE_FIELD_NUMBER: _ClassVar[int]
    warehouse_id: str
    name: str
    kind: WarehouseKind
    location: _common_pb2.GeoPoint
    service_radius_km: float
    daily_capacity_parcels: int
    cutoff_minute: int
    active: bool
    def __init__(self, warehouse_id: _Optional[str] = ..., name: _Optional[str] = ..., kind: _Optional[_Union[WarehouseKind, str]] = ..., location: _Optional[_Union[_common_pb2.GeoPoint, _Mapping]] = ..., service_radius_km: _Optional[float] = ..., daily_capacity_parcels: _Optional[int] = ..., cutoff_minute: _Optional[int] = ..., active: _Optional[bool] = ...) -> None: ...

class ParcelLine(_message.Message):
    __slots__ = ("sku", "quantity")
    SKU_FIELD_NUMBER: _ClassVar[int]
    QUANTITY_FIELD_NUMBER: _ClassVar[int]
    sku: str
    quantity: int
    def __init__(self, sku: _Optional[str] = ..., quantity: _Optional[int] = ...) -> None: ...

class AllocatedParcel(_message.Message):
    __slots__ = ("parcel_id", "warehouse_id", "origin", "destination", "lines", "weight_grams", "volume_cm3", "promised_by", "delivery_window", "reservation_id", "distance_km", "tier", "explanation")
    PARCEL_ID_FIELD_NUMBER: _ClassVar[int]
    WAREHOUSE_ID_FIELD_NUMBER: _ClassVar[int]
    ORIGIN_FIELD_NUMBER: _ClassVar[int]
    DESTINATION_FIELD_NUMBER: _ClassVar[int]
    LINES_FIELD_NUMBER: _ClassVar[int]
    WEIGHT_GRAMS_FIELD_NUMBER: _ClassVar[int]
    VOLUME_CM3_FIELD_NUMBER: _ClassVar[int]
    PROMISED_BY_FIELD_NUMBER: _ClassVar[int]
    DELIVERY_WINDOW_FIELD_NUMBER: _ClassVar[int]
    RESERVATION_ID_FIELD_NUMBER: _ClassVar[int]
    DISTANCE_KM_FIELD_NUMBER: _ClassVar[int]
    TIER_FIELD_NUMBER: _ClassVar[int]
    EXPLANATION_FIELD_NUMBER: _ClassVar[int]
    parcel_id: str
    warehouse_id: str
    origin: _common_pb2.GeoPoint
    destination: _common_pb2.GeoPoint
    lines: _containers.RepeatedCompositeFieldContainer[ParcelLine]
    weight_grams: int
    volume_cm3: int
    promised_by: _timestamp_pb2.Timestamp
    delivery_window: _common_pb2.TimeWindow
    reservation_id: str
    distance_km: float
    tier: ServiceTier
    explanation: str
    def __init__(self, parcel_id: _Optional[str] = ..., warehouse_id: _Optional[str] = ..., origin: _Optional[_Union[_common_pb2.GeoPoint, _Mapping]] = ..., destination: _Optional[_Union[_common_pb2.GeoPoint, _Mapping]] = ..., lines: _Optional[_Iterable[_Union[ParcelLine, _Mapping]]] = ..., weight_grams: _Optional[int] = ..., volume_cm3: _Optional[int] = ..., promised_by: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., delivery_window: _Optional[_Union[_common_pb2.TimeWindow, _Mapping]] = ..., reservation_id: _Optional[str] = ..., distance_km: _Optional[float] = ..., tier: _Optional[_Union[ServiceTier, str]] = ..., explanation: _Optional[str] = ...) -> None: ...

class AllocationCreated(_message.Message):
    __slots__ = ("event_id", "allocation_id", "order_id", "parcels", "occurred_at", "unserved", "wave_id", "explanations")
    EVENT_ID_FIELD_NUMBER: _ClassVar[int]
    ALLOCATION_ID_FIELD_NUMBER: _ClassVar[int]
    ORDER_ID_FIELD_NUMBER: _ClassVar[int]
    PARCELS_FIELD_NUMBER: _ClassVar[int]
    OCCURRED_AT_FIELD_NUMBER: _ClassVar[int]
    UNSERVED_FIELD_NUMBER: _ClassVar[int]
    WAVE_ID_FIELD_NUMBER: _ClassVar[int]
    EXPLANATIONS_FIELD_NUMBER: _ClassVar[int]
    event_id: str
    allocation_id: str
    order_id: str
    parcels: _containers.RepeatedCompositeFieldContainer[AllocatedParcel]
    occurred_at: _timestamp_pb2.Timestamp
    unserved: _containers.RepeatedCompositeFieldContainer[UnservedLine]
    wave_id: str
    explanations: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, event_id: _Optional[str] = ..., allocation_id: _Optional[str] = ..., order_id: _Optional[str] = ..., parcels: _Optional[_Iterable[_Union[AllocatedParcel, _Mapping]]] = ..., occurred_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., unserved: _Optional[_Iterable[_Union[UnservedLine, _Mapping]]] = ..., wave_id: _Optional[str] = ..., explanations: _Optional[_Iterable[str]] = ...) -> None: ...

class StatusChange(_message.Message):
    __slots__ = ("status", "at", "detail")
    STATUS_FIELD_NUMBER: _ClassVar[int]
    AT_FIELD_NUMBER: _ClassVar[int]
    DETAIL_FIELD_NUMBER: _ClassVar[int]
    status: FulfilmentStatus
    at: _timestamp_pb2.Timestamp
    detail: str
    def __init__(self, status: _Optional[_Union[FulfilmentStatus, str]] = ..., at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., detail: _Optional[str] = ...) -> None: ...

class FulfilmentParcel(_message.Message):
    __slots__ = ("parcel_id", "warehouse_id", "reservation_id", "status", "carrier_id", "vehicle_id", "tier", "distance_km")
    PARCEL_ID_FIELD_NUMBER: _ClassVar[int]
    WAREHOUSE_ID_FIELD_NUMBER: _ClassVar[int]
    RESERVATION_ID_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    CARRIER_ID_FIELD_NUMBER: _ClassVar[int]
    VEHICLE_ID_FIELD_NUMBER: _ClassVar[int]
    TIER_FIELD_NUMBER: _ClassVar[int]
    DISTANCE_KM_FIELD_NUMBER: _ClassVar[int]
    parcel_id: str
    warehouse_id: str
    reservation_id: str
    status: str
    carrier_id: str
    vehicle_id: str
    tier: ServiceTier
    distance_km: float
    def __init__(self, parcel_id: _Optional[str] = ..., warehouse_id: _Optional[str] = ..., reservation_id: _Optional[str] = ..., status: _Optional[str] = ..., carrier_id: _Optional[str] = ..., vehicle_id: _Optional[str] = ..., tier: _Optional[_Union[ServiceTier, str]] = ..., distance_km: _Optional[float] = ...) -> None: ...

class FulfilmentOrder(_message.Message):
    __slots__ = ("order_id", "idempotency_key", "status", "history", "parcels", "failure_reason", "order", "created_at", "updated_at")
    ORDER_ID_FIELD_NUMBER: _ClassVar[int]
    IDEMPOTENCY_KEY_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    HISTORY_FIELD_NUMBER: _ClassVar[int]
    PARCELS_FIELD_NUMBER: _ClassVar[int]
    FAILURE_REASON_FIELD_NUMBER: _ClassVar[int]
    ORDER_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    UPDATED_AT_FIELD_NUMBER: _ClassVar[int]
    order_id: str
    idempotency_key: str
    status: FulfilmentStatus
    history: _containers.RepeatedCompositeFieldContainer[StatusChange]
    parcels: _containers.RepeatedCompositeFieldContainer[FulfilmentParcel]
    failure_reason: str
    order: Order
    created_at: _timestamp_pb2.Timestamp
    updated_at: _timestamp_pb2.Timestamp
    def __init__(self, order_id: _Optional[str] = ..., idempotency_key: _Optional[str] = ..., status: _Optional[_Union[FulfilmentStatus, str]] = ..., history: _Optional[_Iterable[_Union[StatusChange, _Mapping]]] = ..., parcels: _Optional[_Iterable[_Union[FulfilmentParcel, _Mapping]]] = ..., failure_reason: _Optional[str] = ..., order: _Optional[_Union[Order, _Mapping]] = ..., created_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., updated_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class SubmitFulfilmentOrderRequest(_message.Message):
    __slots__ = ("idempotency_key", "order")
    IDEMPOTENCY_KEY_FIELD_NUMBER: _ClassVar[int]
    ORDER_FIELD_NUMBER: _ClassVar[int]
    idempotency_key: str
    order: Order
    def __init__(self, idempotency_key: _Optional[str] = ..., order: _Optional[_Union[Order, _Mapping]] = ...) -> None: ...

class SubmitFulfilmentOrderResponse(_message.Message):
    __slots__ = ("order", "created")
    ORDER_FIELD_NUMBER: _ClassVar[int]
    CREATED_FIELD_NUMBER: _ClassVar[int]
    order: FulfilmentOrder
    created: bool
    def __init__(self, order: _Optional[_Union[FulfilmentOrder, _Mapping]] = ..., created: _Optional[bool] = ...) -> None: ...

class GetFulfilmentOrderRequest(_message.Message):
    __slots__ = ("order_id",)
    ORDER_ID_FIELD_NUMBER: _ClassVar[int]
    order_id: str
    def __init__(self, order_id: _Optional[str] = ...) -> None: ...

class GetFulfilmentOrderResponse(_message.Message):
    __slots__ = ("order",)
    ORDER_FIELD_NUMBER: _ClassVar[int]
    order: FulfilmentOrder
    def __init__(self, order: _Optional[_Union[FulfilmentOrder, _Mapping]] = ...) -> None: ...

class CancelFulfilmentOrderRequest(_message.Message):
    __slots__ = ("order_id", "reason")
    ORDER_ID_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    order_id: str
    reason: str
    def __init__(self, order_id: _Optional[str] = ..., reason: _Optional[str] = ...) -> None: ...

class CancelFulfilmentOrderResponse(_message.Message):
    __slots__ = ("order",)
    ORDER_FIELD_NUMBER: _ClassVar[int]
    order: FulfilmentOrder
    def __init__(self, order: _Optional[_Union[FulfilmentOrder, _Mapping]] = ...) -> None: ...

class ListFulfilmentOrdersRequest(_message.Message):
    __slots__ = ("status", "page")
    STATUS_FIELD_NUMBER: _ClassVar[int]
    PAGE_FIELD_NUMBER: _ClassVar[int]
    status: FulfilmentStatus
    page: _common_pb2.PageRequest
    def __init__(self, status: _Optional[_Union[FulfilmentStatus, str]] = ..., page: _Optional[_Union[_common_pb2.PageRequest, _Mapping]] = ...) -> None: ...

class StatusCount(_message.Message):
    __slots__ = ("status", "orders")
    STATUS_FIELD_NUMBER: _ClassVar[int]
    ORDERS_FIELD_NUMBER: _ClassVar[int]
    status: FulfilmentStatus
    orders: int
    def __init__(self, status: _Optional[_Union[FulfilmentStatus, str]] = ..., orders: _Optional[int] = ...) -> None: ...

class ListFulfilmentOrdersResponse(_message.Message):
    __slots__ = ("orders", "next_page_token", "counts")
    ORDERS_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    COUNTS_FIELD_NUMBER: _ClassVar[int]
    orders: _containers.RepeatedCompositeFieldContainer[FulfilmentOrder]
    next_page_token: str
    counts: _containers.RepeatedCompositeFieldContainer[StatusCount]
    def __init__(self, orders: _Optional[_Iterable[_Union[FulfilmentOrder, _Mapping]]] = ..., next_page_token: _Optional[str] = ..., counts: _Optional[_Iterable[_Union[StatusCount, _Mapping]]] = ...) -> None: ...

class FulfilmentOrderReceived(_message.Message):
    __slots__ = ("event_id", "order_id", "occurred_at")
    EVENT_ID_FIELD_NUMBER: _ClassVar[int]
    ORDER_ID_FIELD_NUMBER: _ClassVar[int]
    OCCURRED_AT_FIELD_NUMBER: _ClassVar[int]
    event_id: str
    order_id: str
    occurred_at: _timestamp_pb2.Timestamp
    def __init__(self, event_id: _Optional[str] = ..., order_id: _Optional[str] = ..., occurred_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class CancelledParcel(_message.Message):
    __slots__ = ("parcel_id", "reservation_id", "warehouse_id")
    PARCEL_ID_FIELD_NUMBER: _ClassVar[int]
    RESERVATION_ID_FIELD_NUMBER: _ClassVar[int]
    WAREHOUSE_ID_FIELD_NUMBER: _ClassVar[int]
    parcel_id: str
    reservation_id: str
    warehouse_id: str
    def __init__(self, parcel_id: _Optional[str] = ..., reservation_id: _Optional[str] = ..., warehouse_id: _Optional[str] = ...) -> None: ...

class FulfilmentOrderCancelled(_message.Message):
    __slots__ = ("event_id", "order_id", "parcels", "reason", "occurred_at")
    EVENT_ID_FIELD_NUMBER: _ClassVar[int]
    ORDER_ID_FIELD_NUMBER: _ClassVar[int]
    PARCELS_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    OCCURRED_AT_FIELD_NUMBER: _ClassVar[int]
    event_id: str
    order_id: str
    parcels: _containers.RepeatedCompositeFieldContainer[CancelledParcel]
    reason: str
    occurred_at: _timestamp_pb2.Timestamp
    def __init__(self, event_id: _Optional[str] = ..., order_id: _Optional[str] = ..., parcels: _Optional[_Iterable[_Union[CancelledParcel, _Mapping]]] = ..., reason: _Optional[str] = ..., occurred_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class FulfilmentOrderClosed(_message.Message):
    __slots__ = ("event_id", "order_id", "status", "reason", "occurred_at", "parcels")
    EVENT_ID_FIELD_NUMBER: _ClassVar[int]
    ORDER_ID_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    OCCURRED_AT_FIELD_NUMBER: _ClassVar[int]
    PARCELS_FIELD_NUMBER: _ClassVar[int]
    event_id: str
    order_id: str
    status: FulfilmentStatus
    reason: str
    occurred_at: _timestamp_pb2.Timestamp
    parcels: _containers.RepeatedCompositeFieldContainer[CancelledParcel]
    def __init__(self, event_id: _Optional[str] = ..., order_id: _Optional[str] = ..., status: _Optional[_Union[FulfilmentStatus, str]] = ..., reason: _Optional[str] = ..., occurred_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., parcels: _Optional[_Iterable[_Union[CancelledParcel, _Mapping]]] = ...) -> None: ...
