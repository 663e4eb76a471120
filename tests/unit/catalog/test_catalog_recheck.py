"""The re-check: suppliers whose authorisation lapsed are suspended, with their products."""

from __future__ import annotations

import contextlib
import datetime as dt

from services.catalog.domain import commands as c
from services.catalog.domain.events import ProductSuspended, SupplierSuspended
from services.catalog.domain.suppliers import SupplierStatus
from services.catalog.service_layer import suppliers


def branded_world(catalog, valid_until: str):
    owner = catalog.supplier("brand_owner")
    brand = catalog.brand(owner)
    distributor = catalog.supplier("distributor")
    catalog.link(brand, owner, distributor, valid_until=valid_until)
    product = catalog.list_product(distributor, brand_id=brand).product
    assert product is not None
    return owner, distributor, product


def recheck(catalog, day: str):
    return suppliers.recheck_suppliers(
        c.RecheckSuppliers(day), lambda: contextlib.nullcontext(catalog.uow), catalog.ctx()
    )


def test_recheck_on_the_last_valid_day_suspends_nobody(catalog):
    branded_world(catalog, valid_until="2026-06-30")
    outcome = recheck(catalog, "2026-06-30")
    assert outcome.suspended_supplier_ids == []
    assert catalog.uow.events_of(SupplierSuspended) == []


def test_expired_link_suspends_the_supplier_and_its_products_with_an_event(catalog):
    owner, distributor, product = branded_world(catalog, valid_until="2026-06-30")
    outcome = recheck(catalog, "2026-07-01")
    assert outcome.day == dt.date(2026, 7, 1)
    assert outcome.suspended_supplier_ids == [distributor]
    supplier, _ = suppliers.get_supplier(distributor, catalog.uow, catalog.ctx())
    assert supplier.status is SupplierStatus.SUSPENDED
    [event] = catalog.uow.events_of(SupplierSuspended)
    assert event.supplier_id == distributor
    assert event.suspended_product_ids == (product.product_id,)
    assert [r.code for r in event.reasons] == ["LINK_EXPIRED"]
    assert "expired on 2026-06-30" in event.reasons[0].message
    [product_event] = catalog.uow.events_of(ProductSuspended)
    assert product_event.product_id == product.product_id
    # The owner sells nothing and still qualifies.
    assert suppliers.get_supplier(owner, catalog.uow, catalog.ctx())[0].status.value == "approved"


def test_recheck_twice_suspends_once(catalog):
    branded_world(catalog, valid_until="2026-06-30")
    recheck(catalog, "2026-07-01")
    assert recheck(catalog, "2026-07-02").suspended_supplier_ids == []
    assert len(catalog.uow.events_of(SupplierSuspended)) == 1
