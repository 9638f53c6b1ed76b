"""Exchanges: the buyer sends units back for another variant of the same product.

The new piece is held from the request on, as a new group of the same order (at no
charge: no shipping, no import charges), routed by its product's selling model like any
group; the return's approval sets it in motion, a refusal calls it back and frees what it
held. An exchange for a cheaper variant refunds the difference (`money.PRICE_DIFFERENCE`);
one for a dearer variant charges it: the buyer pays it by card before the return may be
approved (`charges`).

Services flush and never commit.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext
from sqlalchemy import select

from channels.money import Money
from channels.transit import transit_days
from models_ import Days, Destination, HoldRef, Line, LineQuote, NotAvailable

from ..catalog.tables import Variant
from ..db import db
from ..dispatch.context import DispatchContext
from ..dispatch.operations import cancel_group, start_group
from ..fulfilment import registry
from ..markets.pricing import Pricer
from ..orders.operations import customs_snapshot
from ..orders.states import follow_groups
from ..orders.tables import Order, OrderGroup, OrderLine
from .eligibility import ReturnRefused, Wanted

SHIPPING_METHOD = "exchange"  # the new group's shipping: free, chosen by the shop
PRICE_SOURCE = "exchange"


@dataclass(frozen=True)
class Exchange:
    """The variant asked for, its price in the order's currency now, the difference the
    buyer gets back for the units (a cheaper variant) or pays on top (`charge`, a dearer
    one; one of the two is zero), and who would ship it (its selling model's quote)."""

    variant: Variant
    unit_price: Money
    quantity: int
    difference: Money
    line: Line
    quote: LineQuote
    charge: Money


def _refused(message: str, code: str) -> ReturnRefused:
    return ReturnRefused(message, code, "exchange_sku")


def choose(order: Order, raw, wanted: list[Wanted]) -> Exchange:
    """The exchange the buyer asks for, if the shop can make it; ReturnRefused otherwise."""
    products = {w.line.product_id for w in wanted}
    variant = (
        db.session.scalar(select(Variant).where(Variant.sku == raw))
        if isinstance(raw, str)
        else None
    )
    if variant is None or len(products) != 1 or variant.product_id not in products:
        raise _refused(
            gettext("Choose another variant of the same product to exchange it for."),
            "invalid_exchange_sku",
        )
    quantity = sum(w.quantity for w in wanted)
    quote = Pricer(order.channel).quote_variants(
        [variant], {variant.id: quantity}, wholesale=order.wholesale
    )
    price = quote.get(variant.id)
    if variant.is_archived or price is None or price.unit_price.currency != order.currency:
        raise _refused(
            gettext("%(sku)s is no longer sold: choose another variant.", sku=variant.sku),
            "exchange_not_sold",
        )
    unit = price.unit_price.rounded()
    paid = Money.zero(order.currency)
    for w in wanted:
        paid += Money(w.line.unit_amount, w.line.currency) * w.quantity
    difference, charge = settle_difference(paid, unit * quantity)
    product = variant.product
    line = Line(
        variant_id=variant.id,
        sku=variant.sku,
        product_id=product.id,
        brand_id=product.brand_id,
        quantity=quantity,
        settings=dict(product.selling_model_settings or {}),
        origin_country=product.origin_country,
    )
    model = registry().get(product.selling_model)
    quote = model.quote(line, Destination(order.country), DispatchContext())
    if not quote.available:
        raise _out_of_stock(variant)
    return Exchange(variant, unit, quantity, difference, line, quote, charge)


def settle_difference(paid: Money, new: Money) -> tuple[Money, Money]:
    """(refunded, charged): what was paid for the units against what the new ones cost,
    one way or the other (the other is zero), each rounded once."""
    zero = Money.zero(paid.currency)
    return max(paid - new, zero).rounded(), max(new - paid, zero).rounded()


def _out_of_stock(variant: Variant) -> ReturnRefused:
    return _refused(
        gettext("%(sku)s is out of stock: choose another variant or a refund.", sku=variant.sku),
        "exchange_out_of_stock",
    )


def hold(order: Order, exchange: Exchange) -> OrderGroup:
    """The new piece as a new group of the order, its stock held (or nothing, for a model
    that holds none); ReturnRefused when it cannot be had now, and nothing is kept."""
    variant, product = exchange.variant, exchange.variant.product
    model = registry().get(product.selling_model)
    line, quote = exchange.line, exchange.quote
    destination, context = Destination(order.country), DispatchContext()
    eta = quote.handling + Days(*transit_days(quote.ship_from, order.country))
    try:
        with db.session.begin_nested():
            group = OrderGroup(
                order=order,
                selling_model=product.selling_model,
                model_settings=line.settings,
                shipper=str(quote.shipper),
                ship_from=quote.ship_from,
                eta_min_days=eta.min_days,
                eta_max_days=eta.max_days,
                import_currency=order.currency,
                shipping_method=SHIPPING_METHOD,
                local_shipping_method=SHIPPING_METHOD,
                shipping_amount=0,
            )
            db.session.add(group)
            db.session.add(
                OrderLine(
                    order=order,
                    group=group,
                    variant_id=variant.id,
                    product_id=product.id,
                    brand_id=product.brand_id,
                    sku=variant.sku,
                    name=product.name,
                    quantity=exchange.quantity,
                    # its price now: the old piece's less the difference refunded, or plus
                    # the difference charged (no new sale: the charge pays this line)
                    unit_amount=exchange.unit_price.amount,
                    currency=order.currency,
                    price_source=PRICE_SOURCE,
                    model_settings=line.settings,
                    **customs_snapshot(product),
                )
            )
            db.session.flush()
            model.reserve([line], destination, HoldRef(group.id), context)
    except NotAvailable:  # another request took the last units since the quote
        raise _out_of_stock(variant) from None
    return group


def ship(group: OrderGroup) -> None:
    """The return was approved: the new piece's shipper sets to work."""
    start_group(group)
    follow_groups(group.order)


def call_back(group: OrderGroup, note: str, actor: str) -> None:
    """The return was refused: what the new piece held is free again."""
    cancel_group(group, note, actor)
    follow_groups(group.order)
