"""SQL implementations of the catalog's ports, over one SQLAlchemy session."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterable
from typing import Any

from sqlalchemy import Row, func, select
from sqlalchemy.orm import Session

from services.catalog.adapters import tables as t
from services.catalog.domain.authorisations import Authorisation, Brand
from services.catalog.domain.principals import IssuedToken, Principal, PrincipalKind
from services.catalog.domain.products import (
    OtherPlatformPrice,
    Product,
    ProductStatus,
    Shipping,
)
from services.catalog.domain.shops import Listing, Member, Shop, ShopTier
from services.catalog.domain.suppliers import (
    DepositEntry,
    DepositEntryKind,
    Qualification,
    Supplier,
    SupplierKind,
    SupplierStatus,
    TaxStatus,
)
from services.catalog.domain.vouchers import PurchaseVoucher
from services.catalog.service_layer.ports import ProductFilter


def _aware(moment: dt.datetime | None) -> dt.datetime | None:
    """SQLite hands back naive datetimes; every stored time is UTC."""
    if moment is not None and moment.tzinfo is None:
        return moment.replace(tzinfo=dt.UTC)
    return moment


def _upsert(session: Session, table: Any, keys: list[str], values: dict[str, Any]) -> None:
    """Insert or update in one statement, so two writers cannot both insert."""
    if session.get_bind().dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    statement = insert(table).values(**values)
    statement = statement.on_conflict_do_update(
        index_elements=keys, set_={k: v for k, v in values.items() if k not in keys}
    )
    session.execute(statement)


class SqlSuppliers:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, supplier: Supplier) -> None:
        self.session.execute(t.suppliers.insert().values(**self._row(supplier)))

    def get(
        self, supplier_id: str, *, for_update: bool = False, for_share: bool = False
    ) -> Supplier | None:
        query = select(t.suppliers).where(t.suppliers.c.supplier_id == supplier_id)
        if for_update:
            query = query.with_for_update()
        elif for_share:
            query = query.with_for_update(read=True)
        row = self.session.execute(query).first()
        return None if row is None else self._supplier(row)

    def save(self, supplier: Supplier) -> None:
        values = self._row(supplier)
        values.pop("created_at")
        self.session.execute(
            t.suppliers.update()
            .where(t.suppliers.c.supplier_id == supplier.supplier_id)
            .values(**values)
        )

    def approved_ids(self) -> list[str]:
        query = (
            select(t.suppliers.c.supplier_id)
            .where(t.suppliers.c.status == SupplierStatus.APPROVED.value)
            .order_by(t.suppliers.c.supplier_id)
        )
        return list(self.session.execute(query).scalars())

    @staticmethod
    def _row(supplier: Supplier) -> dict[str, Any]:
        q = supplier.qualification
        return dict(
            supplier_id=supplier.supplier_id,
            name=supplier.name,
            kind=supplier.kind.value,
            status=supplier.status.value,
            status_reason=supplier.status_reason,
            registered_capital_fen=q.registered_capital_fen if q else None,
            tax_status=q.tax_status.value if q else None,
            licence_number=q.licence_number if q else None,
            created_at=supplier.created_at,
        )

    @staticmethod
    def _supplier(row: Row[Any]) -> Supplier:
        qualification = None
        if row.tax_status is not None:
            qualification = Qualification(
                row.registered_capital_fen, TaxStatus(row.tax_status), row.licence_number
            )
        return Supplier(
            supplier_id=row.supplier_id,
            name=row.name,
            kind=SupplierKind(row.kind),
            status=SupplierStatus(row.status),
            qualification=qualification,
            status_reason=row.status_reason,
            created_at=_aware(row.created_at),
        )


class SqlDeposits:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, entry: DepositEntry) -> None:
        self.session.execute(
            t.deposit_entries.insert().values(
                entry_id=entry.entry_id,
                supplier_id=entry.supplier_id,
                kind=entry.kind.value,
                amount_fen=entry.amount_fen,
                reference=entry.reference,
                recorded_at=entry.recorded_at,
            )
        )

    def entries(self, supplier_id: str) -> list[DepositEntry]:
        query = (
            select(t.deposit_entries)
            .where(t.deposit_entries.c.supplier_id == supplier_id)
            .order_by(t.deposit_entries.c.recorded_at, t.deposit_entries.c.entry_id)
        )
        return [
            DepositEntry(
                row.entry_id,
                row.supplier_id,
                DepositEntryKind(row.kind),
                row.amount_fen,
                row.reference,
                _aware(row.recorded_at),
            )
            for row in self.session.execute(query)
        ]


class SqlBrands:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, brand: Brand) -> None:
        self.session.execute(
            t.brands.insert().values(
                brand_id=brand.brand_id, name=brand.name, owner_id=brand.owner_id
            )
        )

    def get(self, brand_id: str) -> Brand | None:
        return self._one(t.brands.c.brand_id == brand_id)

    def get_by_name(self, name: str) -> Brand | None:
        return self._one(t.brands.c.name == name)

    def _one(self, condition: Any) -> Brand | None:
        row = self.session.execute(select(t.brands).where(condition)).first()
        return None if row is None else Brand(row.brand_id, row.name, row.owner_id)


class SqlAuthorisations:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, link: Authorisation) -> None:
        self.session.execute(
            t.authorisations.insert().values(
                authorisation_id=link.authorisation_id,
                brand_id=link.brand_id,
                grantor_id=link.grantor_id,
                grantee_id=link.grantee_id,
                categories=sorted(link.categories),
                valid_from=link.valid_from,
                valid_until=link.valid_until,
                confirmed=link.confirmed,
            )
        )

    def get(self, authorisation_id: str) -> Authorisation | None:
        query = select(t.authorisations).where(
            t.authorisations.c.authorisation_id == authorisation_id
        )
        row = self.session.execute(query).first()
        return None if row is None else self._link(row)

    def confirm(self, authorisation_id: str) -> None:
        self.session.execute(
            t.authorisations.update()
            .where(t.authorisations.c.authorisation_id == authorisation_id)
            .values(confirmed=True)
        )

    @staticmethod
    def _link(row: Row[Any]) -> Authorisation:
        return Authorisation(
            row.authorisation_id,
            row.brand_id,
            row.grantor_id,
            row.grantee_id,
            frozenset(row.categories),
            row.valid_from,
            row.valid_until,
            row.confirmed,
        )

    def granted_to(self, brand_id: str, grantee_ids: Collection[str]) -> Iterable[Authorisation]:
        grantees = list(grantee_ids)
        found: list[Authorisation] = []
        # Bounded IN lists keep every statement within the drivers' parameter limits.
        for start in range(0, len(grantees), 500):
            query = select(t.authorisations).where(
                t.authorisations.c.brand_id == brand_id,
                t.authorisations.c.grantee_id.in_(grantees[start : start + 500]),
            )
            found.extend(self._link(row) for row in self.session.execute(query))
        return found


class SqlVouchers:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, voucher: PurchaseVoucher) -> None:
        self.session.execute(
            t.purchase_vouchers.insert().values(
                voucher_id=voucher.voucher_id,
                supplier_id=voucher.supplier_id,
                sku=voucher.sku,
                seller_id=voucher.seller_id,
                buyer_id=voucher.buyer_id,
                seller_is_manufacturer=voucher.seller_is_manufacturer,
                invoice_number=voucher.invoice_number,
                issued_on=voucher.issued_on,
            )
        )

    def for_product(self, supplier_id: str, sku: str) -> list[PurchaseVoucher]:
        query = select(t.purchase_vouchers).where(
            t.purchase_vouchers.c.supplier_id == supplier_id, t.purchase_vouchers.c.sku == sku
        )
        return [
            PurchaseVoucher(
                row.voucher_id,
                row.supplier_id,
                row.sku,
                row.seller_id,
                row.buyer_id,
                row.seller_is_manufacturer,
                row.invoice_number,
                row.issued_on,
            )
            for row in self.session.execute(query)
        ]


class SqlProducts:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, product: Product) -> None:
        self.session.execute(t.products.insert().values(**self._row(product)))

    def get(self, product_id: str) -> Product | None:
        return self._one(t.products.c.product_id == product_id)

    def get_by_sku(self, supplier_id: str, sku: str) -> Product | None:
        return self._one((t.products.c.supplier_id == supplier_id) & (t.products.c.sku == sku))

    def save(self, product: Product) -> None:
        self.session.execute(
            t.products.update()
            .where(t.products.c.product_id == product.product_id)
            .values(**self._row(product))
        )

    def search(self, where: ProductFilter, after_id: str, limit: int) -> list[Product]:
        c = t.products.c
        query = select(t.products).where(c.product_id > after_id)
        if where.supplier_id:
            query = query.where(c.supplier_id == where.supplier_id)
        if where.brand_id:
            query = query.where(c.brand_id == where.brand_id)
        if where.category:
            query = query.where(c.category == where.category)
        if where.active_only:
            query = query.where(c.status == ProductStatus.ACTIVE.value)
        query = query.order_by(c.product_id).limit(limit)
        return [self._product(row) for row in self.session.execute(query)]

    def _one(self, condition: Any) -> Product | None:
        row = self.session.execute(select(t.products).where(condition)).first()
        return None if row is None else self._product(row)

    @staticmethod
    def _row(product: Product) -> dict[str, Any]:
        return dict(
            product_id=product.product_id,
            supplier_id=product.supplier_id,
            sku=product.sku,
            name=product.name,
            brand_id=product.brand_id,
            category=product.category,
            price_fen=product.price_fen,
            commission_bps=product.commission_bps,
            affiliate_commission_bps=product.affiliate_commission_bps,
            other_platform_prices=[
                {"platform": o.platform, "price_fen": o.price_fen}
                for o in product.other_platform_prices
            ],
            weight_grams=product.shipping.weight_grams,
            length_mm=product.shipping.length_mm,
            width_mm=product.shipping.width_mm,
            height_mm=product.shipping.height_mm,
            status=product.status.value,
            status_reason=product.status_reason,
            listed_at=product.listed_at,
        )

    @staticmethod
    def _product(row: Row[Any]) -> Product:
        return Product(
            product_id=row.product_id,
            supplier_id=row.supplier_id,
            sku=row.sku,
            name=row.name,
            brand_id=row.brand_id,
            category=row.category,
            price_fen=row.price_fen,
            commission_bps=row.commission_bps,
            affiliate_commission_bps=row.affiliate_commission_bps,
            other_platform_prices=tuple(
                OtherPlatformPrice(o["platform"], int(o["price_fen"]))
                for o in row.other_platform_prices
            ),
            shipping=Shipping(row.weight_grams, row.length_mm, row.width_mm, row.height_mm),
            status=ProductStatus(row.status),
            status_reason=row.status_reason,
            listed_at=_aware(row.listed_at),
        )


class SqlMembers:
    def __init__(self, session: Session) -> None:
        self.session = session

    def get(self, member_id: str, *, for_update: bool = False) -> Member | None:
        query = select(t.members).where(t.members.c.member_id == member_id)
        if for_update:
            query = query.with_for_update()
        row = self.session.execute(query).first()
        return None if row is None else Member(row.member_id, row.credit_score, row.proven_operator)

    def save(self, member: Member) -> None:
        _upsert(
            self.session,
            t.members,
            ["member_id"],
            dict(
                member_id=member.member_id,
                credit_score=member.credit_score,
                proven_operator=member.proven_operator,
            ),
        )


class SqlShops:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, shop: Shop) -> None:
        self.session.execute(
            t.shops.insert().values(
                shop_id=shop.shop_id,
                owner_id=shop.owner_id,
                name=shop.name,
                tier=shop.tier.value,
                opened_at=shop.opened_at,
            )
        )

    def get(self, shop_id: str, *, for_update: bool = False) -> Shop | None:
        query = select(t.shops).where(t.shops.c.shop_id == shop_id)
        if for_update:
            query = query.with_for_update()
        row = self.session.execute(query).first()
        if row is None:
            return None
        return Shop(row.shop_id, row.owner_id, row.name, ShopTier(row.tier), _aware(row.opened_at))

    def save(self, shop: Shop) -> None:
        self.session.execute(
            t.shops.update()
            .where(t.shops.c.shop_id == shop.shop_id)
            .values(name=shop.name, tier=shop.tier.value)
        )

    def count_owned_by(self, member_id: str) -> int:
        query = select(func.count()).select_from(t.shops).where(t.shops.c.owner_id == member_id)
        return self.session.execute(query).scalar_one()

    def all_ids(self) -> list[str]:
        query = select(t.shops.c.shop_id).order_by(t.shops.c.shop_id)
        return list(self.session.execute(query).scalars())


class SqlListings:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, listing: Listing) -> None:
        self.session.execute(
            t.listings.insert().values(
                shop_id=listing.shop_id,
                product_id=listing.product_id,
                recommendation=listing.recommendation,
            )
        )

    def get(self, shop_id: str, product_id: str) -> Listing | None:
        row = self.session.execute(
            select(t.listings).where(
                t.listings.c.shop_id == shop_id, t.listings.c.product_id == product_id
            )
        ).first()
        return None if row is None else Listing(row.shop_id, row.product_id, row.recommendation)

    def save(self, listing: Listing) -> None:
        self.session.execute(
            t.listings.update()
            .where(
                t.listings.c.shop_id == listing.shop_id,
                t.listings.c.product_id == listing.product_id,
            )
            .values(recommendation=listing.recommendation)
        )

    def remove(self, shop_id: str, product_id: str) -> None:
        self.session.execute(
            t.listings.delete().where(
                t.listings.c.shop_id == shop_id, t.listings.c.product_id == product_id
            )
        )

    def for_shop(self, shop_id: str) -> list[Listing]:
        query = (
            select(t.listings)
            .where(t.listings.c.shop_id == shop_id)
            .order_by(t.listings.c.product_id)
        )
        return [
            Listing(row.shop_id, row.product_id, row.recommendation)
            for row in self.session.execute(query)
        ]

    def count_for_shop(self, shop_id: str) -> int:
        query = select(func.count()).select_from(t.listings).where(t.listings.c.shop_id == shop_id)
        return self.session.execute(query).scalar_one()


class SqlSales:
    def __init__(self, session: Session) -> None:
        self.session = session

    def record(self, shop_id: str, month: str, sales_fen: int) -> None:
        _upsert(
            self.session,
            t.shop_sales,
            ["shop_id", "month"],
            dict(shop_id=shop_id, month=month, sales_fen=sales_fen),
        )

    def for_month(self, month: str) -> dict[str, int]:
        query = select(t.shop_sales.c.shop_id, t.shop_sales.c.sales_fen).where(
            t.shop_sales.c.month == month
        )
        return {row.shop_id: row.sales_fen for row in self.session.execute(query)}


class SqlTokens:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, token: IssuedToken) -> None:
        self.session.execute(
            t.tokens.insert().values(
                token_id=token.token_id,
                digest=token.digest,
                kind=token.principal.kind.value,
                subject_id=token.principal.subject_id,
            )
        )

    def revoke(self, token_id: str) -> bool:
        deleted = self.session.execute(t.tokens.delete().where(t.tokens.c.token_id == token_id))
        return bool(deleted.rowcount)

    def find(self, digest: str) -> IssuedToken | None:
        row = self.session.execute(select(t.tokens).where(t.tokens.c.digest == digest)).first()
        if row is None:
            return None
        return IssuedToken(
            row.token_id, row.digest, Principal(PrincipalKind(row.kind), row.subject_id)
        )
