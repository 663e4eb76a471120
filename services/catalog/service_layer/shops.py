"""Handlers for members, shops, listings, sales figures and the monthly tier job."""

from __future__ import annotations

from dataclasses import dataclass

from cangpei.runtime.errors import AlreadyExists, FailedPrecondition, NotFound
from services.catalog.domain import commands, validation
from services.catalog.domain.checks import describe
from services.catalog.domain.events import ShopOpened, ShopTierChanged
from services.catalog.domain.principals import Principal, PrincipalKind
from services.catalog.domain.products import ProductStatus
from services.catalog.domain.shops import (
    Listing,
    Member,
    Shop,
    ShopTier,
    full_shop_name,
    shop_opening_failures,
    tier_for_sales,
)
from services.catalog.domain.suppliers import SupplierStatus
from services.catalog.service_layer.access import NewToken, mint_token
from services.catalog.service_layer.context import HandlerContext
from services.catalog.service_layer.ports import CatalogUnitOfWork

MAX_CREDIT_SCORE = 1_000


def upsert_member(
    cmd: commands.UpsertMember, uow: CatalogUnitOfWork, ctx: HandlerContext
) -> tuple[Member, NewToken | None]:
    """Staff record a member's credit score and whether it is a proven operator."""
    config = ctx.config
    member = Member(
        member_id=validation.required_text("member_id", cmd.member_id, config.max_id_length),
        credit_score=validation.non_negative_int(
            "credit_score", cmd.credit_score, MAX_CREDIT_SCORE
        ),
        proven_operator=bool(cmd.proven_operator),
    )
    ctx.principal.require_staff("record members' credit scores")
    uow.members.save(member)
    token = None
    if cmd.issue_token:
        token = mint_token(Principal(PrincipalKind.MEMBER, member.member_id), uow, ctx)
    uow.commit()
    return member, token


def open_shop(cmd: commands.OpenShop, uow: CatalogUnitOfWork, ctx: HandlerContext) -> Shop:
    config = ctx.config
    member_id = validation.required_text("member_id", cmd.member_id, config.max_id_length)
    requested = validation.required_text("name", cmd.name, config.max_name_length)
    ctx.principal.require_member(member_id)
    # Locking the member serialises its shop openings, so "one shop" holds under races.
    member = uow.members.get(member_id, for_update=True)
    if member is None:
        raise NotFound(
            f"member {member_id} is unknown: its credit score must be recorded before it "
            f"opens a shop"
        )
    failures = shop_opening_failures(member, requested, uow.shops.count_owned_by(member_id), config)
    if failures:
        raise FailedPrecondition(f"shop not opened: {describe(failures)}")
    shop = Shop(
        shop_id=ctx.new_id("shp"),
        owner_id=member_id,
        name=full_shop_name(requested, config),
        opened_at=ctx.now(),
    )
    uow.shops.add(shop)
    uow.publish(ShopOpened(shop.shop_id, shop.owner_id, shop.name))
    uow.commit()
    return shop


def load_shop(
    uow: CatalogUnitOfWork, shop_id: str, ctx: HandlerContext, *, for_update: bool = False
) -> Shop:
    shop_id = validation.required_text("shop_id", shop_id, ctx.config.max_id_length)
    shop = uow.shops.get(shop_id, for_update=for_update)
    if shop is None:
        raise NotFound(f"shop {shop_id} does not exist")
    ctx.principal.require_member(shop.owner_id)
    return shop


def add_listing(cmd: commands.AddListing, uow: CatalogUnitOfWork, ctx: HandlerContext) -> Listing:
    """A shop picks an approved product; it may add a recommendation, never edit it."""
    config = ctx.config
    product_id = validation.required_text("product_id", cmd.product_id, config.max_id_length)
    recommendation = validation.optional_text(
        "recommendation", cmd.recommendation, config.max_text_length
    )
    # The shop row lock serialises listings, so the limit holds under concurrent adds.
    shop = load_shop(uow, cmd.shop_id, ctx, for_update=True)
    product = uow.products.get(product_id)
    if product is None:
        raise NotFound(f"product {product_id} does not exist")
    supplier = uow.suppliers.get(product.supplier_id, for_share=True)
    if product.status is not ProductStatus.ACTIVE or (
        supplier is None or supplier.status is not SupplierStatus.APPROVED
    ):
        raise FailedPrecondition(
            f"product {product_id} is not approved for sale (product {product.status.value}, "
            f"supplier {supplier.status.value if supplier else 'missing'}); pick another"
        )
    if uow.listings.get(shop.shop_id, product_id) is not None:
        raise AlreadyExists(f"shop {shop.shop_id} already lists product {product_id}")
    listed = uow.listings.count_for_shop(shop.shop_id)
    if listed >= config.max_listings_per_shop:
        raise FailedPrecondition(
            f"shop {shop.shop_id} already lists {listed:,} products, the most a shop may "
            f"list ({config.max_listings_per_shop:,}); remove one first"
        )
    listing = Listing(shop.shop_id, product_id, recommendation)
    uow.listings.add(listing)
    uow.commit()
    return listing


def update_recommendation(
    cmd: commands.UpdateRecommendation, uow: CatalogUnitOfWork, ctx: HandlerContext
) -> Listing:
    config = ctx.config
    product_id = validation.required_text("product_id", cmd.product_id, config.max_id_length)
    recommendation = validation.optional_text(
        "recommendation", cmd.recommendation, config.max_text_length
    )
    shop = load_shop(uow, cmd.shop_id, ctx)
    if uow.listings.get(shop.shop_id, product_id) is None:
        raise NotFound(f"shop {shop.shop_id} does not list product {product_id}")
    listing = Listing(shop.shop_id, product_id, recommendation)
    uow.listings.save(listing)
    uow.commit()
    return listing


def remove_listing(
    cmd: commands.RemoveListing, uow: CatalogUnitOfWork, ctx: HandlerContext
) -> None:
    product_id = validation.required_text("product_id", cmd.product_id, ctx.config.max_id_length)
    shop = load_shop(uow, cmd.shop_id, ctx)
    if uow.listings.get(shop.shop_id, product_id) is None:
        raise NotFound(f"shop {shop.shop_id} does not list product {product_id}")
    uow.listings.remove(shop.shop_id, product_id)
    uow.commit()


def record_shop_sales(
    cmd: commands.RecordShopSales, uow: CatalogUnitOfWork, ctx: HandlerContext
) -> None:
    """Staff feed a shop's sales for a month (replacing any earlier figure)."""
    config = ctx.config
    month = validation.month("month", cmd.month)
    sales = validation.money_fen("sales_fen", cmd.sales_fen, config.max_money_fen)
    ctx.principal.require_staff("record shop sales")
    shop_id = validation.required_text("shop_id", cmd.shop_id, config.max_id_length)
    if uow.shops.get(shop_id) is None:
        raise NotFound(f"shop {shop_id} does not exist")
    uow.sales.record(shop_id, month, sales)
    uow.commit()


@dataclass(frozen=True)
class TierChange:
    shop_id: str
    previous: ShopTier
    tier: ShopTier
    sales_fen: int


def recompute_tiers(
    cmd: commands.RecomputeTiers, uow: CatalogUnitOfWork, ctx: HandlerContext
) -> list[TierChange]:
    """The monthly job: every shop's tier from its sales in ``month``; a shop with no
    figure for the month had no sales."""
    month = validation.month("month", cmd.month)
    ctx.principal.require_staff("recompute shop tiers")
    sales = uow.sales.for_month(month)
    changes = []
    for shop_id in uow.shops.all_ids():
        shop = uow.shops.get(shop_id, for_update=True)
        assert shop is not None
        amount = sales.get(shop_id, 0)
        tier = tier_for_sales(amount, ctx.config)
        if tier is shop.tier:
            continue
        changes.append(TierChange(shop_id, shop.tier, tier, amount))
        uow.publish(ShopTierChanged(shop_id, month, shop.tier.value, tier.value, amount))
        shop.tier = tier
        uow.shops.save(shop)
    uow.commit()
    return changes


def get_shop(shop_id: str, uow: CatalogUnitOfWork, ctx: HandlerContext) -> tuple[Shop, int]:
    """The shop and how many products it lists; for its owner and staff."""
    shop = load_shop(uow, shop_id, ctx)
    return shop, uow.listings.count_for_shop(shop.shop_id)


def shop_listings(shop_id: str, uow: CatalogUnitOfWork, ctx: HandlerContext) -> list[Listing]:
    """Everything a shop lists (at most the listing limit, so no paging)."""
    shop = load_shop(uow, shop_id, ctx)
    return uow.listings.for_shop(shop.shop_id)
