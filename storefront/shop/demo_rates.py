"""The demo's exchange rates, dated the day it is seeded.

A demo shop runs offline: it prices from the ECB snapshot shipped in the package, dated
the day that snapshot was taken, so the back office warned of stale rates on the demo's
first day. The demo enters those rates as its own for today (source "demo"), as a
merchant would with `flask fx set`; `flask fx update` replaces them with the ECB's.
"""

from __future__ import annotations

import datetime

from channels import fx

from ..markets import rates

DEMO_SOURCE = "demo"


def date_rates(today: datetime.date) -> int:
    """Every rate the shop knows that is older than `today`, stored again for `today`;
    rates of today (the demo's KWD, a fetched ECB day) stay as they are. How many."""
    rates.forget_cached_rates()
    known = rates.current_rates()
    older = {
        code: rate
        for code, rate in known.rateset.rates.items()
        if code != "EUR" and known.dates[code] < today
    }
    if not older:
        return 0
    return rates.store(fx.RateSet(today, older), DEMO_SOURCE)
