"""What a buyer is asked to pay and what still stops checkout, shared by the API and
the web checkout."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from flask_babel import gettext

from channels.money import Money

from ..cart.address import FIELDS
from ..cart.groups import CartGroup, fulfilment_groups, tax_included
from ..cart.operations import PricedCart, price_cart
from ..cart.tables import Cart
from ..cart.totals import checkout_totals
from ..markets.pricing import Pricer
from .tables import Order, OrderStatus


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
        checkout_totals(priced, groups),
        tax_included(cart.channel),
    )


def group_charges(group) -> dict:
    """A placed shipment's import charges as quoted at checkout (OrderGroup.import_*)."""
    currency = group.import_currency or group.order.currency

    def money(amount: Decimal) -> Money:
        return Money(amount, currency).rounded()

    return {
        "regime": group.import_regime,
        "collected": bool(group.import_collected),
        "included": bool(group.import_vat_included),
        "vat": money(group.import_vat_amount),
        "duty": money(group.import_duty_amount),
        "fees": money(group.import_fees_amount),
        "estimated_due_on_delivery": money(group.import_due_on_delivery_amount),
    }


def order_totals(order) -> dict[str, Money]:
    """A placed order's totals, as the buyer was asked to pay them: the rows add up to
    the total except `tax` where the prices held it (`order_tax_included`)."""
    zero = Money.zero(order.currency).rounded()
    collected = [c for c in map(group_charges, order.groups) if c["collected"]]
    return {
        "subtotal": Money(order.subtotal_amount, order.currency),
        "shipping": sum(
            (Money(g.shipping_amount, order.currency) for g in order.groups), zero
        ).rounded(),
        "tax": sum((c["vat"] for c in collected), zero),
        "duty": sum((c["duty"] for c in collected), zero),
        "fees": sum((c["fees"] for c in collected), zero),
        "total": Money(order.total_amount, order.currency),
    }


def order_tax_included(order) -> bool:
    return any(group_charges(g)["included"] for g in order.groups)


def delivery_problems(cart: Cart) -> list[dict]:
    if cart.address and cart.email and cart.phone:
        return []
    return [
        {
            "code": "address_missing",
            "message": gettext("Please give the delivery address, e-mail and phone."),
        }
    ]


def ship_to(order: Order) -> dict:
    """Where an order goes, as the buyer gave it at checkout: name, the address fields of
    the country, phone. Personal data: for the buyer, staff and the group's shipper only."""
    address = order.ship_to or {}
    return {
        "name": order.buyer_name or address.get("name", ""),
        **{field: address.get(field, "") for field in FIELDS if field != "name"},
        "country": order.country,
        "phone": order.phone,
    }


def status_label(status: str, awaiting_transfer: bool = False) -> str:
    """An order's status in the buyer's words and language (order page, "My account")."""
    if status == OrderStatus.PENDING_PAYMENT:
        if awaiting_transfer:
            return gettext("waiting for your bank transfer")
        return gettext("waiting for payment")
    return {
        OrderStatus.PAID: gettext("paid"),
        OrderStatus.PARTIALLY_SHIPPED: gettext("partially shipped"),
        OrderStatus.SHIPPED: gettext("shipped"),
        OrderStatus.DELIVERED: gettext("delivered"),
        OrderStatus.CANCELLED: gettext("cancelled"),
        OrderStatus.PARTIALLY_REFUNDED: gettext("partially refunded"),
        OrderStatus.REFUNDED: gettext("refunded"),
    }.get(status, status)
