"""Domain events as the protobuf messages and subjects they travel under on NATS."""

from __future__ import annotations

from google.protobuf.message import Message

from cangpei.catalog.v1 import catalog_pb2 as pb
from services.catalog.domain import events as ev
from services.catalog.domain.checks import Failure

SUPPLIER_KINDS = {
    "brand_owner": pb.SUPPLIER_KIND_BRAND_OWNER,
    "distributor": pb.SUPPLIER_KIND_DISTRIBUTOR,
    "factory": pb.SUPPLIER_KIND_FACTORY,
    "channel_merchant": pb.SUPPLIER_KIND_CHANNEL_MERCHANT,
}
SHOP_TIERS = {
    "new": pb.SHOP_TIER_NEW,
    "senior": pb.SHOP_TIER_SENIOR,
    "elite": pb.SHOP_TIER_ELITE,
    "super": pb.SHOP_TIER_SUPER,
}


def failures_pb(failures: tuple[Failure, ...] | list[Failure]) -> list[pb.Failure]:
    return [pb.Failure(code=f.code, message=f.message) for f in failures]


def to_message(event: ev.Event) -> tuple[str, Message]:
    """The subject and message for ``event``; subjects are catalog.<aggregate>.<event>."""
    match event:
        case ev.SupplierApproved():
            return "catalog.supplier.approved", pb.SupplierApproved(
                supplier_id=event.supplier_id, name=event.name, kind=SUPPLIER_KINDS[event.kind]
            )
        case ev.SupplierRejected():
            return "catalog.supplier.rejected", pb.SupplierRejected(
                supplier_id=event.supplier_id, failures=failures_pb(event.failures)
            )
        case ev.SupplierSuspended():
            return "catalog.supplier.suspended", pb.SupplierSuspended(
                supplier_id=event.supplier_id,
                reasons=failures_pb(event.reasons),
                suspended_product_ids=list(event.suspended_product_ids),
            )
        case ev.ProductListed():
            return "catalog.product.listed", pb.ProductListed(
                product_id=event.product_id,
                supplier_id=event.supplier_id,
                sku=event.sku,
                name=event.name,
                brand_id=event.brand_id,
                category=event.category,
                price_fen=event.price_fen,
                shipping=pb.Shipping(
                    weight_grams=event.weight_grams,
                    length_mm=event.length_mm,
                    width_mm=event.width_mm,
                    height_mm=event.height_mm,
                ),
            )
        case ev.ProductSuspended():
            return "catalog.product.suspended", pb.ProductSuspended(
                product_id=event.product_id,
                supplier_id=event.supplier_id,
                sku=event.sku,
                reasons=failures_pb(event.reasons),
            )
        case ev.ShopOpened():
            return "catalog.shop.opened", pb.ShopOpened(
                shop_id=event.shop_id, owner_id=event.owner_id, name=event.name
            )
        case ev.ShopTierChanged():
            return "catalog.shop.tier_changed", pb.ShopTierChanged(
                shop_id=event.shop_id,
                month=event.month,
                previous_tier=SHOP_TIERS[event.previous_tier],
                tier=SHOP_TIERS[event.tier],
                sales_fen=event.sales_fen,
            )
    raise TypeError(f"no message for event {type(event).__name__}")
