"""The catalog's tables (SQLAlchemy Core). Changed only through new migrations."""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

metadata = MetaData()

ID = 64

suppliers = Table(
    "catalog_suppliers",
    metadata,
    Column("supplier_id", String(ID), primary_key=True),
    Column("name", String(200), nullable=False),
    Column("kind", String(32), nullable=False),
    Column("status", String(16), nullable=False),
    Column("status_reason", Text, nullable=False, default=""),
    Column("registered_capital_fen", BigInteger, nullable=True),
    Column("tax_status", String(32), nullable=True),
    Column("licence_number", String(ID), nullable=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Index("ix_catalog_suppliers_status", "status"),
)

deposit_entries = Table(
    "catalog_deposit_entries",
    metadata,
    Column("entry_id", String(ID), primary_key=True),
    Column("supplier_id", String(ID), ForeignKey("catalog_suppliers.supplier_id"), nullable=False),
    Column("kind", String(16), nullable=False),
    Column("amount_fen", BigInteger, nullable=False),
    Column("reference", Text, nullable=False, default=""),
    Column("recorded_at", DateTime(timezone=True), nullable=False),
    Index("ix_catalog_deposit_entries_supplier", "supplier_id"),
)

brands = Table(
    "catalog_brands",
    metadata,
    Column("brand_id", String(ID), primary_key=True),
    Column("name", String(200), nullable=False, unique=True),
    Column("owner_id", String(ID), nullable=False),
)

# Parties of a chain need not be suppliers on the platform (an off-platform agent may
# sit between the owner and a supplier), so grantor and grantee carry no foreign key.
authorisations = Table(
    "catalog_authorisations",
    metadata,
    Column("authorisation_id", String(ID), primary_key=True),
    Column("brand_id", String(ID), ForeignKey("catalog_brands.brand_id"), nullable=False),
    Column("grantor_id", String(ID), nullable=False),
    Column("grantee_id", String(ID), nullable=False),
    Column("categories", JSON, nullable=False),
    Column("valid_from", Date, nullable=False),
    Column("valid_until", Date, nullable=False),
    Column("confirmed", Boolean, nullable=False),
    # The chain search walks backwards from a supplier: brand and grantee first.
    Index("ix_catalog_authorisations_brand_grantee", "brand_id", "grantee_id"),
)

purchase_vouchers = Table(
    "catalog_purchase_vouchers",
    metadata,
    Column("voucher_id", String(ID), primary_key=True),
    Column("supplier_id", String(ID), ForeignKey("catalog_suppliers.supplier_id"), nullable=False),
    Column("sku", String(ID), nullable=False),
    Column("seller_id", String(ID), nullable=False),
    Column("buyer_id", String(ID), nullable=False),
    Column("seller_is_manufacturer", Boolean, nullable=False),
    Column("invoice_number", String(ID), nullable=False),
    Column("issued_on", Date, nullable=False),
    Index("ix_catalog_purchase_vouchers_supplier_sku", "supplier_id", "sku"),
)

products = Table(
    "catalog_products",
    metadata,
    Column("product_id", String(ID), primary_key=True),
    Column("supplier_id", String(ID), ForeignKey("catalog_suppliers.supplier_id"), nullable=False),
    Column("sku", String(ID), nullable=False),
    Column("name", String(200), nullable=False),
    Column("brand_id", String(ID), nullable=False, default=""),
    Column("category", String(200), nullable=False),
    Column("price_fen", BigInteger, nullable=False),
    Column("commission_bps", Integer, nullable=False),
    Column("affiliate_commission_bps", Integer, nullable=False),
    Column("other_platform_prices", JSON, nullable=False),
    Column("weight_grams", Integer, nullable=False),
    Column("length_mm", Integer, nullable=False),
    Column("width_mm", Integer, nullable=False),
    Column("height_mm", Integer, nullable=False),
    Column("status", String(16), nullable=False),
    Column("status_reason", Text, nullable=False, default=""),
    Column("listed_at", DateTime(timezone=True), nullable=False),
    UniqueConstraint("supplier_id", "sku", name="uq_catalog_products_supplier_sku"),
    Index("ix_catalog_products_brand", "brand_id"),
    Index("ix_catalog_products_category", "category"),
)

members = Table(
    "catalog_members",
    metadata,
    Column("member_id", String(ID), primary_key=True),
    Column("credit_score", Integer, nullable=False),
    Column("proven_operator", Boolean, nullable=False),
)

shops = Table(
    "catalog_shops",
    metadata,
    Column("shop_id", String(ID), primary_key=True),
    Column("owner_id", String(ID), ForeignKey("catalog_members.member_id"), nullable=False),
    Column("name", String(220), nullable=False),
    Column("tier", String(16), nullable=False),
    Column("opened_at", DateTime(timezone=True), nullable=False),
    Index("ix_catalog_shops_owner", "owner_id"),
)

listings = Table(
    "catalog_listings",
    metadata,
    Column("shop_id", String(ID), ForeignKey("catalog_shops.shop_id"), primary_key=True),
    Column("product_id", String(ID), ForeignKey("catalog_products.product_id"), primary_key=True),
    Column("recommendation", Text, nullable=False, default=""),
)

shop_sales = Table(
    "catalog_shop_sales",
    metadata,
    Column("shop_id", String(ID), ForeignKey("catalog_shops.shop_id"), primary_key=True),
    Column("month", String(7), primary_key=True),
    Column("sales_fen", BigInteger, nullable=False),
    Index("ix_catalog_shop_sales_month", "month"),
)

tokens = Table(
    "catalog_tokens",
    metadata,
    Column("token_id", String(ID), primary_key=True),
    Column("digest", String(64), nullable=False, unique=True),
    Column("kind", String(16), nullable=False),
    Column("subject_id", String(ID), nullable=False),
)
