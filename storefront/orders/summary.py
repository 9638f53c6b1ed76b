"""What a buyer is asked to pay and what still stops checkout, shared by the API and
the web checkout."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext

from channels.money import Money

from ..cart.operations import PricedCart, price_cart
from ..cart.tables import Cart
from ..markets.pricing import Pricer
from .groups import CartGroup, fulfilment_groups, tax_included


@dataclass(frozen=True)
class CheckoutView:
    """A cart as the buyer is asked to pay for it."""

    priced: PricedCart
    groups: list[CartGroup]
    problems: list[dict]  # what still stops checkout
    totals: dict[str, Money]
    tax_included: bool  # the channel's prices hold the VAT the shop collects


def checkout_view(cart: Cart) -> CheckoutView:
    priced = price_cart(cart, Pricer(cart.channel))
    groups = fulfilment_groups(priced) if priced.lines else []
    problems = priced.problems + [p for g in groups for p in g.problems] + delivery_problems(cart)
    return CheckoutView(
        priced,
        groups,
        problems,
        totals(priced.currency, priced.subtotal, groups),
        tax_included(cart.channel),
    )


def totals(currency: str, subtotal: Money, groups: list) -> dict[str, Money]:
    """What is paid at checkout: goods, shipping, and the import charges the shop collects.

    `tax` is the VAT collected; where the channel shows prices with tax it is already in
    the subtotal and shipping (`LandedCost.vat_included`) and the total does not add it.
    """
    collected = [g.landed for g in groups if g.landed.collected_at_checkout]
    zero = Money.zero(currency)
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


def order_shipping(order) -> Money:
    """What the buyer paid for shipping, all parcels of a placed order together."""
    return sum(
        (Money(g.shipping_amount, order.currency) for g in order.groups),
        Money.zero(order.currency),
    ).rounded()


def delivery_problems(cart: Cart) -> list[dict]:
    if cart.address and cart.email and cart.phone:
        return []
    return [
        {
            "code": "address_missing",
            "message": gettext("Please give the delivery address, e-mail and phone."),
        }
    ]
