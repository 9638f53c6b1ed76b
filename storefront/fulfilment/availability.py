"""Whether a variant can be bought now, and when it would arrive: asked of its selling model
with the stock as it is after unpaid orders' holds (on hand minus reserved), so a product
whose every unit is held shows as out of stock before a buyer meets `out_of_stock` at
checkout."""

from __future__ import annotations

from channels.transit import transit_days
from models_ import Days, Destination, Line, LineQuote

from . import registry
from .context import ShopContext


def delivery_days(quote: LineQuote, country: str) -> Days:
    """Days until a line reaches a buyer in `country`: until it leaves its shipper (stock
    pick, production, supplier lead) plus the parcel's transit. The cart and the product
    page both tell the buyer this."""
    return quote.handling + Days(*transit_days(quote.ship_from, country))


def variant_quotes(product, variants, country: str) -> dict[int, LineQuote]:
    """The selling model's quote of one unit of each of `variants` of `product` for
    `country`, by variant id (one stock query for them all)."""
    if not variants:
        return {}
    context = ShopContext()
    context.prefetch_stock([v.id for v in variants])
    model = registry().get(product.selling_model)
    destination = Destination(country)
    return {
        variant.id: model.quote(
            Line(
                variant_id=variant.id,
                sku=variant.sku,
                product_id=product.id,
                brand_id=product.brand_id,
                quantity=1,
                settings=dict(product.selling_model_settings or {}),
                origin_country=product.origin_country,
            ),
            destination,
            context,
        )
        for variant in variants
    }


def out_of_stock(quotes: dict[int, LineQuote]) -> set[int]:
    """The variant ids whose model says they are out of stock (made-to-order never runs out)."""
    return {vid for vid, quote in quotes.items() if quote.problem == "out_of_stock"}


def delivery_estimate(quotes: dict[int, LineQuote], country: str) -> Days | None:
    """The range of days the buyable variants take to reach `country`: the fastest one's
    earliest to the slowest one's latest; None when none can be delivered."""
    days = [delivery_days(q, country) for q in quotes.values() if q.available]
    if not days:
        return None
    return Days(min(d.min_days for d in days), max(d.max_days for d in days))


def sold_out(product, variants, country: str) -> set[int]:
    """Ids of the `variants` of `product` whose model says they are out of stock for
    `country` (held units count as gone); made-to-order models never run out."""
    return out_of_stock(variant_quotes(product, variants, country))
