"""Whether a variant can be bought now: asked of its selling model with the stock as it is
after unpaid orders' holds (on hand minus reserved), so a product whose every unit is held
shows as out of stock before a buyer meets `out_of_stock` at checkout."""

from __future__ import annotations

from models_ import Destination, Line

from . import registry
from .context import ShopContext


def sold_out(product, variants, country: str) -> set[int]:
    """Ids of the `variants` of `product` whose model says they are out of stock for
    `country` (held units count as gone); made-to-order models never run out."""
    if not variants:
        return set()
    context = ShopContext()
    context.prefetch_stock([v.id for v in variants])
    model = registry().get(product.selling_model)
    destination = Destination(country)
    gone = set()
    for variant in variants:
        line = Line(
            variant_id=variant.id,
            sku=variant.sku,
            product_id=product.id,
            brand_id=product.brand_id,
            quantity=1,
            settings=dict(product.selling_model_settings or {}),
            origin_country=product.origin_country,
        )
        if model.quote(line, destination, context).problem == "out_of_stock":
            gone.add(variant.id)
    return gone
