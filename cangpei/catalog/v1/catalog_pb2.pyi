from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from typing import ClassVar as _ClassVar, Optional as _Optional

DESCRIPTOR: _descriptor.FileDescriptor

class GetSupplierRequest(_message.Message):
    __slots__ = ("supplier_id",)
    SUPPLIER_ID_FIELD_NUMBER: _ClassVar[int]
    supplier_id: str
    def __init__(self, supplier_id: _Optional[str] = ...) -> None: ...

class GetSupplierResponse(_message.Message):
    __slots__ = ("supplier_id", "name")
    SUPPLIER_ID_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    supplier_id: str
    name: str
    def __init__(self, supplier_id: _Optional[str] = ..., name: _Optional[str] = ...) -> None: ...
