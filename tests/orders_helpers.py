"""Build carts and orders through the real services, for tests of what follows an order."""

from __future__ import annotations

from sqlalchemy import select

from storefront.cart import operations as carts
from storefront.db import db
from storefront.dispatch.operations import mark_paid
from storefront.markets.pricing import Pricer
from storefront.markets.tables import Channel
from storefront.orders import operations as orders
from storefront.orders.tables import Order


def priced_cart(channel_code: str, country: str, lines: dict[str, int]):
    """A new cart in the channel with {sku: quantity}, priced; inside an app context."""
    channel = db.session.scalar(select(Channel).where(Channel.code == channel_code))
    cart, _token = carts.new_cart(channel, country)
    pricer = Pricer(channel)
    for sku, quantity in lines.items():
        carts.add_line(cart, sku, quantity, pricer)
    db.session.flush()
    return carts.price_cart(cart, pricer)


def place(app, lines: dict[str, int], key: str, channel="eu", country="DE", paid=False) -> int:
    """Place (and optionally pay) an order; commits; returns the order id."""
    with app.app_context():
        order, _token = orders.place_order(priced_cart(channel, country, lines), key)
        if paid:
            mark_paid(order)
        db.session.commit()
        return order.id


def load(order_id: int) -> Order:
    return db.session.get(Order, order_id)
