"""What a cart adds up to: goods, shipping and the import charges the shop collects. The
cart page shows it, the checkout review asks for it and placing the order keeps it."""

from __future__ import annotations

from channels.money import Money

from .groups import CartGroup
from .operations import PricedCart


def checkout_totals(priced: PricedCart, groups: list[CartGroup]) -> dict[str, Money]:
    """What is paid at checkout: goods, shipping, and the import charges the shop collects.
    The one place the total is added up: the review shows it and placing the order keeps it.

    `tax` is the VAT collected; where the channel shows prices with tax it is already in
    the subtotal and shipping (`LandedCost.vat_included`) and the total does not add it.
    """
    collected = [g.landed for g in groups if g.landed.collected_at_checkout]
    subtotal, zero = priced.subtotal, Money.zero(priced.currency)
    shipping = sum((g.shipping for g in groups), zero)
    added = sum((g.charged_at_checkout for g in groups), zero)
    return {
        "subtotal": subtotal,
        "shipping": shipping,
        "tax": sum((c.vat for c in collected), zero),
        "duty": sum((c.duty for c in collected), zero),
        "fees": sum((c.fees for c in collected), zero),
        "total": subtotal + shipping + added,
    }
