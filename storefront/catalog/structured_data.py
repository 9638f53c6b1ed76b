"""A product page's schema.org `Product` (with an `Offer` per option on sale) as JSON-LD,
priced as the page shows it: in the buyer's channel's currency, rounded as charged."""

from __future__ import annotations

import json

from markupsafe import Markup

from channels.money import Money
from i18n import translated
from models_ import MAKER

from ..fulfilment import registry
from .images import image_url
from .tables import Product, Variant

SCHEMA = "https://schema.org/"


def made_to_order(product: Product) -> bool:
    """Its selling model makes each piece after the order (the shop's workshop)."""
    model = registry().get(product.selling_model)
    return model.operator(dict(product.selling_model_settings or {})).kind == MAKER


def availability(product: Product, variant: Variant, sold_out: set[int]) -> str:
    if made_to_order(product):
        return SCHEMA + "PreOrder"
    return SCHEMA + ("OutOfStock" if variant.id in sold_out else "InStock")


def product_json_ld(
    product: Product,
    *,
    name: str,
    description: str,
    url: str,
    prices: dict[int, Money],
    sold_out: set[int],
) -> dict:
    images = [image_url(i.filename, i.sizes, "large", external=True) for i in product.images]
    priced = [v for v in product.live_variants if v.id in prices]
    data = {
        "@context": "https://schema.org",
        "@type": "Product",
        "name": name,
        "description": description,
        "url": url,
        "image": [i for i in images if i],
        "brand": {"@type": "Brand", "name": translated(product.brand.names, product.brand.name)},
        "category": translated(product.category.names, product.category.name),
        "material": product.material,
    }
    offers = [
        {
            "@type": "Offer",
            "sku": variant.sku,
            "price": str(prices[variant.id].rounded().amount),
            "priceCurrency": prices[variant.id].currency,
            "availability": availability(product, variant, sold_out),
            "url": url,
        }
        for variant in priced
    ]
    if offers:  # none in a currency the piece is not sold in yet
        data.update(sku=offers[0]["sku"], offers=offers)
    return data


def script_json(data: dict) -> Markup:
    """JSON safe inside a `<script>` element: no `</script>`, `<!--` or `]]>` can close it."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    for raw, escaped in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026")):
        text = text.replace(raw, escaped)
    return Markup(text)
