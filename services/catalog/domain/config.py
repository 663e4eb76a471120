"""The catalog's rules as configuration; every default comes from DOMAIN.md.

Loaded once at start with ``load_config(CatalogConfig, "catalog")`` so each number can be
overridden by ``CANGPEI_CATALOG_<FIELD>`` without touching code.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class CatalogConfig:
    # Supplier onboarding. Money is integer fen (1 CNY = 100 fen).
    min_registered_capital_fen: int = 100_000_000  # 1,000,000 CNY
    required_deposit_fen: int = 1_000_000  # 10,000 CNY
    # Brand authorisation chains: brand owner -> level 1 -> level 2 -> level 3 at most.
    max_chain_links: int = 3
    # How far the explanation of a refused chain may look beyond the limit, so that a
    # refusal can say "4 links" without walking an unbounded graph.
    chain_diagnosis_extra_links: int = 5
    # Unbranded goods: purchases from the supplier back to the manufacturer.
    max_voucher_hops: int = 5
    # Shops.
    min_credit_score_exclusive: int = 700  # a member needs strictly more than this
    # Simplified and traditional forms of 旗舰 (flagship) and 专卖 (exclusive store).
    forbidden_shop_name_words: tuple[str, ...] = ("旗舰", "专卖", "旗艦", "專賣")
    shop_name_suffix: str = "淘小铺"
    max_listings_per_shop: int = 1_000
    # Monthly sales (fen) at or above which a shop reaches a tier; below senior it is "new".
    tier_senior_min_sales_fen: int = 1_000_000  # 10,000 CNY
    tier_elite_min_sales_fen: int = 10_000_000  # 100,000 CNY
    tier_super_min_sales_fen: int = 100_000_000  # 1,000,000 CNY
    # Input limits: longer values are refused before anything is written.
    max_id_length: int = 64
    max_name_length: int = 200
    max_text_length: int = 2_000
    max_categories_per_authorisation: int = 100
    max_other_platform_prices: int = 20
    max_money_fen: int = 10**15  # ten trillion CNY: far above any real figure
    # Paging.
    default_page_size: int = 50
    max_page_size: int = 500
    # Dates are business days in China (UTC+8, no daylight saving).
    business_utc_offset_hours: int = 8
    # Background re-check of approved suppliers (deposit and authorisation expiry).
    recheck_interval_seconds: float = 3600.0
    # A staff token accepted from the environment on first start (stored hashed only).
    bootstrap_staff_token: str = ""
