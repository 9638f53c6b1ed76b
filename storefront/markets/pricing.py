"""Prices of variants in a channel, read in a fixed number of queries.

`Pricer` holds what a channel's prices depend on (currency, rounding rule,
rates) and quotes many variants at once: one query for explicit channel
prices, one for wholesale tiers when a wholesale buyer asks.
"""

from __future__ import annotations

from contextlib import suppress
from dataclasses import replace
from decimal import Decimal
from typing import Protocol

from sqlalchemy import or_, select

from channels import rounding
from channels.fx import MissingRate
from channels.money import Money
from channels.pricing import (
    QuantityError,
    Quote,
    Tier,
    check_wholesale_quantity,
    pick_tier,
    quote,
)

from ..db import db
from .rates import ShopRates, current_rates
from .tables import Channel, ChannelPrice, PriceTier


class PricedVariant(Protocol):
    """What pricing reads of a catalog variant: markets sit below the catalog."""

    id: int
    price_amount: Decimal
    price_currency: str
    wholesale_min_quantity: int
    wholesale_step: int


class Pricer:
    def __init__(self, channel: Channel, rates: ShopRates | None = None):
        self.channel = channel
        self.currency = channel.currency
        self.rule = rounding.parse_rule(channel.rounding_rule)
        self.rates = rates or current_rates()

    def base_quote(self, base: Money, explicit: Decimal | None = None) -> Quote:
        return quote(
            base,
            self.currency,
            self.rule,
            self.rates.rateset,
            Money(explicit, self.currency) if explicit is not None else None,
        )

    def explicit_prices(self, variant_ids: list[int]) -> dict[int, Decimal]:
        if not variant_ids:
            return {}
        rows = db.session.execute(
            select(ChannelPrice.variant_id, ChannelPrice.amount).where(
                ChannelPrice.channel_id == self.channel.id,
                ChannelPrice.variant_id.in_(variant_ids),
            )
        )
        return {variant_id: Decimal(amount) for variant_id, amount in rows}

    def tiers(self, variants: list[PricedVariant]) -> dict[int, list[Tier]]:
        """Quantity breaks per variant: the channel's own (in its currency) where it has
        any, else the base ones (in the base currency, converted like the base price)."""
        base_currency = {v.id: v.price_currency for v in variants}
        rows = db.session.execute(
            select(PriceTier).where(
                PriceTier.variant_id.in_(list(base_currency)),
                or_(PriceTier.channel_id == self.channel.id, PriceTier.channel_id.is_(None)),
            )
        ).scalars()
        own: dict[int, list[Tier]] = {}
        base: dict[int, list[Tier]] = {}
        for row in rows:
            if row.channel_id is None:
                price = Money(row.amount, base_currency[row.variant_id])
                base.setdefault(row.variant_id, []).append(Tier(row.min_quantity, price))
            else:
                price = Money(row.amount, self.currency)
                own.setdefault(row.variant_id, []).append(Tier(row.min_quantity, price))
        return {vid: own.get(vid) or base.get(vid, []) for vid in base_currency}

    def quote_variants(
        self,
        variants: list[PricedVariant],
        quantities: dict[int, int] | None = None,
        *,
        wholesale: bool = False,
    ) -> dict[int, Quote]:
        """Unit prices by variant id; for wholesale buyers the quantity picks the tier
        (`wholesale_problems` says which quantities a trade order may not have).

        A variant that cannot be priced in the channel (no explicit price and no
        exchange rate for its currency) is left out: it is not for sale there.
        """
        explicit = self.explicit_prices([v.id for v in variants])
        tiers = self.tiers(variants) if wholesale else {}
        quotes = {}
        for variant in variants:
            base = Money(variant.price_amount, variant.price_currency)
            own_price = explicit.get(variant.id)
            if wholesale:
                quantity = (quantities or {}).get(variant.id, 1)
                tier = pick_tier(tiers[variant.id], quantity)
                if tier is not None and tier.price.currency == self.currency:
                    own_price = tier.price.amount
                elif tier is not None:
                    base, own_price = tier.price, None
            try:
                quotes[variant.id] = self.base_quote(base, own_price)
            except MissingRate:
                continue
        return quotes


def wholesale_problems(
    variants: list[PricedVariant], quantities: dict[int, int]
) -> dict[int, QuantityError]:
    """Variant id -> why its quantity is not a trade quantity (below minimum, off step)."""
    problems = {}
    for variant in variants:
        try:
            check_wholesale_quantity(
                quantities.get(variant.id, 1),
                variant.wholesale_min_quantity,
                variant.wholesale_step,
            )
        except QuantityError as error:
            problems[variant.id] = error
    return problems


def price_cards(pricer: Pricer | None, cards: list) -> list:
    """Listing cards with their "from" price in the channel's currency."""
    priced = []
    for card in cards:
        options = []
        if pricer is None:
            options.append(card.base_from.rounded())
        else:
            if card.explicit_from is not None:
                options.append(Money(card.explicit_from, pricer.currency).rounded())
            if card.base_from is not None:
                # without a rate only the explicitly priced variants are for sale here
                with suppress(MissingRate):
                    options.append(pricer.base_quote(card.base_from).unit_price)
        priced.append(replace(card, price=min(options) if options else None))
    return priced


def variant_prices(pricer: Pricer | None, variants: list[PricedVariant]) -> dict[int, Money]:
    """Retail unit prices by variant id in the pricer's channel (base prices without one)."""
    if pricer is None:
        return {v.id: Money(v.price_amount, v.price_currency).rounded() for v in variants}
    quotes = pricer.quote_variants(variants)
    return {v.id: quotes[v.id].unit_price for v in variants if v.id in quotes}


def current_pricer() -> Pricer | None:
    """The pricer of the request's channel (None while the shop has no channel)."""
    from flask import g

    from . import current_channel

    if "pricer" not in g:
        channel = current_channel()
        g.pricer = Pricer(channel) if channel is not None else None
    return g.pricer
