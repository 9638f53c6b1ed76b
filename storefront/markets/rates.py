"""Exchange rates as the shop keeps them: stored per day, cached per process.

`flask fx update` stores the ECB's daily rates; merchants enter dated rates for
currencies the ECB does not publish (KWD). Pricing reads the newest rate of
each currency; with nothing stored it falls back to the snapshot shipped in
the package, so a shop with no network still prices everything. Currencies
pegged to the dollar (SAR, AED, QAR, BHD, OMR: `fx.USD_PEGS`) without a rate
of their own follow the USD rate at their peg (source "peg", USD's date).
"""

from __future__ import annotations

import datetime
import time
from dataclasses import dataclass
from decimal import Decimal

from flask import current_app
from sqlalchemy import delete, func, select

from channels import fx
from channels.money import check_currency

from .. import clock
from ..config import settings
from ..db import db
from .tables import ExchangeRate

SNAPSHOT = "snapshot"
PEG = "peg"


@dataclass(frozen=True)
class ShopRates:
    """The rates pricing uses: a RateSet plus the date and source of each currency."""

    rateset: fx.RateSet
    dates: dict[str, datetime.date]
    sources: dict[str, str]

    def stale_currencies(self, today: datetime.date, max_age_days: int) -> list[str]:
        return sorted(c for c, d in self.dates.items() if (today - d).days > max_age_days)


def _from_snapshot() -> ShopRates:
    snapshot = fx.load_snapshot()
    return ShopRates(
        snapshot,
        dict.fromkeys(snapshot.rates, snapshot.date),
        dict.fromkeys(snapshot.rates, SNAPSHOT),
    )


def _load() -> ShopRates:
    """The newest stored rate of each currency, over the shipped snapshot.

    A shop that has stored only a merchant's KWD rate still prices USD, EUR and
    the rest from the snapshot; `sources` says where each rate came from.
    """
    newest = (
        select(ExchangeRate.currency, func.max(ExchangeRate.rate_date).label("newest"))
        .group_by(ExchangeRate.currency)
        .subquery()
    )
    rows = db.session.execute(
        select(
            ExchangeRate.currency, ExchangeRate.rate, ExchangeRate.rate_date, ExchangeRate.source
        ).join(
            newest,
            (newest.c.currency == ExchangeRate.currency)
            & (newest.c.newest == ExchangeRate.rate_date),
        )
    ).all()
    base = _from_snapshot()
    rates = {c: r for c, r in base.rateset.rates.items() if c != "EUR"}
    dates, sources = dict(base.dates), dict(base.sources)
    for row in rows:
        rates[row.currency] = Decimal(row.rate)
        dates[row.currency] = row.rate_date
        sources[row.currency] = row.source
    for code, rate in fx.pegged_rates(rates).items():
        rates[code], dates[code], sources[code] = rate, dates["USD"], PEG
    dates["EUR"] = max(dates.values())
    return ShopRates(fx.RateSet(dates["EUR"], rates), dates, sources)


def current_rates() -> ShopRates:
    """The newest stored rates, read at most once per FX_CACHE_SECONDS per process."""
    cache = current_app.extensions.setdefault("fx_cache", {})
    seconds = settings()["FX_CACHE_SECONDS"]
    cached = cache.get("rates")
    if cached is not None and cached[0] > time.monotonic():
        return cached[1]
    rates = _load()
    cache["rates"] = (time.monotonic() + seconds, rates)
    return rates


def forget_cached_rates() -> None:
    current_app.extensions.setdefault("fx_cache", {}).clear()


def store(rateset: fx.RateSet, source: str, now: datetime.datetime | None = None) -> int:
    """Keep one day's rates, replacing what that day had from any source."""
    now = now or clock.now()
    codes = [c for c in rateset.rates if c != "EUR"]
    db.session.execute(
        delete(ExchangeRate).where(
            ExchangeRate.rate_date == rateset.date, ExchangeRate.currency.in_(codes)
        )
    )
    db.session.add_all(
        ExchangeRate(
            rate_date=rateset.date, currency=c, rate=rateset.rates[c], source=source, fetched_at=now
        )
        for c in codes
    )
    db.session.flush()
    forget_cached_rates()
    return len(codes)


def set_manual_rate(currency: str, rate: Decimal, on: datetime.date) -> None:
    """A merchant's dated rate for a currency (1 EUR = rate), e.g. one the ECB lacks."""
    check_currency(currency)
    if currency == "EUR":
        raise fx.RatesFeedError("EUR is the base of every rate; it cannot be set.")
    store(fx.RateSet(on, {currency: rate}), "manual")


def update_from_ecb(url: str, timeout: float) -> fx.RateSet:
    """Fetch and keep the ECB's daily rates; on any failure the stored rates stay."""
    rateset = fx.fetch_daily(url, timeout=timeout)
    store(rateset, "ecb")
    return rateset


def refresh() -> int:
    """The worker's `fx.refresh` (what `flask fx update` does): fetch the feed of
    FX_FEED_URL and keep its rates; returns how many. Offline it raises
    `fx.RatesFeedError`: that run fails, is logged, and the stored rates stay."""
    cfg = settings()
    rateset = update_from_ecb(cfg["FX_FEED_URL"], cfg["FX_TIMEOUT_SECONDS"])
    return len(rateset.rates) - 1


@dataclass(frozen=True)
class RateHealth:
    rates: ShopRates
    stale: list[str]  # needed currencies whose rate is older than the limit
    missing: list[str]  # needed currencies with no rate at all


def rate_health(today: datetime.date) -> RateHealth:
    """Rates the channels need to convert base prices, and which are stale or missing."""
    from . import all_channels

    rates = current_rates()
    needed = {c.currency for c in all_channels()} | {settings()["BASE_CURRENCY"]}
    needed.discard("EUR")  # every rate is per euro: the euro needs none
    stale = set(rates.stale_currencies(today, settings()["FX_MAX_AGE_DAYS"]))
    return RateHealth(
        rates, sorted(needed & stale), sorted(c for c in needed if c not in rates.rateset.rates)
    )
