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

class ReservationStatus(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    RESERVATION_STATUS_UNSPECIFIED: _ClassVar[ReservationStatus]
    RESERVATION_STATUS_ACTIVE: _ClassVar[ReservationStatus]
    RESERVATION_STATUS_RELEASED: _ClassVar[ReservationStatus]
    RESERVATION_STATUS_COMMITTED: _ClassVar[ReservationStatus]
    RESERVATION_STATUS_EXPIRED: _ClassVar[ReservationStatus]

class LocationKind(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    LOCATION_KIND_UNSPECIFIED: _ClassVar[LocationKind]
    LOCATION_KIND_SATELLITE: _ClassVar[LocationKind]
    LOCATION_KIND_CENTRAL: _ClassVar[LocationKind]
    LOCATION_KIND_SUPPLIER_SITE: _ClassVar[LocationKind]

class SyncOutcome(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    SYNC_OUTCOME_UNSPECIFIED: _ClassVar[SyncOutcome]
    SYNC_OUTCOME_APPLIED: _ClassVar[SyncOutcome]
    SYNC_OUTCOME_UNCHANGED: _ClassVar[SyncOutcome]
    SYNC_OUTCOME_STALE: _ClassVar[SyncOutcome]
    SYNC_OUTCOME_CLAMPED: _ClassVar[SyncOutcome]
RESERVATION_STATUS_UNSPECIFIED: ReservationStatus
RESERVATION_STATUS_ACTIVE: ReservationStatus
RESERVATION_STATUS_RELEASED: ReservationStatus
RESERVATION_STATUS_COMMITTED: ReservationStatus
RESERVATION_STATUS_EXPIRED: ReservationStatus
LOCATION_KIND_UNSPECIFIED: LocationKind
LOCATION_KIND_SATELLITE: LocationKind
LOCATION_KIND_CENTRAL: LocationKind
LOCATION_KIND_SUPPLIER_SITE: LocationKind
SYNC_OUTCOME_UNSPECIFIED: SyncOutcome
SYNC_OUTCOME_APPLIED: SyncOutcome
SYNC_OUTCOME_UNCHANGED: SyncOutcome
SYNC_OUTCOME_STALE: SyncOutcome
SYNC_OUTCOME_CLAMPED: SyncOutcome

class ReservationLine(_message.Message):
    __slots__ = ("sku", "quantity", "location_id")
    SKU_FIELD_NUMBER: _ClassVar[int]
    QUANTITY_FIELD_NUMBER: _ClassVar[int]
    LOCATION_ID_FIELD_NUMBER: _ClassVar[int]
    sku: str
    quantity: int
    location_id: str
    def __init__(self, sku: _Optional[str] = ..., quantity: _Optional[int] = ..., location_id: _Optional[str] = ...) -> None: ...

class ReserveRequest(_message.Message):
    __slots__ = ("idempotency_key", "order_id", "lines", "ttl_seconds", "actor")
    IDEMPOTENCY_KEY_FIELD_NUMBER: _ClassVar[int]
    ORDER_ID_FIELD_NUMBER: _ClassVar[int]
    LINES_FIELD_NUMBER: _ClassVar[int]
    TTL_SECONDS_FIELD_NUMBER: _ClassVar[int]
    ACTOR_FIELD_NUMBER: _ClassVar[int]
    idempotency_key: str
    order_id: str
    lines: _containers.RepeatedCompositeFieldContainer[ReservationLine]
    ttl_seconds: int
    actor: str
    def __init__(self, idempotency_key: _Optional[str] = ..., order_id: _Optional[str] = ..., lines: _Optional[_Iterable[_Union[ReservationLine, _Mapping]]] = ..., ttl_seconds: _Optional[int] = ..., actor: _Optional[str] = ...) -> None: ...

class ReservedLine(_message.Message):
    __slots__ = ("sku", "quantity", "location_id")
    SKU_FIELD_NUMBER: _ClassVar[int]
    QUANTITY_FIELD_NUMBER: _ClassVar[int]
    LOCATION_ID_FIELD_NUMBER: _ClassVar[int]
    sku: str
    quantity: int
    location_id: str
    def __init__(self, sku: _Optional[str] = ..., quantity: _Optional[int] = ..., location_id: _Optional[str] = ...) -> None: ...

class ReserveResponse(_message.Message):
    __slots__ = ("reservation_id", "lines", "expires_at")
    RESERVATION_ID_FIELD_NUMBER: _ClassVar[int]
    LINES_FIELD_NUMBER: _ClassVar[int]
    EXPIRES_AT_FIELD_NUMBER: _ClassVar[int]
    reservation_id: str
    lines: _containers.RepeatedCompositeFieldContainer[ReservedLine]
    expires_at: _timestamp_pb2.Timestamp
    def __init__(self, reservation_id: _Optional[str] = ..., lines: _Optional[_Iterable[_Union[ReservedLine, _Mapping]]] = ..., expires_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class GetAvailabilityRequest(_message.Message):
    __slots__ = ("skus", "location_ids")
    SKUS_FIELD_NUMBER: _ClassVar[int]
    LOCATION_IDS_FIELD_NUMBER: _ClassVar[int]
    skus: _containers.RepeatedScalarFieldContainer[str]
    location_ids: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, skus: _Optional[_Iterable[str]] = ..., location_ids: _Optional[_Iterable[str]] = ...) -> None: ...

class Availability(_message.Message):
    __slots__ = ("sku", "location_id", "on_hand", "reserved", "available")
    SKU_FIELD_NUMBER: _ClassVar[int]
    LOCATION_ID_FIELD_NUMBER: _ClassVar[int]
    ON_HAND_FIELD_NUMBER: _ClassVar[int]
    RESERVED_FIELD_NUMBER: _ClassVar[int]
    AVAILABLE_FIELD_NUMBER: _ClassVar[int]
    sku: str
    location_id: str
    on_hand: int
    reserved: int
    available: int
    def __init__(self, sku: _Optional[str] = ..., location_id: _Optional[str] = ..., on_hand: _Optional[int] = ..., reserved: _Optional[int] = ..., available: _Optional[int] = ...) -> None: ...

class GetAvailabilityResponse(_message.Message):
    __slots__ = ("items",)
    ITEMS_FIELD_NUMBER: _ClassVar[int]
    items: _containers.RepeatedCompositeFieldContainer[Availability]
    def __init__(self, items: _Optional[_Iterable[_Union[Availability, _Mapping]]] = ...) -> None: ...

class Reservation(_message.Message):
    __slots__ = ("reservation_id", "order_id", "lines", "status", "created_at", "expires_at", "closed_at", "actor")
    RESERVATION_ID_FIELD_NUMBER: _ClassVar[int]
    ORDER_ID_FIELD_NUMBER: _ClassVar[int]
    LINES_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    EXPIRES_AT_FIELD_NUMBER: _ClassVar[int]
    CLOSED_AT_FIELD_NUMBER: _ClassVar[int]
    ACTOR_FIELD_NUMBER: _ClassVar[int]
    reservation_id: str
    order_id: str
    lines: _containers.RepeatedCompositeFieldContainer[ReservedLine]
    status: ReservationStatus
    created_at: _timestamp_pb2.Timestamp
    expires_at: _timestamp_pb2.Timestamp
    closed_at: _timestamp_pb2.Timestamp
    actor: str
    def __init__(self, reservation_id: _Optional[str] = ..., order_id: _Optional[str] = ..., lines: _Optional[_Iterable[_Union[ReservedLine, _Mapping]]] = ..., status: _Optional[_Union[ReservationStatus, str]] = ..., created_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., expires_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., closed_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., actor: _Optional[str] = ...) -> None: ...

class ReleaseRequest(_message.Message):
    __slots__ = ("reservation_id", "actor", "reason")
    RESERVATION_ID_FIELD_NUMBER: _ClassVar[int]
    ACTOR_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    reservation_id: str
    actor: str
    reason: str
    def __init__(self, reservation_id: _Optional[str] = ..., actor: _Optional[str] = ..., reason: _Optional[str] = ...) -> None: ...

class ReleaseResponse(_message.Message):
    __slots__ = ("reservation",)
    RESERVATION_FIELD_NUMBER: _ClassVar[int]
    reservation: Reservation
    def __init__(self, reservation: _Optional[_Union[Reservation, _Mapping]] = ...) -> None: ...

class CommitRequest(_message.Message):
    __slots__ = ("reservation_id", "actor", "reference")
    RESERVATION_ID_FIELD_NUMBER: _ClassVar[int]
    ACTOR_FIELD_NUMBER: _ClassVar[int]
    REFERENCE_FIELD_NUMBER: _ClassVar[int]
    reservation_id: str
    actor: str
    reference: str
    def __init__(self, reservation_id: _Optional[str] = ..., actor: _Optional[str] = ..., reference: _Optional[str] = ...) -> None: ...

class CommitResponse(_message.Message):
    __slots__ = ("reservation",)
    RESERVATION_FIELD_NUMBER: _ClassVar[int]
    reservation: Reservation
    def __init__(self, reservation: _Optional[_Union[Reservation, _Mapping]] = ...) -> None: ...

class GetReservationRequest(_message.Message):
    __slots__ = ("reservation_id",)
    RESERVATION_ID_FIELD_NUMBER: _ClassVar[int]
    reservation_id: str
    def __init__(self, reservation_id: _Optional[str] = ...) -> None: ...

class GetReservationResponse(_message.Message):
    __slots__ = ("reservation",)
    RESERVATION_FIELD_NUMBER: _ClassVar[int]
    reservation: Reservation
    def __init__(self, reservation: _Optional[_Union[Reservation, _Mapping]] = ...) -> None: ...

class RegisterLocationRequest(_message.Message):
    __slots__ = ("location_id", "kind", "supplier_id")
    LOCATION_ID_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    SUPPLIER_ID_FIELD_NUMBER: _ClassVar[int]
    location_id: str
    kind: LocationKind
    supplier_id: str
    def __init__(self, location_id: _Optional[str] = ..., kind: _Optional[_Union[LocationKind, str]] = ..., supplier_id: _Optional[str] = ...) -> None: ...

class RegisterLocationResponse(_message.Message):
    __slots__ = ("location_id", "kind", "supplier_id")
    LOCATION_ID_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    SUPPLIER_ID_FIELD_NUMBER: _ClassVar[int]
    location_id: str
    kind: LocationKind
    supplier_id: str
    def __init__(self, location_id: _Optional[str] = ..., kind: _Optional[_Union[LocationKind, str]] = ..., supplier_id: _Optional[str] = ...) -> None: ...

class RegisterSkuRequest(_message.Message):
    __slots__ = ("sku", "low_stock_threshold")
    SKU_FIELD_NUMBER: _ClassVar[int]
    LOW_STOCK_THRESHOLD_FIELD_NUMBER: _ClassVar[int]
    sku: str
    low_stock_threshold: int
    def __init__(self, sku: _Optional[str] = ..., low_stock_threshold: _Optional[int] = ...) -> None: ...

class RegisterSkuResponse(_message.Message):
    __slots__ = ("sku", "low_stock_threshold")
    SKU_FIELD_NUMBER: _ClassVar[int]
    LOW_STOCK_THRESHOLD_FIELD_NUMBER: _ClassVar[int]
    sku: str
    low_stock_threshold: int
    def __init__(self, sku: _Optional[str] = ..., low_stock_threshold: _Optional[int] = ...) -> None: ...

class SetLowStockThresholdRequest(_message.Message):
    __slots__ = ("sku", "threshold")
    SKU_FIELD_NUMBER: _ClassVar[int]
    THRESHOLD_FIELD_NUMBER: _ClassVar[int]
    sku: str
    threshold: int
    def __init__(self, sku: _Optional[str] = ..., threshold: _Optional[int] = ...) -> None: ...

class SetLowStockThresholdResponse(_message.Message):
    __slots__ = ("sku", "threshold", "available", "low")
    SKU_FIELD_NUMBER: _ClassVar[int]
    THRESHOLD_FIELD_NUMBER: _ClassVar[int]
    AVAILABLE_FIELD_NUMBER: _ClassVar[int]
    LOW_FIELD_NUMBER: _ClassVar[int]
    sku: str
    threshold: int
    available: int
    low: bool
    def __init__(self, sku: _Optional[str] = ..., threshold: _Optional[int] = ..., available: _Optional[int] = ..., low: _Optional[bool] = ...) -> None: ...

class LedgerEntry(_message.Message):
    __slots__ = ("sequence", "sku", "location_id", "kind", "on_hand_delta", "reserved_delta", "on_hand_after", "reserved_after", "actor", "reference", "reason", "occurred_at")
    SEQUENCE_FIELD_NUMBER: _ClassVar[int]
    SKU_FIELD_NUMBER: _ClassVar[int]
    LOCATION_ID_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    ON_HAND_DELTA_FIELD_NUMBER: _ClassVar[int]
    RESERVED_DELTA_FIELD_NUMBER: _ClassVar[int]
    ON_HAND_AFTER_FIELD_NUMBER: _ClassVar[int]
    RESERVED_AFTER_FIELD_NUMBER: _ClassVar[int]
    ACTOR_FIELD_NUMBER: _ClassVar[int]
    REFERENCE_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    OCCURRED_AT_FIELD_NUMBER: _ClassVar[int]
    sequence: int
    sku: str
    location_id: str
    kind: str
    on_hand_delta: int
    reserved_delta: int
    on_hand_after: int
    reserved_after: int
    actor: str
    reference: str
    reason: str
    occurred_at: _timestamp_pb2.Timestamp
    def __init__(self, sequence: _Optional[int] = ..., sku: _Optional[str] = ..., location_id: _Optional[str] = ..., kind: _Optional[str] = ..., on_hand_delta: _Optional[int] = ..., reserved_delta: _Optional[int] = ..., on_hand_after: _Optional[int] = ..., reserved_after: _Optional[int] = ..., actor: _Optional[str] = ..., reference: _Optional[str] = ..., reason: _Optional[str] = ..., occurred_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class ReceiveStockRequest(_message.Message):
    __slots__ = ("idempotency_key", "sku", "location_id", "quantity", "actor", "reference")
    IDEMPOTENCY_KEY_FIELD_NUMBER: _ClassVar[int]
    SKU_FIELD_NUMBER: _ClassVar[int]
    LOCATION_ID_FIELD_NUMBER: _ClassVar[int]
    QUANTITY_FIELD_NUMBER: _ClassVar[int]
    ACTOR_FIELD_NUMBER: _ClassVar[int]
    REFERENCE_FIELD_NUMBER: _ClassVar[int]
    idempotency_key: str
    sku: str
    location_id: str
    quantity: int
    actor: str
    reference: str
    def __init__(self, idempotency_key: _Optional[str] = ..., sku: _Optional[str] = ..., location_id: _Optional[str] = ..., quantity: _Optional[int] = ..., actor: _Optional[str] = ..., reference: _Optional[str] = ...) -> None: ...

class ReceiveStockResponse(_message.Message):
    __slots__ = ("entries",)
    ENTRIES_FIELD_NUMBER: _ClassVar[int]
    entries: _containers.RepeatedCompositeFieldContainer[LedgerEntry]
    def __init__(self, entries: _Optional[_Iterable[_Union[LedgerEntry, _Mapping]]] = ...) -> None: ...

class AdjustStockRequest(_message.Message):
    __slots__ = ("idempotency_key", "sku", "location_id", "delta", "reason", "actor", "reference")
    IDEMPOTENCY_KEY_FIELD_NUMBER: _ClassVar[int]
    SKU_FIELD_NUMBER: _ClassVar[int]
    LOCATION_ID_FIELD_NUMBER: _ClassVar[int]
    DELTA_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    ACTOR_FIELD_NUMBER: _ClassVar[int]
    REFERENCE_FIELD_NUMBER: _ClassVar[int]
    idempotency_key: str
    sku: str
    location_id: str
    delta: int
    reason: str
    actor: str
    reference: str
    def __init__(self, idempotency_key: _Optional[str] = ..., sku: _Optional[str] = ..., location_id: _Optional[str] = ..., delta: _Optional[int] = ..., reason: _Optional[str] = ..., actor: _Optional[str] = ..., reference: _Optional[str] = ...) -> None: ...

class AdjustStockResponse(_message.Message):
    __slots__ = ("entries",)
    ENTRIES_FIELD_NUMBER: _ClassVar[int]
    entries: _containers.RepeatedCompositeFieldContainer[LedgerEntry]
    def __init__(self, entries: _Optional[_Iterable[_Union[LedgerEntry, _Mapping]]] = ...) -> None: ...

class TransferStockRequest(_message.Message):
    __slots__ = ("idempotency_key", "sku", "from_location_id", "to_location_id", "quantity", "actor", "reference")
    IDEMPOTENCY_KEY_FIELD_NUMBER: _ClassVar[int]
    SKU_FIELD_NUMBER: _ClassVar[int]
    FROM_LOCATION_ID_FIELD_NUMBER: _ClassVar[int]
    TO_LOCATION_ID_FIELD_NUMBER: _ClassVar[int]
    QUANTITY_FIELD_NUMBER: _ClassVar[int]
    ACTOR_FIELD_NUMBER: _ClassVar[int]
    REFERENCE_FIELD_NUMBER: _ClassVar[int]
    idempotency_key: str
    sku: str
    from_location_id: str
    to_location_id: str
    quantity: int
    actor: str
    reference: str
    def __init__(self, idempotency_key: _Optional[str] = ..., sku: _Optional[str] = ..., from_location_id: _Optional[str] = ..., to_location_id: _Optional[str] = ..., quantity: _Optional[int] = ..., actor: _Optional[str] = ..., reference: _Optional[str] = ...) -> None: ...

class TransferStockResponse(_message.Message):
    __slots__ = ("entries",)
    ENTRIES_FIELD_NUMBER: _ClassVar[int]
    entries: _containers.RepeatedCompositeFieldContainer[LedgerEntry]
    def __init__(self, entries: _Optional[_Iterable[_Union[LedgerEntry, _Mapping]]] = ...) -> None: ...

class ReturnStockRequest(_message.Message):
    __slots__ = ("idempotency_key", "sku", "location_id", "quantity", "actor", "reference")
    IDEMPOTENCY_KEY_FIELD_NUMBER: _ClassVar[int]
    SKU_FIELD_NUMBER: _ClassVar[int]
    LOCATION_ID_FIELD_NUMBER: _ClassVar[int]
    QUANTITY_FIELD_NUMBER: _ClassVar[int]
    ACTOR_FIELD_NUMBER: _ClassVar[int]
    REFERENCE_FIELD_NUMBER: _ClassVar[int]
    idempotency_key: str
    sku: str
    location_id: str
    quantity: int
    actor: str
    reference: str
    def __init__(self, idempotency_key: _Optional[str] = ..., sku: _Optional[str] = ..., location_id: _Optional[str] = ..., quantity: _Optional[int] = ..., actor: _Optional[str] = ..., reference: _Optional[str] = ...) -> None: ...

class ReturnStockResponse(_message.Message):
    __slots__ = ("entries",)
    ENTRIES_FIELD_NUMBER: _ClassVar[int]
    entries: _containers.RepeatedCompositeFieldContainer[LedgerEntry]
    def __init__(self, entries: _Optional[_Iterable[_Union[LedgerEntry, _Mapping]]] = ...) -> None: ...

class SupplierStockLevel(_message.Message):
    __slots__ = ("sku", "location_id", "on_hand", "version")
    SKU_FIELD_NUMBER: _ClassVar[int]
    LOCATION_ID_FIELD_NUMBER: _ClassVar[int]
    ON_HAND_FIELD_NUMBER: _ClassVar[int]
    VERSION_FIELD_NUMBER: _ClassVar[int]
    sku: str
    location_id: str
    on_hand: int
    version: int
    def __init__(self, sku: _Optional[str] = ..., location_id: _Optional[str] = ..., on_hand: _Optional[int] = ..., version: _Optional[int] = ...) -> None: ...

class SyncSupplierStockRequest(_message.Message):
    __slots__ = ("idempotency_key", "supplier_id", "levels", "actor")
    IDEMPOTENCY_KEY_FIELD_NUMBER: _ClassVar[int]
    SUPPLIER_ID_FIELD_NUMBER: _ClassVar[int]
    LEVELS_FIELD_NUMBER: _ClassVar[int]
    ACTOR_FIELD_NUMBER: _ClassVar[int]
    idempotency_key: str
    supplier_id: str
    levels: _containers.RepeatedCompositeFieldContainer[SupplierStockLevel]
    actor: str
    def __init__(self, idempotency_key: _Optional[str] = ..., supplier_id: _Optional[str] = ..., levels: _Optional[_Iterable[_Union[SupplierStockLevel, _Mapping]]] = ..., actor: _Optional[str] = ...) -> None: ...

class SyncedLevel(_message.Message):
    __slots__ = ("sku", "location_id", "outcome", "on_hand_delta", "on_hand_after", "reserved")
    SKU_FIELD_NUMBER: _ClassVar[int]
    LOCATION_ID_FIELD_NUMBER: _ClassVar[int]
    OUTCOME_FIELD_NUMBER: _ClassVar[int]
    ON_HAND_DELTA_FIELD_NUMBER: _ClassVar[int]
    ON_HAND_AFTER_FIELD_NUMBER: _ClassVar[int]
    RESERVED_FIELD_NUMBER: _ClassVar[int]
    sku: str
    location_id: str
    outcome: SyncOutcome
    on_hand_delta: int
    on_hand_after: int
    reserved: int
    def __init__(self, sku: _Optional[str] = ..., location_id: _Optional[str] = ..., outcome: _Optional[_Union[SyncOutcome, str]] = ..., on_hand_delta: _Optional[int] = ..., on_hand_after: _Optional[int] = ..., reserved: _Optional[int] = ...) -> None: ...

class SyncSupplierStockResponse(_message.Message):
    __slots__ = ("levels",)
    LEVELS_FIELD_NUMBER: _ClassVar[int]
    levels: _containers.RepeatedCompositeFieldContainer[SyncedLevel]
    def __init__(self, levels: _Optional[_Iterable[_Union[SyncedLevel, _Mapping]]] = ...) -> None: ...

class GetHistoryRequest(_message.Message):
    __slots__ = ("sku", "location_id", "page")
    SKU_FIELD_NUMBER: _ClassVar[int]
    LOCATION_ID_FIELD_NUMBER: _ClassVar[int]
    PAGE_FIELD_NUMBER: _ClassVar[int]
    sku: str
    location_id: str
    page: _common_pb2.PageRequest
    def __init__(self, sku: _Optional[str] = ..., location_id: _Optional[str] = ..., page: _Optional[_Union[_common_pb2.PageRequest, _Mapping]] = ...) -> None: ...

class GetHistoryResponse(_message.Message):
    __slots__ = ("entries", "next_page_token")
    ENTRIES_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    entries: _containers.RepeatedCompositeFieldContainer[LedgerEntry]
    next_page_token: str
    def __init__(self, entries: _Optional[_Iterable[_Union[LedgerEntry, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...

class ListLowStockRequest(_message.Message):
    __slots__ = ("page",)
    PAGE_FIELD_NUMBER: _ClassVar[int]
    page: _common_pb2.PageRequest
    def __init__(self, page: _Optional[_Union[_common_pb2.PageRequest, _Mapping]] = ...) -> None: ...

class LowStockItem(_message.Message):
    __slots__ = ("sku", "available", "threshold")
    SKU_FIELD_NUMBER: _ClassVar[int]
    AVAILABLE_FIELD_NUMBER: _ClassVar[int]
    THRESHOLD_FIELD_NUMBER: _ClassVar[int]
    sku: str
    available: int
    threshold: int
    def __init__(self, sku: _Optional[str] = ..., available: _Optional[int] = ..., threshold: _Optional[int] = ...) -> None: ...

class ListLowStockResponse(_message.Message):
    __slots__ = ("items", "next_page_token")
    ITEMS_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    items: _containers.RepeatedCompositeFieldContainer[LowStockItem]
    next_page_token: str
    def __init__(self, items: _Optional[_Iterable[_Union[LowStockItem, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...

class StockReserved(_message.Message):
    __slots__ = ("reservation_id", "order_id", "lines", "expires_at", "actor", "occurred_at")
    RESERVATION_ID_FIELD_NUMBER: _ClassVar[int]
    ORDER_ID_FIELD_NUMBER: _ClassVar[int]
    LINES_FIELD_NUMBER: _ClassVar[int]
    EXPIRES_AT_FIELD_NUMBER: _ClassVar[int]
    ACTOR_FIELD_NUMBER: _ClassVar[int]
    OCCURRED_AT_FIELD_NUMBER: _ClassVar[int]
    reservation_id: str
    order_id: str
    lines: _containers.RepeatedCompositeFieldContainer[ReservedLine]
    expires_at: _timestamp_pb2.Timestamp
    actor: str
    occurred_at: _timestamp_pb2.Timestamp
    def __init__(self, reservation_id: _Optional[str] = ..., order_id: _Optional[str] = ..., lines: _Optional[_Iterable[_Union[ReservedLine, _Mapping]]] = ..., expires_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., actor: _Optional[str] = ..., occurred_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class StockReleased(_message.Message):
    __slots__ = ("reservation_id", "order_id", "lines", "actor", "reason", "occurred_at")
    RESERVATION_ID_FIELD_NUMBER: _ClassVar[int]
    ORDER_ID_FIELD_NUMBER: _ClassVar[int]
    LINES_FIELD_NUMBER: _ClassVar[int]
    ACTOR_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    OCCURRED_AT_FIELD_NUMBER: _ClassVar[int]
    reservation_id: str
    order_id: str
    lines: _containers.RepeatedCompositeFieldContainer[ReservedLine]
    actor: str
    reason: str
    occurred_at: _timestamp_pb2.Timestamp
    def __init__(self, reservation_id: _Optional[str] = ..., order_id: _Optional[str] = ..., lines: _Optional[_Iterable[_Union[ReservedLine, _Mapping]]] = ..., actor: _Optional[str] = ..., reason: _Optional[str] = ..., occurred_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class StockExpired(_message.Message):
    __slots__ = ("reservation_id", "order_id", "lines", "expired_at", "occurred_at")
    RESERVATION_ID_FIELD_NUMBER: _ClassVar[int]
    ORDER_ID_FIELD_NUMBER: _ClassVar[int]
    LINES_FIELD_NUMBER: _ClassVar[int]
    EXPIRED_AT_FIELD_NUMBER: _ClassVar[int]
    OCCURRED_AT_FIELD_NUMBER: _ClassVar[int]
    reservation_id: str
    order_id: str
    lines: _containers.RepeatedCompositeFieldContainer[ReservedLine]
    expired_at: _timestamp_pb2.Timestamp
    occurred_at: _timestamp_pb2.Timestamp
    def __init__(self, reservation_id: _Optional[str] = ..., order_id: _Optional[str] = ..., lines: _Optional[_Iterable[_Union[ReservedLine, _Mapping]]] = ..., expired_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., occurred_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class StockCommitted(_message.Message):
    __slots__ = ("reservation_id", "order_id", "lines", "actor", "reference", "occurred_at")
    RESERVATION_ID_FIELD_NUMBER: _ClassVar[int]
    ORDER_ID_FIELD_NUMBER: _ClassVar[int]
    LINES_FIELD_NUMBER: _ClassVar[int]
    ACTOR_FIELD_NUMBER: _ClassVar[int]
    REFERENCE_FIELD_NUMBER: _ClassVar[int]
    OCCURRED_AT_FIELD_NUMBER: _ClassVar[int]
    reservation_id: str
    order_id: str
    lines: _containers.RepeatedCompositeFieldContainer[ReservedLine]
    actor: str
    reference: str
    occurred_at: _timestamp_pb2.Timestamp
    def __init__(self, reservation_id: _Optional[str] = ..., order_id: _Optional[str] = ..., lines: _Optional[_Iterable[_Union[ReservedLine, _Mapping]]] = ..., actor: _Optional[str] = ..., reference: _Optional[str] = ..., occurred_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class StockAdjusted(_message.Message):
    __slots__ = ("entry",)
    ENTRY_FIELD_NUMBER: _ClassVar[int]
    entry: LedgerEntry
    def __init__(self, entry: _Optional[_Union[LedgerEntry, _Mapping]] = ...) -> None: ...

class StockLow(_message.Message):
    __slots__ = ("sku", "available", "threshold", "occurred_at")
    SKU_FIELD_NUMBER: _ClassVar[int]
    AVAILABLE_FIELD_NUMBER: _ClassVar[int]
    THRESHOLD_FIELD_NUMBER: _ClassVar[int]
    OCCURRED_AT_FIELD_NUMBER: _ClassVar[int]
    sku: str
    available: int
    threshold: int
    occurred_at: _timestamp_pb2.Timestamp
    def __init__(self, sku: _Optional[str] = ..., available: _Optional[int] = ..., threshold: _Optional[int] = ..., occurred_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...
