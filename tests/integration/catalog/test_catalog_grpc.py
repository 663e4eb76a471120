"""The catalog over gRPC against real SQLite and PostgreSQL databases and a real nats-server."""

from __future__ import annotations

import grpc
import pytest
from sqlalchemy import func, select

from cangpei.catalog.v1 import catalog_pb2 as pb
from cangpei.common.v1.common_pb2 import PageRequest
from cangpei.runtime.errors import NotFound
from services.catalog.adapters import tables

from .catalog_client import STAFF_TOKEN, Caller, EventTap, onboard, product_request, start_catalog

TEN_MB = "x" * (10 * 1024 * 1024)


@pytest.fixture
async def catalog(database_url, nats_server):
    app = await start_catalog(database_url, nats_server.url)
    channel = grpc.aio.insecure_channel(
        f"127.0.0.1:{app.grpc_port}",
        options=[("grpc.max_send_message_length", 16 * 1024 * 1024)],
    )
    tap = EventTap()
    await tap.start(nats_server.url)
    yield app, channel, tap
    await tap.stop()
    await channel.close()
    await app.stop(grace=0)


def staff(channel) -> Caller:
    return Caller(channel, STAFF_TOKEN)


async def test_approval_rejection_and_listing_are_published_and_consumable(catalog, wait_for):
    app, channel, tap = catalog
    sid, own, verdict = await onboard(channel)
    assert verdict.approved and list(verdict.failures) == []
    assert verdict.supplier.status == pb.SUPPLIER_STATUS_APPROVED
    assert verdict.supplier.deposit_balance_fen == 1_000_000

    poor, _, refused = await onboard(channel, capital=80_000_000)
    assert not refused.approved
    assert [(f.code, f.message) for f in refused.failures] == [
        (
            "CAPITAL_BELOW_MINIMUM",
            "registered capital 800,000.00 CNY is below the required 1,000,000.00 CNY",
        )
    ]

    listed = await own.ListProduct(product_request(sid))
    assert listed.listed and listed.product.status == pb.PRODUCT_STATUS_ACTIVE

    await wait_for(lambda: len(tap.events) >= 3, timeout=15, what="three catalog events")
    assert [e.supplier_id for e in tap.of("catalog.supplier.approved")] == [sid]
    [rejection] = tap.of("catalog.supplier.rejected")
    assert rejection.supplier_id == poor
    assert [f.code for f in rejection.failures] == ["CAPITAL_BELOW_MINIMUM"]
    [product_event] = tap.of("catalog.product.listed")
    assert product_event.product_id == listed.product.product_id
    assert product_event.shipping.weight_grams == 300


async def test_refused_product_lists_every_reason_and_stores_nothing(catalog):
    app, channel, _ = catalog
    sid, own, _ = await onboard(channel, kind=pb.SUPPLIER_KIND_DISTRIBUTOR)
    answer = await own.ListProduct(product_request(sid, commission_bps=1_000, price_fen=14_000))
    assert not answer.listed
    assert [f.code for f in answer.failures] == [
        "VOUCHERS_MISSING",
        "COMMISSION_BELOW_AFFILIATE",
        "PRICE_ABOVE_OTHER_PLATFORM",
    ]
    assert count(app, tables.products) == 0


async def test_brand_chain_over_grpc_accepts_three_links_and_refuses_four(catalog):
    _, channel, _ = catalog
    owner, owner_caller, _ = await onboard(channel, kind=pb.SUPPLIER_KIND_BRAND_OWNER)
    brand = (
        await owner_caller.RegisterBrand(pb.RegisterBrandRequest(name="花西子", owner_id=owner))
    ).brand
    parties = [owner, "agent-1", "agent-2", "agent-3", "agent-4"]
    for grantor, grantee in zip(parties, parties[1:], strict=False):
        await staff(channel).AddAuthorisation(
            pb.AddAuthorisationRequest(
                brand_id=brand.brand_id,
                grantor_id=grantor,
                grantee_id=grantee,
                categories=["beauty"],
                valid_from="2026-01-01",
                valid_until="2026-12-31",
            )
        )

    async def check(supplier: str):
        return await staff(channel).CheckChain(
            pb.CheckChainRequest(
                brand_id=brand.brand_id,
                supplier_id=supplier,
                category="beauty",
                on_date="2026-06-15",
            )
        )

    three = await check("agent-3")
    assert three.holds and [a.grantee_id for a in three.chain] == parties[1:4]
    four = await check("agent-4")
    assert not four.holds
    assert [f.code for f in four.failures] == ["CHAIN_TOO_LONG"]
    assert "4 links" in four.failures[0].message


async def test_search_pages_through_a_suppliers_products(catalog):
    _, channel, _ = catalog
    sid, own, _ = await onboard(channel)
    for index in range(5):
        await own.ListProduct(product_request(sid, sku=f"SKU-{index}"))
    seen, token = [], ""
    while True:
        page = await own.SearchProducts(
            pb.SearchProductsRequest(
                supplier_id=sid, category="food", page=PageRequest(page_size=2, page_token=token)
            )
        )
        assert len(page.products) <= 2
        seen.extend(p.sku for p in page.products)
        token = page.next_page_token
        if not token:
            break
    assert sorted(seen) == [f"SKU-{i}" for i in range(5)]


@pytest.mark.parametrize("token", [None, "not-a-token"])
async def test_missing_or_unknown_token_is_unauthenticated(catalog, token):
    _, channel, _ = catalog
    with pytest.raises(grpc.aio.AioRpcError) as refused:
        await Caller(channel, token).GetSupplier(pb.GetSupplierRequest(supplier_id="sup_x"))
    assert refused.value.code() == grpc.StatusCode.UNAUTHENTICATED


async def test_supplier_token_cannot_read_or_change_another_supplier(catalog):
    app, channel, _ = catalog
    mine, own, _ = await onboard(channel)
    theirs, _, _ = await onboard(channel)
    entries_before = count(app, tables.deposit_entries)
    for call, request in [
        (own.GetSupplier, pb.GetSupplierRequest(supplier_id=theirs)),
        (
            own.RecordDepositEntry,
            pb.RecordDepositEntryRequest(
                supplier_id=theirs, kind=pb.DEPOSIT_ENTRY_KIND_PAYMENT, amount_fen=1
            ),
        ),
        (own.ListProduct, product_request(theirs)),
        (own.IssueToken, pb.IssueTokenRequest(kind=pb.PRINCIPAL_KIND_STAFF)),
    ]:
        with pytest.raises(grpc.aio.AioRpcError) as refused:
            await call(request)
        assert refused.value.code() == grpc.StatusCode.PERMISSION_DENIED, request
    assert count(app, tables.deposit_entries) == entries_before
    assert count(app, tables.products) == 0
    assert (await own.GetSupplier(pb.GetSupplierRequest(supplier_id=mine))).supplier.name


async def test_tokens_are_stored_only_as_digests(catalog):
    app, channel, _ = catalog
    registered = await staff(channel).RegisterSupplier(
        pb.RegisterSupplierRequest(name="X", kind=pb.SUPPLIER_KIND_FACTORY, issue_token=True)
    )
    with app.db.read_session() as session:
        stored = [tuple(row) for row in session.execute(select(tables.tokens))]
    assert len(stored) == 1
    assert all(registered.token not in str(value) for value in stored[0])
    assert STAFF_TOKEN not in str(stored)


def count(app, table) -> int:
    with app.db.read_session() as session:
        return session.execute(select(func.count()).select_from(table)).scalar_one()


MALFORMED = [
    (
        "missing name",
        "RegisterSupplier",
        pb.RegisterSupplierRequest(kind=pb.SUPPLIER_KIND_FACTORY),
        "name is required",
    ),
    (
        "unspecified kind",
        "RegisterSupplier",
        pb.RegisterSupplierRequest(name="X"),
        "kind is required",
    ),
    (
        "unknown enum value",
        "RegisterSupplier",
        pb.RegisterSupplierRequest(name="X", kind=99),
        "kind 99 is an unknown value",
    ),
    (
        "10 MB name",
        "RegisterSupplier",
        pb.RegisterSupplierRequest(name=TEN_MB, kind=pb.SUPPLIER_KIND_FACTORY),
        "10,485,760 characters",
    ),
    (
        "negative deposit",
        "RecordDepositEntry",
        pb.RecordDepositEntryRequest(
            supplier_id="S", kind=pb.DEPOSIT_ENTRY_KIND_PAYMENT, amount_fen=-5
        ),
        "positive amount",
    ),
    (
        "negative capital",
        "SubmitQualification",
        pb.SubmitQualificationRequest(
            supplier_id="S",
            registered_capital_fen=-1,
            tax_status=pb.TAX_STATUS_GENERAL_TAXPAYER,
            licence_number="L",
        ),
        "may not be negative",
    ),
    (
        "negative price",
        "ListProduct",
        product_request("S", price_fen=-1),
        "price_fen must be a positive amount",
    ),
    (
        "missing shipping",
        "ListProduct",
        pb.ListProductRequest(supplier_id="S", sku="K", name="n", category="food", price_fen=1),
        "weight_grams is required",
    ),
    (
        "10 MB recommendation",
        "AddListing",
        pb.AddListingRequest(shop_id="s", product_id="p", recommendation=TEN_MB),
        "recommendation is 10,485,760",
    ),
]


async def test_malformed_requests_are_invalid_argument_and_change_nothing(catalog):
    # One service for the whole table: starting one per case would only add waiting.
    app, channel, _ = catalog
    sid, _, _ = await onboard(channel)
    for case, method, request_message, message in MALFORMED:
        if "supplier_id" in request_message.DESCRIPTOR.fields_by_name:
            if request_message.supplier_id == "S":
                request_message.supplier_id = sid
        counts = [count(app, table) for table in tables.metadata.sorted_tables]
        with pytest.raises(grpc.aio.AioRpcError) as refused:
            await getattr(staff(channel), method)(request_message)
        assert refused.value.code() == grpc.StatusCode.INVALID_ARGUMENT, case
        assert message in refused.value.details(), case
        # The message names the problem; it does not echo a 10 MB value back.
        assert len(refused.value.details()) < 500, case
        assert [count(app, table) for table in tables.metadata.sorted_tables] == counts, case


async def test_other_services_look_products_up_over_nats(catalog):
    app, channel, _ = catalog
    sid, own, _ = await onboard(channel)
    listed = (await own.ListProduct(product_request(sid))).product
    answer = await app.request(
        "rpc.catalog.GetProduct",
        pb.GetProductRequest(product_id=listed.product_id),
        pb.GetProductResponse,
        timeout=10,
    )
    assert answer.product.shipping.weight_grams == 300
    page = await app.request(
        "rpc.catalog.SearchProducts",
        pb.SearchProductsRequest(supplier_id=sid),
        pb.SearchProductsResponse,
        timeout=10,
    )
    assert [p.product_id for p in page.products] == [listed.product_id]
    with pytest.raises(NotFound, match="product prd_missing does not exist"):
        await app.request(
            "rpc.catalog.GetProduct",
            pb.GetProductRequest(product_id="prd_missing"),
            pb.GetProductResponse,
            timeout=10,
        )


async def test_revoked_token_is_refused_from_the_next_call(catalog):
    _, channel, _ = catalog
    sid, own, _ = await onboard(channel)
    issued = await staff(channel).IssueToken(
        pb.IssueTokenRequest(kind=pb.PRINCIPAL_KIND_SUPPLIER, subject_id=sid)
    )
    second = Caller(channel, issued.token)
    ledger = await second.ListDepositEntries(pb.ListDepositEntriesRequest(supplier_id=sid))
    assert [e.amount_fen for e in ledger.entries] == [1_000_000]
    assert ledger.balance_fen == 1_000_000
    await staff(channel).RevokeToken(pb.RevokeTokenRequest(token_id=issued.token_id))
    with pytest.raises(grpc.aio.AioRpcError) as refused:
        await second.ListDepositEntries(pb.ListDepositEntriesRequest(supplier_id=sid))
    assert refused.value.code() == grpc.StatusCode.UNAUTHENTICATED
    assert (await own.GetSupplier(pb.GetSupplierRequest(supplier_id=sid))).supplier.name
