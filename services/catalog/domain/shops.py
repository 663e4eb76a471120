"""Members, their shops, listings and tiers."""

from __future__ import annotations

import datetime as dt
import unicodedata
from dataclasses import dataclass, field
from enum import Enum

from services.catalog.domain.checks import Failure
from services.catalog.domain.config import CatalogConfig

CREDIT_SCORE_TOO_LOW = "CREDIT_SCORE_TOO_LOW"
SHOP_LIMIT_REACHED = "SHOP_LIMIT_REACHED"
SHOP_NAME_FORBIDDEN_WORD = "SHOP_NAME_FORBIDDEN_WORD"


class ShopTier(Enum):
    NEW = "new"  # 新晋
    SENIOR = "senior"  # 资深
    ELITE = "elite"  # 精英
    SUPER = "super"  # 超级


@dataclass
class Member:
    member_id: str
    credit_score: int
    proven_operator: bool = False


@dataclass
class Shop:
    shop_id: str
    owner_id: str
    name: str  # with the platform suffix
    tier: ShopTier = ShopTier.NEW
    opened_at: dt.datetime | None = field(default=None, compare=False)


@dataclass(frozen=True)
class Listing:
    shop_id: str
    product_id: str
    recommendation: str


def shop_opening_failures(
    member: Member, requested_name: str, shops_owned: int, config: CatalogConfig
) -> list[Failure]:
    failures = []
    if member.credit_score <= config.min_credit_score_exclusive:
        failures.append(
            Failure(
                CREDIT_SCORE_TOO_LOW,
                f"credit score {member.credit_score} is not above "
                f"{config.min_credit_score_exclusive}; a shop needs at least "
                f"{config.min_credit_score_exclusive + 1}",
            )
        )
    if shops_owned >= 1 and not member.proven_operator:
        failures.append(
            Failure(
                SHOP_LIMIT_REACHED,
                f"member {member.member_id} already has {shops_owned} shop(s); only members "
                f"flagged as proven operators may open more",
            )
        )
    squeezed = _squeezed(requested_name)
    for word in config.forbidden_shop_name_words:
        if _squeezed(word) in squeezed:
            failures.append(
                Failure(
                    SHOP_NAME_FORBIDDEN_WORD,
                    f"shop name {requested_name!r} contains {word!r}, which shop names may "
                    f"not use; choose another name",
                )
            )
    return failures


def _squeezed(text: str) -> str:
    """The text as a reader sees it: compatibility forms folded (full-width letters and
    the like), and spaces, punctuation and invisible characters dropped, so "旗 舰" or
    "旗\u200b舰" does not slip past a rule about "旗舰"."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    return "".join(ch for ch in folded if unicodedata.category(ch)[0] in "LN")


def full_shop_name(requested_name: str, config: CatalogConfig) -> str:
    """The name with the platform suffix, added once."""
    name = requested_name.strip()
    if name.endswith(config.shop_name_suffix):
        return name
    return f"{name}{config.shop_name_suffix}"


def tier_for_sales(monthly_sales_fen: int, config: CatalogConfig) -> ShopTier:
    if monthly_sales_fen >= config.tier_super_min_sales_fen:
        return ShopTier.SUPER
    if monthly_sales_fen >= config.tier_elite_min_sales_fen:
        return ShopTier.ELITE
    if monthly_sales_fen >= config.tier_senior_min_sales_fen:
        return ShopTier.SENIOR
    return ShopTier.NEW
