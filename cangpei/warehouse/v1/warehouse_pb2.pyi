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

class WarehouseKind(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    WAREHOUSE_KIND_UNSPECIFIED: _ClassVar[WarehouseKind]
    WAREHOUSE_KIND_SATELLITE: _ClassVar[WarehouseKind]
    WAREHOUSE_KIND_CENTRAL: _ClassVar[WarehouseKind]
    WAREHOUSE_KIND_SUPPLIER_SITE: _ClassVar[WarehouseKind]
WAREHOUSE_KIND_UNSPECIFIED: WarehouseKind
WAREHOUSE_KIND_SATELLITE: WarehouseKind
WAREHOUSE_KIND_CENTRAL: WarehouseKind
WAREHOUSE_KIND_SUPPLIER_SITE: WarehouseKind

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
    __slots__ = ("parcel_id", "warehouse_id", "origin", "destination", "lines", "weight_grams", "volume_cm3", "promised_by", "delivery_window", "reservation_id", "distance_km")
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
    def __init__(self, parcel_id: _Optional[str] = ..., warehouse_id: _Optional[str] = ..., origin: _Optional[_Union[_common_pb2.GeoPoint, _Mapping]] = ..., destination: _Optional[_Union[_common_pb2.GeoPoint, _Mapping]] = ..., lines: _Optional[_Iterable[_Union[ParcelLine, _Mapping]]] = ..., weight_grams: _Optional[int] = ..., volume_cm3: _Optional[int] = ..., promised_by: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., delivery_window: _Optional[_Union[_common_pb2.TimeWindow, _Mapping]] = ..., reservation_id: _Optional[str] = ..., distance_km: _Optional[float] = ...) -> None: ...

class AllocationCreated(_message.Message):
    __slots__ = ("event_id", "allocation_id", "order_id", "parcels", "occurred_at")
    EVENT_ID_FIELD_NUMBER: _ClassVar[int]
    ALLOCATION_ID_FIELD_NUMBER: _ClassVar[int]
    ORDER_ID_FIELD_NUMBER: _ClassVar[int]
    PARCELS_FIELD_NUMBER: _ClassVar[int]
    OCCURRED_AT_FIELD_NUMBER: _ClassVar[int]
    event_id: str
    allocation_id: str
    order_id: str
    parcels: _containers.RepeatedCompositeFieldContainer[AllocatedParcel]
    occurred_at: _timestamp_pb2.Timestamp
    def __init__(self, event_id: _Optional[str] = ..., allocation_id: _Optional[str] = ..., order_id: _Optional[str] = ..., parcels: _Optional[_Iterable[_Union[AllocatedParcel, _Mapping]]] = ..., occurred_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...
