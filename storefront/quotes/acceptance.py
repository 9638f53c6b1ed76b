"""A trade buyer accepts a quote: it becomes ONE order through the shop's one placement
path (`orders.place_order` on a trade cart holding the quote's lines at the quoted prices),
which holds the stock; then the order takes the quote's terms: shipping is the quoted
freight and insurance, the import charges follow the Incoterm (the shop collects them under
DDP, the buyer owes them under every other term), and the Incoterm, place and payment terms
are kept on it. Services flush and never commit.

Two acceptances at once (a double click, two tabs) give one order: the quote's row is locked
while it is accepted, and the order's idempotency key is the quote's number."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from channels.money import Money

from .. import clock
from ..accounts.tables import User
from ..cart.operations import new_cart
from ..db import db
from ..notices import operations as notices
from ..orders import operations as orders
from ..orders.tables import Order
from .pricing import as_priced_cart, shipments
from .rules import QuoteConflict
from .seams import apply_terms, company_id_of
from .tables import ACCEPTED, SENT, WITHDRAWN, Quote


@dataclass(frozen=True)
class Accepted:
    quote: Quote
    order: Order
    repeated: bool  # the quote had been accepted before: this is its order


def _locked(quote_id: int) -> Quote | None:
    return db.session.scalar(
        select(Quote)
        .where(Quote.id == quote_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )


def refusal(quote: Quote, version: int | None) -> QuoteConflict | None:
    """Why this quote (at `version`, if the buyer named the one they read) cannot be
    accepted now, or None."""
    if quote.status == WITHDRAWN:
        return QuoteConflict(
            gettext("Quote %(number)s was withdrawn.", number=quote.number), "quote_withdrawn"
        )
    if quote.status != SENT:
        return QuoteConflict(
            gettext("Quote %(number)s has not been sent to you yet.", number=quote.number),
            "quote_not_sent",
        )
    if version is not None and version != quote.current_version:
        return QuoteConflict(
            gettext(
                "Version %(version)s of quote %(number)s was replaced by version %(current)s: "
                "please read and accept the current version.",
                version=version,
                number=quote.number,
                current=quote.current_version,
            ),
            "version_superseded",
            "version",
        )
    if quote.current.valid_until < clock.today():
        return QuoteConflict(
            gettext(
                "Quote %(number)s expired on %(day)s: ask us for a new one.",
                number=quote.number,
                day=quote.current.valid_until.isoformat(),
            ),
            "quote_expired",
        )
    return None


def accept_quote(quote_id: int, buyer: User, *, version: int | None, ip: str, via: str) -> Accepted:
    """Accept the quote's current version for its buyer; raises QuoteConflict (409) when it
    cannot be, CheckoutRefused when the goods cannot be held (out of stock...)."""
    quote = _locked(quote_id)
    if quote.status == ACCEPTED and quote.order_id is not None:
        if version is not None and version != quote.accepted_version:
            raise QuoteConflict(
                gettext("Quote %(number)s was accepted already.", number=quote.number),
                "quote_accepted",
            )
        return Accepted(quote, db.session.get(Order, quote.order_id), True)
    problem = refusal(quote, version)
    if problem is not None:
        raise problem
    offer = quote.current
    cart, _token = new_cart(
        quote.channel, quote.country, wholesale=True, company_id=company_id_of(buyer)
    )
    cart.locale = quote.locale
    cart.email = buyer.email
    cart.address = _ship_to(quote, offer)
    priced = as_priced_cart(cart, offer.lines)
    db.session.flush()
    # the shipments as placing the order splits them: before its holds change the stock
    parts = {
        s.group.shipper: s
        for s in shipments(priced, offer.incoterm, offer.freight_amount, offer.insurance_amount)
    }
    key = f"quote:{quote.number}"
    try:
        with db.session.begin_nested():
            order, _ = orders.place_order(
                priced, key, customer_id=buyer.id, client_key=f"customer:{buyer.id}"
            )
    except IntegrityError:
        order = orders.find_by_idempotency_key(key)
        if order is None:
            raise
        return Accepted(quote, order, True)
    _quoted_terms(order, parts, offer)
    quote.status = ACCEPTED
    quote.accepted_version = offer.version
    quote.accepted_at = clock.now()
    quote.accepted_by_id = buyer.id
    quote.accepted_ip = (ip or "")[:45]
    quote.accepted_via = via[:40]
    quote.order_id = order.id
    db.session.flush()
    notices.order_placed(order)  # queued with the order: a rolled-back acceptance sends none
    return Accepted(quote, order, False)


def _ship_to(quote: Quote, offer) -> dict:
    address = dict(offer.company_address or {})
    address.setdefault("name", offer.company_legal_name)
    address.setdefault("company_name", offer.company_legal_name)
    address["country_code"] = quote.country
    return address


def _quoted_terms(order: Order, parts: dict, offer) -> None:
    """The placed order as quoted: shipping = freight + insurance, import charges by the
    Incoterm, the total to pay, the Incoterm, place and payment terms."""
    currency = order.currency
    total = Money(order.subtotal_amount, currency)
    for group in order.groups:
        part = parts[group.shipper]
        landed = part.landed
        group.shipping_amount = part.carriage.amount
        group.shipping_method = group.local_shipping_method = f"{offer.incoterm} {offer.place}"
        group.import_regime = landed.regime
        group.import_collected = landed.collected_at_checkout
        group.import_vat_included = False
        group.import_currency = landed.vat.currency
        group.import_vat_amount = landed.vat.amount
        group.import_duty_amount = landed.duty.amount
        group.import_fees_amount = landed.fees.amount
        group.import_due_on_delivery_amount = landed.estimated_due_on_delivery.amount
        total = total + part.carriage + landed.charged_at_checkout
    order.total_amount = total.rounded().amount
    order.incoterm = offer.incoterm
    order.incoterm_place = offer.place
    apply_terms(order, offer.payment_terms)
