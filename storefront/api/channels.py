"""Channels and exchange rates in the admin API: channels listed (paged), one, created,
edited, archived; the rates in use, and a dated manual rate. Staff keys only; the rules
are the markets' (`markets.channels_admin`), as on the back-office pages."""

from __future__ import annotations

import datetime

from flask import jsonify, request
from flask_babel import gettext

from .. import clock
from ..accounts.tables import Role
from ..db import db
from ..markets import channels_admin
from ..markets.channels_admin import ChannelInput, RateError
from ..markets.tables import Channel
from .auth import api_user
from .errors import ApiError, json_object
from .spec import operation, query_param
from .views import _decode_cursor, _encode_cursor, bp

PAGE_SIZE = 50
STAFF = (Role.OWNER, Role.STAFF)
COMMON = {"tags": ["back office"], "security": "bearer"}


def _staff() -> None:
    if api_user().role not in STAFF:
        raise ApiError(403, "forbidden", gettext("This key may not use the back-office API."))


def _channel_json(channel: Channel) -> dict:
    free = channel.free_shipping_over
    return {
        "code": channel.code,
        "name": channel.name,
        "currency": channel.currency,
        "countries": channel.countries,
        "locales": channel.locales,
        "tax_display": channel.tax_display,
        "duty_policy": channel.duty_policy,
        "rounding_rule": channel.rounding_rule,
        "free_shipping_over": None if free is None else f"{free.normalize():f}",
        "position": channel.position,
        "is_active": channel.is_active,
    }


def _text(body: dict, name: str, current: str) -> str:
    value = body.get(name, current)
    if not isinstance(value, str):
        raise ApiError(400, f"invalid_{name}", f"{name} must be text.", name)
    return value


def _codes(body: dict, name: str, current: list[str]) -> str:
    value = body.get(name, current)
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ApiError(400, f"invalid_{name}", f"{name} must be a list of codes.", name)
    return " ".join(value)


def _input(body: dict, channel: Channel | None) -> ChannelInput:
    if "free_shipping_over" in body:
        free = body["free_shipping_over"]
        if free is None:
            free = ""
        elif isinstance(free, int) and not isinstance(free, bool):
            free = str(free)
        elif not isinstance(free, str):
            raise ApiError(
                400,
                "invalid_free_shipping_over",
                'free_shipping_over must be a decimal string like "150.00", or null.',
                "free_shipping_over",
            )
    else:
        current = channel.free_shipping_over if channel else None
        free = "" if current is None else f"{current.normalize():f}"
    return ChannelInput(
        code=_text(body, "code", channel.code if channel else ""),
        name=_text(body, "name", channel.name if channel else ""),
        currency=_text(body, "currency", channel.currency if channel else ""),
        countries=_codes(body, "countries", channel.countries if channel else []),
        locales=_codes(body, "locales", channel.locales if channel else []),
        tax_display=_text(body, "tax_display", channel.tax_display if channel else "gross"),
        duty_policy=_text(body, "duty_policy", channel.duty_policy if channel else "dap"),
        rounding_rule=_text(
            body, "rounding_rule", channel.rounding_rule if channel else "precision"
        ),
        free_shipping_over=free,
        position=body.get("position", channel.position if channel else 0),
    )


def _one(code: str) -> Channel:
    channel = channels_admin.by_code(code)
    if channel is None:
        raise ApiError(404, "not_found", f"There is no channel {code}.", "code")
    return channel


@bp.get("/admin/channels")
@operation(
    "Channels, paged (`q` searches code and name; `archived=1`)",
    query=[
        query_param("q", "Text in the code or name"),
        query_param("archived", "1: the archived ones"),
        query_param("cursor", "The `next` value of the previous page"),
    ],
    response="AdminChannelPage",
    errors=(400, 401, 403),
    **COMMON,
)
def admin_channels_list():
    _staff()
    statement = (
        channels_admin.find(request.args.get("q", ""), request.args.get("archived") == "1")
        .order_by(None)
        .order_by(Channel.id)
    )
    after = _decode_cursor(request.args.get("cursor"))
    if after is not None:
        statement = statement.where(Channel.id > after)
    rows = db.session.scalars(statement.limit(PAGE_SIZE + 1)).all()
    more = len(rows) > PAGE_SIZE
    rows = rows[:PAGE_SIZE]
    return jsonify(
        items=[_channel_json(c) for c in rows],
        next=_encode_cursor(rows[-1].id) if more else None,
    )


@bp.post("/admin/channels")
@operation(
    "Create a channel (a currency, the countries it sells to, its languages and rules)",
    body="AdminChannel",
    response="AdminChannel",
    errors=(400, 401, 403),
    status=201,
    **COMMON,
)
def admin_channels_create():
    _staff()
    channel = channels_admin.save_channel(_input(json_object(), None))
    db.session.commit()
    return jsonify(_channel_json(channel)), 201


@bp.get("/admin/channels/<code>")
@operation("One channel", response="AdminChannel", errors=(401, 403, 404), **COMMON)
def admin_channels_one(code: str):
    _staff()
    return jsonify(_channel_json(_one(code)))


@bp.patch("/admin/channels/<code>")
@operation(
    "Edit a channel (the fields given; the code never changes)",
    body="AdminChannel",
    response="AdminChannel",
    errors=(400, 401, 403, 404),
    **COMMON,
)
def admin_channels_edit(code: str):
    _staff()
    channel = _one(code)
    channel = channels_admin.save_channel(_input(json_object(), channel), channel)
    db.session.commit()
    return jsonify(_channel_json(channel))


@bp.post("/admin/channels/<code>/archive")
@operation(
    "Archive a channel: offered to no visitor, its countries free for another; "
    "its carts and orders keep it",
    response="AdminChannel",
    errors=(400, 401, 403, 404),
    **COMMON,
)
def admin_channels_archive(code: str):
    _staff()
    channel = _one(code)
    channels_admin.archive(channel)
    db.session.commit()
    return jsonify(_channel_json(channel))


def _rate_json(row: channels_admin.RateRow) -> dict:
    return {
        "currency": row.currency,
        "rate": f"{row.rate.normalize():f}",
        "date": row.date.isoformat(),
        "source": row.source,
        "stale": row.stale,
    }


@bp.get("/admin/fx-rates")
@operation(
    "The exchange rates in use (1 EUR = rate), each with its date, source and stale flag",
    response="FxRateList",
    errors=(401, 403),
    **COMMON,
)
def admin_fx_rates():
    _staff()
    return jsonify(items=[_rate_json(r) for r in channels_admin.rate_rows(clock.today())])


@bp.post("/admin/fx-rates")
@operation(
    "Enter a dated rate (`{currency, rate, date?}`, 1 EUR = rate; date: today), "
    "as `flask fx set` does",
    body="FxRate",
    response="FxRate",
    errors=(400, 401, 403),
    status=201,
    **COMMON,
)
def admin_fx_rates_set():
    _staff()
    body = json_object()
    raw_date = body.get("date")
    if raw_date is None:
        on = clock.today()
    else:
        try:
            on = datetime.date.fromisoformat(raw_date) if isinstance(raw_date, str) else None
        except ValueError:
            on = None
        if on is None:
            raise RateError(f"{raw_date!r} is not a date like 2026-12-05.", field="date")
    rate = body.get("rate")
    if isinstance(rate, float | bool) or not isinstance(rate, str | int):
        raise RateError('The rate is a decimal string like "0.3071".', field="rate")
    currency = body.get("currency")
    if not isinstance(currency, str):
        raise RateError("The currency is an ISO 4217 code like KWD.", field="currency")
    currency, value = channels_admin.set_rate(currency, rate, on)
    db.session.commit()
    stale = any(r.stale for r in channels_admin.rate_rows(clock.today()) if r.currency == currency)
    return jsonify(
        currency=currency,
        rate=f"{value.normalize():f}",
        date=on.isoformat(),
        source="manual",
        stale=stale,
    ), 201
