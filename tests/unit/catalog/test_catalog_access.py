"""Credentials: suppliers touch only their own data; staff everything; tokens stored hashed."""

from __future__ import annotations

import contextlib

import pytest

from cangpei.runtime.errors import NotFound, PermissionDenied, Unauthenticated
from services.catalog.domain import commands as c
from services.catalog.domain.principals import PrincipalKind, token_digest
from services.catalog.service_layer import access, products, shops, suppliers


@pytest.fixture
def two_suppliers(catalog):
    return catalog.supplier("factory"), catalog.supplier("factory")


def test_supplier_changes_its_own_data(catalog, two_suppliers, supplier_of):
    mine, _ = two_suppliers
    me = supplier_of(mine)
    catalog.run(suppliers.record_deposit_entry, c.RecordDepositEntry(mine, "payment", 5), me)
    outcome = catalog.run(products.list_product, catalog.product_cmd(mine), me)
    assert outcome.product is not None


@pytest.mark.parametrize(
    "attempt",
    [
        lambda other: (suppliers.request_verdict, c.RequestVerdict(other)),
        lambda other: (
            suppliers.submit_qualification,
            c.SubmitQualification(other, 1, "general_taxpayer", "L"),
        ),
        lambda other: (suppliers.record_deposit_entry, c.RecordDepositEntry(other, "payment", 1)),
        lambda other: (suppliers.check_chain, c.CheckChain("brd_x", other, "beauty")),
        lambda other: (products.search_products, c.SearchProducts(supplier_id=other)),
    ],
)
def test_supplier_cannot_touch_another_suppliers_data(catalog, two_suppliers, supplier_of, attempt):
    mine, other = two_suppliers
    handler, cmd = attempt(other)
    before = catalog.uow.commits
    with pytest.raises(PermissionDenied, match=f"supplier {mine} may not"):
        catalog.run(handler, cmd, supplier_of(mine))
    assert catalog.uow.commits == before


def test_supplier_cannot_list_products_for_another(catalog, two_suppliers, supplier_of):
    mine, other = two_suppliers
    with pytest.raises(PermissionDenied):
        catalog.run(products.list_product, catalog.product_cmd(other), supplier_of(mine))
    assert catalog.uow.products.rows == {}


def test_supplier_search_sees_only_its_own_products(catalog, two_suppliers, supplier_of):
    mine, other = two_suppliers
    catalog.list_product(mine)
    catalog.list_product(other)
    page = catalog.run(products.search_products, c.SearchProducts(), supplier_of(mine))
    assert {p.supplier_id for p in page.products} == {mine}


def test_supplier_cannot_read_another_suppliers_product(catalog, two_suppliers, supplier_of):
    mine, other = two_suppliers
    theirs = catalog.list_product(other).product
    with pytest.raises(PermissionDenied):
        products.get_product(theirs.product_id, catalog.uow, catalog.ctx(supplier_of(mine)))


def test_deductions_and_refunds_are_for_staff_only(catalog, two_suppliers, supplier_of):
    mine, _ = two_suppliers
    with pytest.raises(PermissionDenied, match="only platform staff may record deposit refunds"):
        catalog.run(
            suppliers.record_deposit_entry,
            c.RecordDepositEntry(mine, "refund", 1),
            supplier_of(mine),
        )


def test_member_acts_only_for_itself(catalog, member_of):
    catalog.member("m1")
    catalog.member("m2")
    with pytest.raises(PermissionDenied):
        catalog.run(shops.open_shop, c.OpenShop("m2", "店"), member_of("m1"))
    shop = catalog.run(shops.open_shop, c.OpenShop("m1", "店"), member_of("m1"))
    with pytest.raises(PermissionDenied):
        catalog.run(shops.add_listing, c.AddListing(shop.shop_id, "prd_x"), member_of("m2"))


def test_staff_only_operations_refuse_suppliers(catalog, two_suppliers, supplier_of):
    mine, _ = two_suppliers
    for handler, cmd in [
        (suppliers.register_supplier, c.RegisterSupplier("X", "factory")),
        (shops.recompute_tiers, c.RecomputeTiers("2026-05")),
        (access.issue_token, c.IssueToken("staff")),
    ]:
        with pytest.raises(PermissionDenied, match="only platform staff"):
            catalog.run(handler, cmd, supplier_of(mine))
    with pytest.raises(PermissionDenied, match="only platform staff may re-check"):
        suppliers.recheck_suppliers(
            c.RecheckSuppliers(),
            lambda: contextlib.nullcontext(catalog.uow),
            catalog.ctx(supplier_of(mine)),
        )


def test_issued_token_authenticates_and_is_stored_only_as_a_digest(catalog, two_suppliers):
    mine, _ = two_suppliers
    issued = catalog.run(access.issue_token, c.IssueToken("supplier", mine))
    principal = access.authenticate(issued.token, catalog.uow)
    assert (principal.kind, principal.subject_id) == (PrincipalKind.SUPPLIER, mine)
    stored = list(catalog.uow.tokens.rows.values())
    assert [t.digest for t in stored] == [token_digest(issued.token)]
    assert all(issued.token not in repr(t) for t in stored)


@pytest.mark.parametrize(("token", "message"), [("", "no credential"), ("guess", "not recognised")])
def test_missing_or_unknown_token_is_unauthenticated(catalog, token, message):
    with pytest.raises(Unauthenticated, match=message):
        access.authenticate(token, catalog.uow)


def test_token_for_an_unknown_supplier_is_not_issued(catalog):
    with pytest.raises(NotFound):
        catalog.run(access.issue_token, c.IssueToken("supplier", "sup_ghost"))


def test_bootstrap_token_is_checked_against_its_digest_and_never_stored(catalog):
    digest = token_digest("first-start-secret")
    assert access.authenticate("first-start-secret", catalog.uow, digest).is_staff
    with pytest.raises(Unauthenticated):
        access.authenticate("first-start-secreT", catalog.uow, digest)
    assert catalog.uow.tokens.rows == {}


def test_supplier_registered_with_a_token_can_use_it_at_once(catalog):
    registered = catalog.run(
        suppliers.register_supplier, c.RegisterSupplier("X", "factory", issue_token=True)
    )
    principal = access.authenticate(registered.token.token, catalog.uow)
    assert principal.subject_id == registered.supplier.supplier_id


def test_revoked_token_no_longer_authenticates(catalog, two_suppliers):
    mine, _ = two_suppliers
    issued = catalog.run(access.issue_token, c.IssueToken("supplier", mine))
    access.revoke_token(issued.token_id, catalog.uow, catalog.ctx())
    with pytest.raises(Unauthenticated):
        access.authenticate(issued.token, catalog.uow)
    with pytest.raises(NotFound, match="revoked already"):
        access.revoke_token(issued.token_id, catalog.uow, catalog.ctx())
