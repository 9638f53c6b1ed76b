"""Drafting, revising, sending and withdrawing quotes. Services flush and never commit.

A quote belongs to one trade buyer and their company, in one channel's currency, for one
destination country. Each save of its terms is a new version (`QuoteVersion`); earlier
versions stay as they were. Acceptance is in `acceptance`.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from flask_babel import gettext
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import func, select

from channels.money import Money

from .. import clock
from ..accounts.tables import User
from ..cart.tables import Cart
from ..config import settings
from ..db import db
from ..mail.operations import absolute_url, send_templated
from ..markets.tables import Channel
from .pricing import as_priced_cart, line_total, priced_lines, shipments
from .rules import QuoteConflict, QuoteError, QuoteInput, check_quote
from .seams import Company, company_of
from .tables import ACCEPTED, DRAFT, SENT, WITHDRAWN, Quote, QuoteVersion

LOCALES = ("en", "de", "fr", "es", "ja", "zh_Hans", "ar")
_LINK_SALT = "storefront.quote-link"


def _next_number() -> str:
    year = clock.today().year
    prefix = f"Q-{year}-"
    last = db.session.scalar(select(func.max(Quote.number)).where(Quote.number.like(f"{prefix}%")))
    n = int(last.rsplit("-", 1)[1]) + 1 if last else 1
    return f"{prefix}{n:04d}"


def channel_for(code, country: str) -> Channel:
    """The channel named by `code`, else the first one delivering to `country`."""
    query = select(Channel).where(Channel.is_active.is_(True)).order_by(Channel.position)
    channels = list(db.session.scalars(query))
    if code:
        found = next((c for c in channels if c.code == code), None)
        if found is None:
            raise QuoteError(
                gettext("There is no channel %(code)s.", code=code), "unknown_channel", "channel"
            )
        if country and country not in found.countries:
            raise QuoteError(
                gettext(
                    "The %(channel)s shop does not deliver to %(country)s.",
                    channel=found.name,
                    country=country,
                ),
                "country_not_in_channel",
                "country",
            )
        return found
    found = next((c for c in channels if country in c.countries), None)
    if found is None:
        raise QuoteError(
            gettext("No channel delivers to %(country)s.", country=country or "?"),
            "country_not_in_channel",
            "country",
        )
    return found


def _version(quote: Quote, n: int, company: Company, data: QuoteInput, actor: str) -> QuoteVersion:
    """Price the lines, estimate each shipment and its import charges, keep it all."""
    lines = priced_lines(quote.channel, data)
    currency = quote.currency
    cart = Cart(channel=quote.channel, country=quote.country, wholesale=True, locale=quote.locale)
    parts = shipments(as_priced_cart(cart, lines), data.incoterm, data.freight, data.insurance)
    subtotal = sum((line_total(ln, currency) for ln in lines), Money.zero(currency))
    charges = sum(
        (s.landed.vat + s.landed.duty + s.landed.fees for s in parts), Money.zero(currency)
    )
    carriage = Money(Decimal(data.freight or 0) + Decimal(data.insurance or 0), currency)
    owed = sum((s.landed.charged_at_checkout for s in parts), Money.zero(currency))
    version = QuoteVersion(
        version=n,
        company_code=company.code,
        company_legal_name=company.legal_name,
        company_vat_number=company.vat_number,
        company_country=company.country,
        company_eori=company.eori,
        company_address=dict(company.billing_address) or None,
        lines=lines,
        incoterm=data.incoterm,
        place=data.place,
        freight_amount=data.freight,
        insurance_amount=data.insurance,
        valid_until=data.valid_until,
        payment_terms=data.payment_terms,
        shipments=[
            {
                "ship_from": s.group.ship_from,
                "min_days": s.group.eta.min_days,
                "max_days": s.group.eta.max_days,
                "skus": [pl.line.variant.sku for pl in s.group.lines],
                "regime": s.landed.regime,
                "import_collected": s.landed.collected_at_checkout,
                "import_charges": str((s.landed.vat + s.landed.duty + s.landed.fees).amount),
            }
            for s in parts
        ],
        subtotal_amount=subtotal.amount,
        import_amount=charges.rounded().amount,
        total_amount=(subtotal + carriage.rounded() + owed).rounded().amount,
        created_by=actor[:260],
    )
    quote.versions.append(version)
    return version


def create_quote(
    buyer: User,
    body: dict,
    actor: str,
    *,
    company: str = "",
    channel_code: str | None = None,
    country: str | None = None,
    locale: str | None = None,
    from_cart: bool = False,
) -> Quote:
    """A draft quote (version 1) for the trade buyer and their company, from the terms in
    `body` (`rules.check_quote`), in the currency of the channel that serves the country."""
    firm = company_of(buyer, company)
    country = (country or firm.country or "").upper()
    channel = channel_for(channel_code, country)
    country = country or channel.default_country
    if locale is not None and locale not in LOCALES:
        raise QuoteError(gettext("Choose one of the shop's languages."), "invalid_locale", "locale")
    data = check_quote(body, channel.currency)
    quote = Quote(
        number=_next_number(),
        buyer=buyer,
        company_code=firm.code,
        channel=channel,
        currency=channel.currency,
        country=country,
        locale=locale or (channel.locales[0] if channel.locales else "en"),
        status=DRAFT,
        current_version=1,
        requested_from_cart=from_cart,
    )
    db.session.add(quote)
    _version(quote, 1, firm, data, actor)
    db.session.flush()
    return quote


def _still_open(quote: Quote) -> None:
    if quote.status == ACCEPTED:
        raise QuoteConflict(
            gettext("Quote %(number)s was accepted already.", number=quote.number),
            "quote_accepted",
        )
    if quote.status == WITHDRAWN:
        raise QuoteConflict(
            gettext("Quote %(number)s was withdrawn.", number=quote.number), "quote_withdrawn"
        )


def revise_quote(quote: Quote, data: QuoteInput, actor: str, company: str = "") -> QuoteVersion:
    """A new version with these terms; the earlier ones stay, and only the new one can be
    accepted."""
    _still_open(quote)
    current = quote.current
    firm = company_of(quote.buyer, company or current.company_legal_name)
    version = _version(quote, quote.current_version + 1, firm, data, actor)
    quote.current_version = version.version
    db.session.flush()
    return version


def quote_key(quote: Quote) -> str:
    """The key in the link of the quote's mail: opens its page and accepts it for the buyer."""
    return URLSafeSerializer(settings()["SECRET_KEY"], salt=_LINK_SALT).dumps(
        [quote.number, quote.buyer.email.lower()]
    )


def opens(quote: Quote, key: str) -> bool:
    if not key or not isinstance(key, str):
        return False
    try:
        number, email = URLSafeSerializer(settings()["SECRET_KEY"], salt=_LINK_SALT).loads(key)
    except (BadSignature, ValueError, TypeError):
        return False
    return number == quote.number and email == quote.buyer.email.lower()


def send_quote(quote: Quote) -> None:
    """Mark it sent and mail the buyer the link to its page (in the buyer's language)."""
    _still_open(quote)
    if quote.current.valid_until < clock.today():
        raise QuoteConflict(
            gettext(
                "Quote %(number)s has expired: revise it with a new validity date first.",
                number=quote.number,
            ),
            "quote_expired",
        )
    quote.status = SENT
    quote.sent_at = clock.now()
    version = quote.current
    send_templated(
        quote.buyer.email,
        "quote_sent",
        quote.locale,
        reference=quote.number,
        number=quote.number,
        version=version.version,
        valid_until=version.valid_until,
        total=Money(version.total_amount, quote.currency).rounded(),
        url=absolute_url("quotes.page", quote_id=quote.id, key=quote_key(quote)),
    )
    db.session.flush()


def withdraw_quote(quote: Quote) -> None:
    _still_open(quote)
    quote.status = WITHDRAWN
    db.session.flush()


def expires_on(quote: Quote) -> datetime.date:
    return quote.current.valid_until
