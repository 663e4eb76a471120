"""Malformed commands are refused with INVALID_ARGUMENT naming the field, and change nothing."""

from __future__ import annotations

import copy

import pytest

from cangpei.runtime.errors import InvalidArgument
from services.catalog.domain import commands as c
from services.catalog.service_layer import access, products, shops, suppliers

TEN_MB = "x" * (10 * 1024 * 1024)


def snapshot(uow):
    return copy.deepcopy(
        (
            uow.suppliers.rows,
            uow.deposits.rows,
            uow.brands.rows,
            uow.authorisations.rows,
            uow.vouchers.rows,
            uow.products.rows,
            uow.members.rows,
            uow.shops.rows,
            uow.listings.rows,
            uow.sales.rows,
            uow.tokens.rows,
            uow.events,
            uow.commits,
        )
    )


CASES = [
    (
        "missing name",
        suppliers.register_supplier,
        lambda s: c.RegisterSupplier("", "factory"),
        "name is required",
    ),
    (
        "blank name",
        suppliers.register_supplier,
        lambda s: c.RegisterSupplier("   ", "factory"),
        "name is required",
    ),
    (
        "unknown kind",
        suppliers.register_supplier,
        lambda s: c.RegisterSupplier("X", "pirate"),
        "kind 'pirate' is not a known value",
    ),
    (
        "10 MB name",
        suppliers.register_supplier,
        lambda s: c.RegisterSupplier(TEN_MB, "factory"),
        "10,485,760 characters long; at most 200",
    ),
    (
        "negative capital",
        suppliers.submit_qualification,
        lambda s: c.SubmitQualification(s, -1, "general_taxpayer", "L"),
        "registered_capital_fen may not be negative",
    ),
    (
        "unknown tax status",
        suppliers.submit_qualification,
        lambda s: c.SubmitQualification(s, 1, "exempt", "L"),
        "tax_status 'exempt'",
    ),
    (
        "missing licence",
        suppliers.submit_qualification,
        lambda s: c.SubmitQualification(s, 1, "general_taxpayer", ""),
        "licence_number is required",
    ),
    (
        "negative deposit",
        suppliers.record_deposit_entry,
        lambda s: c.RecordDepositEntry(s, "payment", -100),
        "amount_fen must be a positive amount",
    ),
    (
        "zero deposit",
        suppliers.record_deposit_entry,
        lambda s: c.RecordDepositEntry(s, "payment", 0),
        "amount_fen must be a positive amount",
    ),
    (
        "unknown entry kind",
        suppliers.record_deposit_entry,
        lambda s: c.RecordDepositEntry(s, "gift", 1),
        "kind 'gift'",
    ),
    (
        "10 MB reference",
        suppliers.record_deposit_entry,
        lambda s: c.RecordDepositEntry(s, "payment", 1, TEN_MB),
        "reference is 10,485,760",
    ),
    (
        "bad date",
        suppliers.add_authorisation,
        lambda s: c.AddAuthorisation("b", "g", s, ("beauty",), "2026-13-01", "2026-12-31"),
        "valid_from must be a date",
    ),
    (
        "reversed dates",
        suppliers.add_authorisation,
        lambda s: c.AddAuthorisation("b", "g", s, ("beauty",), "2026-12-31", "2026-01-01"),
        "before valid_from",
    ),
    (
        "no categories",
        suppliers.add_authorisation,
        lambda s: c.AddAuthorisation("b", "g", s, (), "2026-01-01", "2026-12-31"),
        "categories needs at least one",
    ),
    (
        "self link",
        suppliers.add_authorisation,
        lambda s: c.AddAuthorisation("b", s, s, ("beauty",), "2026-01-01", "2026-12-31"),
        "both",
    ),
    (
        "negative price",
        products.list_product,
        lambda s: c.ListProduct(s, "SKU", "n", "", "food", -1, 0, 0),
        "price_fen must be a positive amount",
    ),
    (
        "negative other price",
        products.list_product,
        lambda s: c.ListProduct(s, "SKU", "n", "", "food", 1, 0, 0, (c.OtherPrice("JD", -5),)),
        "other_platform_prices\\[0\\].price_fen may not be negative",
    ),
    (
        "commission above 100%",
        products.list_product,
        lambda s: c.ListProduct(s, "SKU", "n", "", "food", 1, 10_001, 0),
        "commission_bps of 10001",
    ),
    (
        "missing sku",
        products.list_product,
        lambda s: c.ListProduct(s, "", "n", "", "food", 1, 0, 0),
        "sku is required",
    ),
    (
        "negative weight",
        products.list_product,
        lambda s: c.ListProduct(s, "SKU", "n", "", "food", 1, 0, 0, (), -1),
        "weight_grams is required and must be positive",
    ),
    (
        "missing shipping",
        products.list_product,
        lambda s: c.ListProduct(s, "SKU", "n", "", "food", 1, 0, 0),
        "weight_grams is required",
    ),
    (
        "zero height",
        products.list_product,
        lambda s: c.ListProduct(s, "SKU", "n", "", "food", 1, 0, 0, (), 100, 10, 10, 0),
        "height_mm is required and must be positive, got 0",
    ),
    (
        "10 MB product name",
        products.list_product,
        lambda s: c.ListProduct(s, "SKU", TEN_MB, "", "food", 1, 0, 0),
        "name is 10,485,760",
    ),
    (
        "negative page size",
        products.search_products,
        lambda s: c.SearchProducts(page_size=-1),
        "page_size may not be negative",
    ),
    (
        "credit below zero",
        shops.upsert_member,
        lambda s: c.UpsertMember("m", -1),
        "credit_score may not be negative",
    ),
    ("missing shop name", shops.open_shop, lambda s: c.OpenShop("m", ""), "name is required"),
    (
        "bad month",
        shops.record_shop_sales,
        lambda s: c.RecordShopSales("shp", "2026-5", 1),
        "month must be a month written YYYY-MM",
    ),
    (
        "negative sales",
        shops.record_shop_sales,
        lambda s: c.RecordShopSales("shp", "2026-05", -1),
        "sales_fen may not be negative",
    ),
    (
        "10 MB recommendation",
        shops.add_listing,
        lambda s: c.AddListing("shp", "prd", TEN_MB),
        "recommendation is 10,485,760 characters long; at most 2,000",
    ),
    ("unknown token kind", access.issue_token, lambda s: c.IssueToken("root"), "kind 'root'"),
]


@pytest.mark.parametrize(
    ("handler", "make", "message"), [case[1:] for case in CASES], ids=[case[0] for case in CASES]
)
def test_malformed_command_is_invalid_argument_and_changes_nothing(catalog, handler, make, message):
    supplier_id = catalog.supplier("factory")
    before = snapshot(catalog.uow)
    with pytest.raises(InvalidArgument, match=message):
        catalog.run(handler, make(supplier_id))
    assert snapshot(catalog.uow) == before
