"""Suspension, shops, listings and tiers over gRPC, with their events, on both databases."""

from __future__ import annotations

import asyncio
import datetime as dt

import grpc
import pytest

from cangpei.catalog.v1 import catalog_pb2 as pb
from services.catalog.adapters import tables

from .catalog_client import STAFF_TOKEN, Caller, EventTap, onboard, product_request, start_catalog


@pytest.fixture
async def catalog(database_url, nats_server):
    app = await start_catalog(database_url, nats_server.url, max_listings_per_shop=3)
    channel = grpc.aio.insecure_channel(f"127.0.0.1:{app.grpc_port}")
    tap = EventTap()
    await tap.start(nats_server.url)
    yield app, channel, tap
    await tap.stop()
    await channel.close()
    await app.stop(grace=0)


async def test_deposit_deduction_suspends_supplier_and_products_with_events(catalog, wait_for):
    _, channel, tap = catalog
    staff = Caller(channel, STAFF_TOKEN)
    sid, own, _ = await onboard(channel)
    product = (await own.ListProduct(product_request(sid))).product
    answer = await staff.RecordDepositEntry(
        pb.RecordDepositEntryRequest(
            supplier_id=sid, kind=pb.DEPOSIT_ENTRY_KIND_DEDUCTION, amount_fen=1, reference="罚款"
        )
    )
    assert answer.balance_fen == 999_999
    supplier = (await own.GetSupplier(pb.GetSupplierRequest(supplier_id=sid))).supplier
    assert supplier.status == pb.SUPPLIER_STATUS_SUSPENDED
    assert "9,999.99 CNY" in supplier.status_reason

    await wait_for(lambda: tap.of("catalog.supplier.suspended"), timeout=15, what="suspension")
    [event] = tap.of("catalog.supplier.suspended")
    assert event.supplier_id == sid
    assert list(event.suspended_product_ids) == [product.product_id]
    assert [r.code for r in event.reasons] == ["DEPOSIT_BELOW_REQUIRED"]
    await wait_for(lambda: tap.of("catalog.product.suspended"), timeout=15, what="product event")
    fetched = await own.GetProduct(pb.GetProductRequest(product_id=product.product_id))
    assert fetched.product.status == pb.PRODUCT_STATUS_SUSPENDED


async def test_recheck_after_a_link_expires_suspends_the_distributor(catalog, wait_for):
    _, channel, tap = catalog
    staff = Caller(channel, STAFF_TOKEN)
    owner, owner_caller, _ = await onboard(channel, kind=pb.SUPPLIER_KIND_BRAND_OWNER)
    distributor, own, _ = await onboard(channel, kind=pb.SUPPLIER_KIND_DISTRIBUTOR)
    brand = (
        await owner_caller.RegisterBrand(pb.RegisterBrandRequest(name="百雀羚", owner_id=owner))
    ).brand
    # The grantee files the authorisation letter it received; it runs to the end of 2099
    # so that listing works whatever today's date is.
    filed = await own.AddAuthorisation(
        pb.AddAuthorisationRequest(
            brand_id=brand.brand_id,
            grantor_id=owner,
            grantee_id=distributor,
            categories=["beauty"],
            valid_from="2020-01-01",
            valid_until="2099-12-31",
        )
    )
    assert not filed.authorisation.confirmed
    request = product_request(distributor, brand_id=brand.brand_id, category="beauty")
    unconfirmed = await own.ListProduct(request)
    assert [f.code for f in unconfirmed.failures] == ["LINK_UNCONFIRMED"]
    with pytest.raises(grpc.aio.AioRpcError) as refused:
        await own.ConfirmAuthorisation(
            pb.ConfirmAuthorisationRequest(authorisation_id=filed.authorisation.authorisation_id)
        )
    assert refused.value.code() == grpc.StatusCode.PERMISSION_DENIED
    await owner_caller.ConfirmAuthorisation(
        pb.ConfirmAuthorisationRequest(authorisation_id=filed.authorisation.authorisation_id)
    )
    listed = await own.ListProduct(request)
    assert listed.listed, listed.failures

    on_last_day = await staff.RecheckSuppliers(pb.RecheckSuppliersRequest(on_date="2099-12-31"))
    assert list(on_last_day.suspended_supplier_ids) == []
    day_after = await staff.RecheckSuppliers(pb.RecheckSuppliersRequest(on_date="2100-01-01"))
    assert list(day_after.suspended_supplier_ids) == [distributor]

    await wait_for(lambda: tap.of("catalog.supplier.suspended"), timeout=15, what="suspension")
    [event] = tap.of("catalog.supplier.suspended")
    assert [r.code for r in event.reasons] == ["LINK_EXPIRED"]
    assert "expired on 2099-12-31" in event.reasons[0].message


async def test_shop_lifecycle_listing_limit_and_monthly_tiers(catalog, wait_for):
    _, channel, tap = catalog
    staff = Caller(channel, STAFF_TOKEN)
    sid, own, _ = await onboard(channel)
    product_ids = [
        (await own.ListProduct(product_request(sid, sku=f"P{i}"))).product.product_id
        for i in range(4)
    ]
    low = await staff.UpsertMember(pb.UpsertMemberRequest(member_id="m-low", credit_score=700))
    assert low.member.credit_score == 700
    member = await staff.UpsertMember(
        pb.UpsertMemberRequest(member_id="m1", credit_score=701, issue_token=True)
    )
    me = Caller(channel, member.token)
    with pytest.raises(grpc.aio.AioRpcError) as refused:
        await staff.OpenShop(pb.OpenShopRequest(member_id="m-low", name="小店"))
    assert refused.value.code() == grpc.StatusCode.FAILED_PRECONDITION
    assert "credit score 700 is not above 700" in refused.value.details()

    with pytest.raises(grpc.aio.AioRpcError) as refused:
        await me.OpenShop(pb.OpenShopRequest(member_id="m1", name="小美旗舰店"))
    assert "旗舰" in refused.value.details()
    shop = (await me.OpenShop(pb.OpenShopRequest(member_id="m1", name="小美"))).shop
    assert shop.name == "小美淘小铺" and shop.tier == pb.SHOP_TIER_NEW

    # Members see the catalogue they pick from, but not suppliers' private calls.
    page = await me.SearchProducts(pb.SearchProductsRequest(supplier_id=sid))
    assert len(page.products) == 4
    with pytest.raises(grpc.aio.AioRpcError) as refused:
        await me.GetSupplier(pb.GetSupplierRequest(supplier_id=sid))
    assert refused.value.code() == grpc.StatusCode.PERMISSION_DENIED

    for product_id in product_ids[:3]:
        await me.AddListing(
            pb.AddListingRequest(shop_id=shop.shop_id, product_id=product_id, recommendation="好")
        )
    with pytest.raises(grpc.aio.AioRpcError) as refused:
        await me.AddListing(pb.AddListingRequest(shop_id=shop.shop_id, product_id=product_ids[3]))
    assert refused.value.code() == grpc.StatusCode.FAILED_PRECONDITION
    assert "the most a shop may list (3)" in refused.value.details()
    got = await me.GetShop(pb.GetShopRequest(shop_id=shop.shop_id))
    assert got.shop.listing_count == 3

    await staff.RecordShopSales(
        pb.RecordShopSalesRequest(shop_id=shop.shop_id, month="2026-05", sales_fen=10_000_000)
    )
    tiers = await staff.RecomputeTiers(pb.RecomputeTiersRequest(month="2026-05"))
    assert [(c.shop_id, c.tier) for c in tiers.changes] == [(shop.shop_id, pb.SHOP_TIER_ELITE)]
    await wait_for(lambda: tap.of("catalog.shop.tier_changed"), timeout=15, what="tier event")
    assert tap.of("catalog.shop.tier_changed")[0].tier == pb.SHOP_TIER_ELITE


async def test_concurrent_listings_never_exceed_the_shop_limit(catalog):
    _, channel, _ = catalog
    staff = Caller(channel, STAFF_TOKEN)
    sid, own, _ = await onboard(channel)
    product_ids = [
        (await own.ListProduct(product_request(sid, sku=f"P{i}"))).product.product_id
        for i in range(8)
    ]
    await staff.UpsertMember(pb.UpsertMemberRequest(member_id="m1", credit_score=800))
    shop = (await staff.OpenShop(pb.OpenShopRequest(member_id="m1", name="店"))).shop

    async def add(product_id: str) -> str:
        try:
            await staff.AddListing(
                pb.AddListingRequest(shop_id=shop.shop_id, product_id=product_id)
            )
            return "OK"
        except grpc.aio.AioRpcError as refused:
            return refused.code().name

    outcomes = await asyncio.gather(*(add(p) for p in product_ids))
    assert sorted(outcomes) == ["FAILED_PRECONDITION"] * 5 + ["OK"] * 3
    assert (await staff.GetShop(pb.GetShopRequest(shop_id=shop.shop_id))).shop.listing_count == 3


async def test_concurrent_shop_openings_respect_one_shop_per_member(catalog):
    _, channel, _ = catalog
    staff = Caller(channel, STAFF_TOKEN)
    await staff.UpsertMember(pb.UpsertMemberRequest(member_id="m1", credit_score=800))

    async def open_one(index: int) -> str:
        try:
            await staff.OpenShop(pb.OpenShopRequest(member_id="m1", name=f"店{index}"))
            return "OK"
        except grpc.aio.AioRpcError as refused:
            return refused.code().name

    outcomes = await asyncio.gather(*(open_one(i) for i in range(6)))
    assert sorted(outcomes) == ["FAILED_PRECONDITION"] * 5 + ["OK"]


async def test_periodic_recheck_suspends_a_supplier_once_its_link_has_expired(
    database_url, nats_server, wait_for
):
    app = await start_catalog(database_url, nats_server.url, recheck_interval_seconds=0.2)
    channel = grpc.aio.insecure_channel(f"127.0.0.1:{app.grpc_port}")
    try:
        staff = Caller(channel, STAFF_TOKEN)
        owner, owner_caller, _ = await onboard(channel, kind=pb.SUPPLIER_KIND_BRAND_OWNER)
        distributor, own, _ = await onboard(channel, kind=pb.SUPPLIER_KIND_DISTRIBUTOR)
        brand = (
            await owner_caller.RegisterBrand(
                pb.RegisterBrandRequest(name="相宜本草", owner_id=owner)
            )
        ).brand
        link = await owner_caller.AddAuthorisation(
            pb.AddAuthorisationRequest(
                brand_id=brand.brand_id,
                grantor_id=owner,
                grantee_id=distributor,
                categories=["beauty"],
                valid_from="2020-01-01",
                valid_until="2099-12-31",
            )
        )
        request = product_request(distributor, brand_id=brand.brand_id, category="beauty")
        assert (await own.ListProduct(request)).listed

        # Time passes: the letter's end date is now behind us.
        with app.db.session() as session:
            session.execute(
                tables.authorisations.update()
                .where(
                    tables.authorisations.c.authorisation_id == link.authorisation.authorisation_id
                )
                .values(valid_until=dt.date(2021, 1, 1))
            )

        async def suspended() -> bool:
            answer = await staff.GetSupplier(pb.GetSupplierRequest(supplier_id=distributor))
            return answer.supplier.status == pb.SUPPLIER_STATUS_SUSPENDED

        await wait_for(suspended, timeout=15, what="the periodic re-check to suspend")
        owner_state = await staff.GetSupplier(pb.GetSupplierRequest(supplier_id=owner))
        assert owner_state.supplier.status == pb.SUPPLIER_STATUS_APPROVED
    finally:
        await channel.close()
        await app.stop(grace=0)
