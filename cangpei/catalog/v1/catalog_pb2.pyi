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

class SupplierKind(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    SUPPLIER_KIND_UNSPECIFIED: _ClassVar[SupplierKind]
    SUPPLIER_KIND_BRAND_OWNER: _ClassVar[SupplierKind]
    SUPPLIER_KIND_DISTRIBUTOR: _ClassVar[SupplierKind]
    SUPPLIER_KIND_FACTORY: _ClassVar[SupplierKind]
    SUPPLIER_KIND_CHANNEL_MERCHANT: _ClassVar[SupplierKind]

class TaxStatus(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    TAX_STATUS_UNSPECIFIED: _ClassVar[TaxStatus]
    TAX_STATUS_GENERAL_TAXPAYER: _ClassVar[TaxStatus]
    TAX_STATUS_SMALL_SCALE_TAXPAYER: _ClassVar[TaxStatus]

class SupplierStatus(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    SUPPLIER_STATUS_UNSPECIFIED: _ClassVar[SupplierStatus]
    SUPPLIER_STATUS_PENDING: _ClassVar[SupplierStatus]
    SUPPLIER_STATUS_APPROVED: _ClassVar[SupplierStatus]
    SUPPLIER_STATUS_REJECTED: _ClassVar[SupplierStatus]
    SUPPLIER_STATUS_SUSPENDED: _ClassVar[SupplierStatus]

class DepositEntryKind(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    DEPOSIT_ENTRY_KIND_UNSPECIFIED: _ClassVar[DepositEntryKind]
    DEPOSIT_ENTRY_KIND_PAYMENT: _ClassVar[DepositEntryKind]
    DEPOSIT_ENTRY_KIND_DEDUCTION: _ClassVar[DepositEntryKind]
    DEPOSIT_ENTRY_KIND_REFUND: _ClassVar[DepositEntryKind]

class ProductStatus(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    PRODUCT_STATUS_UNSPECIFIED: _ClassVar[ProductStatus]
    PRODUCT_STATUS_ACTIVE: _ClassVar[ProductStatus]
    PRODUCT_STATUS_SUSPENDED: _ClassVar[ProductStatus]

class ShopTier(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    SHOP_TIER_UNSPECIFIED: _ClassVar[ShopTier]
    SHOP_TIER_NEW: _ClassVar[ShopTier]
    SHOP_TIER_SENIOR: _ClassVar[ShopTier]
    SHOP_TIER_ELITE: _ClassVar[ShopTier]
    SHOP_TIER_SUPER: _ClassVar[ShopTier]

class PrincipalKind(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    PRINCIPAL_KIND_UNSPECIFIED: _ClassVar[PrincipalKind]
    PRINCIPAL_KIND_STAFF: _ClassVar[PrincipalKind]
    PRINCIPAL_KIND_SUPPLIER: _ClassVar[PrincipalKind]
    PRINCIPAL_KIND_MEMBER: _ClassVar[PrincipalKind]
SUPPLIER_KIND_UNSPECIFIED: SupplierKind
SUPPLIER_KIND_BRAND_OWNER: SupplierKind
SUPPLIER_KIND_DISTRIBUTOR: SupplierKind
SUPPLIER_KIND_FACTORY: SupplierKind
SUPPLIER_KIND_CHANNEL_MERCHANT: SupplierKind
TAX_STATUS_UNSPECIFIED: TaxStatus
TAX_STATUS_GENERAL_TAXPAYER: TaxStatus
TAX_STATUS_SMALL_SCALE_TAXPAYER: TaxStatus
SUPPLIER_STATUS_UNSPECIFIED: SupplierStatus
SUPPLIER_STATUS_PENDING: SupplierStatus
SUPPLIER_STATUS_APPROVED: SupplierStatus
SUPPLIER_STATUS_REJECTED: SupplierStatus
SUPPLIER_STATUS_SUSPENDED: SupplierStatus
DEPOSIT_ENTRY_KIND_UNSPECIFIED: DepositEntryKind
DEPOSIT_ENTRY_KIND_PAYMENT: DepositEntryKind
DEPOSIT_ENTRY_KIND_DEDUCTION: DepositEntryKind
DEPOSIT_ENTRY_KIND_REFUND: DepositEntryKind
PRODUCT_STATUS_UNSPECIFIED: ProductStatus
PRODUCT_STATUS_ACTIVE: ProductStatus
PRODUCT_STATUS_SUSPENDED: ProductStatus
SHOP_TIER_UNSPECIFIED: ShopTier
SHOP_TIER_NEW: ShopTier
SHOP_TIER_SENIOR: ShopTier
SHOP_TIER_ELITE: ShopTier
SHOP_TIER_SUPER: ShopTier
PRINCIPAL_KIND_UNSPECIFIED: PrincipalKind
PRINCIPAL_KIND_STAFF: PrincipalKind
PRINCIPAL_KIND_SUPPLIER: PrincipalKind
PRINCIPAL_KIND_MEMBER: PrincipalKind

class Failure(_message.Message):
    __slots__ = ("code", "message")
    CODE_FIELD_NUMBER: _ClassVar[int]
    MESSAGE_FIELD_NUMBER: _ClassVar[int]
    code: str
    message: str
    def __init__(self, code: _Optional[str] = ..., message: _Optional[str] = ...) -> None: ...

class Qualification(_message.Message):
    __slots__ = ("registered_capital_fen", "tax_status", "licence_number")
    REGISTERED_CAPITAL_FEN_FIELD_NUMBER: _ClassVar[int]
    TAX_STATUS_FIELD_NUMBER: _ClassVar[int]
    LICENCE_NUMBER_FIELD_NUMBER: _ClassVar[int]
    registered_capital_fen: int
    tax_status: TaxStatus
    licence_number: str
    def __init__(self, registered_capital_fen: _Optional[int] = ..., tax_status: _Optional[_Union[TaxStatus, str]] = ..., licence_number: _Optional[str] = ...) -> None: ...

class Supplier(_message.Message):
    __slots__ = ("supplier_id", "name", "kind", "status", "status_reason", "qualification", "deposit_balance_fen", "created_at")
    SUPPLIER_ID_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    STATUS_REASON_FIELD_NUMBER: _ClassVar[int]
    QUALIFICATION_FIELD_NUMBER: _ClassVar[int]
    DEPOSIT_BALANCE_FEN_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    supplier_id: str
    name: str
    kind: SupplierKind
    status: SupplierStatus
    status_reason: str
    qualification: Qualification
    deposit_balance_fen: int
    created_at: _timestamp_pb2.Timestamp
    def __init__(self, supplier_id: _Optional[str] = ..., name: _Optional[str] = ..., kind: _Optional[_Union[SupplierKind, str]] = ..., status: _Optional[_Union[SupplierStatus, str]] = ..., status_reason: _Optional[str] = ..., qualification: _Optional[_Union[Qualification, _Mapping]] = ..., deposit_balance_fen: _Optional[int] = ..., created_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class RegisterSupplierRequest(_message.Message):
    __slots__ = ("name", "kind", "issue_token")
    NAME_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    ISSUE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    name: str
    kind: SupplierKind
    issue_token: bool
    def __init__(self, name: _Optional[str] = ..., kind: _Optional[_Union[SupplierKind, str]] = ..., issue_token: _Optional[bool] = ...) -> None: ...

class RegisterSupplierResponse(_message.Message):
    __slots__ = ("supplier", "token")
    SUPPLIER_FIELD_NUMBER: _ClassVar[int]
    TOKEN_FIELD_NUMBER: _ClassVar[int]
    supplier: Supplier
    token: str
    def __init__(self, supplier: _Optional[_Union[Supplier, _Mapping]] = ..., token: _Optional[str] = ...) -> None: ...

class GetSupplierRequest(_message.Message):
    __slots__ = ("supplier_id",)
    SUPPLIER_ID_FIELD_NUMBER: _ClassVar[int]
    supplier_id: str
    def __init__(self, supplier_id: _Optional[str] = ...) -> None: ...

class GetSupplierResponse(_message.Message):
    __slots__ = ("supplier",)
    SUPPLIER_FIELD_NUMBER: _ClassVar[int]
    supplier: Supplier
    def __init__(self, supplier: _Optional[_Union[Supplier, _Mapping]] = ...) -> None: ...

class SubmitQualificationRequest(_message.Message):
    __slots__ = ("supplier_id", "registered_capital_fen", "tax_status", "licence_number")
    SUPPLIER_ID_FIELD_NUMBER: _ClassVar[int]
    REGISTERED_CAPITAL_FEN_FIELD_NUMBER: _ClassVar[int]
    TAX_STATUS_FIELD_NUMBER: _ClassVar[int]
    LICENCE_NUMBER_FIELD_NUMBER: _ClassVar[int]
    supplier_id: str
    registered_capital_fen: int
    tax_status: TaxStatus
    licence_number: str
    def __init__(self, supplier_id: _Optional[str] = ..., registered_capital_fen: _Optional[int] = ..., tax_status: _Optional[_Union[TaxStatus, str]] = ..., licence_number: _Optional[str] = ...) -> None: ...

class SubmitQualificationResponse(_message.Message):
    __slots__ = ("supplier",)
    SUPPLIER_FIELD_NUMBER: _ClassVar[int]
    supplier: Supplier
    def __init__(self, supplier: _Optional[_Union[Supplier, _Mapping]] = ...) -> None: ...

class DepositEntry(_message.Message):
    __slots__ = ("entry_id", "supplier_id", "kind", "amount_fen", "reference", "recorded_at")
    ENTRY_ID_FIELD_NUMBER: _ClassVar[int]
    SUPPLIER_ID_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    AMOUNT_FEN_FIELD_NUMBER: _ClassVar[int]
    REFERENCE_FIELD_NUMBER: _ClassVar[int]
    RECORDED_AT_FIELD_NUMBER: _ClassVar[int]
    entry_id: str
    supplier_id: str
    kind: DepositEntryKind
    amount_fen: int
    reference: str
    recorded_at: _timestamp_pb2.Timestamp
    def __init__(self, entry_id: _Optional[str] = ..., supplier_id: _Optional[str] = ..., kind: _Optional[_Union[DepositEntryKind, str]] = ..., amount_fen: _Optional[int] = ..., reference: _Optional[str] = ..., recorded_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class RecordDepositEntryRequest(_message.Message):
    __slots__ = ("supplier_id", "kind", "amount_fen", "reference")
    SUPPLIER_ID_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    AMOUNT_FEN_FIELD_NUMBER: _ClassVar[int]
    REFERENCE_FIELD_NUMBER: _ClassVar[int]
    supplier_id: str
    kind: DepositEntryKind
    amount_fen: int
    reference: str
    def __init__(self, supplier_id: _Optional[str] = ..., kind: _Optional[_Union[DepositEntryKind, str]] = ..., amount_fen: _Optional[int] = ..., reference: _Optional[str] = ...) -> None: ...

class RecordDepositEntryResponse(_message.Message):
    __slots__ = ("entry", "balance_fen")
    ENTRY_FIELD_NUMBER: _ClassVar[int]
    BALANCE_FEN_FIELD_NUMBER: _ClassVar[int]
    entry: DepositEntry
    balance_fen: int
    def __init__(self, entry: _Optional[_Union[DepositEntry, _Mapping]] = ..., balance_fen: _Optional[int] = ...) -> None: ...

class ListDepositEntriesRequest(_message.Message):
    __slots__ = ("supplier_id",)
    SUPPLIER_ID_FIELD_NUMBER: _ClassVar[int]
    supplier_id: str
    def __init__(self, supplier_id: _Optional[str] = ...) -> None: ...

class ListDepositEntriesResponse(_message.Message):
    __slots__ = ("entries", "balance_fen")
    ENTRIES_FIELD_NUMBER: _ClassVar[int]
    BALANCE_FEN_FIELD_NUMBER: _ClassVar[int]
    entries: _containers.RepeatedCompositeFieldContainer[DepositEntry]
    balance_fen: int
    def __init__(self, entries: _Optional[_Iterable[_Union[DepositEntry, _Mapping]]] = ..., balance_fen: _Optional[int] = ...) -> None: ...

class RequestVerdictRequest(_message.Message):
    __slots__ = ("supplier_id",)
    SUPPLIER_ID_FIELD_NUMBER: _ClassVar[int]
    supplier_id: str
    def __init__(self, supplier_id: _Optional[str] = ...) -> None: ...

class RequestVerdictResponse(_message.Message):
    __slots__ = ("approved", "failures", "supplier")
    APPROVED_FIELD_NUMBER: _ClassVar[int]
    FAILURES_FIELD_NUMBER: _ClassVar[int]
    SUPPLIER_FIELD_NUMBER: _ClassVar[int]
    approved: bool
    failures: _containers.RepeatedCompositeFieldContainer[Failure]
    supplier: Supplier
    def __init__(self, approved: _Optional[bool] = ..., failures: _Optional[_Iterable[_Union[Failure, _Mapping]]] = ..., supplier: _Optional[_Union[Supplier, _Mapping]] = ...) -> None: ...

class RecheckSuppliersRequest(_message.Message):
    __slots__ = ("on_date",)
    ON_DATE_FIELD_NUMBER: _ClassVar[int]
    on_date: str
    def __init__(self, on_date: _Optional[str] = ...) -> None: ...

class RecheckSuppliersResponse(_message.Message):
    __slots__ = ("on_date", "checked", "suspended_supplier_ids")
    ON_DATE_FIELD_NUMBER: _ClassVar[int]
    CHECKED_FIELD_NUMBER: _ClassVar[int]
    SUSPENDED_SUPPLIER_IDS_FIELD_NUMBER: _ClassVar[int]
    on_date: str
    checked: int
    suspended_supplier_ids: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, on_date: _Optional[str] = ..., checked: _Optional[int] = ..., suspended_supplier_ids: _Optional[_Iterable[str]] = ...) -> None: ...

class Brand(_message.Message):
    __slots__ = ("brand_id", "name", "owner_id")
    BRAND_ID_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    OWNER_ID_FIELD_NUMBER: _ClassVar[int]
    brand_id: str
    name: str
    owner_id: str
    def __init__(self, brand_id: _Optional[str] = ..., name: _Optional[str] = ..., owner_id: _Optional[str] = ...) -> None: ...

class RegisterBrandRequest(_message.Message):
    __slots__ = ("name", "owner_id")
    NAME_FIELD_NUMBER: _ClassVar[int]
    OWNER_ID_FIELD_NUMBER: _ClassVar[int]
    name: str
    owner_id: str
    def __init__(self, name: _Optional[str] = ..., owner_id: _Optional[str] = ...) -> None: ...

class RegisterBrandResponse(_message.Message):
    __slots__ = ("brand",)
    BRAND_FIELD_NUMBER: _ClassVar[int]
    brand: Brand
    def __init__(self, brand: _Optional[_Union[Brand, _Mapping]] = ...) -> None: ...

class Authorisation(_message.Message):
    __slots__ = ("authorisation_id", "brand_id", "grantor_id", "grantee_id", "categories", "valid_from", "valid_until", "confirmed")
    AUTHORISATION_ID_FIELD_NUMBER: _ClassVar[int]
    BRAND_ID_FIELD_NUMBER: _ClassVar[int]
    GRANTOR_ID_FIELD_NUMBER: _ClassVar[int]
    GRANTEE_ID_FIELD_NUMBER: _ClassVar[int]
    CATEGORIES_FIELD_NUMBER: _ClassVar[int]
    VALID_FROM_FIELD_NUMBER: _ClassVar[int]
    VALID_UNTIL_FIELD_NUMBER: _ClassVar[int]
    CONFIRMED_FIELD_NUMBER: _ClassVar[int]
    authorisation_id: str
    brand_id: str
    grantor_id: str
    grantee_id: str
    categories: _containers.RepeatedScalarFieldContainer[str]
    valid_from: str
    valid_until: str
    confirmed: bool
    def __init__(self, authorisation_id: _Optional[str] = ..., brand_id: _Optional[str] = ..., grantor_id: _Optional[str] = ..., grantee_id: _Optional[str] = ..., categories: _Optional[_Iterable[str]] = ..., valid_from: _Optional[str] = ..., valid_until: _Optional[str] = ..., confirmed: _Optional[bool] = ...) -> None: ...

class AddAuthorisationRequest(_message.Message):
    __slots__ = ("brand_id", "grantor_id", "grantee_id", "categories", "valid_from", "valid_until")
    BRAND_ID_FIELD_NUMBER: _ClassVar[int]
    GRANTOR_ID_FIELD_NUMBER: _ClassVar[int]
    GRANTEE_ID_FIELD_NUMBER: _ClassVar[int]
    CATEGORIES_FIELD_NUMBER: _ClassVar[int]
    VALID_FROM_FIELD_NUMBER: _ClassVar[int]
    VALID_UNTIL_FIELD_NUMBER: _ClassVar[int]
    brand_id: str
    grantor_id: str
    grantee_id: str
    categories: _containers.RepeatedScalarFieldContainer[str]
    valid_from: str
    valid_until: str
    def __init__(self, brand_id: _Optional[str] = ..., grantor_id: _Optional[str] = ..., grantee_id: _Optional[str] = ..., categories: _Optional[_Iterable[str]] = ..., valid_from: _Optional[str] = ..., valid_until: _Optional[str] = ...) -> None: ...

class AddAuthorisationResponse(_message.Message):
    __slots__ = ("authorisation",)
    AUTHORISATION_FIELD_NUMBER: _ClassVar[int]
    authorisation: Authorisation
    def __init__(self, authorisation: _Optional[_Union[Authorisation, _Mapping]] = ...) -> None: ...

class ConfirmAuthorisationRequest(_message.Message):
    __slots__ = ("authorisation_id",)
    AUTHORISATION_ID_FIELD_NUMBER: _ClassVar[int]
    authorisation_id: str
    def __init__(self, authorisation_id: _Optional[str] = ...) -> None: ...

class ConfirmAuthorisationResponse(_message.Message):
    __slots__ = ("authorisation",)
    AUTHORISATION_FIELD_NUMBER: _ClassVar[int]
    authorisation: Authorisation
    def __init__(self, authorisation: _Optional[_Union[Authorisation, _Mapping]] = ...) -> None: ...

class CheckChainRequest(_message.Message):
    __slots__ = ("brand_id", "supplier_id", "category", "on_date")
    BRAND_ID_FIELD_NUMBER: _ClassVar[int]
    SUPPLIER_ID_FIELD_NUMBER: _ClassVar[int]
    CATEGORY_FIELD_NUMBER: _ClassVar[int]
    ON_DATE_FIELD_NUMBER: _ClassVar[int]
    brand_id: str
    supplier_id: str
    category: str
    on_date: str
    def __init__(self, brand_id: _Optional[str] = ..., supplier_id: _Optional[str] = ..., category: _Optional[str] = ..., on_date: _Optional[str] = ...) -> None: ...

class CheckChainResponse(_message.Message):
    __slots__ = ("holds", "chain", "failures")
    HOLDS_FIELD_NUMBER: _ClassVar[int]
    CHAIN_FIELD_NUMBER: _ClassVar[int]
    FAILURES_FIELD_NUMBER: _ClassVar[int]
    holds: bool
    chain: _containers.RepeatedCompositeFieldContainer[Authorisation]
    failures: _containers.RepeatedCompositeFieldContainer[Failure]
    def __init__(self, holds: _Optional[bool] = ..., chain: _Optional[_Iterable[_Union[Authorisation, _Mapping]]] = ..., failures: _Optional[_Iterable[_Union[Failure, _Mapping]]] = ...) -> None: ...

class PurchaseVoucher(_message.Message):
    __slots__ = ("voucher_id", "supplier_id", "sku", "seller_id", "buyer_id", "seller_is_manufacturer", "invoice_number", "issued_on")
    VOUCHER_ID_FIELD_NUMBER: _ClassVar[int]
    SUPPLIER_ID_FIELD_NUMBER: _ClassVar[int]
    SKU_FIELD_NUMBER: _ClassVar[int]
    SELLER_ID_FIELD_NUMBER: _ClassVar[int]
    BUYER_ID_FIELD_NUMBER: _ClassVar[int]
    SELLER_IS_MANUFACTURER_FIELD_NUMBER: _ClassVar[int]
    INVOICE_NUMBER_FIELD_NUMBER: _ClassVar[int]
    ISSUED_ON_FIELD_NUMBER: _ClassVar[int]
    voucher_id: str
    supplier_id: str
    sku: str
    seller_id: str
    buyer_id: str
    seller_is_manufacturer: bool
    invoice_number: str
    issued_on: str
    def __init__(self, voucher_id: _Optional[str] = ..., supplier_id: _Optional[str] = ..., sku: _Optional[str] = ..., seller_id: _Optional[str] = ..., buyer_id: _Optional[str] = ..., seller_is_manufacturer: _Optional[bool] = ..., invoice_number: _Optional[str] = ..., issued_on: _Optional[str] = ...) -> None: ...

class AddPurchaseVoucherRequest(_message.Message):
    __slots__ = ("supplier_id", "sku", "seller_id", "buyer_id", "seller_is_manufacturer", "invoice_number", "issued_on")
    SUPPLIER_ID_FIELD_NUMBER: _ClassVar[int]
    SKU_FIELD_NUMBER: _ClassVar[int]
    SELLER_ID_FIELD_NUMBER: _ClassVar[int]
    BUYER_ID_FIELD_NUMBER: _ClassVar[int]
    SELLER_IS_MANUFACTURER_FIELD_NUMBER: _ClassVar[int]
    INVOICE_NUMBER_FIELD_NUMBER: _ClassVar[int]
    ISSUED_ON_FIELD_NUMBER: _ClassVar[int]
    supplier_id: str
    sku: str
    seller_id: str
    buyer_id: str
    seller_is_manufacturer: bool
    invoice_number: str
    issued_on: str
    def __init__(self, supplier_id: _Optional[str] = ..., sku: _Optional[str] = ..., seller_id: _Optional[str] = ..., buyer_id: _Optional[str] = ..., seller_is_manufacturer: _Optional[bool] = ..., invoice_number: _Optional[str] = ..., issued_on: _Optional[str] = ...) -> None: ...

class AddPurchaseVoucherResponse(_message.Message):
    __slots__ = ("voucher",)
    VOUCHER_FIELD_NUMBER: _ClassVar[int]
    voucher: PurchaseVoucher
    def __init__(self, voucher: _Optional[_Union[PurchaseVoucher, _Mapping]] = ...) -> None: ...

class OtherPlatformPrice(_message.Message):
    __slots__ = ("platform", "price_fen")
    PLATFORM_FIELD_NUMBER: _ClassVar[int]
    PRICE_FEN_FIELD_NUMBER: _ClassVar[int]
    platform: str
    price_fen: int
    def __init__(self, platform: _Optional[str] = ..., price_fen: _Optional[int] = ...) -> None: ...

class Shipping(_message.Message):
    __slots__ = ("weight_grams", "length_mm", "width_mm", "height_mm")
    WEIGHT_GRAMS_FIELD_NUMBER: _ClassVar[int]
    LENGTH_MM_FIELD_NUMBER: _ClassVar[int]
    WIDTH_MM_FIELD_NUMBER: _ClassVar[int]
    HEIGHT_MM_FIELD_NUMBER: _ClassVar[int]
    weight_grams: int
    length_mm: int
    width_mm: int
    height_mm: int
    def __init__(self, weight_grams: _Optional[int] = ..., length_mm: _Optional[int] = ..., width_mm: _Optional[int] = ..., height_mm: _Optional[int] = ...) -> None: ...

class Product(_message.Message):
    __slots__ = ("product_id", "supplier_id", "sku", "name", "brand_id", "category", "price_fen", "commission_bps", "affiliate_commission_bps", "other_platform_prices", "shipping", "status", "status_reason", "listed_at")
    PRODUCT_ID_FIELD_NUMBER: _ClassVar[int]
    SUPPLIER_ID_FIELD_NUMBER: _ClassVar[int]
    SKU_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    BRAND_ID_FIELD_NUMBER: _ClassVar[int]
    CATEGORY_FIELD_NUMBER: _ClassVar[int]
    PRICE_FEN_FIELD_NUMBER: _ClassVar[int]
    COMMISSION_BPS_FIELD_NUMBER: _ClassVar[int]
    AFFILIATE_COMMISSION_BPS_FIELD_NUMBER: _ClassVar[int]
    OTHER_PLATFORM_PRICES_FIELD_NUMBER: _ClassVar[int]
    SHIPPING_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    STATUS_REASON_FIELD_NUMBER: _ClassVar[int]
    LISTED_AT_FIELD_NUMBER: _ClassVar[int]
    product_id: str
    supplier_id: str
    sku: str
    name: str
    brand_id: str
    category: str
    price_fen: int
    commission_bps: int
    affiliate_commission_bps: int
    other_platform_prices: _containers.RepeatedCompositeFieldContainer[OtherPlatformPrice]
    shipping: Shipping
    status: ProductStatus
    status_reason: str
    listed_at: _timestamp_pb2.Timestamp
    def __init__(self, product_id: _Optional[str] = ..., supplier_id: _Optional[str] = ..., sku: _Optional[str] = ..., name: _Optional[str] = ..., brand_id: _Optional[str] = ..., category: _Optional[str] = ..., price_fen: _Optional[int] = ..., commission_bps: _Optional[int] = ..., affiliate_commission_bps: _Optional[int] = ..., other_platform_prices: _Optional[_Iterable[_Union[OtherPlatformPrice, _Mapping]]] = ..., shipping: _Optional[_Union[Shipping, _Mapping]] = ..., status: _Optional[_Union[ProductStatus, str]] = ..., status_reason: _Optional[str] = ..., listed_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class ListProductRequest(_message.Message):
    __slots__ = ("supplier_id", "sku", "name", "brand_id", "category", "price_fen", "commission_bps", "affiliate_commission_bps", "other_platform_prices", "shipping")
    SUPPLIER_ID_FIELD_NUMBER: _ClassVar[int]
    SKU_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    BRAND_ID_FIELD_NUMBER: _ClassVar[int]
    CATEGORY_FIELD_NUMBER: _ClassVar[int]
    PRICE_FEN_FIELD_NUMBER: _ClassVar[int]
    COMMISSION_BPS_FIELD_NUMBER: _ClassVar[int]
    AFFILIATE_COMMISSION_BPS_FIELD_NUMBER: _ClassVar[int]
    OTHER_PLATFORM_PRICES_FIELD_NUMBER: _ClassVar[int]
    SHIPPING_FIELD_NUMBER: _ClassVar[int]
    supplier_id: str
    sku: str
    name: str
    brand_id: str
    category: str
    price_fen: int
    commission_bps: int
    affiliate_commission_bps: int
    other_platform_prices: _containers.RepeatedCompositeFieldContainer[OtherPlatformPrice]
    shipping: Shipping
    def __init__(self, supplier_id: _Optional[str] = ..., sku: _Optional[str] = ..., name: _Optional[str] = ..., brand_id: _Optional[str] = ..., category: _Optional[str] = ..., price_fen: _Optional[int] = ..., commission_bps: _Optional[int] = ..., affiliate_commission_bps: _Optional[int] = ..., other_platform_prices: _Optional[_Iterable[_Union[OtherPlatformPrice, _Mapping]]] = ..., shipping: _Optional[_Union[Shipping, _Mapping]] = ...) -> None: ...

class ListProductResponse(_message.Message):
    __slots__ = ("listed", "product", "failures")
    LISTED_FIELD_NUMBER: _ClassVar[int]
    PRODUCT_FIELD_NUMBER: _ClassVar[int]
    FAILURES_FIELD_NUMBER: _ClassVar[int]
    listed: bool
    product: Product
    failures: _containers.RepeatedCompositeFieldContainer[Failure]
    def __init__(self, listed: _Optional[bool] = ..., product: _Optional[_Union[Product, _Mapping]] = ..., failures: _Optional[_Iterable[_Union[Failure, _Mapping]]] = ...) -> None: ...

class GetProductRequest(_message.Message):
    __slots__ = ("product_id",)
    PRODUCT_ID_FIELD_NUMBER: _ClassVar[int]
    product_id: str
    def __init__(self, product_id: _Optional[str] = ...) -> None: ...

class GetProductResponse(_message.Message):
    __slots__ = ("product",)
    PRODUCT_FIELD_NUMBER: _ClassVar[int]
    product: Product
    def __init__(self, product: _Optional[_Union[Product, _Mapping]] = ...) -> None: ...

class SearchProductsRequest(_message.Message):
    __slots__ = ("supplier_id", "brand_id", "category", "page")
    SUPPLIER_ID_FIELD_NUMBER: _ClassVar[int]
    BRAND_ID_FIELD_NUMBER: _ClassVar[int]
    CATEGORY_FIELD_NUMBER: _ClassVar[int]
    PAGE_FIELD_NUMBER: _ClassVar[int]
    supplier_id: str
    brand_id: str
    category: str
    page: _common_pb2.PageRequest
    def __init__(self, supplier_id: _Optional[str] = ..., brand_id: _Optional[str] = ..., category: _Optional[str] = ..., page: _Optional[_Union[_common_pb2.PageRequest, _Mapping]] = ...) -> None: ...

class SearchProductsResponse(_message.Message):
    __slots__ = ("products", "next_page_token")
    PRODUCTS_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    products: _containers.RepeatedCompositeFieldContainer[Product]
    next_page_token: str
    def __init__(self, products: _Optional[_Iterable[_Union[Product, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...

class Member(_message.Message):
    __slots__ = ("member_id", "credit_score", "proven_operator")
    MEMBER_ID_FIELD_NUMBER: _ClassVar[int]
    CREDIT_SCORE_FIELD_NUMBER: _ClassVar[int]
    PROVEN_OPERATOR_FIELD_NUMBER: _ClassVar[int]
    member_id: str
    credit_score: int
    proven_operator: bool
    def __init__(self, member_id: _Optional[str] = ..., credit_score: _Optional[int] = ..., proven_operator: _Optional[bool] = ...) -> None: ...

class UpsertMemberRequest(_message.Message):
    __slots__ = ("member_id", "credit_score", "proven_operator", "issue_token")
    MEMBER_ID_FIELD_NUMBER: _ClassVar[int]
    CREDIT_SCORE_FIELD_NUMBER: _ClassVar[int]
    PROVEN_OPERATOR_FIELD_NUMBER: _ClassVar[int]
    ISSUE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    member_id: str
    credit_score: int
    proven_operator: bool
    issue_token: bool
    def __init__(self, member_id: _Optional[str] = ..., credit_score: _Optional[int] = ..., proven_operator: _Optional[bool] = ..., issue_token: _Optional[bool] = ...) -> None: ...

class UpsertMemberResponse(_message.Message):
    __slots__ = ("member", "token")
    MEMBER_FIELD_NUMBER: _ClassVar[int]
    TOKEN_FIELD_NUMBER: _ClassVar[int]
    member: Member
    token: str
    def __init__(self, member: _Optional[_Union[Member, _Mapping]] = ..., token: _Optional[str] = ...) -> None: ...

class Shop(_message.Message):
    __slots__ = ("shop_id", "owner_id", "name", "tier", "listing_count", "opened_at")
    SHOP_ID_FIELD_NUMBER: _ClassVar[int]
    OWNER_ID_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    TIER_FIELD_NUMBER: _ClassVar[int]
    LISTING_COUNT_FIELD_NUMBER: _ClassVar[int]
    OPENED_AT_FIELD_NUMBER: _ClassVar[int]
    shop_id: str
    owner_id: str
    name: str
    tier: ShopTier
    listing_count: int
    opened_at: _timestamp_pb2.Timestamp
    def __init__(self, shop_id: _Optional[str] = ..., owner_id: _Optional[str] = ..., name: _Optional[str] = ..., tier: _Optional[_Union[ShopTier, str]] = ..., listing_count: _Optional[int] = ..., opened_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class OpenShopRequest(_message.Message):
    __slots__ = ("member_id", "name")
    MEMBER_ID_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    member_id: str
    name: str
    def __init__(self, member_id: _Optional[str] = ..., name: _Optional[str] = ...) -> None: ...

class OpenShopResponse(_message.Message):
    __slots__ = ("shop",)
    SHOP_FIELD_NUMBER: _ClassVar[int]
    shop: Shop
    def __init__(self, shop: _Optional[_Union[Shop, _Mapping]] = ...) -> None: ...

class GetShopRequest(_message.Message):
    __slots__ = ("shop_id",)
    SHOP_ID_FIELD_NUMBER: _ClassVar[int]
    shop_id: str
    def __init__(self, shop_id: _Optional[str] = ...) -> None: ...

class GetShopResponse(_message.Message):
    __slots__ = ("shop",)
    SHOP_FIELD_NUMBER: _ClassVar[int]
    shop: Shop
    def __init__(self, shop: _Optional[_Union[Shop, _Mapping]] = ...) -> None: ...

class Listing(_message.Message):
    __slots__ = ("shop_id", "product_id", "recommendation")
    SHOP_ID_FIELD_NUMBER: _ClassVar[int]
    PRODUCT_ID_FIELD_NUMBER: _ClassVar[int]
    RECOMMENDATION_FIELD_NUMBER: _ClassVar[int]
    shop_id: str
    product_id: str
    recommendation: str
    def __init__(self, shop_id: _Optional[str] = ..., product_id: _Optional[str] = ..., recommendation: _Optional[str] = ...) -> None: ...

class AddListingRequest(_message.Message):
    __slots__ = ("shop_id", "product_id", "recommendation")
    SHOP_ID_FIELD_NUMBER: _ClassVar[int]
    PRODUCT_ID_FIELD_NUMBER: _ClassVar[int]
    RECOMMENDATION_FIELD_NUMBER: _ClassVar[int]
    shop_id: str
    product_id: str
    recommendation: str
    def __init__(self, shop_id: _Optional[str] = ..., product_id: _Optional[str] = ..., recommendation: _Optional[str] = ...) -> None: ...

class AddListingResponse(_message.Message):
    __slots__ = ("listing",)
    LISTING_FIELD_NUMBER: _ClassVar[int]
    listing: Listing
    def __init__(self, listing: _Optional[_Union[Listing, _Mapping]] = ...) -> None: ...

class UpdateRecommendationRequest(_message.Message):
    __slots__ = ("shop_id", "product_id", "recommendation")
    SHOP_ID_FIELD_NUMBER: _ClassVar[int]
    PRODUCT_ID_FIELD_NUMBER: _ClassVar[int]
    RECOMMENDATION_FIELD_NUMBER: _ClassVar[int]
    shop_id: str
    product_id: str
    recommendation: str
    def __init__(self, shop_id: _Optional[str] = ..., product_id: _Optional[str] = ..., recommendation: _Optional[str] = ...) -> None: ...

class UpdateRecommendationResponse(_message.Message):
    __slots__ = ("listing",)
    LISTING_FIELD_NUMBER: _ClassVar[int]
    listing: Listing
    def __init__(self, listing: _Optional[_Union[Listing, _Mapping]] = ...) -> None: ...

class RemoveListingRequest(_message.Message):
    __slots__ = ("shop_id", "product_id")
    SHOP_ID_FIELD_NUMBER: _ClassVar[int]
    PRODUCT_ID_FIELD_NUMBER: _ClassVar[int]
    shop_id: str
    product_id: str
    def __init__(self, shop_id: _Optional[str] = ..., product_id: _Optional[str] = ...) -> None: ...

class RemoveListingResponse(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class ListShopListingsRequest(_message.Message):
    __slots__ = ("shop_id",)
    SHOP_ID_FIELD_NUMBER: _ClassVar[int]
    shop_id: str
    def __init__(self, shop_id: _Optional[str] = ...) -> None: ...

class ListShopListingsResponse(_message.Message):
    __slots__ = ("listings",)
    LISTINGS_FIELD_NUMBER: _ClassVar[int]
    listings: _containers.RepeatedCompositeFieldContainer[Listing]
    def __init__(self, listings: _Optional[_Iterable[_Union[Listing, _Mapping]]] = ...) -> None: ...

class RecordShopSalesRequest(_message.Message):
    __slots__ = ("shop_id", "month", "sales_fen")
    SHOP_ID_FIELD_NUMBER: _ClassVar[int]
    MONTH_FIELD_NUMBER: _ClassVar[int]
    SALES_FEN_FIELD_NUMBER: _ClassVar[int]
    shop_id: str
    month: str
    sales_fen: int
    def __init__(self, shop_id: _Optional[str] = ..., month: _Optional[str] = ..., sales_fen: _Optional[int] = ...) -> None: ...

class RecordShopSalesResponse(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class RecomputeTiersRequest(_message.Message):
    __slots__ = ("month",)
    MONTH_FIELD_NUMBER: _ClassVar[int]
    month: str
    def __init__(self, month: _Optional[str] = ...) -> None: ...

class TierChange(_message.Message):
    __slots__ = ("shop_id", "previous_tier", "tier", "sales_fen")
    SHOP_ID_FIELD_NUMBER: _ClassVar[int]
    PREVIOUS_TIER_FIELD_NUMBER: _ClassVar[int]
    TIER_FIELD_NUMBER: _ClassVar[int]
    SALES_FEN_FIELD_NUMBER: _ClassVar[int]
    shop_id: str
    previous_tier: ShopTier
    tier: ShopTier
    sales_fen: int
    def __init__(self, shop_id: _Optional[str] = ..., previous_tier: _Optional[_Union[ShopTier, str]] = ..., tier: _Optional[_Union[ShopTier, str]] = ..., sales_fen: _Optional[int] = ...) -> None: ...

class RecomputeTiersResponse(_message.Message):
    __slots__ = ("changes",)
    CHANGES_FIELD_NUMBER: _ClassVar[int]
    changes: _containers.RepeatedCompositeFieldContainer[TierChange]
    def __init__(self, changes: _Optional[_Iterable[_Union[TierChange, _Mapping]]] = ...) -> None: ...

class IssueTokenRequest(_message.Message):
    __slots__ = ("kind", "subject_id")
    KIND_FIELD_NUMBER: _ClassVar[int]
    SUBJECT_ID_FIELD_NUMBER: _ClassVar[int]
    kind: PrincipalKind
    subject_id: str
    def __init__(self, kind: _Optional[_Union[PrincipalKind, str]] = ..., subject_id: _Optional[str] = ...) -> None: ...

class IssueTokenResponse(_message.Message):
    __slots__ = ("token_id", "token")
    TOKEN_ID_FIELD_NUMBER: _ClassVar[int]
    TOKEN_FIELD_NUMBER: _ClassVar[int]
    token_id: str
    token: str
    def __init__(self, token_id: _Optional[str] = ..., token: _Optional[str] = ...) -> None: ...

class RevokeTokenRequest(_message.Message):
    __slots__ = ("token_id",)
    TOKEN_ID_FIELD_NUMBER: _ClassVar[int]
    token_id: str
    def __init__(self, token_id: _Optional[str] = ...) -> None: ...

class RevokeTokenResponse(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class SupplierApproved(_message.Message):
    __slots__ = ("supplier_id", "name", "kind")
    SUPPLIER_ID_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    supplier_id: str
    name: str
    kind: SupplierKind
    def __init__(self, supplier_id: _Optional[str] = ..., name: _Optional[str] = ..., kind: _Optional[_Union[SupplierKind, str]] = ...) -> None: ...

class SupplierRejected(_message.Message):
    __slots__ = ("supplier_id", "failures")
    SUPPLIER_ID_FIELD_NUMBER: _ClassVar[int]
    FAILURES_FIELD_NUMBER: _ClassVar[int]
    supplier_id: str
    failures: _containers.RepeatedCompositeFieldContainer[Failure]
    def __init__(self, supplier_id: _Optional[str] = ..., failures: _Optional[_Iterable[_Union[Failure, _Mapping]]] = ...) -> None: ...

class SupplierSuspended(_message.Message):
    __slots__ = ("supplier_id", "reasons", "suspended_product_ids")
    SUPPLIER_ID_FIELD_NUMBER: _ClassVar[int]
    REASONS_FIELD_NUMBER: _ClassVar[int]
    SUSPENDED_PRODUCT_IDS_FIELD_NUMBER: _ClassVar[int]
    supplier_id: str
    reasons: _containers.RepeatedCompositeFieldContainer[Failure]
    suspended_product_ids: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, supplier_id: _Optional[str] = ..., reasons: _Optional[_Iterable[_Union[Failure, _Mapping]]] = ..., suspended_product_ids: _Optional[_Iterable[str]] = ...) -> None: ...

class ProductListed(_message.Message):
    __slots__ = ("product_id", "supplier_id", "sku", "name", "brand_id", "category", "price_fen", "shipping")
    PRODUCT_ID_FIELD_NUMBER: _ClassVar[int]
    SUPPLIER_ID_FIELD_NUMBER: _ClassVar[int]
    SKU_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    BRAND_ID_FIELD_NUMBER: _ClassVar[int]
    CATEGORY_FIELD_NUMBER: _ClassVar[int]
    PRICE_FEN_FIELD_NUMBER: _ClassVar[int]
    SHIPPING_FIELD_NUMBER: _ClassVar[int]
    product_id: str
    supplier_id: str
    sku: str
    name: str
    brand_id: str
    category: str
    price_fen: int
    shipping: Shipping
    def __init__(self, product_id: _Optional[str] = ..., supplier_id: _Optional[str] = ..., sku: _Optional[str] = ..., name: _Optional[str] = ..., brand_id: _Optional[str] = ..., category: _Optional[str] = ..., price_fen: _Optional[int] = ..., shipping: _Optional[_Union[Shipping, _Mapping]] = ...) -> None: ...

class ProductSuspended(_message.Message):
    __slots__ = ("product_id", "supplier_id", "sku", "reasons")
    PRODUCT_ID_FIELD_NUMBER: _ClassVar[int]
    SUPPLIER_ID_FIELD_NUMBER: _ClassVar[int]
    SKU_FIELD_NUMBER: _ClassVar[int]
    REASONS_FIELD_NUMBER: _ClassVar[int]
    product_id: str
    supplier_id: str
    sku: str
    reasons: _containers.RepeatedCompositeFieldContainer[Failure]
    def __init__(self, product_id: _Optional[str] = ..., supplier_id: _Optional[str] = ..., sku: _Optional[str] = ..., reasons: _Optional[_Iterable[_Union[Failure, _Mapping]]] = ...) -> None: ...

class ShopOpened(_message.Message):
    __slots__ = ("shop_id", "owner_id", "name")
    SHOP_ID_FIELD_NUMBER: _ClassVar[int]
    OWNER_ID_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    shop_id: str
    owner_id: str
    name: str
    def __init__(self, shop_id: _Optional[str] = ..., owner_id: _Optional[str] = ..., name: _Optional[str] = ...) -> None: ...

class ShopTierChanged(_message.Message):
    __slots__ = ("shop_id", "month", "previous_tier", "tier", "sales_fen")
    SHOP_ID_FIELD_NUMBER: _ClassVar[int]
    MONTH_FIELD_NUMBER: _ClassVar[int]
    PREVIOUS_TIER_FIELD_NUMBER: _ClassVar[int]
    TIER_FIELD_NUMBER: _ClassVar[int]
    SALES_FEN_FIELD_NUMBER: _ClassVar[int]
    shop_id: str
    month: str
    previous_tier: ShopTier
    tier: ShopTier
    sales_fen: int
    def __init__(self, shop_id: _Optional[str] = ..., month: _Optional[str] = ..., previous_tier: _Optional[_Union[ShopTier, str]] = ..., tier: _Optional[_Union[ShopTier, str]] = ..., sales_fen: _Optional[int] = ...) -> None: ...
