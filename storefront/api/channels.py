"""Channels and exchange rates in the admin API: channels listed (paged), one, created,
edited, archived; the rates in use, and a dated manual rate. Staff keys only; the rules
are the markets' (`markets.channels_admin`), as on the back-office pages."""

from __future__ import annotations

import datetime

from flask import jsonify

from .. import clock
from ..db import db
from ..markets import channels_admin
from ..markets.channels_admin import ChannelInput, RateError
from ..markets.tables import Channel
from .errors import ApiError, json_object
from .records import Records, register, staff_only
from .spec import operation
from .views import bp

COMMON = {"tags": ["back office"], "security": "bearer"}


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
        "return_days": channel.return_days,
        "return_postage_cap": f"{channel.return_postage_cap.normalize():f}",
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
        return_days=body.get("return_days", channel.return_days if channel else 14),
        return_postage_cap=_text(
            body,
            "return_postage_cap",
            f"{channel.return_postage_cap.normalize():f}" if channel else "0",
        ),
    )


register(
    Records(
        "channels",
        Channel,
        "AdminChannel",
        "channel",
        "code",
        channels_admin.find,
        channels_admin.by_code,
        _channel_json,
        lambda body, channel: channels_admin.save_channel(_input(body, channel), channel),
        channels_admin.archive,
        "offered to no visitor, its countries free for another; its carts and orders keep it",
    )
)


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
    staff_only()
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
    staff_only()
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
