"""Changing and pricing carts. Services flush and never commit.

A line keeps the unit price it was quoted at. When the price a buyer would
pay now differs, the priced cart says so, line by line, and checkout waits
until the buyer has seen the new prices (`accept_current_prices`). A converted
price holds its exchange rate for QUOTE_HOLD_HOURS, so daily rate moves alone
do not change a cart under the buyer's eyes.
"""

from __future__ import annotations

import datetime
import hashlib
import secrets
from dataclasses import dataclass, field
from decimal import Decimal

from flask_babel import gettext
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from channels.money import Money
from channels.pricing import CONVERTED, QuantityError, Quote
from i18n import current_locale

from .. import clock
from ..catalog.tables import Product, Variant
from ..companies.operations import price_list
from ..config import settings
from ..db import as_utc, db
from ..errors import InputError
from ..markets.pricing import Pricer, wholesale_problems
from ..markets.tables import Channel
from .tables import Cart, CartLine

MAX_QUANTITY = 999
COMPANY_PRICE = "company"  # a quote's source: the company's own price list
MAX_LINES = 100


class CartError(InputError):
    """What the buyer asked of the cart cannot be done; the message is translated."""

    code = "invalid_cart"


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def parse_quantity(raw) -> int:
    if isinstance(raw, bool):
        raw = None
    try:
        quantity = int(str(raw).strip()) if not isinstance(raw, int) else raw
    except (TypeError, ValueError):
        quantity = None
    if quantity is None:
        raise CartError(
            gettext("Please enter the quantity as a whole number."), "invalid_quantity", "quantity"
        )
    if not 1 <= quantity <= MAX_QUANTITY:
        raise CartError(
            gettext("The quantity must be between 1 and %(max)s.", max=MAX_QUANTITY),
            "invalid_quantity",
            "quantity",
        )
    return quantity


def new_cart(
    channel: Channel,
    country: str | None = None,
    *,
    wholesale: bool = False,
    company_id: int | None = None,
) -> tuple[Cart, str]:
    """A new empty cart and the bearer token that opens it (shown once); a trade buyer's
    cart (`wholesale`) is priced by quantity tiers, and one for a company (`company_id`)
    at the company's own prices and VAT treatment."""
    country = (country or channel.default_country).upper()
    if country not in channel.countries:
        raise CartError(
            gettext(
                "The %(channel)s shop does not deliver to %(country)s.",
                channel=channel.name,
                country=country,
            ),
            "country_not_in_channel",
            "country",
        )
    token = secrets.token_urlsafe(24)
    cart = Cart(
        id=secrets.token_hex(16),
        token_hash=hash_token(token),
        channel=channel,
        country=country,
        wholesale=wholesale,
        company_id=company_id if wholesale else None,
        locale=current_locale(),
    )
    db.session.add(cart)
    db.session.flush()
    return cart, token


def load_cart(cart_id: str, *, with_media: bool = False) -> Cart | None:
    """The cart with its lines, variants and products; images and texts for the page."""
    # Inner joins: a line always has its variant, a variant its product. Outer ones nest
    # (product JOIN category JOIN brand) in a LEFT JOIN, which SQLite answers by building
    # that join for the whole catalog first (about 40 ms at 10,000 products).
    product = (
        selectinload(Cart.lines)
        .joinedload(CartLine.variant, innerjoin=True)
        .joinedload(Variant.product, innerjoin=True)
    )
    options = [product]
    if with_media:
        options += [product.selectinload(Product.images), product.selectinload(Product.texts)]
    return db.session.scalar(select(Cart).where(Cart.id == cart_id).options(*options))


def _purchasable(sku: str) -> Variant:
    variant = db.session.scalar(
        select(Variant).join(Product).where(Variant.sku == sku, Product.is_published.is_(True))
    )
    if variant is None:
        raise CartError(
            gettext("We could not find the item %(sku)s.", sku=sku), "unknown_sku", "sku"
        )
    if variant.is_archived:  # a page or app that still shows it
        raise CartError(
            gettext("%(sku)s is no longer sold. Please choose another option.", sku=sku),
            "variant_archived",
            "sku",
        )
    return variant


def _stamp(line: CartLine, quote: Quote, variant: Variant) -> None:
    line.quoted_amount = quote.unit_price.amount
    line.quoted_currency = quote.unit_price.currency
    line.quoted_source = quote.source
    line.quoted_rate = quote.rate
    line.quoted_rate_date = quote.rate_date
    line.quoted_base_amount = variant.price_amount
    line.quoted_at = clock.now()


def _quotes(cart: Cart, pricer: Pricer, quantities: dict[int, tuple[Variant, int]]):
    """Quotes for {variant id: (variant, quantity)}; a trade cart's quantity picks the tier,
    and a company's own price for a SKU, in the cart's currency, goes over it."""
    variants = [variant for variant, _ in quantities.values()]
    counts = {vid: quantity for vid, (_, quantity) in quantities.items()}
    quotes = pricer.quote_variants(variants, counts, wholesale=cart.wholesale)
    if cart.wholesale and cart.company_id is not None and variants:
        own = price_list(cart.company_id, pricer.currency, [v.sku for v in variants])
        for variant in variants:
            if variant.sku in own:
                price = Money(own[variant.sku], pricer.currency).rounded()
                quotes[variant.id] = Quote(price, COMPANY_PRICE)
    return quotes


def add_line(cart: Cart, sku: str, raw_quantity, pricer: Pricer) -> CartLine:
    quantity = parse_quantity(raw_quantity)
    variant = _purchasable(sku)
    line = next((ln for ln in cart.lines if ln.variant_id == variant.id), None)
    if line is None:
        if len(cart.lines) >= MAX_LINES:
            raise CartError(
                gettext("Your cart is full. Please check out or remove an item first."), "cart_full"
            )
        quote = _quotes(cart, pricer, {variant.id: (variant, quantity)}).get(variant.id)
        if quote is None:
            raise CartError(
                gettext(
                    "%(sku)s is not for sale in %(currency)s yet.",
                    sku=sku,
                    currency=pricer.currency,
                ),
                "not_for_sale",
                "sku",
            )
        line = CartLine(variant=variant, quantity=0)
        _stamp(line, quote, variant)
        cart.lines.append(line)
    if line.quantity + quantity > MAX_QUANTITY:
        raise CartError(
            gettext("The quantity must be between 1 and %(max)s.", max=MAX_QUANTITY),
            "invalid_quantity",
            "quantity",
        )
    line.quantity += quantity
    if cart.wholesale:
        _restamp_for_quantity(cart, line, pricer)
    db.session.flush()
    return line


def _restamp_for_quantity(cart: Cart, line: CartLine, pricer: Pricer) -> None:
    """A trade buyer changed a quantity: the tier it reaches is the price now quoted."""
    # by the variant's own id: a line added just now has no variant_id before a flush
    variant = line.variant
    quote = _quotes(cart, pricer, {variant.id: (variant, line.quantity)})
    if variant.id in quote:
        _stamp(line, quote[variant.id], variant)


def find_line(cart: Cart, line_id) -> CartLine:
    line = next((ln for ln in cart.lines if str(ln.id) == str(line_id)), None)
    if line is None:
        raise CartError(gettext("That item is no longer in your cart."), "unknown_line", "line")
    return line


def change_line(cart: Cart, line_id, raw_quantity) -> CartLine:
    line = find_line(cart, line_id)
    line.quantity = parse_quantity(raw_quantity)
    if cart.wholesale:
        _restamp_for_quantity(cart, line, Pricer(cart.channel))
    db.session.flush()
    return line


def remove_line(cart: Cart, line_id) -> None:
    cart.lines.remove(find_line(cart, line_id))
    db.session.flush()


def move_to_market(cart: Cart, channel: Channel, country: str, pricer: Pricer) -> None:
    """The cart in another market, in memory only: every line quoted again in its currency.
    Nothing is flushed; `switch_channel` saves the move."""
    cart.channel = channel
    cart.country = country
    quotes = _quotes(cart, pricer, {ln.variant_id: (ln.variant, ln.quantity) for ln in cart.lines})
    for line in cart.lines:
        if line.variant_id in quotes:
            _stamp(line, quotes[line.variant_id], line.variant)


def switch_channel(cart: Cart, channel: Channel, country: str, pricer: Pricer) -> None:
    """Move the cart to another market: every line is quoted again in its currency."""
    move_to_market(cart, channel, country, pricer)
    db.session.flush()


def accept_current_prices(cart: Cart, pricer: Pricer) -> None:
    """The buyer has seen the new prices: they become the quoted ones."""
    priced = price_cart(cart, pricer)
    for priced_line in priced.lines:
        if priced_line.changed:
            _stamp(priced_line.line, priced_line.quote, priced_line.line.variant)
    db.session.flush()


@dataclass(frozen=True)
class PricedLine:
    line: CartLine
    quote: Quote  # what the buyer pays now
    quoted: Money  # what the line was quoted at
    # Charged without the VAT its price holds: a company's zero-rated shipment (groups).
    net_of_vat: bool = False

    @property
    def unit_price(self) -> Money:
        return self.quote.unit_price

    @property
    def total(self) -> Money:
        return (self.unit_price * self.line.quantity).rounded()

    @property
    def changed(self) -> bool:
        return self.quote.unit_price != self.quoted


@dataclass(frozen=True)
class PricedCart:
    cart: Cart
    currency: str
    lines: list[PricedLine]
    # In the cart but not for sale in its channel now (withdrawn, or no price there).
    unavailable: list[CartLine]
    # A trade cart's lines whose quantity is below the minimum or off the step.
    quantity_problems: dict[int, QuantityError] = field(default_factory=dict)

    @property
    def subtotal(self) -> Money:
        return sum((pl.total for pl in self.lines), Money.zero(self.currency))

    @property
    def count(self) -> int:
        return sum(pl.line.quantity for pl in self.lines)

    @property
    def problems(self) -> list[dict]:
        """What stops checkout: prices the buyer has not seen yet, items not for sale."""
        changed = [
            {
                "code": "price_changed",
                "line": pl.line.id,
                "message": gettext(
                    "The price of %(sku)s changed from %(old)s to %(new)s.",
                    sku=pl.line.variant.sku,
                    old=pl.quoted.as_string(),
                    new=pl.unit_price.as_string(),
                ),
            }
            for pl in self.lines
            if pl.changed
        ]
        gone = [
            {
                "code": "not_for_sale",
                "line": line.id,
                "message": gettext(
                    "%(sku)s is no longer sold. Please choose another option.",
                    sku=line.variant.sku,
                )
                if line.variant.is_archived
                else gettext(
                    "%(sku)s is not for sale in %(currency)s yet.",
                    sku=line.variant.sku,
                    currency=self.currency,
                ),
            }
            for line in self.unavailable
        ]
        trade = [
            {
                "code": "wholesale_quantity",
                "line": line_id,
                "message": gettext(
                    "Trade orders of %(sku)s come in at least %(minimum)s, in steps of %(step)s.",
                    sku=next(pl.line.variant.sku for pl in self.lines if pl.line.id == line_id),
                    minimum=error.minimum,
                    step=error.step,
                ),
            }
            for line_id, error in self.quantity_problems.items()
        ]
        return changed + gone + trade


def _held(line: CartLine, now_quote: Quote, hold: datetime.timedelta) -> Quote | None:
    """The line's own converted quote while its rate hold lasts and the base price stands."""
    if line.quoted_source != CONVERTED or now_quote.source != CONVERTED:
        return None
    if Decimal(line.quoted_base_amount) != Decimal(line.variant.price_amount):
        return None
    if clock.now() - as_utc(line.quoted_at) > hold:
        return None
    return Quote(
        Money(line.quoted_amount, line.quoted_currency),
        CONVERTED,
        line.quoted_rate,
        line.quoted_rate_date,
    )


def price_cart(cart: Cart, pricer: Pricer) -> PricedCart:
    hold = datetime.timedelta(hours=settings()["QUOTE_HOLD_HOURS"])
    live = [
        ln for ln in cart.lines if ln.variant.product.is_published and not ln.variant.is_archived
    ]
    quotes = _quotes(cart, pricer, {ln.variant_id: (ln.variant, ln.quantity) for ln in live})
    lines, unavailable = [], [ln for ln in cart.lines if ln not in live]
    for line in live:
        quote = quotes.get(line.variant_id)
        if quote is None or line.quoted_currency != quote.unit_price.currency:
            unavailable.append(line)
            continue
        quote = _held(line, quote, hold) or quote
        lines.append(PricedLine(line, quote, Money(line.quoted_amount, line.quoted_currency)))
    problems = {}
    if cart.wholesale:
        by_variant = wholesale_problems(
            [pl.line.variant for pl in lines],
            {pl.line.variant_id: pl.line.quantity for pl in lines},
        )
        problems = {
            pl.line.id: by_variant[pl.line.variant_id]
            for pl in lines
            if pl.line.variant_id in by_variant
        }
    return PricedCart(cart, cart.channel.currency, lines, unavailable, problems)
