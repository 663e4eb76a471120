"""A catalog over in-memory ports, with short-hands to build suppliers, brands and chains."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest

from services.catalog.adapters.memory import MemoryUnitOfWork
from services.catalog.domain import commands as c
from services.catalog.domain.config import CatalogConfig
from services.catalog.domain.principals import STAFF, Principal, PrincipalKind
from services.catalog.service_layer import products, shops, suppliers
from services.catalog.service_layer.context import HandlerContext

TODAY = dt.date(2026, 6, 15)


class Catalog:
    """The handlers over one in-memory store; ``as_(principal)`` switches the caller."""

    def __init__(self, config: CatalogConfig | None = None) -> None:
        self.config = config or CatalogConfig()
        self.uow = MemoryUnitOfWork()
        self.today = TODAY
        self.principal: Principal = STAFF
        self._skus = itertools.count(1)

    def ctx(self, principal: Principal | None = None) -> HandlerContext:
        # Noon in China: the business day is ``today`` whatever the offset.
        moment = dt.datetime(self.today.year, self.today.month, self.today.day, 4, tzinfo=dt.UTC)
        return HandlerContext(self.config, principal or self.principal, clock=lambda: moment)

    def run(self, handler, cmd, principal: Principal | None = None):  # type: ignore[no-untyped-def]
        return handler(cmd, self.uow, self.ctx(principal))

    # ---- short-hands that build a valid world
    def supplier(
        self,
        kind: str = "distributor",
        *,
        capital_fen: int = 100_000_000,
        tax: str = "general_taxpayer",
        deposit_fen: int = 1_000_000,
        approve: bool = True,
    ) -> str:
        registered = self.run(suppliers.register_supplier, c.RegisterSupplier("Acme 供应链", kind))
        sid = registered.supplier.supplier_id
        self.run(
            suppliers.submit_qualification,
            c.SubmitQualification(sid, capital_fen, tax, "91330100MA2B3C4D5E"),
        )
        if deposit_fen:
            self.run(
                suppliers.record_deposit_entry, c.RecordDepositEntry(sid, "payment", deposit_fen)
            )
        if approve:
            verdict = self.run(suppliers.request_verdict, c.RequestVerdict(sid))
            assert verdict.approved, verdict.failures
        return sid

    def brand(self, owner_id: str, name: str = "花西子") -> str:
        return self.run(suppliers.register_brand, c.RegisterBrand(name, owner_id)).brand_id

    def link(
        self,
        brand_id: str,
        grantor: str,
        grantee: str,
        categories: tuple[str, ...] = ("beauty",),
        valid_from: str = "2026-01-01",
        valid_until: str = "2026-12-31",
    ) -> str:
        cmd = c.AddAuthorisation(brand_id, grantor, grantee, categories, valid_from, valid_until)
        return self.run(suppliers.add_authorisation, cmd).authorisation_id

    def product_cmd(self, supplier_id: str, **overrides) -> c.ListProduct:  # type: ignore[no-untyped-def]
        values = dict(
            supplier_id=supplier_id,
            sku=f"SKU-{next(self._skus)}",
            name="散粉 Loose powder",
            brand_id="",
            category="beauty",
            price_fen=15_900,
            commission_bps=2_000,
            affiliate_commission_bps=1_500,
            other_platform_prices=(c.OtherPrice("JD", 16_900),),
            weight_grams=120,
            length_mm=80,
            width_mm=80,
            height_mm=40,
        )
        values.update(overrides)
        return c.ListProduct(**values)

    def list_product(self, supplier_id: str, **overrides):  # type: ignore[no-untyped-def]
        return self.run(products.list_product, self.product_cmd(supplier_id, **overrides))

    def member(self, member_id: str = "m1", credit: int = 750, proven: bool = False) -> str:
        self.run(shops.upsert_member, c.UpsertMember(member_id, credit, proven))
        return member_id


@pytest.fixture
def catalog() -> Catalog:
    return Catalog()


def as_supplier(supplier_id: str) -> Principal:
    return Principal(PrincipalKind.SUPPLIER, supplier_id)


def as_member(member_id: str) -> Principal:
    return Principal(PrincipalKind.MEMBER, member_id)


@pytest.fixture
def supplier_of():  # type: ignore[no-untyped-def]
    return as_supplier


@pytest.fixture
def member_of():  # type: ignore[no-untyped-def]
    return as_member
