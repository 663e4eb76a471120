"""Supplier onboarding: qualification, deposit ledger, verdicts and their events."""

from __future__ import annotations

import pytest

from cangpei.runtime.errors import FailedPrecondition, NotFound
from services.catalog.domain import commands as c
from services.catalog.domain.events import SupplierApproved, SupplierRejected, SupplierSuspended
from services.catalog.domain.suppliers import SupplierStatus
from services.catalog.service_layer import suppliers


def verdict_for(catalog, **qualification):
    sid = catalog.supplier(approve=False, **qualification)
    return catalog.run(suppliers.request_verdict, c.RequestVerdict(sid))


@pytest.mark.parametrize(
    ("qualification", "failed"),
    [
        ({"capital_fen": 100_000_000}, []),  # exactly 1,000,000.00 CNY passes
        ({"capital_fen": 99_999_999}, ["CAPITAL_BELOW_MINIMUM"]),  # one fen below
        ({"capital_fen": 500_000_000}, []),
        ({"tax": "general_taxpayer"}, []),
        ({"tax": "small_scale_taxpayer"}, ["NOT_GENERAL_TAXPAYER"]),
        ({"deposit_fen": 1_000_000}, []),  # exactly 10,000.00 CNY
        ({"deposit_fen": 999_999}, ["DEPOSIT_BELOW_REQUIRED"]),
        ({"deposit_fen": 0}, ["DEPOSIT_BELOW_REQUIRED"]),
    ],
)
def test_each_admission_rule_at_its_boundary(catalog, qualification, failed):
    verdict = verdict_for(catalog, **qualification)
    assert [f.code for f in verdict.failures] == failed
    assert verdict.approved is (not failed)


def test_refusal_lists_every_failed_check_with_actionable_sentences(catalog):
    verdict = verdict_for(
        catalog, capital_fen=80_000_000, tax="small_scale_taxpayer", deposit_fen=400_000
    )
    assert [f.code for f in verdict.failures] == [
        "CAPITAL_BELOW_MINIMUM",
        "NOT_GENERAL_TAXPAYER",
        "DEPOSIT_BELOW_REQUIRED",
    ]
    messages = [f.message for f in verdict.failures]
    assert messages[0] == (
        "registered capital 800,000.00 CNY is below the required 1,000,000.00 CNY"
    )
    assert "pay 6,000.00 CNY more" in messages[2]


def test_supplier_without_qualification_is_told_to_submit_it(catalog):
    sid = catalog.run(
        suppliers.register_supplier, c.RegisterSupplier("X", "factory")
    ).supplier.supplier_id
    verdict = catalog.run(suppliers.request_verdict, c.RequestVerdict(sid))
    assert [f.code for f in verdict.failures] == ["QUALIFICATION_MISSING", "DEPOSIT_BELOW_REQUIRED"]


def test_approval_and_rejection_publish_events(catalog):
    rejected = verdict_for(catalog, capital_fen=1)
    approved = verdict_for(catalog)
    assert rejected.supplier.status is SupplierStatus.REJECTED
    assert approved.supplier.status is SupplierStatus.APPROVED
    [rejection] = catalog.uow.events_of(SupplierRejected)
    assert rejection.supplier_id == rejected.supplier.supplier_id
    assert [f.code for f in rejection.failures] == ["CAPITAL_BELOW_MINIMUM"]
    assert [e.supplier_id for e in catalog.uow.events_of(SupplierApproved)] == [
        approved.supplier.supplier_id
    ]


def test_rejected_supplier_that_fixes_its_file_is_approved(catalog):
    sid = catalog.supplier(deposit_fen=500_000, approve=False)
    assert not catalog.run(suppliers.request_verdict, c.RequestVerdict(sid)).approved
    catalog.run(suppliers.record_deposit_entry, c.RecordDepositEntry(sid, "payment", 500_000))
    assert catalog.run(suppliers.request_verdict, c.RequestVerdict(sid)).approved


def test_deposit_balance_is_the_sum_of_the_ledger(catalog):
    sid = catalog.supplier(deposit_fen=1_500_000)
    catalog.run(suppliers.record_deposit_entry, c.RecordDepositEntry(sid, "deduction", 300_000))
    _, balance = catalog.run(suppliers.record_deposit_entry, c.RecordDepositEntry(sid, "refund", 1))
    assert balance == 1_199_999
    assert suppliers.get_supplier(sid, catalog.uow, catalog.ctx())[1] == 1_199_999


def test_deduction_larger_than_the_balance_is_refused_and_not_recorded(catalog):
    sid = catalog.supplier()
    with pytest.raises(FailedPrecondition, match="exceeds the deposit balance of 10,000.00 CNY"):
        catalog.run(
            suppliers.record_deposit_entry, c.RecordDepositEntry(sid, "deduction", 1_000_001)
        )
    assert len(catalog.uow.deposits.entries(sid)) == 1


def test_deduction_below_the_required_deposit_suspends_supplier_and_products(catalog):
    sid = catalog.supplier(kind="factory")
    product = catalog.list_product(sid).product
    catalog.run(suppliers.record_deposit_entry, c.RecordDepositEntry(sid, "deduction", 1))
    supplier, _ = suppliers.get_supplier(sid, catalog.uow, catalog.ctx())
    assert supplier.status is SupplierStatus.SUSPENDED
    assert "9,999.99 CNY" in supplier.status_reason
    [event] = catalog.uow.events_of(SupplierSuspended)
    assert event.suspended_product_ids == (product.product_id,)
    assert [r.code for r in event.reasons] == ["DEPOSIT_BELOW_REQUIRED"]
    assert catalog.uow.products.get(product.product_id).status.value == "suspended"


def test_verdict_for_unknown_supplier_is_not_found(catalog):
    with pytest.raises(NotFound, match="supplier sup_nope does not exist"):
        catalog.run(suppliers.request_verdict, c.RequestVerdict("sup_nope"))


def test_brand_can_only_be_owned_by_a_brand_owner(catalog):
    distributor = catalog.supplier("distributor")
    with pytest.raises(FailedPrecondition, match="not a brand owner"):
        catalog.brand(distributor)


def test_approved_supplier_failing_a_new_verdict_is_suspended_with_its_products(catalog):
    sid = catalog.supplier("factory")
    product = catalog.list_product(sid).product
    catalog.run(
        suppliers.submit_qualification,
        c.SubmitQualification(sid, 100_000_000, "small_scale_taxpayer", "L-1"),
    )
    verdict = catalog.run(suppliers.request_verdict, c.RequestVerdict(sid))
    assert not verdict.approved
    assert verdict.supplier.status is SupplierStatus.SUSPENDED
    [event] = catalog.uow.events_of(SupplierSuspended)
    assert event.suspended_product_ids == (product.product_id,)
    assert catalog.uow.events_of(SupplierRejected) == []


def test_ledger_lists_every_entry_oldest_first_with_its_sum(catalog):
    sid = catalog.supplier(deposit_fen=1_200_000)
    catalog.run(suppliers.record_deposit_entry, c.RecordDepositEntry(sid, "deduction", 200_000))
    entries, balance = suppliers.deposit_ledger(sid, catalog.uow, catalog.ctx())
    assert [(e.kind.value, e.amount_fen) for e in entries] == [
        ("payment", 1_200_000),
        ("deduction", 200_000),
    ]
    assert balance == 1_000_000
