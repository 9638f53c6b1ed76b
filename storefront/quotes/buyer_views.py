"""The trade buyer's side: a quote's page (the current version, its proforma, Accept), and
asking for a quote from the cart. The page opens for the buyer signed in, or with the key
of the link in the quote's mail."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from flask import Response, abort, flash, redirect, request
from flask_babel import gettext
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from channels.money import Money

from .. import clock
from ..accounts.current import current_user
from ..accounts.tables import Role, User
from ..cart import session_cart
from ..config import settings
from ..db import db
from ..errors import InputError, flash_refusal
from ..markets.pricing import Pricer
from ..mount import render_template, url_for
from . import bp
from .acceptance import accept_quote, refusal
from .operations import create_quote, opens
from .proforma import filename, proforma_pdf
from .rules import terms_in_words
from .tables import ACCEPTED, DRAFT, EXPIRED, SENT, WITHDRAWN, Quote

REQUEST_DAYS = 30  # a quote asked for from the cart is valid this long until staff revise it


@dataclass(frozen=True)
class QuoteView:
    """A quote as the buyer's account page lists it."""

    number: str
    status: str  # its shown status: `expired` once the validity date has passed
    status_label: str
    valid_until: datetime.date
    total: Money
    url: str


def status_labels() -> dict[str, str]:
    return {
        DRAFT: gettext("In preparation"),
        SENT: gettext("Awaiting your acceptance"),
        ACCEPTED: gettext("Accepted"),
        EXPIRED: gettext("Expired"),
        WITHDRAWN: gettext("Withdrawn"),
    }


def buyer_quotes() -> list[QuoteView]:
    """The signed-in buyer's quotes, newest first (a Jinja global for the account page,
    as customers sits below quotes and may not import it)."""
    if not current_user.is_authenticated:
        return []
    found = db.session.scalars(
        select(Quote)
        .where(Quote.buyer_id == current_user.id)
        .options(selectinload(Quote.versions))
        .order_by(Quote.created_at.desc(), Quote.id.desc())
    )
    labels = status_labels()
    views = []
    for quote in found:
        version, status = quote.current, quote.shown_status
        views.append(
            QuoteView(
                number=quote.number,
                status=status,
                status_label=labels.get(status, status),
                valid_until=version.valid_until,
                total=Money(version.total_amount, quote.currency).rounded(),
                url=url_for("quotes.page", quote_id=quote.id),
            )
        )
    return views


def buyer_access(quote: Quote, key: str) -> str | None:
    """How the visitor may act for the quote's buyer ("session", "link"), or None."""
    if current_user.is_authenticated and current_user.id == quote.buyer_id:
        return "session"
    if opens(quote, key):
        return "link"
    return None


def _quote_or_404(quote_id: int) -> tuple[Quote, str, str]:
    quote = db.session.get(Quote, quote_id)
    key = request.values.get("key", "")
    via = buyer_access(quote, key) if quote is not None else None
    if via is None:
        abort(404)  # a quote is nobody else's business: not even that it exists
    return quote, key, via


@bp.get("/<int:quote_id>")
def page(quote_id: int):
    quote, key, _via = _quote_or_404(quote_id)
    version = quote.current
    return render_template(
        "quotes/page.html",
        quote=quote,
        version=version,
        key=key,
        terms_words=terms_in_words(version.payment_terms),
        refusal=None if quote.status == "accepted" else refusal(quote, None),
    )


@bp.get("/<int:quote_id>/proforma.pdf")
def proforma(quote_id: int):
    quote, _key, _via = _quote_or_404(quote_id)
    version = quote.current
    return Response(
        proforma_pdf(quote, version),
        mimetype="application/pdf",
        headers={"Content-Disposition": f'inline; filename="{filename(quote, version)}"'},
    )


@bp.post("/<int:quote_id>/accept")
def accept(quote_id: int):
    quote, key, via = _quote_or_404(quote_id)
    raw = request.form.get("version", "")
    version = int(raw) if raw.isdigit() and len(raw) < 6 else None
    try:
        accepted = accept_quote(
            quote.id, quote.buyer, version=version, ip=request.remote_addr or "", via=via
        )
    except InputError as error:
        flash_refusal(error)
        return redirect(url_for("quotes.page", quote_id=quote_id, key=key or None), 303)
    db.session.commit()
    if not accepted.repeated:
        flash(
            gettext("Thank you: your order %(number)s is placed.", number=accepted.order.number),
            "success",
        )
    return redirect(url_for("quotes.page", quote_id=quote_id, key=key or None), 303)


@bp.post("/request")
def request_from_cart():
    """A trade buyer asks for a quote on their cart: a draft for staff to complete."""
    if not (current_user.is_authenticated and current_user.role == Role.WHOLESALE):
        abort(403)
    cart = session_cart()
    if cart is None or not cart.lines:
        flash(gettext("Your cart is empty."), "error")
        return redirect(url_for("cart.view"), 303)
    from ..cart.operations import price_cart

    priced = price_cart(cart, Pricer(cart.channel))
    body = {
        "lines": [
            {"sku": pl.line.variant.sku, "quantity": pl.line.quantity} for pl in priced.lines
        ],
        "incoterm": "EXW",
        "place": settings()["SHOP_NAME"],
        "payment_terms": "prepay",
        "valid_until": (clock.today() + datetime.timedelta(days=REQUEST_DAYS)).isoformat(),
    }
    buyer = db.session.get(User, current_user.id)
    try:
        quote = create_quote(
            buyer,
            body,
            f"{buyer.name or buyer.email} <{buyer.email}> (from the cart)",
            channel_code=cart.channel.code,
            country=cart.country,
            locale=cart.locale or None,
            from_cart=True,
        )
    except InputError as error:
        flash_refusal(error)
        return redirect(url_for("cart.view"), 303)
    db.session.commit()
    flash(
        gettext(
            "We received your request for a quote %(number)s: we will send it to you by e-mail.",
            number=quote.number,
        ),
        "success",
    )
    return redirect(url_for("quotes.page", quote_id=quote.id), 303)
