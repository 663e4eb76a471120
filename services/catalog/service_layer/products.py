"""Handlers for products: listing (with every refusal reason) and searching."""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass

from cangpei.runtime.errors import AlreadyExists, InvalidArgument, NotFound
from services.catalog.domain import commands, validation
from services.catalog.domain.checks import Failure
from services.catalog.domain.events import ProductListed
from services.catalog.domain.principals import PrincipalKind
from services.catalog.domain.products import (
    OtherPlatformPrice,
    Product,
    ProductStatus,
    Shipping,
)
from services.catalog.service_layer.context import HandlerContext
from services.catalog.service_layer.ports import CatalogUnitOfWork, ProductFilter
from services.catalog.service_layer.product_rules import product_failures

MAX_BPS = 10_000  # 100 %
# Shipping needs real figures: weight and every dimension are required.
MAX_DIMENSION = 100_000_000  # grams or millimetres: 100 tonnes, 100 km


@dataclass(frozen=True)
class ListingOutcome:
    product: Product | None  # None when refused: nothing was written
    failures: list[Failure]


def _product_from(cmd: commands.ListProduct, ctx: HandlerContext) -> Product:
    config = ctx.config
    others = []
    if len(cmd.other_platform_prices) > config.max_other_platform_prices:
        raise InvalidArgument(
            f"other_platform_prices has {len(cmd.other_platform_prices)} entries; at most "
            f"{config.max_other_platform_prices} are allowed"
        )
    for index, other in enumerate(cmd.other_platform_prices):
        others.append(
            OtherPlatformPrice(
                platform=validation.required_text(
                    f"other_platform_prices[{index}].platform",
                    other.platform,
                    config.max_name_length,
                ),
                price_fen=validation.money_fen(
                    f"other_platform_prices[{index}].price_fen",
                    other.price_fen,
                    config.max_money_fen,
                ),
            )
        )
    return Product(
        product_id=ctx.new_id("prd"),
        supplier_id=validation.required_text("supplier_id", cmd.supplier_id, config.max_id_length),
        sku=validation.required_text("sku", cmd.sku, config.max_id_length),
        name=validation.required_text("name", cmd.name, config.max_name_length),
        brand_id=validation.optional_text("brand_id", cmd.brand_id, config.max_id_length),
        category=validation.required_text("category", cmd.category, config.max_name_length),
        price_fen=validation.money_fen(
            "price_fen", cmd.price_fen, config.max_money_fen, positive=True
        ),
        commission_bps=validation.non_negative_int("commission_bps", cmd.commission_bps, MAX_BPS),
        affiliate_commission_bps=validation.non_negative_int(
            "affiliate_commission_bps", cmd.affiliate_commission_bps, MAX_BPS
        ),
        other_platform_prices=tuple(others),
        shipping=Shipping(
            weight_grams=validation.positive_int("weight_grams", cmd.weight_grams, MAX_DIMENSION),
            length_mm=validation.positive_int("length_mm", cmd.length_mm, MAX_DIMENSION),
            width_mm=validation.positive_int("width_mm", cmd.width_mm, MAX_DIMENSION),
            height_mm=validation.positive_int("height_mm", cmd.height_mm, MAX_DIMENSION),
        ),
        listed_at=ctx.now(),
    )


def list_product(
    cmd: commands.ListProduct, uow: CatalogUnitOfWork, ctx: HandlerContext
) -> ListingOutcome:
    """List a product, or refuse it naming every rule it breaks.

    Listing again a SKU that was suspended re-examines it and, when it now passes,
    brings it back with the new details under the same product id.
    """
    product = _product_from(cmd, ctx)
    ctx.principal.require_supplier(product.supplier_id)
    # A shared lock: a suspension cannot slip in between the check and the insert, yet
    # one supplier's listings do not queue behind each other; two listings of the same
    # SKU meet at the unique constraint instead.
    supplier = uow.suppliers.get(product.supplier_id, for_share=True)
    if supplier is None:
        raise NotFound(f"supplier {product.supplier_id} does not exist")
    existing = uow.products.get_by_sku(product.supplier_id, product.sku)
    if existing is not None and existing.status is ProductStatus.ACTIVE:
        raise AlreadyExists(
            f"supplier {product.supplier_id} already lists SKU {product.sku} as product "
            f"{existing.product_id}"
        )
    failures = product_failures(uow, supplier, product, ctx.today(), ctx.config)
    if failures:
        return ListingOutcome(None, failures)
    if existing is not None:
        product.product_id = existing.product_id
        uow.products.save(product)
    else:
        uow.products.add(product)
    uow.publish(
        ProductListed(
            product_id=product.product_id,
            supplier_id=product.supplier_id,
            sku=product.sku,
            name=product.name,
            brand_id=product.brand_id,
            category=product.category,
            price_fen=product.price_fen,
            weight_grams=product.shipping.weight_grams,
            length_mm=product.shipping.length_mm,
            width_mm=product.shipping.width_mm,
            height_mm=product.shipping.height_mm,
        )
    )
    uow.commit()
    return ListingOutcome(product, [])


def get_product(product_id: str, uow: CatalogUnitOfWork, ctx: HandlerContext) -> Product:
    product_id = validation.required_text("product_id", product_id, ctx.config.max_id_length)
    product = uow.products.get(product_id)
    if product is None or (
        ctx.principal.kind is PrincipalKind.MEMBER and product.status is not ProductStatus.ACTIVE
    ):
        raise NotFound(f"product {product_id} does not exist")
    if ctx.principal.kind is PrincipalKind.SUPPLIER:
        ctx.principal.require_supplier(product.supplier_id)
    return product


@dataclass(frozen=True)
class ProductPage:
    products: list[Product]
    next_page_token: str


def search_products(
    cmd: commands.SearchProducts, uow: CatalogUnitOfWork, ctx: HandlerContext
) -> ProductPage:
    """Products by supplier, brand and category, in pages.

    Suppliers see only their own products; members (shop owners) see every active
    product, the catalogue they pick from; staff see everything.
    """
    config = ctx.config
    supplier_id = validation.optional_text("supplier_id", cmd.supplier_id, config.max_id_length)
    brand_id = validation.optional_text("brand_id", cmd.brand_id, config.max_id_length)
    category = validation.optional_text("category", cmd.category, config.max_name_length)
    if cmd.page_size < 0:
        raise InvalidArgument(f"page_size may not be negative, got {cmd.page_size}")
    page_size = min(cmd.page_size or config.default_page_size, config.max_page_size)
    after = _decode_page_token(cmd.page_token, config.max_id_length)
    principal = ctx.principal
    if principal.kind is PrincipalKind.SUPPLIER:
        supplier_id = supplier_id or principal.subject_id
        principal.require_supplier(supplier_id)
    where = ProductFilter(
        supplier_id=supplier_id,
        brand_id=brand_id,
        category=category,
        active_only=principal.kind is PrincipalKind.MEMBER,
    )
    # One extra row says whether another page exists without a count query.
    rows = uow.products.search(where, after, page_size + 1)
    page = rows[:page_size]
    token = _encode_page_token(page[-1].product_id) if len(rows) > page_size else ""
    return ProductPage(page, token)


def _encode_page_token(after_id: str) -> str:
    return base64.urlsafe_b64encode(f"after:{after_id}".encode()).decode()


def _decode_page_token(token: str, max_id_length: int) -> str:
    if not token:
        return ""
    problem = InvalidArgument(
        "page_token is not one this service issued; pass back next_page_token unchanged"
    )
    if len(token) > 4 * max_id_length:
        raise problem
    try:
        decoded = base64.urlsafe_b64decode(token.encode()).decode()
    except (binascii.Error, UnicodeDecodeError, ValueError) as exc:
        raise problem from exc
    if not decoded.startswith("after:"):
        raise problem
    return decoded.removeprefix("after:")
