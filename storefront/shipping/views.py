"""The shipping page of the back office: zones, their methods and weight bands, and each
channel's free-shipping threshold. Owner and staff only."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from flask import abort, flash, redirect, request
from sqlalchemy import select

from channels.money import InvalidMoney, Money
from i18n import translations_from_form

from ..accounts import STAFF_ROLES, roles_required
from ..db import db
from ..errors import InputError
from ..markets.tables import Channel
from ..mount import render_template, url_for
from ..request_checks import bounded_int
from . import bp
from .carriers import carriers, save_carrier
from .operations import (
    MethodInput,
    ShippingError,
    ZoneInput,
    all_zones,
    delete,
    save_method,
    save_zone,
)
from .tables import Carrier, ShippingMethod, ShippingZone


def _position(raw: str | None) -> int:
    try:
        return max(0, int(raw or 0))
    except ValueError:
        raise ShippingError("The position is a whole number.", field="position") from None


def _page(status: int = 200, form: dict | None = None, error: InputError | None = None):
    channels = db.session.scalars(select(Channel).order_by(Channel.position)).all()
    retired = db.session.scalars(
        select(Carrier.code).where(Carrier.is_active.is_(False)).order_by(Carrier.code)
    ).all()
    return render_template(
        "shipping/index.html",
        zones=all_zones(),
        channels=channels,
        carriers=carriers(),
        retired_carriers=retired,
        form=form or {},
        error=error,
    ), status


@bp.get("/")
@roles_required(*STAFF_ROLES)
def index():
    method = db.session.get(ShippingMethod, request.args.get("method", 0, type=bounded_int))
    return _page(form=_method_form(method) if method else None)


def _method_form(method: ShippingMethod) -> dict:
    """The method form filled with a method as it is, to change it (`?method=<id>`)."""
    bands = (
        f"{b.up_to_grams} {Money(b.amount, method.currency).rounded().amount}" for b in method.bands
    )
    return {
        "zone": method.zone.code,
        "code": method.code,
        "name": method.name,
        "currency": method.currency,
        "bands": "\n".join(bands),
        "position": method.position,
        "active": "1" if method.active else "",
        **{f"name_{locale}": name for locale, name in (method.names or {}).items()},
    }


def _saved(save, what: str):
    """Run a save; a refusal re-shows the page with the input and the error, nothing kept."""
    try:
        save()
    except InputError as error:  # a zone, method or carrier the shop cannot save
        db.session.rollback()
        return _page(422, request.form.to_dict(), error)
    db.session.commit()
    flash(what, "success")
    return redirect(url_for("shipping.index"), 303)


@bp.post("/zones")
@roles_required(*STAFF_ROLES)
def zone():
    form = request.form
    return _saved(
        lambda: save_zone(
            ZoneInput(
                code=form.get("code", "").strip(),
                name=form.get("name", ""),
                countries=form.get("countries", ""),
                position=_position(form.get("position")),
            )
        ),
        f"Zone {form.get('code', '').strip()} saved.",
    )


@bp.post("/methods")
@roles_required(*STAFF_ROLES)
def method():
    form = request.form
    return _saved(
        lambda: save_method(
            MethodInput(
                zone=form.get("zone", ""),
                code=form.get("code", "").strip(),
                name=form.get("name", ""),
                currency=form.get("currency", "").strip(),
                bands=form.get("bands", ""),
                active=form.get("active") == "1",
                position=_position(form.get("position")),
                names=translations_from_form(form),
            )
        ),
        f"Method {form.get('code', '').strip()} saved.",
    )


@bp.post("/carriers")
@roles_required(*STAFF_ROLES)
def carrier():
    """Add a carrier, change one's name or tracking link, retire or bring one back."""
    form = request.form
    return _saved(
        lambda: save_carrier(
            form.get("code", ""),
            form.get("name") or None,
            form.get("tracking_url") or None,  # empty: keep the link it has
            active=form.get("retire") != "1",
        ),
        f"Carrier {form.get('code', '').strip()} saved.",
    )


DELETABLE = {"zones": (ShippingZone, "Zone and its methods deleted."),
             "methods": (ShippingMethod, "Method deleted.")}  # fmt: skip


@bp.post("/<any(zones, methods):kind>/<int:row_id>/delete")
@roles_required(*STAFF_ROLES)
def remove(kind: str, row_id: int):
    """Delete a zone (with its methods) or a method, once the form's box confirms it."""
    table, done = DELETABLE[kind]
    if request.form.get("confirm") != "yes":
        flash("Tick the box to confirm the deletion: nothing was deleted.", "error")
        return redirect(url_for("shipping.index"), 303)
    if not delete(table, row_id):
        abort(404)
    db.session.commit()
    flash(done, "success")
    return redirect(url_for("shipping.index"), 303)


@bp.post("/channels/<code>/free-over")
@roles_required(*STAFF_ROLES)
def free_over(code: str):
    channel = db.session.scalar(select(Channel).where(Channel.code == code))
    if channel is None:
        abort(404)
    raw = (request.form.get("amount") or "").strip()
    if not raw:
        channel.free_shipping_over = None
    else:
        try:
            amount = Money(Decimal(raw), channel.currency)
        except (InvalidOperation, InvalidMoney):
            amount = None
        if amount is None or amount.amount <= 0 or not amount.is_rounded:
            return _page(
                422,
                {"channel": code, "amount": raw},
                ShippingError(
                    f"Enter the threshold in {channel.currency} like 150.00, or leave it empty.",
                    field="amount",
                ),
            )
        channel.free_shipping_over = amount.amount
    db.session.commit()
    flash(f"Free-shipping threshold of {channel.name} saved.", "success")
    return redirect(url_for("shipping.index"), 303)
