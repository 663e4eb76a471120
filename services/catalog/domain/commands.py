"""Commands: what a caller asks the catalog to do, as plain values.

Entrypoints build them from requests; handlers validate them before touching state.
Dates are ISO strings and enums raw values here, so that every parse error is reported
by the same validation code whichever transport the command came through.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class RegisterSupplier:
    name: str
    kind: str
    issue_token: bool = False  # also issue a token for the supplier's own system


@dataclass(frozen=True)
class SubmitQualification:
    supplier_id: str
    registered_capital_fen: int
    tax_status: str
    licence_number: str


@dataclass(frozen=True)
class RecordDepositEntry:
    supplier_id: str
    kind: str
    amount_fen: int
    reference: str = ""


@dataclass(frozen=True)
class RegisterBrand:
    name: str
    owner_id: str


@dataclass(frozen=True)
class AddAuthorisation:
    brand_id: str
    grantor_id: str
    grantee_id: str
    categories: tuple[str, ...]
    valid_from: str
    valid_until: str


@dataclass(frozen=True)
class RequestVerdict:
    supplier_id: str


@dataclass(frozen=True)
class CheckChain:
    brand_id: str
    supplier_id: str
    category: str
    on_date: str = ""  # empty: today


@dataclass(frozen=True)
class AddPurchaseVoucher:
    supplier_id: str
    sku: str
    seller_id: str
    buyer_id: str
    seller_is_manufacturer: bool
    invoice_number: str
    issued_on: str


@dataclass(frozen=True)
class OtherPrice:
    platform: str
    price_fen: int


@dataclass(frozen=True)
class ListProduct:
    supplier_id: str
    sku: str
    name: str
    brand_id: str
    category: str
    price_fen: int
    commission_bps: int
    affiliate_commission_bps: int
    other_platform_prices: tuple[OtherPrice, ...] = ()
    weight_grams: int = 0
    length_mm: int = 0
    width_mm: int = 0
    height_mm: int = 0


@dataclass(frozen=True)
class SearchProducts:
    supplier_id: str = ""
    brand_id: str = ""
    category: str = ""
    page_size: int = 0
    page_token: str = ""


@dataclass(frozen=True)
class RecheckSuppliers:
    on_date: str = ""  # empty: today


@dataclass(frozen=True)
class UpsertMember:
    member_id: str
    credit_score: int
    proven_operator: bool = False
    issue_token: bool = False


@dataclass(frozen=True)
class OpenShop:
    member_id: str
    name: str


@dataclass(frozen=True)
class AddListing:
    shop_id: str
    product_id: str
    recommendation: str = ""


@dataclass(frozen=True)
class UpdateRecommendation:
    shop_id: str
    product_id: str
    recommendation: str


@dataclass(frozen=True)
class RemoveListing:
    shop_id: str
    product_id: str


@dataclass(frozen=True)
class RecordShopSales:
    shop_id: str
    month: str  # YYYY-MM
    sales_fen: int


@dataclass(frozen=True)
class RecomputeTiers:
    month: str  # YYYY-MM


@dataclass(frozen=True)
class IssueToken:
    kind: str
    subject_id: str = ""
