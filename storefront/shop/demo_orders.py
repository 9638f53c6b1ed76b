"""Paid demo orders, so a newcomer has shipping work from the first minute: each selling
model's group waits for its shipper in the back office (or the supplier portal), and the
buyers' mails are in the queue, in each buyer's language."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from ..cart import operations as carts
from ..cart.address import check_delivery
from ..catalog.tables import Product, Variant
from ..checkout.operations import check_out
from ..db import db
from ..dispatch.operations import mark_paid
from ..fulfilment.tables import StockLevel
from ..markets.pricing import Pricer
from ..markets.tables import Channel
from ..orders.operations import find_by_idempotency_key
from ..orders.tables import Order


@dataclass(frozen=True)
class DemoBuyer:
    key: str  # the checkout's idempotency key: seeding twice places nothing twice
    channel: str
    country: str
    locale: str
    address: dict
    email: str
    phone: str
    models: tuple[str, ...]  # one line of each of these selling models


BUYERS = (
    DemoBuyer(
        "demo-order-berlin",
        "eu",
        "DE",
        "de",
        {"name": "Lena Vogel", "street_address": "Torstraße 1", "city": "Berlin",
         "postal_code": "10119"},
        "lena.vogel@example.com",
        "030 1234567",
        ("wholesale_retail", "self_produced"),
    ),
    DemoBuyer(
        "demo-order-paris",
        "eu",
        "FR",
        "fr",
        {"name": "Camille Martin", "street_address": "12 rue de Rivoli", "city": "Paris",
         "postal_code": "75004"},
        "camille.martin@example.com",
        "01 42 76 40 40",
        ("agent_operated", "oem_dropship"),
    ),
)  # fmt: skip


def _first_sku(model: str, supplier: str) -> str | None:
    """A published variant sold under `model` (with stock when it ships from stock; from
    the demo supplier user's own supplier when a supplier ships it)."""
    query = (
        select(Variant.sku, Product.selling_model_settings)
        .join(Product, Product.id == Variant.product_id)
        .where(Product.selling_model == model, Product.is_published.is_(True))
        .order_by(Variant.id)
    )
    if model == "wholesale_retail":
        query = query.join(StockLevel, StockLevel.variant_id == Variant.id).where(
            StockLevel.on_hand > 2
        )
    for sku, model_settings in db.session.execute(query.limit(200)):
        if (model_settings or {}).get("supplier", supplier) == supplier:
            return sku
    return None


def place_paid(buyer: DemoBuyer, supplier: str) -> Order | None:
    """Place and pay one demo buyer's order (once: the checkout key makes a second run
    find the first); None when the catalog lacks a product it needs. Flushes only."""
    placed_before = find_by_idempotency_key(buyer.key)
    if placed_before is not None:
        return placed_before
    channel = db.session.scalar(select(Channel).where(Channel.code == buyer.channel))
    skus = [_first_sku(model, supplier) for model in buyer.models]
    if channel is None or not all(skus):
        return None
    cart, _token = carts.new_cart(channel, buyer.country)
    cart.locale = buyer.locale
    pricer = Pricer(channel)
    for sku in skus:
        carts.add_line(cart, sku, 1, pricer)
    details = check_delivery(buyer.country, buyer.address, buyer.email, buyer.phone)
    cart.address, cart.email, cart.phone = (
        details["address"],
        details["email"],
        details["phone"],
    )
    db.session.flush()
    placed = check_out(cart, buyer.key)
    if not placed.repeated:
        mark_paid(placed.order)
    return placed.order


def seed_orders(supplier: str) -> list[str]:
    """Place and pay the demo buyers' orders (a dropship line from `supplier`); returns
    their numbers. Flushes only."""
    numbers = []
    for buyer in BUYERS:
        order = place_paid(buyer, supplier)
        if order is not None:
            numbers.append(order.number)
    db.session.flush()
    return numbers
