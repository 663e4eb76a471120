"""Translation between protobuf messages and the catalog's commands and entities."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from google.protobuf.timestamp_pb2 import Timestamp

from cangpei.catalog.v1 import catalog_pb2 as pb
from cangpei.runtime.errors import InvalidArgument
from services.catalog.adapters.event_messages import SHOP_TIERS, SUPPLIER_KINDS
from services.catalog.domain.authorisations import Authorisation
from services.catalog.domain.products import Product
from services.catalog.domain.shops import Listing, Shop
from services.catalog.domain.suppliers import DepositEntry, Supplier
from services.catalog.domain.vouchers import PurchaseVoucher

TAX_STATUSES = {
    "general_taxpayer": pb.TAX_STATUS_GENERAL_TAXPAYER,
    "small_scale_taxpayer": pb.TAX_STATUS_SMALL_SCALE_TAXPAYER,
}
SUPPLIER_STATUSES = {
    "pending": pb.SUPPLIER_STATUS_PENDING,
    "approved": pb.SUPPLIER_STATUS_APPROVED,
    "rejected": pb.SUPPLIER_STATUS_REJECTED,
    "suspended": pb.SUPPLIER_STATUS_SUSPENDED,
}
DEPOSIT_KINDS = {
    "payment": pb.DEPOSIT_ENTRY_KIND_PAYMENT,
    "deduction": pb.DEPOSIT_ENTRY_KIND_DEDUCTION,
    "refund": pb.DEPOSIT_ENTRY_KIND_REFUND,
}
PRODUCT_STATUSES = {"active": pb.PRODUCT_STATUS_ACTIVE, "suspended": pb.PRODUCT_STATUS_SUSPENDED}
PRINCIPAL_KINDS = {
    "staff": pb.PRINCIPAL_KIND_STAFF,
    "supplier": pb.PRINCIPAL_KIND_SUPPLIER,
    "member": pb.PRINCIPAL_KIND_MEMBER,
}


def from_enum(field: str, value: int, mapping: Mapping[str, int], enum_type: Any) -> str:
    """The domain value of a protobuf enum number; proto3 keeps unknown numbers, and
    UNSPECIFIED means the field was left out, so both are refused here by name."""
    for domain_value, number in mapping.items():
        if number == value:
            return domain_value
    try:
        given = enum_type.Name(value)
    except ValueError:
        given = "an unknown value"
    expected = ", ".join(enum_type.Name(number) for number in mapping.values())
    if value == 0:
        raise InvalidArgument(f"{field} is required; expected one of {expected}")
    raise InvalidArgument(f"{field} {value} is {given}; expected one of {expected}")


def timestamp(moment: dt.datetime | None) -> Timestamp | None:
    if moment is None:
        return None
    stamp = Timestamp()
    stamp.FromDatetime(moment)
    return stamp


def supplier_pb(supplier: Supplier, balance_fen: int) -> pb.Supplier:
    message = pb.Supplier(
        supplier_id=supplier.supplier_id,
        name=supplier.name,
        kind=SUPPLIER_KINDS[supplier.kind.value],
        status=SUPPLIER_STATUSES[supplier.status.value],
        status_reason=supplier.status_reason,
        deposit_balance_fen=balance_fen,
        created_at=timestamp(supplier.created_at),
    )
    q = supplier.qualification
    if q is not None:
        message.qualification.CopyFrom(
            pb.Qualification(
                registered_capital_fen=q.registered_capital_fen,
                tax_status=TAX_STATUSES[q.tax_status.value],
                licence_number=q.licence_number,
            )
        )
    return message


def deposit_entry_pb(entry: DepositEntry) -> pb.DepositEntry:
    return pb.DepositEntry(
        entry_id=entry.entry_id,
        supplier_id=entry.supplier_id,
        kind=DEPOSIT_KINDS[entry.kind.value],
        amount_fen=entry.amount_fen,
        reference=entry.reference,
        recorded_at=timestamp(entry.recorded_at),
    )


def authorisation_pb(link: Authorisation) -> pb.Authorisation:
    return pb.Authorisation(
        authorisation_id=link.authorisation_id,
        brand_id=link.brand_id,
        grantor_id=link.grantor_id,
        grantee_id=link.grantee_id,
        categories=sorted(link.categories),
        valid_from=link.valid_from.isoformat(),
        valid_until=link.valid_until.isoformat(),
        confirmed=link.confirmed,
    )


def voucher_pb(voucher: PurchaseVoucher) -> pb.PurchaseVoucher:
    return pb.PurchaseVoucher(
        voucher_id=voucher.voucher_id,
        supplier_id=voucher.supplier_id,
        sku=voucher.sku,
        seller_id=voucher.seller_id,
        buyer_id=voucher.buyer_id,
        seller_is_manufacturer=voucher.seller_is_manufacturer,
        invoice_number=voucher.invoice_number,
        issued_on=voucher.issued_on.isoformat(),
    )


def product_pb(product: Product) -> pb.Product:
    return pb.Product(
        product_id=product.product_id,
        supplier_id=product.supplier_id,
        sku=product.sku,
        name=product.name,
        brand_id=product.brand_id,
        category=product.category,
        price_fen=product.price_fen,
        commission_bps=product.commission_bps,
        affiliate_commission_bps=product.affiliate_commission_bps,
        other_platform_prices=[
            pb.OtherPlatformPrice(platform=o.platform, price_fen=o.price_fen)
            for o in product.other_platform_prices
        ],
        shipping=pb.Shipping(
            weight_grams=product.shipping.weight_grams,
            length_mm=product.shipping.length_mm,
            width_mm=product.shipping.width_mm,
            height_mm=product.shipping.height_mm,
        ),
        status=PRODUCT_STATUSES[product.status.value],
        status_reason=product.status_reason,
        listed_at=timestamp(product.listed_at),
    )


def shop_pb(shop: Shop, listing_count: int) -> pb.Shop:
    return pb.Shop(
        shop_id=shop.shop_id,
        owner_id=shop.owner_id,
        name=shop.name,
        tier=SHOP_TIERS[shop.tier.value],
        listing_count=listing_count,
        opened_at=timestamp(shop.opened_at),
    )


def listing_pb(listing: Listing) -> pb.Listing:
    return pb.Listing(
        shop_id=listing.shop_id,
        product_id=listing.product_id,
        recommendation=listing.recommendation,
    )
