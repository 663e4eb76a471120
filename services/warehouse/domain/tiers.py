"""Service tiers: where an order should be served from, best first (DOMAIN.md)."""

from __future__ import annotations

import enum

from .warehouse import Warehouse, WarehouseKind


class Tier(enum.IntEnum):
    """Lower is better; the value is the number of steps down from the best tier."""

    NEAR_SATELLITE = 0
    FAR_SATELLITE = 1
    CENTRAL = 2
    SUPPLIER = 3


def tier_for(warehouse: Warehouse, distance_km: float, near_radius_km: float) -> Tier | None:
    """The tier at which ``warehouse`` serves a point ``distance_km`` away, or None if it cannot.

    A satellite serves within its own service radius; inside the near radius (50 km by
    default) it is the near tier, beyond it the far tier. Central warehouses and supplier
    sites ship anywhere.
    """
    if warehouse.kind is WarehouseKind.CENTRAL:
        return Tier.CENTRAL
    if warehouse.kind is WarehouseKind.SUPPLIER_SITE:
        return Tier.SUPPLIER
    if distance_km <= min(near_radius_km, warehouse.service_radius_km):
        return Tier.NEAR_SATELLITE
    if distance_km <= warehouse.service_radius_km:
        return Tier.FAR_SATELLITE
    return None


def describe_tier(tier: Tier, near_radius_km: float, max_radius_km: float) -> str:
    """Human wording of a tier, used in explanations."""
    return {
        Tier.NEAR_SATELLITE: f"satellite within {near_radius_km:g} km",
        Tier.FAR_SATELLITE: f"satellite within {max_radius_km:g} km",
        Tier.CENTRAL: "central warehouse",
        Tier.SUPPLIER: "supplier ships directly",
    }[tier]
