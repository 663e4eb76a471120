"""Purchase vouchers: for unbranded goods, the paper trail back to the manufacturer."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from services.catalog.domain.checks import Failure

VOUCHERS_MISSING = "VOUCHERS_MISSING"
VOUCHERS_NOT_TRACEABLE = "VOUCHERS_NOT_TRACEABLE"


@dataclass(frozen=True)
class PurchaseVoucher:
    """One purchase of ``sku``: ``buyer_id`` bought it from ``seller_id``."""

    voucher_id: str
    supplier_id: str  # the supplier that submitted it
    sku: str
    seller_id: str
    buyer_id: str
    seller_is_manufacturer: bool
    invoice_number: str
    issued_on: dt.date


def voucher_failures(
    supplier_id: str,
    sku: str,
    vouchers: list[PurchaseVoucher],
    *,
    supplier_manufactures: bool,
    max_hops: int,
) -> list[Failure]:
    """Empty when ``vouchers`` trace ``sku`` from the supplier back to a manufacturer in at
    most ``max_hops`` purchases; a factory selling its own goods needs none."""
    if supplier_manufactures:
        return []
    relevant = [v for v in vouchers if v.sku == sku]
    if not relevant:
        return [
            Failure(
                VOUCHERS_MISSING,
                f"unbranded product {sku} has no purchase voucher; submit the voucher of "
                f"the supplier's purchase, traceable to the manufacturer",
            )
        ]
    bought_from: dict[str, list[PurchaseVoucher]] = {}
    for voucher in relevant:
        bought_from.setdefault(voucher.buyer_id, []).append(voucher)
    visited = {supplier_id}
    frontier = [supplier_id]
    for _ in range(max_hops):
        next_frontier = []
        for buyer in frontier:
            for voucher in bought_from.get(buyer, ()):
                if voucher.seller_is_manufacturer:
                    return []
                if voucher.seller_id not in visited:
                    visited.add(voucher.seller_id)
                    next_frontier.append(voucher.seller_id)
        frontier = next_frontier
    dead_ends = sorted(party for party in visited if party not in bought_from)
    if not dead_ends:  # every party bought from another, round in a circle
        dead_ends = sorted(visited)
    return [
        Failure(
            VOUCHERS_NOT_TRACEABLE,
            f"purchase vouchers for {sku} do not reach a manufacturer within {max_hops} "
            f"purchases: the trail stops at {', '.join(dead_ends)}; submit the voucher of "
            f"their purchase from the manufacturer",
        )
    ]
