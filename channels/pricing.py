"""What a variant costs in a market: explicit price, or converted base price, per quantity.

An explicit price in the channel's currency wins. Otherwise the base price is
converted at the day's cross rate and rounded by the channel's rule. Wholesale
buyers get the unit price of the highest quantity break they reach, and order
at least a minimum quantity in whole steps.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from . import fx, rounding
from .money import Money

EXPLICIT = "explicit"
BASE = "base"
CONVERTED = "converted"


@dataclass(frozen=True)
class Quote:
    """A unit price with where it came from, kept on carts and orders."""

    unit_price: Money
    source: str
    rate: Decimal | None = None
    rate_date: datetime.date | None = None


@dataclass(frozen=True)
class Tier:
    min_quantity: int
    price: Money


class QuantityError(ValueError):
    def __init__(self, message: str, minimum: int, step: int):
        super().__init__(message)
        self.minimum = minimum
        self.step = step


def quote(
    base: Money,
    currency: str,
    rule: rounding.RoundingRule,
    rates: fx.RateSet | None,
    explicit: Money | None = None,
) -> Quote:
    """The unit price in `currency`: explicit, the base price itself, or converted."""
    if explicit is not None:
        if explicit.currency != currency:
            raise ValueError(f"an explicit {currency} price cannot be in {explicit.currency}")
        return Quote(explicit.rounded(), EXPLICIT)
    if base.currency == currency:
        return Quote(base.rounded(), BASE)
    if rates is None:
        raise fx.MissingRate(f"no exchange rates to convert {base.currency} to {currency}")
    rate = fx.cross_rate(rates, base.currency, currency)
    converted = Money(base.amount * rate, currency)
    return Quote(rounding.apply(rule, converted), CONVERTED, rate, rates.date)


def pick_tier(tiers: list[Tier], quantity: int) -> Tier | None:
    """The quantity break with the highest minimum that `quantity` reaches."""
    reached = [t for t in tiers if t.min_quantity <= quantity]
    return max(reached, key=lambda t: t.min_quantity) if reached else None


def check_wholesale_quantity(quantity: int, minimum: int, step: int) -> None:
    """Refuse a wholesale quantity below the minimum or off the step."""
    if quantity < minimum or (quantity - minimum) % step:
        raise QuantityError(
            f"order at least {minimum}, in steps of {step} ({minimum}, {minimum + step}, ...)",
            minimum,
            step,
        )
