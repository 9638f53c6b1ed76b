"""The catalog's records in the audit log: brands, categories and products, a product's
variants, texts, images, channel prices and trade tiers counted as the product's own."""

from __future__ import annotations

from .. import audit
from ..markets.tables import Channel, ChannelPrice, PriceTier
from .tables import Brand, Category, Product, ProductImage, ProductText, Variant


def _variant(row) -> Variant | None:
    return audit.row_of(Variant, row.variant_id)


_product = audit.parent_by(Product, "product_id")


def _product_of_price(row) -> Product | None:
    variant = _variant(row)
    return _product(variant) if variant is not None else None


def _in_channel(row) -> str:
    if row.channel_id is None:
        return ""
    channel = audit.row_of(Channel, row.channel_id)
    return f" in {channel.code}" if channel is not None else ""


def _price_label(row) -> str:
    variant = _variant(row)
    return f"{variant.sku if variant else row.variant_id}{_in_channel(row)}"


def _tier_label(row) -> str:
    variant = _variant(row)
    sku = variant.sku if variant else row.variant_id
    return f"{sku} from {row.min_quantity} units{_in_channel(row)}"


def track_history() -> None:
    audit.track(
        Brand,
        kind="brand",
        key=lambda b: b.slug,
        label=lambda b: b.name,
        fields={
            "slug": "slug",
            "name": "name",
            "names": "names per language",
            "country": "country",
        },
        archived=("is_archived", True),
    )
    audit.track(
        Category,
        kind="category",
        key=lambda c: c.slug,
        label=lambda c: c.name,
        fields={
            "slug": "slug",
            "name": "name",
            "names": "names per language",
            "position": "position",
        },
        archived=("is_archived", True),
    )
    audit.track(
        Product,
        kind="product",
        key=lambda p: p.slug,
        label=lambda p: p.name,
        fields={
            "slug": "slug",
            "name": "name",
            "description": "description",
            "hs_code": "HS code",
            "origin_country": "origin",
            "material": "material",
            "weight_grams": "weight (g)",
            "length_mm": "length (mm)",
            "width_mm": "width (mm)",
            "height_mm": "height (mm)",
            "grade": "grade",
            "qc_status": "QC status",
            "selling_model": "selling model",
            "selling_model_settings": "selling model settings",
            "is_published": "published",
        },
    )
    audit.track(
        Variant,
        parent=_product,
        label=lambda v: v.sku,
        fields={
            "sku": "SKU",
            "options_text": "options",
            "price_amount": "price",
            "wholesale_min_quantity": "wholesale minimum",
            "wholesale_step": "wholesale step",
            "is_archived": "archived",
        },
    )
    audit.track(
        ProductText,
        parent=_product,
        label=lambda t: f"{t.locale} text",
        fields=("name", "description"),
    )
    audit.track(
        ProductImage,
        parent=_product,
        label=lambda i: f"image {i.filename}",
        fields=("alt", "position"),
    )
    audit.track(
        ChannelPrice, parent=_product_of_price, label=_price_label, fields={"amount": "price"}
    )
    audit.track(
        PriceTier, parent=_product_of_price, label=_tier_label, fields={"amount": "tier price"}
    )
