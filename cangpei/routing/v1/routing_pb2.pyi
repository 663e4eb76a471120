import datetime

from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class GetParcelRequest(_message.Message):
    __slots__ = ("parcel_id",)
    PARCEL_ID_FIELD_NUMBER: _ClassVar[int]
    parcel_id: str
    def __init__(self, parcel_id: _Optional[str] = ...) -> None: ...

class GetParcelResponse(_message.Message):
    __slots__ = ("dispatch",)
    DISPATCH_FIELD_NUMBER: _ClassVar[int]
    dispatch: ParcelDispatched
    def __init__(self, dispatch: _Optional[_Union[ParcelDispatched, _Mapping]] = ...) -> None: ...

class ParcelDispatched(_message.Message):
    __slots__ = ("event_id", "parcel_id", "order_id", "warehouse_id", "reservation_id", "carrier_id", "vehicle_id", "cost_fen", "occurred_at")
    EVENT_ID_FIELD_NUMBER: _ClassVar[int]
    PARCEL_ID_FIELD_NUMBER: _ClassVar[int]
    ORDER_ID_FIELD_NUMBER: _ClassVar[int]
    WAREHOUSE_ID_FIELD_NUMBER: _ClassVar[int]
    RESERVATION_ID_FIELD_NUMBER: _ClassVar[int]
    CARRIER_ID_FIELD_NUMBER: _ClassVar[int]
    VEHICLE_ID_FIELD_NUMBER: _ClassVar[int]
    COST_FEN_FIELD_NUMBER: _ClassVar[int]
    OCCURRED_AT_FIELD_NUMBER: _ClassVar[int]
    event_id: str
    parcel_id: str
    order_id: str
    warehouse_id: str
    reservation_id: str
    carrier_id: str
    vehicle_id: str
    cost_fen: int
    occurred_at: _timestamp_pb2.Timestamp
    def __init__(self, event_id: _Optional[str] = ..., parcel_id: _Optional[str] = ..., order_id: _Optional[str] = ..., warehouse_id: _Optional[str] = ..., reservation_id: _Optional[str] = ..., carrier_id: _Optional[str] = ..., vehicle_id: _Optional[str] = ..., cost_fen: _Optional[int] = ..., occurred_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...
