"""The back office's quotes (staff): the list, a draft and its revisions from one form
(lines by SKU with negotiated prices and their reasons, Incoterm and place, freight,
insurance, validity, payment terms), sending it, and each version's proforma."""

from __future__ import annotations

from flask import Response, abort, flash, redirect, request
from sqlalchemy import select

from ..accounts import STAFF_ROLES, roles_required
from ..accounts.current import current_user
from ..db import db
from ..errors import InputError
from ..markets.tables import Channel
from ..mount import render_template, url_for
from . import admin_bp
from .operations import LOCALES, create_quote, revise_quote, send_quote, withdraw_quote
from .proforma import filename, proforma_pdf
from .rules import INCOTERMS, QuoteError, check_quote
from .seams import find_buyer
from .tables import Quote


def actor() -> str:
    return f"{current_user.name or current_user.email} <{current_user.email}>"


def parse_lines(text: str) -> list[dict]:
    """One line each: `SKU QUANTITY [UNIT_PRICE REASON...]`."""
    lines = []
    for i, row in enumerate(r for r in (text or "").splitlines() if r.strip()):
        parts = row.split(None, 3)
        if len(parts) < 2:
            raise QuoteError(
                "Write each line as: SKU QUANTITY [UNIT_PRICE REASON]",
                "invalid_line",
                f"lines[{i}]",
            )
        line = {"sku": parts[0], "quantity": parts[1]}
        if len(parts) > 2:
            line["unit_price"] = parts[2]
            line["reason"] = parts[3] if len(parts) > 3 else ""
        lines.append(line)
    return lines


def _form_body() -> dict:
    f = request.form
    return {
        "lines": parse_lines(f.get("lines", "")),
        "incoterm": f.get("incoterm", ""),
        "place": f.get("place", ""),
        "freight": f.get("freight") or None,
        "insurance": f.get("insurance") or None,
        "valid_until": f.get("valid_until", ""),
        "payment_terms": f.get("payment_terms", ""),
    }


def _form_page(quote: Quote | None, error: InputError | None = None, status: int = 200):
    channels = db.session.scalars(select(Channel).order_by(Channel.position)).all()
    return render_template(
        "quotes/admin_form.html",
        quote=quote,
        form=request.form,
        error=error,
        incoterms=INCOTERMS,
        channels=channels,
        locales=LOCALES,
    ), status


@admin_bp.get("")
@roles_required(*STAFF_ROLES)
def index():
    quotes = db.session.scalars(select(Quote).order_by(Quote.id.desc()).limit(200)).all()
    return render_template("quotes/admin_list.html", quotes=quotes)


@admin_bp.route("/new", methods=["GET", "POST"])
@roles_required(*STAFF_ROLES)
def new():
    if request.method == "GET":
        return _form_page(None)
    f = request.form
    try:
        buyer = find_buyer(f.get("company", ""))
        if buyer is None:
            raise QuoteError(
                "No trade buyer has this e-mail or company code.", "unknown_company", "company"
            )
        quote = create_quote(
            buyer,
            _form_body(),
            actor(),
            company=f.get("company_name", ""),
            channel_code=f.get("channel") or None,
            country=(f.get("country") or "").strip().upper() or None,
            locale=f.get("locale") or None,
        )
    except InputError as error:
        db.session.rollback()
        return _form_page(None, error, 422)
    db.session.commit()
    flash(f"Quote {quote.number} drafted.", "success")
    return redirect(url_for("quotes_admin.show", quote_id=quote.id), 303)


@admin_bp.route("/<int:quote_id>", methods=["GET", "POST"])
@roles_required(*STAFF_ROLES)
def show(quote_id: int):
    quote = db.session.get(Quote, quote_id) or abort(404)
    if request.method == "GET":
        return _form_page(quote)
    try:
        revise_quote(quote, check_quote(_form_body(), quote.currency), actor())
    except InputError as error:
        db.session.rollback()
        return _form_page(db.session.get(Quote, quote_id), error, 422)
    db.session.commit()
    flash(f"Quote {quote.number}: version {quote.current_version} saved.", "success")
    return redirect(url_for("quotes_admin.show", quote_id=quote.id), 303)


@admin_bp.post("/<int:quote_id>/send")
@roles_required(*STAFF_ROLES)
def send(quote_id: int):
    quote = db.session.get(Quote, quote_id) or abort(404)
    return _act(quote, send_quote, f"Quote {quote.number} sent to {quote.buyer.email}.")


@admin_bp.post("/<int:quote_id>/withdraw")
@roles_required(*STAFF_ROLES)
def withdraw(quote_id: int):
    quote = db.session.get(Quote, quote_id) or abort(404)
    return _act(quote, withdraw_quote, f"Quote {quote.number} withdrawn.")


def _act(quote: Quote, action, done: str):
    try:
        action(quote)
    except InputError as error:
        db.session.rollback()
        flash(error.message, "error")
    else:
        db.session.commit()
        flash(done, "success")
    return redirect(url_for("quotes_admin.show", quote_id=quote.id), 303)


@admin_bp.get("/<int:quote_id>/v<int:n>/proforma.pdf")
@roles_required(*STAFF_ROLES)
def version_pdf(quote_id: int, n: int):
    quote = db.session.get(Quote, quote_id) or abort(404)
    version = quote.version_no(n) or abort(404)
    return Response(
        proforma_pdf(quote, version),
        mimetype="application/pdf",
        headers={"Content-Disposition": f'inline; filename="{filename(quote, version)}"'},
    )
