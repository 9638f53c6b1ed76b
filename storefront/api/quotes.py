"""Quotes in the API (see API.md, "Documents"): staff draft, read and revise them
(`/admin/quotes`), download a version's proforma, send it; the trade buyer accepts the
current version (`POST /quotes/{id}/accept`) with their API key, their signed-in session,
or the key of the link in the quote's mail (`?key=` or `{"key"}`)."""

from __future__ import annotations

from flask import Response, jsonify, request
from flask_babel import gettext

from channels.money import Money

from ..accounts.api_keys import bearer_token
from ..db import db, iso_utc
from ..quotes.acceptance import accept_quote
from ..quotes.buyer_views import buyer_access
from ..quotes.operations import create_quote, revise_quote, send_quote
from ..quotes.proforma import filename, proforma_pdf
from ..quotes.rules import QuoteError, check_quote, terms_in_words
from ..quotes.seams import find_buyer
from ..quotes.tables import Quote, QuoteVersion
from .auth import api_user
from .errors import ApiError, json_object
from .records import staff_only
from .spec import operation
from .views import bp


def _money(amount, currency: str) -> dict | None:
    return None if amount is None else Money(amount, currency).rounded().as_json()


def version_json(quote: Quote, v: QuoteVersion) -> dict:
    c = quote.currency
    return {
        "version": v.version,
        "company": {
            "code": v.company_code,
            "legal_name": v.company_legal_name,
            "vat_number": v.company_vat_number,
            "country": v.company_country,
        },
        "lines": [
            {
                "sku": ln["sku"],
                "quantity": ln["quantity"],
                "unit_price": _money(ln["unit_amount"], c),
                "list_price": _money(ln["list_amount"], c),
                "override_reason": ln["reason"] or None,
                "hs_code": ln["hs_code"],
                "origin_country": ln["origin"],
            }
            for ln in v.lines
        ],
        "incoterm": v.incoterm,
        "place": v.place,
        "freight": _money(v.freight_amount, c),
        "insurance": _money(v.insurance_amount, c),
        "valid_until": v.valid_until.isoformat(),
        "payment_terms": v.payment_terms,
        "payment_terms_text": terms_in_words(v.payment_terms),
        "shipments": [
            {
                "ship_from": s["ship_from"],
                "eta": {"min_days": s["min_days"], "max_days": s["max_days"]},
                "skus": s["skus"],
                "import_collected": s["import_collected"],
            }
            for s in v.shipments
        ],
        "totals": {
            "subtotal": _money(v.subtotal_amount, c),
            "import_charges": _money(v.import_amount, c),
            "total": _money(v.total_amount, c),
        },
        "created_by": v.created_by,
        "created_at": iso_utc(v.created_at),
    }


def quote_json(quote: Quote, *, history: bool = True) -> dict:
    answer = {
        "id": quote.id,
        "number": quote.number,
        "status": quote.shown_status,
        "channel": quote.channel.code,
        "currency": quote.currency,
        "country": quote.country,
        "locale": quote.locale,
        "buyer": quote.buyer.email,
        "current_version": quote.current_version,
        "current": version_json(quote, quote.current),
        "acceptance": None
        if quote.accepted_at is None
        else {
            "version": quote.accepted_version,
            "accepted_at": iso_utc(quote.accepted_at),
            "ip": quote.accepted_ip,
            "via": quote.accepted_via,
            "order": quote_order_number(quote),
        },
    }
    if history:
        answer["versions"] = [version_json(quote, v) for v in quote.versions]
    return answer


def quote_order_number(quote: Quote) -> str | None:
    from ..orders.tables import Order

    order = db.session.get(Order, quote.order_id) if quote.order_id else None
    return order.number if order else None


def _quote(quote_id: int) -> Quote:
    quote = db.session.get(Quote, quote_id)
    if quote is None:
        raise ApiError(404, "not_found", gettext("There is no quote %(id)s.", id=quote_id))
    return quote


_ERRORS = (400, 401, 403, 404, 409, 422)


@bp.post("/admin/quotes")
@operation(
    "Draft a quote for a trade buyer (version 1)",
    tags=["back office"],
    body="QuoteRequest",
    response="Quote",
    errors=_ERRORS,
    security="bearer",
    status=201,
)
def quote_create():
    staff_only()
    body = json_object()
    buyer = find_buyer(body.get("company") if isinstance(body.get("company"), str) else "")
    if buyer is None:
        raise QuoteError(
            gettext("No trade buyer has this e-mail or company code."), "unknown_company", "company"
        )
    texts = {}
    for name in ("channel", "country", "locale", "company_name"):
        value = body.get(name)
        if value is not None and not (isinstance(value, str) and 0 < len(value) <= 200):
            raise QuoteError(gettext("This field must be a short text."), "invalid_field", name)
        texts[name] = value
    quote = create_quote(
        buyer,
        body,
        _actor(),
        company=texts["company_name"] or "",
        channel_code=texts["channel"],
        country=texts["country"],
        locale=texts["locale"],
    )
    db.session.commit()
    return jsonify(quote_json(quote)), 201


def _actor() -> str:
    user = api_user()
    return f"{user.name or user.email} <{user.email}> (API)"


@bp.get("/admin/quotes/<int:quote_id>")
@operation(
    "A quote with every version",
    tags=["back office"],
    response="Quote",
    errors=(401, 403, 404),
    security="bearer",
)
def quote_read(quote_id: int):
    staff_only()
    return jsonify(quote_json(_quote(quote_id)))


@bp.patch("/admin/quotes/<int:quote_id>")
@operation(
    "Revise a quote: its terms become a new version; earlier ones stay",
    tags=["back office"],
    body="QuoteRequest",
    response="Quote",
    errors=_ERRORS,
    security="bearer",
)
def quote_revise(quote_id: int):
    staff_only()
    quote = _quote(quote_id)
    body = json_object()
    revise_quote(quote, check_quote(body, quote.currency), _actor())
    db.session.commit()
    return jsonify(quote_json(quote))


@bp.post("/admin/quotes/<int:quote_id>/send")
@operation(
    "Send the quote to its buyer: a mail with the link to accept it",
    tags=["back office"],
    response="Quote",
    errors=(401, 403, 404, 409),
    security="bearer",
)
def quote_send(quote_id: int):
    staff_only()
    quote = _quote(quote_id)
    send_quote(quote)
    db.session.commit()
    return jsonify(quote_json(quote))


@bp.get("/admin/quotes/<int:quote_id>/proforma.pdf")
@operation(
    "The proforma invoice of the current version (or ?version=), in the buyer's language",
    tags=["back office"],
    errors=(401, 403, 404),
    security="bearer",
)
def quote_proforma(quote_id: int):
    staff_only()
    quote = _quote(quote_id)
    raw = request.args.get("version", "")
    version = quote.version_no(int(raw)) if raw.isdigit() and len(raw) < 6 else quote.current
    if version is None:
        raise ApiError(404, "not_found", gettext("This quote has no such version."), "version")
    return Response(
        proforma_pdf(quote, version),
        mimetype="application/pdf",
        headers={"Content-Disposition": f'inline; filename="{filename(quote, version)}"'},
    )


@bp.post("/quotes/<int:quote_id>/accept")
@operation(
    "The trade buyer accepts the quote's current version: ONE order at the quoted "
    "prices and terms (a repeat answers the same order)",
    tags=["buyers"],
    body="QuoteAcceptance",
    response="QuoteAccepted",
    errors=(400, 401, 404, 409),
    status=(201, 200),
)
def quote_accept(quote_id: int):
    body = json_object(empty=True)
    quote = db.session.get(Quote, quote_id)
    via = None
    if quote is not None:
        if bearer_token(request.headers.get("Authorization")) is not None:
            user = api_user()
            via = "api_key" if user.id == quote.buyer_id else None
        else:
            key = body.get("key") or request.args.get("key", "")
            via = buyer_access(quote, key if isinstance(key, str) else "")
    if via is None:  # another's quote is as unknown as a missing one
        raise ApiError(404, "not_found", gettext("There is no quote %(id)s.", id=quote_id))
    version = body.get("version")
    if version is not None and type(version) is not int:
        raise ApiError(400, "invalid_version", gettext("The version is a whole number."), "version")
    accepted = accept_quote(
        quote.id, quote.buyer, version=version, ip=request.remote_addr or "", via=via
    )
    db.session.commit()
    order = accepted.order
    return jsonify(
        {
            "quote": accepted.quote.number,
            "version": accepted.quote.accepted_version,
            "order": {
                "id": order.id,
                "number": order.number,
                "total": Money(order.total_amount, order.currency).rounded().as_json(),
                "incoterm": order.incoterm,
                "incoterm_place": order.incoterm_place,
                "payment_terms": order.payment_terms,
            },
        }
    ), 200 if accepted.repeated else 201
