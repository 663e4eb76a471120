"""In-memory implementations of the catalog's ports, for unit tests and benchmarks.

They copy on the way in and out, like a database would, so a handler that forgets to
save, or a refused command that mutated an object, behaves here as it would in SQL.
"""

from __future__ import annotations

import copy
import dataclasses
from collections.abc import Collection, Iterable

from services.catalog.domain.authorisations import Authorisation, Brand
from services.catalog.domain.chains import InMemoryLinks
from services.catalog.domain.events import Event
from services.catalog.domain.principals import IssuedToken
from services.catalog.domain.products import Product, ProductStatus
from services.catalog.domain.shops import Listing, Member, Shop
from services.catalog.domain.suppliers import DepositEntry, Supplier, SupplierStatus
from services.catalog.domain.vouchers import PurchaseVoucher
from services.catalog.service_layer.ports import ProductFilter


class _Store:
    def __init__(self) -> None:
        self.rows: dict = {}

    def put(self, key: object, value: object) -> None:
        self.rows[key] = copy.deepcopy(value)

    def take(self, key: object) -> object | None:
        value = self.rows.get(key)
        return copy.deepcopy(value)


class MemorySuppliers(_Store):
    def add(self, supplier: Supplier) -> None:
        assert supplier.supplier_id not in self.rows
        self.put(supplier.supplier_id, supplier)

    def get(
        self, supplier_id: str, *, for_update: bool = False, for_share: bool = False
    ) -> Supplier | None:
        return self.take(supplier_id)  # type: ignore[return-value]

    def save(self, supplier: Supplier) -> None:
        self.put(supplier.supplier_id, supplier)

    def approved_ids(self) -> list[str]:
        return sorted(k for k, s in self.rows.items() if s.status is SupplierStatus.APPROVED)


class MemoryDeposits:
    def __init__(self) -> None:
        self.rows: list[DepositEntry] = []

    def add(self, entry: DepositEntry) -> None:
        self.rows.append(entry)

    def entries(self, supplier_id: str) -> list[DepositEntry]:
        return [e for e in self.rows if e.supplier_id == supplier_id]


class MemoryBrands(_Store):
    def add(self, brand: Brand) -> None:
        self.put(brand.brand_id, brand)

    def get(self, brand_id: str) -> Brand | None:
        return self.take(brand_id)  # type: ignore[return-value]

    def get_by_name(self, name: str) -> Brand | None:
        return next((b for b in self.rows.values() if b.name == name), None)


class MemoryAuthorisations:
    def __init__(self) -> None:
        self.links = InMemoryLinks()
        self.rows: list[Authorisation] = []

    def add(self, link: Authorisation) -> None:
        self.rows.append(link)
        self._reindex()

    def get(self, authorisation_id: str) -> Authorisation | None:
        return next((a for a in self.rows if a.authorisation_id == authorisation_id), None)

    def confirm(self, authorisation_id: str) -> None:
        self.rows = [
            dataclasses.replace(a, confirmed=True) if a.authorisation_id == authorisation_id else a
            for a in self.rows
        ]
        self._reindex()

    def _reindex(self) -> None:
        self.links = InMemoryLinks(self.rows)

    def granted_to(self, brand_id: str, grantee_ids: Collection[str]) -> Iterable[Authorisation]:
        return list(self.links.granted_to(brand_id, grantee_ids))


class MemoryVouchers:
    def __init__(self) -> None:
        self.rows: list[PurchaseVoucher] = []

    def add(self, voucher: PurchaseVoucher) -> None:
        self.rows.append(voucher)

    def for_product(self, supplier_id: str, sku: str) -> list[PurchaseVoucher]:
        return [v for v in self.rows if v.supplier_id == supplier_id and v.sku == sku]


class MemoryProducts(_Store):
    def add(self, product: Product) -> None:
        assert product.product_id not in self.rows
        self.put(product.product_id, product)

    def get(self, product_id: str) -> Product | None:
        return self.take(product_id)  # type: ignore[return-value]

    def get_by_sku(self, supplier_id: str, sku: str) -> Product | None:
        for product in self.rows.values():
            if product.supplier_id == supplier_id and product.sku == sku:
                return copy.deepcopy(product)
        return None

    def save(self, product: Product) -> None:
        self.put(product.product_id, product)

    def search(self, where: ProductFilter, after_id: str, limit: int) -> list[Product]:
        found = [
            copy.deepcopy(p)
            for key, p in sorted(self.rows.items())
            if key > after_id
            and (not where.supplier_id or p.supplier_id == where.supplier_id)
            and (not where.brand_id or p.brand_id == where.brand_id)
            and (not where.category or p.category == where.category)
            and (not where.active_only or p.status is ProductStatus.ACTIVE)
        ]
        return found[:limit]


class MemoryMembers(_Store):
    def get(self, member_id: str, *, for_update: bool = False) -> Member | None:
        return self.take(member_id)  # type: ignore[return-value]

    def save(self, member: Member) -> None:
        self.put(member.member_id, member)


class MemoryShops(_Store):
    def add(self, shop: Shop) -> None:
        self.put(shop.shop_id, shop)

    def get(self, shop_id: str, *, for_update: bool = False) -> Shop | None:
        return self.take(shop_id)  # type: ignore[return-value]

    def save(self, shop: Shop) -> None:
        self.put(shop.shop_id, shop)

    def count_owned_by(self, member_id: str) -> int:
        return sum(1 for s in self.rows.values() if s.owner_id == member_id)

    def all_ids(self) -> list[str]:
        return sorted(self.rows)


class MemoryListings(_Store):
    def add(self, listing: Listing) -> None:
        self.put((listing.shop_id, listing.product_id), listing)

    def get(self, shop_id: str, product_id: str) -> Listing | None:
        return self.take((shop_id, product_id))  # type: ignore[return-value]

    def save(self, listing: Listing) -> None:
        self.add(listing)

    def remove(self, shop_id: str, product_id: str) -> None:
        del self.rows[(shop_id, product_id)]

    def count_for_shop(self, shop_id: str) -> int:
        return sum(1 for key in self.rows if key[0] == shop_id)

    def for_shop(self, shop_id: str) -> list[Listing]:
        return [copy.deepcopy(v) for k, v in sorted(self.rows.items()) if k[0] == shop_id]


class MemorySales:
    def __init__(self) -> None:
        self.rows: dict[tuple[str, str], int] = {}

    def record(self, shop_id: str, month: str, sales_fen: int) -> None:
        self.rows[(shop_id, month)] = sales_fen

    def for_month(self, month: str) -> dict[str, int]:
        return {shop: fen for (shop, m), fen in self.rows.items() if m == month}


class MemoryTokens:
    def __init__(self) -> None:
        self.rows: dict[str, IssuedToken] = {}

    def add(self, token: IssuedToken) -> None:
        self.rows[token.digest] = token

    def find(self, digest: str) -> IssuedToken | None:
        return self.rows.get(digest)

    def revoke(self, token_id: str) -> bool:
        for digest, token in list(self.rows.items()):
            if token.token_id == token_id:
                del self.rows[digest]
                return True
        return False


class MemoryUnitOfWork:
    """State survives across commands; events count only once committed."""

    def __init__(self) -> None:
        self.suppliers = MemorySuppliers()
        self.deposits = MemoryDeposits()
        self.brands = MemoryBrands()
        self.authorisations = MemoryAuthorisations()
        self.vouchers = MemoryVouchers()
        self.products = MemoryProducts()
        self.members = MemoryMembers()
        self.shops = MemoryShops()
        self.listings = MemoryListings()
        self.sales = MemorySales()
        self.tokens = MemoryTokens()
        self.pending: list[Event] = []
        self.events: list[Event] = []
        self.commits = 0

    def publish(self, event: Event) -> None:
        self.pending.append(event)

    def commit(self) -> None:
        self.events.extend(self.pending)
        self.pending.clear()
        self.commits += 1

    def events_of(self, kind: type) -> list:
        return [e for e in self.events if isinstance(e, kind)]
