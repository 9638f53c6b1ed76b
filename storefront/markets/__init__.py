"""Markets as the buyer meets them: the current channel and country, and the header control.

The channel comes from `?channel=`, else the channel cookie, else the buyer's
country (cookie), else the country guessed on a first visit (see guess.py), else the
first channel. Changing country, currency or
language keeps the buyer on the page they were on.
"""

from __future__ import annotations

from functools import lru_cache
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from flask import Blueprint, current_app, flash, g, redirect, request
from flask_babel import get_locale, gettext
from markupsafe import Markup
from sqlalchemy import select

from i18n import LOCALE_COOKIE, SUPPORTED_LOCALES, country_name, current_locale, supported

from ..db import db
from ..mount import ShopSetup, render_template, url_for
from ..redirects import safe_next
from .guess import guessed_countries
from .tables import Channel

CHANNEL_COOKIE = "channel"
COUNTRY_COOKIE = "country"
COOKIE_AGE = 365 * 24 * 3600

bp = Blueprint("markets", __name__)


class UnknownChannel(LookupError):
    def __init__(self, code: str):
        super().__init__(f"There is no channel {code!r}.")
        self.code = code


def all_channels() -> list[Channel]:
    """Every active channel (archived ones are offered to nobody), read once per request."""
    if "channels" not in g:
        g.channels = list(
            db.session.scalars(
                select(Channel)
                .where(Channel.is_active.is_(True))
                .order_by(Channel.position, Channel.code)
            )
        )
    return g.channels


def channel_by_code(code: str) -> Channel:
    channel = next((c for c in all_channels() if c.code == code), None)
    if channel is None:
        raise UnknownChannel(code)
    return channel


def channel_for_country(country: str) -> Channel | None:
    return next((c for c in all_channels() if country in c.countries), None)


def current_channel() -> Channel | None:
    if "channel" not in g:
        channels = all_channels()
        wanted = request.args.get("channel") or request.cookies.get(CHANNEL_COOKIE)
        channel = next((c for c in channels if c.code == wanted), None)
        if channel is None:
            channel = channel_for_country(request.cookies.get(COUNTRY_COOKIE, ""))
        if channel is None and not request.cookies.get(COUNTRY_COOKIE):
            guesses = (channel_for_country(c) for c in guessed_countries())
            channel = next((c for c in guesses if c is not None), None)
        g.channel = channel or (channels[0] if channels else None)
    return g.channel


def current_country() -> str | None:
    channel = current_channel()
    if channel is None:
        return None
    chosen = request.cookies.get(COUNTRY_COOKIE, "")
    candidates = [chosen] if chosen else guessed_countries()
    return next((c for c in candidates if c in channel.countries), channel.default_country)


@lru_cache(maxsize=64)
def _sorted_countries(codes: tuple[str, ...], locale: str) -> list[tuple[str, str]]:
    return sorted(((c, country_name(c, locale)) for c in codes), key=lambda item: item[1])


def header_choices() -> dict:
    """What the header control offers: countries we ship to, currencies, languages."""
    channels = all_channels()
    current = current_channel()
    serving: dict[str, Channel] = {}  # channel_serving() of every country, in one pass
    for channel in channels:
        for code in channel.countries:
            serving.setdefault(code, channel)
    for code in current.countries if current is not None else ():
        serving[code] = current
    codes = tuple(sorted(serving))
    return {
        "countries": _sorted_countries(codes, current_locale()),
        "currency_of": {c: serving[c].currency for c in codes},
        "currencies": sorted({ch.currency for ch in channels}),
        "locales": SUPPORTED_LOCALES,
        "country": current_country(),
        "channel": current,
    }


def market_selects() -> Markup | None:
    """The header control's three selects (country with its currency, currency, language)
    as HTML, or None where no channel sells. The same few variants serve every page of
    every buyer, so each is rendered once per process, kept under all it shows: the
    language, the active channels' countries and currencies, the channel and the country."""
    channel = current_channel()
    if channel is None:
        return None
    key = (
        str(get_locale()),
        current_locale(),
        tuple((c.code, c.currency, c.countries_text) for c in all_channels()),
        channel.code,
        current_country(),
    )
    kept: dict[tuple, Markup] = current_app.extensions["storefront_market_selects"]
    html = kept.get(key)
    if html is None:
        if len(kept) >= MAX_KEPT_SELECTS:
            kept.clear()
        html = kept[key] = Markup(
            render_template("partials/market_selects.html", choices=header_choices()).strip()
        )
    return html


MAX_KEPT_SELECTS = 4096


def _safe_next() -> str:
    return safe_next(request.args.get("next"), url_for("catalog.home"))


def _without(url: str, names: set[str]) -> str:
    """`url` without the query arguments `names` (a `?locale=` or `?channel=` in the page's
    address would override what the buyer just chose)."""
    parts = urlsplit(url)
    kept = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k not in names]
    return urlunsplit(parts._replace(query=urlencode(kept)))


@bp.get("/preferences")
def preferences():
    """Set country, currency and language from the header control, then go back.

    The form sends all three; only what differs from the current choice counts.
    """
    before_channel, before_country = current_channel(), current_country()
    if before_channel is None:
        return redirect(_safe_next(), 303)
    country = (request.args.get("country") or before_country).upper()
    currency = (request.args.get("currency") or before_channel.currency).upper()
    locale = request.args.get("locale") or ""
    channel = before_channel
    if country != before_country:
        serving = channel_serving(country)
        if serving is None:
            flash(
                gettext(
                    "Sorry, we do not deliver to %(country)s yet.", country=country_name(country)
                ),
                "error",
            )
            country = before_country
        else:
            channel = serving
    if currency != before_channel.currency:
        by_currency = [c for c in all_channels() if c.currency == currency]
        serving = [c for c in by_currency if country in c.countries]
        if serving:
            channel = serving[0]
        elif by_currency:
            channel = by_currency[0]
            country = channel.default_country
            flash(
                gettext(
                    "Prices in %(currency)s are for deliveries to %(country)s.",
                    currency=currency,
                    country=country_name(country),
                ),
                "success",
            )
    if country not in channel.countries:
        country = channel.default_country
    overridden = {"channel", "locale"} if supported(locale) else {"channel"}
    response = redirect(_without(_safe_next(), overridden), 303)
    remember_market(response, channel, country)
    if supported(locale):
        response.set_cookie(LOCALE_COOKIE, supported(locale), **_kept())
    return response


def channel_serving(country: str) -> Channel | None:
    """The channel a buyer choosing `country` shops in: the current one if it delivers
    there, else the first that does; None when no channel delivers there."""
    current = current_channel()
    if current is not None and country in current.countries:
        return current
    return channel_for_country(country)


def remember_market(response, channel: Channel, country: str) -> None:
    """The buyer's choice of channel and country, kept for their next visits (it wins
    over any guess)."""
    response.set_cookie(CHANNEL_COOKIE, channel.code, **_kept())
    response.set_cookie(COUNTRY_COOKIE, country, **_kept())


def _kept() -> dict:
    # as the session cookie: Secure outside the demo and tests (or as the host sets it)
    return {"max_age": COOKIE_AGE, "samesite": "Lax", "httponly": True,
            "secure": current_app.session_interface.get_cookie_secure(current_app)}  # fmt: skip


def init_app(app: ShopSetup) -> None:
    from .audited import track_history
    from .cli import fx_cli
    from .guess import vary_on_the_guess
    from .rates import refresh
    from .rules import rules_cli

    app.register_blueprint(bp)
    (app.app if app.standalone else app.blueprint).after_request(vary_on_the_guess)
    track_history()
    app.cli.add_command(fx_cli)
    app.cli.add_command(rules_cli)
    app.add_job("fx.refresh", refresh, every=app.config["FX_REFRESH_SECONDS"])
    app.jinja_env.globals["market_selects"] = market_selects
    app.app.extensions["storefront_market_selects"] = {}
    app.jinja_env.globals["current_channel"] = current_channel
    app.extensions.setdefault("fx_cache", {})
