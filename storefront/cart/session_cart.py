"""The buyer's cart kept in the signed session cookie: SKU -> quantity."""

from __future__ import annotations

from dataclasses import dataclass

from flask import session
from flask_babel import gettext

from channels.money import Money

from ..catalog.queries import localized_text, variants_by_sku
from ..catalog.tables import Variant

MAX_QUANTITY = 999
MAX_LINES = 100
_KEY = "cart"


class CartError(ValueError):
    """Something the buyer asked of the cart that cannot be done; the message is translated."""


@dataclass(frozen=True)
class CartLine:
    sku: str
    quantity: int
    variant: Variant
    name: str

    @property
    def unit_price(self) -> Money:
        return Money(self.variant.price_amount, self.variant.price_currency)

    @property
    def total(self) -> Money:
        return (self.unit_price * self.quantity).rounded()

    @property
    def image(self) -> str | None:
        images = self.variant.product.images
        return images[0].filename if images else None


@dataclass(frozen=True)
class Cart:
    lines: list[CartLine]

    @property
    def count(self) -> int:
        return sum(line.quantity for line in self.lines)

    @property
    def subtotal(self) -> Money | None:
        if not self.lines:
            return None
        return sum(
            (line.total for line in self.lines), Money.zero(self.lines[0].unit_price.currency)
        )


def parse_quantity(raw) -> int:
    try:
        quantity = int(str(raw).strip())
    except (TypeError, ValueError):
        raise CartError(gettext("Please enter the quantity as a whole number.")) from None
    if not 1 <= quantity <= MAX_QUANTITY:
        raise CartError(gettext("The quantity must be between 1 and %(max)s.", max=MAX_QUANTITY))
    return quantity


def _stored() -> dict[str, int]:
    stored = session.get(_KEY)
    return dict(stored) if isinstance(stored, dict) else {}


def item_count() -> int:
    return sum(q for q in _stored().values() if isinstance(q, int))


def _known_variant(sku: str) -> Variant:
    variant = variants_by_sku([sku]).get(sku)
    if variant is None or not variant.product.is_published:
        raise CartError(gettext("We could not find the item %(sku)s.", sku=sku))
    return variant


def add(sku: str, raw_quantity) -> Variant:
    quantity = parse_quantity(raw_quantity)
    variant = _known_variant(sku)
    lines = _stored()
    if sku not in lines and len(lines) >= MAX_LINES:
        raise CartError(gettext("Your cart is full. Please check out or remove an item first."))
    new_quantity = lines.get(sku, 0) + quantity
    if new_quantity > MAX_QUANTITY:
        raise CartError(gettext("The quantity must be between 1 and %(max)s.", max=MAX_QUANTITY))
    lines[sku] = new_quantity
    session[_KEY] = lines
    return variant


def change(sku: str, raw_quantity) -> None:
    lines = _stored()
    if sku not in lines:
        raise CartError(gettext("That item is no longer in your cart."))
    lines[sku] = parse_quantity(raw_quantity)
    session[_KEY] = lines


def remove(sku: str) -> None:
    lines = _stored()
    if sku not in lines:
        raise CartError(gettext("That item is no longer in your cart."))
    del lines[sku]
    session[_KEY] = lines


def load(locale: str) -> Cart:
    stored = _stored()
    variants = variants_by_sku(list(stored))
    lines = []
    for sku, quantity in stored.items():
        variant = variants.get(sku)
        if variant is None or not variant.product.is_published:
            continue  # withdrawn since it was added; the cart page simply no longer shows it
        lines.append(CartLine(sku, quantity, variant, localized_text(variant.product, locale)[0]))
    return Cart(lines)
