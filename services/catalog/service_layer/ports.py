"""The ports the handlers need: repositories and a unit of work.

Adapters implement them over SQLAlchemy (adapters/repositories.py); unit tests use the
in-memory fakes in tests/unit/catalog. Repositories hand out copies: a change reaches the
store only through ``save``, so a refused command leaves nothing behind.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass
from typing import Protocol

from services.catalog.domain.authorisations import Authorisation, Brand
from services.catalog.domain.events import Event
from services.catalog.domain.principals import IssuedToken
from services.catalog.domain.products import Product
from services.catalog.domain.shops import Listing, Member, Shop
from services.catalog.domain.suppliers import DepositEntry, Supplier
from services.catalog.domain.vouchers import PurchaseVoucher


@dataclass(frozen=True)
class ProductFilter:
    supplier_id: str = ""
    brand_id: str = ""
    category: str = ""
    active_only: bool = False


class SupplierRepository(Protocol):
    def add(self, supplier: Supplier) -> None: ...
    def get(
        self, supplier_id: str, *, for_update: bool = False, for_share: bool = False
    ) -> Supplier | None:
        """``for_update`` locks the row against other writers; ``for_share`` only against
        status changes, so many listings of one supplier can proceed side by side."""
        ...

    def save(self, supplier: Supplier) -> None: ...
    def approved_ids(self) -> list[str]: ...


class DepositLedger(Protocol):
    def add(self, entry: DepositEntry) -> None: ...
    def entries(self, supplier_id: str) -> list[DepositEntry]: ...


class BrandRepository(Protocol):
    def add(self, brand: Brand) -> None: ...
    def get(self, brand_id: str) -> Brand | None: ...
    def get_by_name(self, name: str) -> Brand | None: ...


class AuthorisationRepository(Protocol):
    def add(self, link: Authorisation) -> None: ...
    def get(self, authorisation_id: str) -> Authorisation | None: ...
    def confirm(self, authorisation_id: str) -> None: ...
    def granted_to(
        self, brand_id: str, grantee_ids: Collection[str]
    ) -> Iterable[Authorisation]: ...


class VoucherRepository(Protocol):
    def add(self, voucher: PurchaseVoucher) -> None: ...
    def for_product(self, supplier_id: str, sku: str) -> list[PurchaseVoucher]: ...


class ProductRepository(Protocol):
    def add(self, product: Product) -> None: ...
    def get(self, product_id: str) -> Product | None: ...
    def get_by_sku(self, supplier_id: str, sku: str) -> Product | None: ...
    def save(self, product: Product) -> None: ...
    def search(self, where: ProductFilter, after_id: str, limit: int) -> list[Product]:
        """Matching products ordered by product id, those after ``after_id`` only."""
        ...


class MemberRepository(Protocol):
    def get(self, member_id: str, *, for_update: bool = False) -> Member | None: ...
    def save(self, member: Member) -> None:
        """Insert or update."""
        ...


class ShopRepository(Protocol):
    def add(self, shop: Shop) -> None: ...
    def get(self, shop_id: str, *, for_update: bool = False) -> Shop | None: ...
    def save(self, shop: Shop) -> None: ...
    def count_owned_by(self, member_id: str) -> int: ...
    def all_ids(self) -> list[str]: ...


class ListingRepository(Protocol):
    def add(self, listing: Listing) -> None: ...
    def get(self, shop_id: str, product_id: str) -> Listing | None: ...
    def save(self, listing: Listing) -> None: ...
    def remove(self, shop_id: str, product_id: str) -> None: ...
    def count_for_shop(self, shop_id: str) -> int: ...
    def for_shop(self, shop_id: str) -> list[Listing]: ...


class SalesRepository(Protocol):
    def record(self, shop_id: str, month: str, sales_fen: int) -> None:
        """Set (not add to) the shop's sales for the month."""
        ...

    def for_month(self, month: str) -> dict[str, int]: ...


class TokenRepository(Protocol):
    def add(self, token: IssuedToken) -> None: ...
    def find(self, digest: str) -> IssuedToken | None: ...
    def revoke(self, token_id: str) -> bool:
        """Forget the token; False when there was none with that id."""
        ...


class CatalogUnitOfWork(Protocol):
    suppliers: SupplierRepository
    deposits: DepositLedger
    brands: BrandRepository
    authorisations: AuthorisationRepository
    vouchers: VoucherRepository
    products: ProductRepository
    members: MemberRepository
    shops: ShopRepository
    listings: ListingRepository
    sales: SalesRepository
    tokens: TokenRepository

    def publish(self, event: Event) -> None:
        """Queue an event; it leaves only if the unit of work commits."""
        ...

    def commit(self) -> None: ...
