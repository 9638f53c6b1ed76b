"""Shipping rates: zones of destination countries, methods priced by weight band.

A fulfilment group is one parcel. Couriers charge the larger of its actual
weight and its volumetric weight (length x width x height / 5,000 in cm and kg,
which is mm^3 / 5,000 in grams). The parcel's price is the first band of the
method whose upper weight it does not exceed; a parcel heavier than every band
cannot go by that method.

A destination is served by the zone that names it; a zone of "*" serves every
country no other zone names. Band prices are in the method's currency and are
converted to the buyer's at the day's rate, rounded once at the currency's
precision. Over a channel's free-shipping threshold the cheapest method of
each parcel costs nothing.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from .fx import RateSet, convert
from .money import Money

VOLUMETRIC_DIVISOR = 5000  # mm^3 per gram (cm^3 per kg)
EVERYWHERE = "*"


@dataclass(frozen=True)
class Item:
    """`quantity` units of one article, each of this weight and size."""

    weight_grams: int
    length_mm: int
    width_mm: int
    height_mm: int
    quantity: int = 1

    def __post_init__(self):
        for name in ("weight_grams", "length_mm", "width_mm", "height_mm", "quantity"):
            value = getattr(self, name)
            if type(value) is not int or value < (0 if name == "weight_grams" else 1):
                raise ValueError(f"{name} must be a whole number above 0, not {value!r}")


def chargeable_grams(items: Iterable[Item]) -> int:
    """The parcel's billed weight: actual or volumetric, whichever is larger."""
    items = list(items)
    actual = sum(i.weight_grams * i.quantity for i in items)
    volume = sum(i.length_mm * i.width_mm * i.height_mm * i.quantity for i in items)
    return max(actual, math.ceil(volume / VOLUMETRIC_DIVISOR))


@dataclass(frozen=True)
class Band:
    up_to_grams: int
    price: Money

    def __post_init__(self):
        if type(self.up_to_grams) is not int or self.up_to_grams < 1:
            raise ValueError(
                f"a band's upper weight must be whole grams above 0, not {self.up_to_grams!r}"
            )
        if not isinstance(self.price, Money) or self.price.amount < 0:
            raise ValueError("a band's price must be a Money of 0 or more")


@dataclass(frozen=True)
class Method:
    id: int
    name: str
    bands: tuple[Band, ...]
    position: int = 0

    def __post_init__(self):
        bands = tuple(sorted(self.bands, key=lambda b: b.up_to_grams))
        weights = [b.up_to_grams for b in bands]
        if len(set(weights)) != len(weights):
            raise ValueError(f"{self.name}: two bands end at the same weight")
        if len({b.price.currency for b in bands}) > 1:
            raise ValueError(f"{self.name}: every band is priced in one currency")
        object.__setattr__(self, "bands", bands)

    def price_for(self, grams: int) -> Money | None:
        """The price of a parcel of `grams`, or None when it is over every band."""
        return next((b.price for b in self.bands if grams <= b.up_to_grams), None)


@dataclass(frozen=True)
class Zone:
    name: str
    countries: frozenset[str]
    methods: tuple[Method, ...]
    position: int = 0

    def serves(self, country: str) -> bool:
        return country in self.countries


def zone_for(zones: Sequence[Zone], country: str) -> Zone | None:
    """The zone naming `country`, else the catch-all zone, else None (first by position)."""
    ordered = sorted(zones, key=lambda z: z.position)
    named = next((z for z in ordered if z.serves(country)), None)
    return named or next((z for z in ordered if EVERYWHERE in z.countries), None)


@dataclass(frozen=True)
class Option:
    """A way to ship one parcel, priced in the buyer's currency."""

    method_id: int
    name: str
    price: Money
    free: bool = False  # made free by the channel's threshold


def options(
    zones: Sequence[Zone],
    country: str,
    grams: int,
    currency: str,
    rates: RateSet,
    free_cheapest: bool = False,
) -> list[Option]:
    """The methods that can carry a parcel of `grams` to `country`, cheapest first."""
    zone = zone_for(zones, country)
    if zone is None:
        return []
    found = []
    for method in zone.methods:
        price = method.price_for(grams)
        if price is not None:
            # chargeable as shown: 4.235 BHD would be unpayable by card (see Money)
            found.append((convert(price, currency, rates).rounded(stripe=True), method))
    found.sort(key=lambda pm: (pm[0], pm[1].position, pm[1].id))
    priced = [Option(m.id, m.name, price) for price, m in found]
    if free_cheapest and priced:
        first = priced[0]
        priced[0] = Option(first.method_id, first.name, Money.zero(currency).rounded(), True)
    return priced


def choose(available: Sequence[Option], wanted: int | None) -> Option | None:
    """The buyer's choice if it is still available, else the cheapest."""
    return next((o for o in available if o.method_id == wanted), None) or (
        available[0] if available else None
    )
