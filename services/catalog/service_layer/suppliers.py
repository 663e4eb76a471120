"""Handlers for supplier onboarding: registration, qualification, deposit, authorisations,
vouchers, verdicts and the re-check that suspends suppliers who no longer qualify."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass

from cangpei.runtime.errors import AlreadyExists, FailedPrecondition, InvalidArgument, NotFound
from services.catalog.domain import commands, validation
from services.catalog.domain.authorisations import Authorisation, Brand
from services.catalog.domain.chains import ChainVerdict, find_chain
from services.catalog.domain.checks import Failure, describe
from services.catalog.domain.config import CatalogConfig
from services.catalog.domain.events import (
    ProductSuspended,
    SupplierApproved,
    SupplierRejected,
    SupplierSuspended,
)
from services.catalog.domain.money import format_cny
from services.catalog.domain.onboarding import deposit_failures, supplier_failures
from services.catalog.domain.principals import Principal, PrincipalKind
from services.catalog.domain.products import Product, ProductStatus
from services.catalog.domain.suppliers import (
    DepositEntry,
    DepositEntryKind,
    Qualification,
    Supplier,
    SupplierKind,
    SupplierStatus,
    TaxStatus,
    deposit_balance,
)
from services.catalog.domain.vouchers import PurchaseVoucher
from services.catalog.service_layer.access import NewToken, mint_token
from services.catalog.service_layer.context import HandlerContext
from services.catalog.service_layer.ports import CatalogUnitOfWork, ProductFilter
from services.catalog.service_layer.product_rules import product_failures


def load_supplier(
    uow: CatalogUnitOfWork, supplier_id: str, *, for_update: bool = False
) -> Supplier:
    supplier = uow.suppliers.get(supplier_id, for_update=for_update)
    if supplier is None:
        raise NotFound(f"supplier {supplier_id} does not exist")
    return supplier


@dataclass(frozen=True)
class Registered:
    supplier: Supplier
    token: NewToken | None


def register_supplier(
    cmd: commands.RegisterSupplier, uow: CatalogUnitOfWork, ctx: HandlerContext
) -> Registered:
    config = ctx.config
    name = validation.required_text("name", cmd.name, config.max_name_length)
    kind = validation.enum_member("kind", SupplierKind, cmd.kind)
    ctx.principal.require_staff("register suppliers")
    supplier = Supplier(supplier_id=ctx.new_id("sup"), name=name, kind=kind, created_at=ctx.now())
    uow.suppliers.add(supplier)
    token = None
    if cmd.issue_token:
        token = mint_token(Principal(PrincipalKind.SUPPLIER, supplier.supplier_id), uow, ctx)
    uow.commit()
    return Registered(supplier, token)


def submit_qualification(
    cmd: commands.SubmitQualification, uow: CatalogUnitOfWork, ctx: HandlerContext
) -> tuple[Supplier, int]:
    """Record (or replace) the qualification; return the supplier and its deposit balance."""
    config = ctx.config
    supplier_id = validation.required_text("supplier_id", cmd.supplier_id, config.max_id_length)
    capital = validation.money_fen(
        "registered_capital_fen", cmd.registered_capital_fen, config.max_money_fen
    )
    tax_status = validation.enum_member("tax_status", TaxStatus, cmd.tax_status)
    licence = validation.required_text("licence_number", cmd.licence_number, config.max_id_length)
    ctx.principal.require_supplier(supplier_id)
    supplier = load_supplier(uow, supplier_id, for_update=True)
    supplier.qualification = Qualification(capital, tax_status, licence)
    uow.suppliers.save(supplier)
    balance = deposit_balance(uow.deposits.entries(supplier_id))
    uow.commit()
    return supplier, balance


def record_deposit_entry(
    cmd: commands.RecordDepositEntry, uow: CatalogUnitOfWork, ctx: HandlerContext
) -> tuple[DepositEntry, int]:
    """Append to the ledger; return the entry and the new balance.

    A supplier records its own payments; deductions and refunds move the platform's
    money, so only staff may record them. A supplier whose balance falls below the
    requirement is suspended in the same transaction.
    """
    config = ctx.config
    supplier_id = validation.required_text("supplier_id", cmd.supplier_id, config.max_id_length)
    kind = validation.enum_member("kind", DepositEntryKind, cmd.kind)
    amount = validation.money_fen("amount_fen", cmd.amount_fen, config.max_money_fen, positive=True)
    reference = validation.optional_text("reference", cmd.reference, config.max_text_length)
    if kind is DepositEntryKind.PAYMENT:
        ctx.principal.require_supplier(supplier_id)
    else:
        ctx.principal.require_staff(f"record deposit {kind.value}s")
    supplier = load_supplier(uow, supplier_id, for_update=True)
    balance = deposit_balance(uow.deposits.entries(supplier_id))
    entry = DepositEntry(
        entry_id=ctx.new_id("dep"),
        supplier_id=supplier_id,
        kind=kind,
        amount_fen=amount,
        reference=reference,
        recorded_at=ctx.now(),
    )
    if balance + entry.signed_fen < 0:
        raise FailedPrecondition(
            f"a {kind.value} of {format_cny(amount)} exceeds the deposit balance of "
            f"{format_cny(balance)}"
        )
    uow.deposits.add(entry)
    balance += entry.signed_fen
    if supplier.status is SupplierStatus.APPROVED:
        shortfall = deposit_failures(balance, config)
        if shortfall:
            _suspend(uow, supplier, shortfall)
    uow.commit()
    return entry, balance


def register_brand(
    cmd: commands.RegisterBrand, uow: CatalogUnitOfWork, ctx: HandlerContext
) -> Brand:
    """Staff, or a brand-owner supplier registering its own brand."""
    config = ctx.config
    name = validation.required_text("name", cmd.name, config.max_name_length)
    owner_id = validation.required_text("owner_id", cmd.owner_id, config.max_id_length)
    ctx.principal.require_supplier(owner_id)
    owner = uow.suppliers.get(owner_id)
    if owner is not None and owner.kind is not SupplierKind.BRAND_OWNER:
        raise FailedPrecondition(
            f"supplier {owner_id} is a {owner.kind.value}, not a brand owner; only a brand "
            f"owner may own a brand"
        )
    if uow.brands.get_by_name(name) is not None:
        raise AlreadyExists(f"brand {name!r} is already registered")
    brand = Brand(brand_id=ctx.new_id("brd"), name=name, owner_id=owner_id)
    uow.brands.add(brand)
    uow.commit()
    return brand


def add_authorisation(
    cmd: commands.AddAuthorisation, uow: CatalogUnitOfWork, ctx: HandlerContext
) -> Authorisation:
    """Either party of the link may file it: the grantor issuing it or the grantee
    submitting the letter it received."""
    config = ctx.config
    brand_id = validation.required_text("brand_id", cmd.brand_id, config.max_id_length)
    grantor = validation.required_text("grantor_id", cmd.grantor_id, config.max_id_length)
    grantee = validation.required_text("grantee_id", cmd.grantee_id, config.max_id_length)
    categories = validation.text_set(
        "categories",
        cmd.categories,
        config.max_name_length,
        config.max_categories_per_authorisation,
    )
    valid_from = validation.required_date("valid_from", cmd.valid_from)
    valid_until = validation.required_date("valid_until", cmd.valid_until)
    if grantor == grantee:
        raise InvalidArgument(f"grantor and grantee are both {grantor}; a link joins two parties")
    if valid_until < valid_from:
        raise InvalidArgument(
            f"valid_until {valid_until.isoformat()} is before valid_from {valid_from.isoformat()}"
        )
    ctx.principal.require_any_supplier((grantor, grantee))
    if uow.brands.get(brand_id) is None:
        raise NotFound(f"brand {brand_id} does not exist")
    link = Authorisation(
        authorisation_id=ctx.new_id("aut"),
        brand_id=brand_id,
        grantor_id=grantor,
        grantee_id=grantee,
        categories=categories,
        valid_from=valid_from,
        valid_until=valid_until,
        confirmed=_may_confirm(ctx, grantor),
    )
    uow.authorisations.add(link)
    uow.commit()
    return link


def _may_confirm(ctx: HandlerContext, grantor_id: str) -> bool:
    principal = ctx.principal
    return principal.is_staff or (
        principal.kind is PrincipalKind.SUPPLIER and principal.subject_id == grantor_id
    )


def confirm_authorisation(
    authorisation_id: str, uow: CatalogUnitOfWork, ctx: HandlerContext
) -> Authorisation:
    """The grantor (or staff) vouches for a link its grantee filed."""
    authorisation_id = validation.required_text(
        "authorisation_id", authorisation_id, ctx.config.max_id_length
    )
    link = uow.authorisations.get(authorisation_id)
    if link is None:
        raise NotFound(f"authorisation {authorisation_id} does not exist")
    ctx.principal.require_supplier(link.grantor_id)
    if not link.confirmed:
        uow.authorisations.confirm(authorisation_id)
        uow.commit()
    return dataclasses.replace(link, confirmed=True)


def check_chain(
    cmd: commands.CheckChain, uow: CatalogUnitOfWork, ctx: HandlerContext
) -> ChainVerdict:
    config = ctx.config
    brand_id = validation.required_text("brand_id", cmd.brand_id, config.max_id_length)
    supplier_id = validation.required_text("supplier_id", cmd.supplier_id, config.max_id_length)
    category = validation.required_text("category", cmd.category, config.max_name_length)
    day = validation.optional_date("on_date", cmd.on_date) or ctx.today()
    ctx.principal.require_supplier(supplier_id)
    brand = uow.brands.get(brand_id)
    if brand is None:
        raise NotFound(f"brand {brand_id} does not exist")
    return find_chain(
        brand,
        supplier_id,
        category,
        day,
        uow.authorisations,
        max_links=config.max_chain_links,
        diagnosis_extra_links=config.chain_diagnosis_extra_links,
    )


def add_purchase_voucher(
    cmd: commands.AddPurchaseVoucher, uow: CatalogUnitOfWork, ctx: HandlerContext
) -> PurchaseVoucher:
    config = ctx.config
    supplier_id = validation.required_text("supplier_id", cmd.supplier_id, config.max_id_length)
    issued_on = validation.required_date("issued_on", cmd.issued_on)
    voucher = PurchaseVoucher(
        voucher_id=ctx.new_id("vou"),
        supplier_id=supplier_id,
        sku=validation.required_text("sku", cmd.sku, config.max_id_length),
        seller_id=validation.required_text("seller_id", cmd.seller_id, config.max_id_length),
        buyer_id=validation.required_text("buyer_id", cmd.buyer_id, config.max_id_length),
        seller_is_manufacturer=bool(cmd.seller_is_manufacturer),
        invoice_number=validation.required_text(
            "invoice_number", cmd.invoice_number, config.max_id_length
        ),
        issued_on=issued_on,
    )
    if voucher.seller_id == voucher.buyer_id:
        raise InvalidArgument(f"seller and buyer are both {voucher.seller_id}")
    ctx.principal.require_supplier(supplier_id)
    load_supplier(uow, supplier_id)
    uow.vouchers.add(voucher)
    uow.commit()
    return voucher


@dataclass(frozen=True)
class Verdict:
    supplier: Supplier
    approved: bool
    failures: list[Failure]
    deposit_balance_fen: int


def request_verdict(
    cmd: commands.RequestVerdict, uow: CatalogUnitOfWork, ctx: HandlerContext
) -> Verdict:
    """Run every admission check; approve when all pass, reject naming each that failed."""
    config = ctx.config
    supplier_id = validation.required_text("supplier_id", cmd.supplier_id, config.max_id_length)
    ctx.principal.require_supplier(supplier_id)
    supplier = load_supplier(uow, supplier_id, for_update=True)
    balance = deposit_balance(uow.deposits.entries(supplier_id))
    failures = supplier_failures(supplier, balance, config)
    if failures and supplier.status is SupplierStatus.APPROVED:
        # An approved supplier that no longer qualifies has products on sale: they go too.
        _suspend(uow, supplier, failures)
        uow.commit()
        return Verdict(supplier, False, failures, balance)
    if failures:
        supplier.status = SupplierStatus.REJECTED
        supplier.status_reason = describe(failures)
        uow.publish(SupplierRejected(supplier_id, tuple(failures)))
    elif supplier.status is not SupplierStatus.APPROVED:
        supplier.status = SupplierStatus.APPROVED
        supplier.status_reason = ""
        uow.publish(SupplierApproved(supplier_id, supplier.name, supplier.kind.value))
    uow.suppliers.save(supplier)
    uow.commit()
    return Verdict(supplier, not failures, failures, balance)


def get_supplier(
    supplier_id: str, uow: CatalogUnitOfWork, ctx: HandlerContext
) -> tuple[Supplier, int]:
    supplier_id = validation.required_text("supplier_id", supplier_id, ctx.config.max_id_length)
    ctx.principal.require_supplier(supplier_id)
    supplier = load_supplier(uow, supplier_id)
    return supplier, deposit_balance(uow.deposits.entries(supplier_id))


def deposit_ledger(
    supplier_id: str, uow: CatalogUnitOfWork, ctx: HandlerContext
) -> tuple[list[DepositEntry], int]:
    """The supplier's deposit entries, oldest first, and the balance they sum to."""
    supplier_id = validation.required_text("supplier_id", supplier_id, ctx.config.max_id_length)
    ctx.principal.require_supplier(supplier_id)
    load_supplier(uow, supplier_id)
    entries = uow.deposits.entries(supplier_id)
    return entries, deposit_balance(entries)


@dataclass(frozen=True)
class RecheckOutcome:
    day: dt.date
    checked: int
    suspended_supplier_ids: list[str]


def recheck_suppliers(
    cmd: commands.RecheckSuppliers,
    new_uow: Callable[[], AbstractContextManager[CatalogUnitOfWork]],
    ctx: HandlerContext,
) -> RecheckOutcome:
    """Suspend every approved supplier that no longer qualifies on the day, with its
    products: a deposit below the requirement, or an active product whose authorisation
    chain (or vouchers) no longer holds, for instance because a link expired.

    One transaction per supplier: locks stay short, and a fault with one supplier does
    not undo what was decided for the others.
    """
    day = validation.optional_date("on_date", cmd.on_date) or ctx.today()
    ctx.principal.require_staff("re-check suppliers")
    with new_uow() as uow:
        approved = uow.suppliers.approved_ids()
    suspended = []
    for supplier_id in approved:
        with new_uow() as uow:
            if _recheck_one(uow, supplier_id, day, ctx.config):
                suspended.append(supplier_id)
    return RecheckOutcome(day, len(approved), suspended)


def _recheck_one(
    uow: CatalogUnitOfWork, supplier_id: str, day: dt.date, config: CatalogConfig
) -> bool:
    """Suspend ``supplier_id`` if it no longer qualifies; True when it was suspended."""
    supplier = uow.suppliers.get(supplier_id, for_update=True)
    if supplier is None or supplier.status is not SupplierStatus.APPROVED:
        return False  # changed since the list was read
    reasons = list(
        supplier_failures(supplier, deposit_balance(uow.deposits.entries(supplier_id)), config)
    )
    for product in _active_products(uow, supplier_id):
        reasons.extend(
            Failure(f.code, f"product {product.sku}: {f.message}")
            for f in product_failures(uow, supplier, product, day, config)
        )
    if not reasons:
        return False
    _suspend(uow, supplier, reasons)
    uow.commit()
    return True


def _active_products(uow: CatalogUnitOfWork, supplier_id: str) -> list[Product]:
    found: list[Product] = []
    after = ""
    while True:
        page = uow.products.search(
            ProductFilter(supplier_id=supplier_id, active_only=True), after, 500
        )
        found.extend(page)
        if len(page) < 500:
            return found
        after = page[-1].product_id


def _suspend(uow: CatalogUnitOfWork, supplier: Supplier, reasons: list[Failure]) -> None:
    suspended_ids = []
    for product in _active_products(uow, supplier.supplier_id):
        product.status = ProductStatus.SUSPENDED
        product.status_reason = f"supplier {supplier.supplier_id} suspended: {describe(reasons)}"
        uow.products.save(product)
        suspended_ids.append(product.product_id)
        uow.publish(
            ProductSuspended(
                product.product_id,
                supplier.supplier_id,
                product.sku,
                tuple(reasons),
            )
        )
    supplier.status = SupplierStatus.SUSPENDED
    supplier.status_reason = describe(reasons)
    uow.suppliers.save(supplier)
    uow.publish(SupplierSuspended(supplier.supplier_id, tuple(reasons), tuple(suspended_ids)))
