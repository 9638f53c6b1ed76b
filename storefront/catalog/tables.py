"""Catalog tables: brands, categories, products, their texts, variants, images, and the
history of each product's selling model."""

from __future__ import annotations

import datetime
import enum
from decimal import Decimal

from sqlalchemy import (
    JSON,
    DateTime,
    ForeignKey,
    Index,
    Numeric,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.dialects.postgresql import TSVECTOR
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .. import clock
from ..accounts.tables import User
from ..db import db


class Grade(enum.StrEnum):
    """Surplus export goods are sold honestly: the grade is shown to buyers."""

    NONE = "none"
    ORIGINAL_ORDER = "original_order"
    SKIP_ORDER = "skip_order"
    FOLLOW_UP_ORDER = "follow_up_order"


class Brand(db.Model):
    __tablename__ = "shop_brand"
    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    # The name in the shop's other locales ({"de": ...}); `i18n.translated` falls back to `name`.
    names: Mapped[dict] = mapped_column(JSON, default=dict, server_default="{}")
    country: Mapped[str] = mapped_column(String(2))
    # Archived: no new product takes it; the products that have it keep it.
    is_archived: Mapped[bool] = mapped_column(default=False, server_default="0")


class Category(db.Model):
    __tablename__ = "shop_category"
    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    names: Mapped[dict] = mapped_column(JSON, default=dict, server_default="{}")
    position: Mapped[int] = mapped_column(default=0)
    # Archived: out of the shop's navigation, and no new product takes it.
    is_archived: Mapped[bool] = mapped_column(default=False, server_default="0")


class Product(db.Model):
    __tablename__ = "shop_product"
    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(120), unique=True)
    # Texts in the shop's default locale; other locales in ProductText.
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    brand_id: Mapped[int] = mapped_column(ForeignKey("shop_brand.id"))
    category_id: Mapped[int] = mapped_column(ForeignKey("shop_category.id"))
    hs_code: Mapped[str] = mapped_column(String(16))  # 7117.19.90.00: ten digits, dots
    origin_country: Mapped[str] = mapped_column(String(2))
    material: Mapped[str] = mapped_column(String(40))
    weight_grams: Mapped[int]
    length_mm: Mapped[int]
    width_mm: Mapped[int]
    height_mm: Mapped[int]
    grade: Mapped[str] = mapped_column(String(20), default=Grade.NONE.value)
    qc_status: Mapped[str | None] = mapped_column(String(60))
    selling_model: Mapped[str] = mapped_column(String(40))
    selling_model_settings: Mapped[dict] = mapped_column(JSON, default=dict, server_default="{}")
    is_published: Mapped[bool] = mapped_column(default=True)
    # The lowest variant price, kept by catalog.operations so listings need no aggregate.
    from_price_amount: Mapped[Decimal] = mapped_column(Numeric(14, 3), default=Decimal(0))
    price_currency: Mapped[str] = mapped_column(String(3))

    brand: Mapped[Brand] = relationship(lazy="joined", innerjoin=True)
    category: Mapped[Category] = relationship(lazy="joined", innerjoin=True)
    texts: Mapped[list[ProductText]] = relationship(
        back_populates="product", cascade="all, delete-orphan"
    )
    variants: Mapped[list[Variant]] = relationship(
        back_populates="product", cascade="all, delete-orphan", order_by="Variant.id"
    )
    images: Mapped[list[ProductImage]] = relationship(
        back_populates="product", cascade="all, delete-orphan", order_by="ProductImage.position"
    )

    @property
    def live_variants(self) -> list[Variant]:
        """The variants on sale (archived ones stay for the orders that point at them)."""
        return [v for v in self.variants if not v.is_archived]

    __table_args__ = (
        Index("ix_shop_product_listing", "category_id", "is_published", "id"),
        # A category narrowed by material or grade: counted and paged in the index alone.
        Index("ix_shop_product_listing_material", "category_id", "is_published", "material", "id"),
        Index("ix_shop_product_listing_grade", "category_id", "is_published", "grade", "id"),
        Index("ix_shop_product_material", "material"),
        Index("ix_shop_product_grade", "grade"),
    )


class ProductText(db.Model):
    """A product's name and description in one locale."""

    __tablename__ = "shop_product_text"
    id: Mapped[int] = mapped_column(primary_key=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("shop_product.id", ondelete="CASCADE"))
    locale: Mapped[str] = mapped_column(String(12))
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    product: Mapped[Product] = relationship(back_populates="texts")
    __table_args__ = (UniqueConstraint("product_id", "locale"),)


class ProductSearchText(db.Model):
    """What search reads of a product in one locale (its name, brand, category and
    description there), kept by `catalog.search`."""

    __tablename__ = "shop_product_search"
    id: Mapped[int] = mapped_column(primary_key=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("shop_product.id", ondelete="CASCADE"))
    locale: Mapped[str] = mapped_column(String(12))
    content: Mapped[str] = mapped_column(Text)
    # PostgreSQL: the content's lexemes in the locale's text search configuration. SQLite
    # leaves it empty and searches the FTS5 tables the migration keeps beside this one.
    terms: Mapped[str | None] = mapped_column(TSVECTOR().with_variant(Text(), "sqlite"))
    __table_args__ = (
        UniqueConstraint("product_id", "locale"),
        Index("ix_shop_product_search_terms", "terms", postgresql_using="gin"),
    )


class Variant(db.Model):
    __tablename__ = "shop_variant"
    id: Mapped[int] = mapped_column(primary_key=True)
    product_id: Mapped[int] = mapped_column(
        ForeignKey("shop_product.id", ondelete="CASCADE"), index=True
    )
    sku: Mapped[str] = mapped_column(String(64), unique=True)
    # e.g. {"size": "7", "plating": "18k gold"}; stored as "size=7;plating=18k gold".
    options_text: Mapped[str] = mapped_column(String(200), default="")
    price_amount: Mapped[Decimal] = mapped_column(Numeric(14, 3))
    price_currency: Mapped[str] = mapped_column(String(3))
    # Wholesale buyers order at least this many, in multiples of the step.
    wholesale_min_quantity: Mapped[int] = mapped_column(default=1, server_default="1")
    wholesale_step: Mapped[int] = mapped_column(default=1, server_default="1")
    # Archived: no longer sold; the orders and carts that point at it keep it.
    is_archived: Mapped[bool] = mapped_column(default=False, server_default="0")
    product: Mapped[Product] = relationship(back_populates="variants")

    @property
    def options(self) -> dict[str, str]:
        pairs = (part.split("=", 1) for part in self.options_text.split(";") if "=" in part)
        return {key: value for key, value in pairs}


class ProductImage(db.Model):
    __tablename__ = "shop_product_image"
    id: Mapped[int] = mapped_column(primary_key=True)
    product_id: Mapped[int] = mapped_column(
        ForeignKey("shop_product.id", ondelete="CASCADE"), index=True
    )
    # The file shown where one size fits all (for an upload: its largest size's key).
    filename: Mapped[str] = mapped_column(String(200))
    alt: Mapped[str] = mapped_column(String(200), default="")
    position: Mapped[int] = mapped_column(default=0)
    # An upload (catalog.images): its size once upright, and the sizes written, as
    # {"thumb": {"key": ..., "width": ..., "height": ...}, "card": ..., "large": ...}.
    # None for the drawings the demo writes, shown from `filename` alone.
    width: Mapped[int | None]
    height: Mapped[int | None]
    sizes: Mapped[dict | None] = mapped_column(JSON)
    product: Mapped[Product] = relationship(back_populates="images")


class SellingModelChange(db.Model):
    """A product's selling model switched: who, when, from and to."""

    __tablename__ = "shop_selling_model_change"
    id: Mapped[int] = mapped_column(primary_key=True)
    product_id: Mapped[int] = mapped_column(
        ForeignKey("shop_product.id", ondelete="CASCADE"), index=True
    )
    changed_by: Mapped[int | None] = mapped_column(ForeignKey("shop_user_account.id"))
    changed_at: Mapped[datetime.datetime] = mapped_column(
        DateTime(timezone=True), default=clock.now
    )
    from_code: Mapped[str] = mapped_column(String(40))
    from_settings: Mapped[dict] = mapped_column(JSON)
    to_code: Mapped[str] = mapped_column(String(40))
    to_settings: Mapped[dict] = mapped_column(JSON)
    # who, by name: the history reads "Ana Lima (ana@shop.example)", not a user id
    changed_by_user: Mapped[User | None] = relationship(lazy="joined")

    @property
    def who(self) -> str:
        user = self.changed_by_user
        if user is None:
            return ""
        return f"{user.name} ({user.email})" if user.name else user.email
