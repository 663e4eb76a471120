"""Products: admission with every reason listed, vouchers, parity rules, search and paging."""

from __future__ import annotations

import pytest

from cangpei.runtime.errors import AlreadyExists, InvalidArgument, PermissionDenied
from services.catalog.domain import commands as c
from services.catalog.domain.events import ProductListed
from services.catalog.service_layer import products, suppliers


def codes(outcome) -> list[str]:
    return [f.code for f in outcome.failures]


@pytest.mark.parametrize(
    ("overrides", "failed"),
    [
        ({"commission_bps": 1_500, "affiliate_commission_bps": 1_500}, []),  # equal passes
        (
            {"commission_bps": 1_499, "affiliate_commission_bps": 1_500},
            ["COMMISSION_BELOW_AFFILIATE"],
        ),
        ({"price_fen": 16_900, "other_platform_prices": (c.OtherPrice("JD", 16_900),)}, []),
        (
            {"price_fen": 16_901, "other_platform_prices": (c.OtherPrice("JD", 16_900),)},
            ["PRICE_ABOVE_OTHER_PLATFORM"],
        ),
        ({"other_platform_prices": ()}, []),
    ],
)
def test_commission_and_price_parity_at_their_boundaries(catalog, overrides, failed):
    factory = catalog.supplier("factory")
    assert codes(catalog.list_product(factory, **overrides)) == failed


def test_refused_product_lists_every_reason_and_writes_nothing(catalog):
    distributor = catalog.supplier("distributor", approve=False)
    outcome = catalog.list_product(
        distributor,
        commission_bps=500,
        affiliate_commission_bps=650,
        price_fen=9_900,
        other_platform_prices=(c.OtherPrice("JD", 8_900), c.OtherPrice("Pinduoduo", 7_900)),
    )
    assert outcome.product is None
    assert codes(outcome) == [
        "SUPPLIER_NOT_APPROVED",
        "VOUCHERS_MISSING",
        "COMMISSION_BELOW_AFFILIATE",
        "PRICE_ABOVE_OTHER_PLATFORM",
        "PRICE_ABOVE_OTHER_PLATFORM",
    ]
    assert "commission 5.00% is below the affiliate market's 6.50%" in outcome.failures[2].message
    assert "99.00 CNY is above 79.00 CNY on Pinduoduo" in outcome.failures[4].message
    assert catalog.uow.products.rows == {}
    assert catalog.uow.events_of(ProductListed) == []


def test_branded_product_needs_a_chain_covering_its_category(catalog):
    owner = catalog.supplier("brand_owner")
    brand = catalog.brand(owner)
    distributor = catalog.supplier()
    catalog.link(brand, owner, distributor, categories=("food",))
    refused = catalog.list_product(distributor, brand_id=brand, category="beauty")
    assert codes(refused) == ["CATEGORY_NOT_COVERED"]
    listed = catalog.list_product(distributor, brand_id=brand, category="food")
    assert listed.failures == [] and listed.product is not None


def test_branded_product_of_unknown_brand_is_refused(catalog):
    distributor = catalog.supplier()
    assert codes(catalog.list_product(distributor, brand_id="brd_missing")) == ["BRAND_UNKNOWN"]


def voucher(catalog, supplier, sku, seller, buyer, manufacturer):
    cmd = c.AddPurchaseVoucher(supplier, sku, seller, buyer, manufacturer, "INV-1", "2026-05-01")
    catalog.run(suppliers.add_purchase_voucher, cmd)


@pytest.mark.parametrize(
    ("trail", "failed"),
    [
        ([], ["VOUCHERS_MISSING"]),
        ([("maker", "SELF", True)], []),
        ([("wholesaler", "SELF", False)], ["VOUCHERS_NOT_TRACEABLE"]),
        ([("wholesaler", "SELF", False), ("maker", "wholesaler", True)], []),
        ([("A", "SELF", False), ("B", "A", False), ("A", "B", False)], ["VOUCHERS_NOT_TRACEABLE"]),
    ],
)
def test_unbranded_goods_need_vouchers_traceable_to_a_manufacturer(catalog, trail, failed):
    distributor = catalog.supplier("distributor")
    for seller, buyer, manufacturer in trail:
        buyer = distributor if buyer == "SELF" else buyer
        voucher(catalog, distributor, "TEA-1", seller, buyer, manufacturer)
    outcome = catalog.list_product(distributor, sku="TEA-1")
    assert codes(outcome) == failed


def test_untraceable_vouchers_name_where_the_trail_stops(catalog):
    distributor = catalog.supplier("distributor")
    voucher(catalog, distributor, "TEA-1", "wholesaler", distributor, False)
    outcome = catalog.list_product(distributor, sku="TEA-1")
    assert "the trail stops at wholesaler" in outcome.failures[0].message


def test_factory_selling_its_own_unbranded_goods_needs_no_voucher(catalog):
    factory = catalog.supplier("factory")
    assert catalog.list_product(factory).failures == []


def test_listing_publishes_an_event_with_shipping_details(catalog):
    factory = catalog.supplier("factory")
    product = catalog.list_product(factory, sku="P-1").product
    [event] = catalog.uow.events_of(ProductListed)
    assert (event.product_id, event.sku, event.weight_grams, event.height_mm) == (
        product.product_id,
        "P-1",
        120,
        40,
    )


def test_the_same_sku_cannot_be_listed_twice(catalog):
    factory = catalog.supplier("factory")
    catalog.list_product(factory, sku="P-1")
    with pytest.raises(AlreadyExists, match="already lists SKU P-1"):
        catalog.list_product(factory, sku="P-1")


def test_search_filters_and_pages_through_every_match_once(catalog):
    first, second = catalog.supplier("factory"), catalog.supplier("factory")
    for index in range(7):
        catalog.list_product(first, category="food" if index % 2 else "beauty")
    catalog.list_product(second, category="food")
    seen, token = [], ""
    while True:
        page = catalog.run(products.search_products, c.SearchProducts(first, "", "food", 2, token))
        assert len(page.products) <= 2
        seen.extend(page.products)
        token = page.next_page_token
        if not token:
            break
    assert len(seen) == 3
    assert len({p.product_id for p in seen}) == 3
    assert {(p.supplier_id, p.category) for p in seen} == {(first, "food")}


def test_search_by_brand(catalog):
    owner = catalog.supplier("brand_owner")
    brand = catalog.brand(owner)
    catalog.list_product(owner, brand_id=brand)
    catalog.list_product(owner)
    page = catalog.run(products.search_products, c.SearchProducts(brand_id=brand))
    assert [p.brand_id for p in page.products] == [brand]


def test_forged_page_token_is_refused(catalog):
    with pytest.raises(InvalidArgument, match="page_token"):
        catalog.run(products.search_products, c.SearchProducts(page_token="!!not-a-token"))


def test_link_filed_by_its_grantee_counts_only_once_the_grantor_confirms(catalog, supplier_of):
    owner = catalog.supplier("brand_owner")
    brand = catalog.brand(owner)
    distributor = catalog.supplier()
    filed = catalog.run(
        suppliers.add_authorisation,
        c.AddAuthorisation(brand, owner, distributor, ("beauty",), "2026-01-01", "2026-12-31"),
        supplier_of(distributor),
    )
    assert not filed.confirmed
    refused = catalog.list_product(distributor, brand_id=brand)
    assert codes(refused) == ["LINK_UNCONFIRMED"]
    assert f"awaits confirmation by {owner}" in refused.failures[0].message
    with pytest.raises(PermissionDenied):
        suppliers.confirm_authorisation(
            filed.authorisation_id, catalog.uow, catalog.ctx(supplier_of(distributor))
        )
    suppliers.confirm_authorisation(
        filed.authorisation_id, catalog.uow, catalog.ctx(supplier_of(owner))
    )
    assert catalog.list_product(distributor, brand_id=brand).failures == []


def test_link_filed_by_its_grantor_counts_at_once(catalog, supplier_of):
    owner = catalog.supplier("brand_owner")
    brand = catalog.brand(owner)
    distributor = catalog.supplier()
    filed = catalog.run(
        suppliers.add_authorisation,
        c.AddAuthorisation(brand, owner, distributor, ("beauty",), "2026-01-01", "2026-12-31"),
        supplier_of(owner),
    )
    assert filed.confirmed
    assert catalog.list_product(distributor, brand_id=brand).failures == []


def test_supplier_cannot_file_a_link_between_two_other_parties(catalog, supplier_of):
    owner = catalog.supplier("brand_owner")
    brand = catalog.brand(owner)
    outsider = catalog.supplier()
    with pytest.raises(PermissionDenied):
        catalog.run(
            suppliers.add_authorisation,
            c.AddAuthorisation(brand, owner, "someone", ("beauty",), "2026-01-01", "2026-12-31"),
            supplier_of(outsider),
        )
