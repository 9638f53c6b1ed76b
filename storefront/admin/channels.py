"""Back-office pages for channels (list with search and paging, create, edit, archive with
a confirming tick, bring back) and exchange rates (the rates in use, a dated manual rate).
Staff only; the rules are the markets' (`markets.channels_admin`), as in the admin API."""

from __future__ import annotations

import datetime

from flask import abort, flash, redirect, request

from .. import clock
from ..accounts import STAFF_ROLES, roles_required
from ..db import db
from ..markets import channels_admin
from ..markets.channels_admin import ChannelError, ChannelInput, RateError
from ..mount import render_template, url_for
from ..request_checks import whole_number
from . import bp
from .paging import searched_page

FIELDS = (
    "code",
    "name",
    "currency",
    "countries",
    "locales",
    "tax_display",
    "duty_policy",
    "rounding_rule",
    "free_shipping_over",
    "position",
    "return_days",
    "return_postage_cap",
)


def _input(form) -> ChannelInput:
    position = whole_number((form.get("position") or "0").strip())
    return_days = whole_number((form.get("return_days") or "14").strip())
    return ChannelInput(
        code=form.get("code", ""),
        name=form.get("name", ""),
        currency=form.get("currency", ""),
        countries=form.get("countries", ""),
        locales=form.get("locales", ""),
        tax_display=form.get("tax_display", ""),
        duty_policy=form.get("duty_policy", ""),
        rounding_rule=form.get("rounding_rule", ""),
        free_shipping_over=form.get("free_shipping_over", ""),
        position=-1 if position is None else position,  # the service refuses -1
        return_days=-1 if return_days is None else return_days,
        return_postage_cap=form.get("return_postage_cap", ""),
    )


def _form_of(channel) -> dict:
    free = channel.free_shipping_over
    return {
        "code": channel.code,
        "name": channel.name,
        "currency": channel.currency,
        "countries": channel.countries_text,
        "locales": channel.locales_text,
        "tax_display": channel.tax_display,
        "duty_policy": channel.duty_policy,
        "rounding_rule": channel.rounding_rule,
        "free_shipping_over": "" if free is None else f"{free.normalize():f}",
        "position": channel.position,
        "return_days": channel.return_days,
        "return_postage_cap": f"{channel.return_postage_cap.normalize():f}",
    }


def _list_page(status: int = 200, form: dict | None = None, error=None):
    return render_template(
        "admin/channels.html",
        **searched_page(channels_admin.find),
        form=form
        or {
            "tax_display": "gross",
            "duty_policy": "dap",
            "rounding_rule": "precision",
            "return_days": 14,
            "return_postage_cap": "0",
        },
        error=error,
        fields=FIELDS,
    ), status


@bp.get("/channels")
@roles_required(*STAFF_ROLES)
def channels():
    return _list_page()


@bp.post("/channels")
@roles_required(*STAFF_ROLES)
def channel_create():
    try:
        channel = channels_admin.save_channel(_input(request.form))
    except ChannelError as error:
        db.session.rollback()
        return _list_page(422, request.form.to_dict(), error)
    db.session.commit()
    flash(f"{channel.name} saved.", "success")
    return redirect(url_for("admin.channels"), 303)


def _channel(code: str):
    channel = channels_admin.by_code(code)
    if channel is None:
        abort(404)
    return channel


@bp.route("/channels/<code>", methods=["GET", "POST"])
@roles_required(*STAFF_ROLES)
def channel_edit(code: str):
    channel = _channel(code)
    error = None
    if request.method == "POST":
        try:
            channel = channels_admin.save_channel(_input(request.form), channel)
        except ChannelError as refused:
            db.session.rollback()
            channel, error = _channel(code), refused
        else:
            db.session.commit()
            flash(f"{channel.name} saved.", "success")
            return redirect(url_for("admin.channel_edit", code=channel.code), 303)
    form = request.form.to_dict() if error else _form_of(channel)
    return render_template(
        "admin/channel_edit.html", record=channel, form=form, error=error, fields=FIELDS
    ), (422 if error else 200)


@bp.post("/channels/<code>/archive")
@roles_required(*STAFF_ROLES)
def channel_archive(code: str):
    channel = _channel(code)
    restore = request.form.get("restore") == "1"
    if not restore and request.form.get("confirm") != "yes":
        flash("Tick the box to confirm: nothing was archived.", "error")
        return redirect(url_for("admin.channel_edit", code=code), 303)
    try:
        channels_admin.archive(channel, archived=not restore)
    except ChannelError as error:
        db.session.rollback()
        flash(error.message, "error")
        return redirect(url_for("admin.channel_edit", code=code), 303)
    db.session.commit()
    flash(f"{channel.name} {'is back' if restore else 'archived'}.", "success")
    return redirect(url_for("admin.channel_edit", code=code), 303)


def _rates_page(status: int = 200, form: dict | None = None, error=None):
    return render_template(
        "admin/fx_rates.html",
        rows=channels_admin.rate_rows(clock.today()),
        form=form or {"date": clock.today().isoformat()},
        error=error,
    ), status


@bp.get("/fx-rates")
@roles_required(*STAFF_ROLES)
def fx_rates():
    return _rates_page()


@bp.post("/fx-rates")
@roles_required(*STAFF_ROLES)
def fx_rate_set():
    raw_date = (request.form.get("date") or "").strip()
    try:
        on = datetime.date.fromisoformat(raw_date) if raw_date else clock.today()
    except ValueError:
        error = RateError(f"{raw_date!r} is not a date like 2026-12-05.", field="date")
        return _rates_page(422, request.form.to_dict(), error)
    try:
        currency, rate = channels_admin.set_rate(
            request.form.get("currency", ""), request.form.get("rate", ""), on
        )
    except RateError as error:
        db.session.rollback()
        return _rates_page(422, request.form.to_dict(), error)
    db.session.commit()
    flash(f"1 EUR = {rate} {currency} from {on.isoformat()}.", "success")
    return redirect(url_for("admin.fx_rates"), 303)
