"""Channels and manual exchange rates without code: created, edited and archived (never
deleted: carts and orders point at them) through one service, for the back office and
the admin API alike. Flushes only; the view or CLI commits."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

import pycountry
from sqlalchemy import func, or_, select

from channels import fx, rounding
from channels.money import InvalidMoney, Money, check_currency
from i18n import SUPPORTED_LOCALES

from ..db import db
from ..errors import InputError
from . import rates
from .tables import Channel, ChannelPrice, PriceTier

_CODE = re.compile(r"^[a-z0-9][a-z0-9-]{1,39}$")
TAX_DISPLAYS = ("gross", "net")
DUTY_POLICIES = ("ddp", "dap")
MAX_RETURN_DAYS = 365


class ChannelError(InputError):
    """Input the channel rules refuse; `field` names the offending field."""

    code = "invalid_channel"


class RateError(InputError):
    """A manual exchange rate refused; `field` names the offending field."""

    code = "invalid_rate"


@dataclass(frozen=True)
class ChannelInput:
    code: str
    name: str
    currency: str
    countries: str  # ISO 3166-1 alpha-2 codes, space or comma separated; the first is default
    locales: str  # among i18n.SUPPORTED_LOCALES, space or comma separated
    tax_display: str = "gross"
    duty_policy: str = "dap"
    rounding_rule: str = "precision"
    free_shipping_over: str = ""  # a decimal in the channel's currency, or empty for none
    position: int = 0
    # days after delivery a return may be asked for (EU/UK consumers: never under 14)
    return_days: int = 14
    # the most a faulty or wrong item's return refunds of the buyer's postage ("" or 0: none)
    return_postage_cap: str = "0"


def _words(raw: str) -> list[str]:
    return (raw or "").replace(",", " ").split()


def _countries(raw: str) -> list[str]:
    codes = [c.upper() for c in _words(raw)]
    if not codes:
        raise ChannelError("A channel sells to at least one country.", field="countries")
    for code in codes:
        if len(code) != 2 or pycountry.countries.get(alpha_2=code) is None:
            raise ChannelError(f"{code!r} is not an ISO 3166-1 country code.", field="countries")
    if len(set(codes)) != len(codes):
        raise ChannelError("A country is listed twice.", field="countries")
    return codes


def _check_free(countries: list[str], current: Channel | None) -> None:
    """A visitor's country picks one active channel: a country sold in two would be a toss."""
    others = db.session.scalars(select(Channel).where(Channel.is_active.is_(True))).all()
    for other in others:
        if other is current:
            continue
        shared = [c for c in countries if c in other.countries]
        if shared:
            raise ChannelError(
                f"{', '.join(shared)} already belong to the channel {other.code} "
                f"({other.name}): a country is in one active channel at a time.",
                field="countries",
            )


def _locales(raw: str) -> list[str]:
    locales = _words(raw)
    if not locales:
        raise ChannelError("A channel speaks at least one language.", field="locales")
    for locale in locales:
        if locale not in SUPPORTED_LOCALES:
            raise ChannelError(
                f"{locale!r} is not a shop language: use {', '.join(SUPPORTED_LOCALES)}.",
                field="locales",
            )
    if len(set(locales)) != len(locales):
        raise ChannelError("A language is listed twice.", field="locales")
    return locales


def _free_shipping(raw: str, currency: str) -> Decimal | None:
    raw = (raw or "").strip()
    if not raw:
        return None
    try:
        amount = Money(Decimal(raw), currency)
    except (InvalidOperation, InvalidMoney):
        amount = None
    if amount is None or amount.amount < 0 or not amount.is_rounded:
        raise ChannelError(
            f"Enter the free-shipping threshold in {currency} like 150.00, or leave it empty.",
            field="free_shipping_over",
        )
    return amount.amount


def _postage_cap(raw: str, currency: str) -> Decimal:
    raw = (raw or "").strip() or "0"
    try:
        amount = Money(Decimal(raw), currency)
    except (InvalidOperation, InvalidMoney):
        amount = None
    if amount is None or amount.amount < 0 or not amount.is_rounded or amount.amount >= 10**9:
        raise ChannelError(
            f"Enter the return postage cap in {currency} like 7.50, or 0 for none.",
            field="return_postage_cap",
        )
    return amount.amount


def _has_own_prices(channel: Channel) -> bool:
    """Explicit prices and tiers are amounts in the channel's currency, not converted."""
    return any(
        db.session.scalar(select(table.id).where(table.channel_id == channel.id).limit(1))
        is not None
        for table in (ChannelPrice, PriceTier)
    )


def save_channel(data: ChannelInput, channel: Channel | None = None) -> Channel:
    """Create a channel, or change one (`channel`); its code never changes."""
    code = (data.code or "").strip().lower()
    if channel is not None and code != channel.code:
        raise ChannelError("A channel's code never changes.", field="code")
    if not _CODE.match(code):
        raise ChannelError(
            "A code is 2 to 40 lowercase letters, digits and dashes, like eu or gulf-b2b.",
            field="code",
        )
    name = (data.name or "").strip()
    if not name or len(name) > 80:
        raise ChannelError("A name has 1 to 80 characters.", field="name")
    try:
        currency = check_currency((data.currency or "").strip())
    except InvalidMoney:
        raise ChannelError(
            f"{data.currency!r} is not an ISO 4217 currency code.", field="currency"
        ) from None
    countries, locales = _countries(data.countries), _locales(data.locales)
    if data.tax_display not in TAX_DISPLAYS:
        raise ChannelError("Prices are shown gross or net.", field="tax_display")
    if data.duty_policy not in DUTY_POLICIES:
        raise ChannelError(
            "Duties are paid by the shop (ddp) or on delivery (dap).", field="duty_policy"
        )
    try:
        rule = rounding.parse_rule(data.rounding_rule or "")
        rounding.check_rule(rule, currency)
    except rounding.RoundingRuleError as error:
        raise ChannelError(f"Rounding: {error}.", field="rounding_rule") from None
    free = _free_shipping(data.free_shipping_over, currency)
    position = data.position
    if isinstance(position, bool) or not isinstance(position, int) or not 0 <= position <= 9999:
        raise ChannelError("The position is a whole number from 0 to 9999.", field="position")
    return_days = data.return_days
    if (
        isinstance(return_days, bool)
        or not isinstance(return_days, int)
        or not 0 <= return_days <= MAX_RETURN_DAYS
    ):
        raise ChannelError(
            f"The return window is a whole number of days from 0 to {MAX_RETURN_DAYS}.",
            field="return_days",
        )
    postage_cap = _postage_cap(data.return_postage_cap, currency)
    taken = db.session.scalar(select(Channel.id).where(Channel.code == code))
    if channel is None and taken is not None:
        raise ChannelError(f"The code {code!r} is taken.", field="code")
    if channel is None or channel.is_active:
        _check_free(countries, channel)
    if channel is not None and currency != channel.currency and _has_own_prices(channel):
        raise ChannelError(
            f"{channel.code} has its own prices in {channel.currency}: its currency stays "
            f"(make a new channel for {currency}).",
            field="currency",
        )
    if channel is None:
        channel = Channel(code=code, is_active=True)
        db.session.add(channel)
    channel.name, channel.currency = name, currency
    channel.countries_text, channel.locales_text = " ".join(countries), " ".join(locales)
    channel.tax_display, channel.duty_policy = data.tax_display, data.duty_policy
    channel.rounding_rule, channel.free_shipping_over = str(rule), free
    channel.position, channel.return_days = position, return_days
    channel.return_postage_cap = postage_cap
    db.session.flush()
    return channel


def archive(channel: Channel, archived: bool = True) -> None:
    """Archive a channel (no visitor is offered it, its countries are free for another;
    its carts and orders keep it), or bring it back if its countries are still free."""
    if archived and channel.is_active:
        active = db.session.scalar(
            select(func.count()).select_from(Channel).where(Channel.is_active.is_(True))
        )
        if active <= 1:
            raise ChannelError("The shop needs one active channel: this is the last.")
    if not archived and not channel.is_active:
        _check_free(channel.countries, channel)
    channel.is_active = not archived
    db.session.flush()


def find(query: str = "", archived: bool = False):
    """A channel listing: matching code or name, archived ones apart."""
    statement = (
        select(Channel)
        .where(Channel.is_active.is_(not archived))
        .order_by(Channel.position, Channel.code)
    )
    query = query.strip().lower()
    if query:
        pattern = f"%{query}%"
        statement = statement.where(
            or_(func.lower(Channel.name).like(pattern), Channel.code.like(pattern))
        )
    return statement


def by_code(code: str) -> Channel | None:
    return db.session.scalar(select(Channel).where(Channel.code == code))


def set_rate(currency: str, rate: str | Decimal, on: datetime.date) -> tuple[str, Decimal]:
    """A merchant's dated rate, as `flask fx set` enters it: 1 EUR = `rate` `currency`."""
    currency = (currency or "").strip().upper() if isinstance(currency, str) else currency
    try:
        value = Decimal(str(rate).strip())
    except InvalidOperation:
        raise RateError(f"{rate!r} is not a number.", field="rate") from None
    if not value.is_finite() or value <= 0 or value >= 10**13 or value.as_tuple().exponent < -10:
        raise RateError(
            "A rate is a positive number with at most 10 decimals: 1 EUR = rate units.",
            field="rate",
        )
    try:
        rates.set_manual_rate(currency, value, on)
    except InvalidMoney as error:
        raise RateError(str(error), field="currency") from None
    except (fx.RatesFeedError, ValueError) as error:
        raise RateError(str(error), field="currency") from None
    return currency, value


@dataclass(frozen=True)
class RateRow:
    currency: str
    rate: Decimal
    date: datetime.date
    source: str
    stale: bool
    needed: bool  # an active channel prices in it


def rate_rows(today: datetime.date) -> list[RateRow]:
    """The rates in use per currency (what `flask fx status` prints), with the stale flag
    of the back office's banner."""
    health = rates.rate_health(today)
    current = health.rates
    from . import all_channels

    needed = {c.currency for c in all_channels()}
    return [
        RateRow(
            code,
            current.rateset.rates[code],
            current.dates[code],
            current.sources[code],
            code in health.stale,
            code in needed,
        )
        for code in sorted(current.rateset.rates)
        if code != "EUR"
    ]
