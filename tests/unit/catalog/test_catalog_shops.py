"""Shops: who may open one, names, the listing limit, recommendations and tiers."""

from __future__ import annotations

import dataclasses

import pytest

from cangpei.runtime.errors import AlreadyExists, FailedPrecondition, NotFound
from services.catalog.domain import commands as c
from services.catalog.domain.events import ShopOpened, ShopTierChanged
from services.catalog.domain.shops import ShopTier
from services.catalog.service_layer import shops, suppliers


def open_shop(catalog, member: str, name: str = "小美的店"):
    return catalog.run(shops.open_shop, c.OpenShop(member, name))


@pytest.mark.parametrize(
    ("credit", "opens"), [(700, False), (701, True), (650, False), (800, True)]
)
def test_credit_score_must_be_above_700(catalog, credit, opens):
    member = catalog.member(credit=credit)
    if opens:
        assert open_shop(catalog, member).owner_id == member
    else:
        with pytest.raises(FailedPrecondition, match=f"credit score {credit} is not above 700"):
            open_shop(catalog, member)


@pytest.mark.parametrize(
    ("name", "allowed"),
    [
        ("小美的店", True),
        ("小美旗舰店", False),
        ("花西子专卖", False),
        ("旗 舰", False),  # spaces do not get around the rule
        ("旗\u200b舰店", False),  # nor invisible characters
        ("旗艦店", False),  # traditional characters
        ("旗下好物", True),  # one of the characters alone is fine
        ("舰长专 属", True),
    ],
)
def test_shop_name_may_not_contain_flagship_or_exclusive(catalog, name, allowed):
    member = catalog.member()
    if allowed:
        assert open_shop(catalog, member, name).name == f"{name}淘小铺"
    else:
        with pytest.raises(FailedPrecondition, match="SHOP_NAME_FORBIDDEN_WORD"):
            open_shop(catalog, member, name)


def test_suffix_is_added_once(catalog):
    assert open_shop(catalog, catalog.member(), "小美淘小铺").name == "小美淘小铺"


def test_every_failed_shop_rule_is_named(catalog):
    member = catalog.member(credit=600)
    with pytest.raises(FailedPrecondition) as refused:
        open_shop(catalog, member, "旗舰专卖")
    message = refused.value.message
    assert message.count("SHOP_NAME_FORBIDDEN_WORD") == 2 and "CREDIT_SCORE_TOO_LOW" in message


def test_one_shop_per_member_unless_a_proven_operator(catalog):
    ordinary = catalog.member("m1")
    proven = catalog.member("m2", proven=True)
    open_shop(catalog, ordinary)
    with pytest.raises(FailedPrecondition, match="already has 1 shop"):
        open_shop(catalog, ordinary, "second")
    open_shop(catalog, proven)
    open_shop(catalog, proven, "second")
    assert [e.owner_id for e in catalog.uow.events_of(ShopOpened)] == ["m1", "m2", "m2"]


def test_unknown_member_cannot_open_a_shop(catalog):
    with pytest.raises(NotFound, match="credit score must be recorded"):
        open_shop(catalog, "ghost")


def add_listing(catalog, shop_id: str, product_id: str, text: str = ""):
    return catalog.run(shops.add_listing, c.AddListing(shop_id, product_id, text))


def test_the_1000th_listing_is_accepted_and_the_1001st_refused(catalog):
    factory = catalog.supplier("factory")
    shop = open_shop(catalog, catalog.member())
    product_ids = [catalog.list_product(factory).product.product_id for _ in range(1_001)]
    for product_id in product_ids[:1_000]:
        add_listing(catalog, shop.shop_id, product_id)
    assert catalog.uow.listings.count_for_shop(shop.shop_id) == 1_000
    with pytest.raises(FailedPrecondition, match="already lists 1,000 products"):
        add_listing(catalog, shop.shop_id, product_ids[1_000])
    assert catalog.uow.listings.count_for_shop(shop.shop_id) == 1_000


def test_listing_limit_is_configurable(catalog):
    catalog.config = dataclasses.replace(catalog.config, max_listings_per_shop=1)
    factory = catalog.supplier("factory")
    shop = open_shop(catalog, catalog.member())
    add_listing(catalog, shop.shop_id, catalog.list_product(factory).product.product_id)
    with pytest.raises(FailedPrecondition, match="the most a shop may list \\(1\\)"):
        add_listing(catalog, shop.shop_id, catalog.list_product(factory).product.product_id)


def test_only_approved_products_can_be_listed(catalog):
    factory = catalog.supplier("factory")
    product = catalog.list_product(factory).product
    shop = open_shop(catalog, catalog.member())
    catalog.run(suppliers.record_deposit_entry, c.RecordDepositEntry(factory, "deduction", 1))
    with pytest.raises(FailedPrecondition, match="not approved for sale"):
        add_listing(catalog, shop.shop_id, product.product_id)


def test_a_product_is_listed_once_per_shop_with_an_editable_recommendation(catalog):
    factory = catalog.supplier("factory")
    product = catalog.list_product(factory).product
    shop = open_shop(catalog, catalog.member())
    add_listing(catalog, shop.shop_id, product.product_id, "好用")
    with pytest.raises(AlreadyExists):
        add_listing(catalog, shop.shop_id, product.product_id)
    updated = catalog.run(
        shops.update_recommendation,
        c.UpdateRecommendation(shop.shop_id, product.product_id, "回购"),
    )
    assert updated.recommendation == "回购"
    # The recommendation lives on the listing; the product itself is untouched.
    assert catalog.uow.products.get(product.product_id) == product
    assert [
        (x.product_id, x.recommendation)
        for x in shops.shop_listings(shop.shop_id, catalog.uow, catalog.ctx())
    ] == [(product.product_id, "回购")]
    catalog.run(shops.remove_listing, c.RemoveListing(shop.shop_id, product.product_id))
    assert catalog.uow.listings.count_for_shop(shop.shop_id) == 0


@pytest.mark.parametrize(
    ("sales_fen", "tier"),
    [
        (0, ShopTier.NEW),
        (999_999, ShopTier.NEW),
        (1_000_000, ShopTier.SENIOR),
        (9_999_999, ShopTier.SENIOR),
        (10_000_000, ShopTier.ELITE),
        (99_999_999, ShopTier.ELITE),
        (100_000_000, ShopTier.SUPER),
    ],
)
def test_monthly_tier_from_sales_at_each_threshold(catalog, sales_fen, tier):
    shop = open_shop(catalog, catalog.member())
    catalog.run(shops.record_shop_sales, c.RecordShopSales(shop.shop_id, "2026-05", sales_fen))
    changes = catalog.run(shops.recompute_tiers, c.RecomputeTiers("2026-05"))
    assert catalog.uow.shops.get(shop.shop_id).tier is tier
    assert len(changes) == (0 if tier is ShopTier.NEW else 1)


def test_tier_job_moves_shops_down_as_well_and_says_so(catalog):
    shop = open_shop(catalog, catalog.member())
    catalog.run(shops.record_shop_sales, c.RecordShopSales(shop.shop_id, "2026-04", 50_000_000))
    catalog.run(shops.recompute_tiers, c.RecomputeTiers("2026-04"))
    catalog.run(shops.recompute_tiers, c.RecomputeTiers("2026-05"))  # no sales in May
    events = catalog.uow.events_of(ShopTierChanged)
    assert [(e.previous_tier, e.tier, e.month) for e in events] == [
        ("new", "elite", "2026-04"),
        ("elite", "new", "2026-05"),
    ]
