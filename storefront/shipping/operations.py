"""Shipping methods as the merchant set them, and the price of each fulfilment group's parcel.

Zones and methods are edited on /admin/shipping: a method with a bad band or an
unknown country is refused whole, nothing is half-saved. Services flush, never commit.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

import pycountry
from flask import g
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from channels import shipping
from channels.money import InvalidMoney, Money, check_currency
from i18n import current_locale, translated, translations

from ..db import db
from ..errors import InputError
from .tables import ShippingBand, ShippingMethod, ShippingZone

_CODE = re.compile(r"[a-z0-9][a-z0-9-]{0,39}")
_BAND = re.compile(r"\s*(\d+)\s*(?:g\b)?\s*[:=]?\s*([0-9]+(?:\.[0-9]+)?)\s*")
MAX_BANDS = 50


class ShippingError(InputError):
    """A zone or method the back office cannot save as given."""

    code = "invalid_shipping_method"


def rate_zones() -> list[shipping.Zone]:
    """Every zone with its active methods (named in the buyer's language) and their bands;
    read once per request."""
    if "_shipping_zones" not in g:
        rows = all_zones()
        g._shipping_methods = {m.id: m for zone in rows for m in zone.methods}
        g._shipping_zones = [_zone(z, current_locale()) for z in rows]
    return g._shipping_zones


def method_name(method_id: int, locale: str | None = None) -> str:
    """A method's name in `locale` (falling back to the default language's), or in the
    default language without one; "" for a method that is gone."""
    known = g.get("_shipping_methods", {})  # read already by rate_zones
    method = known.get(method_id) or db.session.get(ShippingMethod, method_id)
    if method is None:
        return ""
    return translated(method.names, method.name, locale) if locale else method.name


def _zone(row: ShippingZone, locale: str) -> shipping.Zone:
    return shipping.Zone(
        name=row.name,
        countries=frozenset(row.countries),
        position=row.position,
        methods=tuple(
            shipping.Method(
                id=m.id,
                name=translated(m.names, m.name, locale),
                position=m.position,
                bands=tuple(
                    shipping.Band(b.up_to_grams, Money(b.amount, m.currency)) for b in m.bands
                ),
            )
            for m in row.methods
            if m.active and m.bands
        ),
    )


def forget_cached_zones() -> None:
    g.pop("_shipping_zones", None)
    g.pop("_shipping_methods", None)


# back office ---------------------------------------------------------------------


@dataclass(frozen=True)
class ZoneInput:
    code: str
    name: str
    countries: str  # space- or comma-separated ISO codes, or "*"
    position: int = 0


@dataclass(frozen=True)
class MethodInput:
    zone: str  # the zone's code
    code: str
    name: str
    currency: str
    bands: str  # one band a line: "500 4.90" = up to 500 g for 4.90
    active: bool = True
    position: int = 0
    # The name in the shop's other locales ({"de": ...}); None keeps a method's own.
    names: dict[str, str] | None = None


def _check_code(code: str) -> str:
    if not _CODE.fullmatch(code or ""):
        raise ShippingError(
            "A code is 1 to 40 lower-case letters, digits and hyphens (e.g. eu-standard).",
            field="code",
        )
    return code


def _check_name(name: str) -> str:
    name = (name or "").strip()
    if not name or len(name) > 80:
        raise ShippingError("Give a name of 1 to 80 characters.", field="name")
    return name


def parse_countries(raw: str) -> str:
    codes = [c.upper() for c in re.split(r"[\s,;]+", raw or "") if c]
    if not codes:
        raise ShippingError(
            "List the zone's countries (ISO codes such as DE FR), or *.", field="countries"
        )
    if codes == [shipping.EVERYWHERE]:
        return shipping.EVERYWHERE
    unknown = [c for c in codes if len(c) != 2 or pycountry.countries.get(alpha_2=c) is None]
    if unknown:
        raise ShippingError(
            f"Not ISO 3166-1 country codes: {', '.join(unknown)}.", field="countries"
        )
    return " ".join(dict.fromkeys(codes))


def parse_bands(raw: str, currency: str) -> list[shipping.Band]:
    """Bands from lines such as "500 4.90" or "500g: 4.90" (up to 500 g costs 4.90)."""
    bands = []
    for number, line in enumerate((raw or "").splitlines(), start=1):
        if not line.strip():
            continue
        match = _BAND.fullmatch(line)
        if match is None:
            raise ShippingError(
                f"Line {number}: write a band as the upper weight in grams and its price, "
                f"like 500 4.90.",
                field="bands",
            )
        try:
            price = Money(Decimal(match[2]), currency)
            band = shipping.Band(int(match[1]), price)
        except (InvalidOperation, InvalidMoney, ValueError) as error:
            raise ShippingError(f"Line {number}: {error}.", field="bands") from None
        if not price.is_rounded:
            raise ShippingError(
                f"Line {number}: {match[2]} has more decimals than {currency} has.", field="bands"
            )
        bands.append(band)
    if not bands:
        raise ShippingError("Give at least one weight band, like 500 4.90.", field="bands")
    if len(bands) > MAX_BANDS:
        raise ShippingError(f"At most {MAX_BANDS} bands per method.", field="bands")
    weights = [b.up_to_grams for b in bands]
    if len(set(weights)) != len(weights):
        raise ShippingError("Two bands end at the same weight.", field="bands")
    return sorted(bands, key=lambda b: b.up_to_grams)


def save_zone(data: ZoneInput) -> ShippingZone:
    """Create the zone, or change the one with this code."""
    code = _check_code(data.code)
    name = _check_name(data.name)
    countries = parse_countries(data.countries)
    zone = db.session.scalar(select(ShippingZone).where(ShippingZone.code == code))
    if zone is None:
        zone = ShippingZone(code=code)
        db.session.add(zone)
    zone.name, zone.countries_text, zone.position = name, countries, data.position
    db.session.flush()
    forget_cached_zones()
    return zone


def save_method(data: MethodInput) -> ShippingMethod:
    """Create the method in its zone, or change the one with this code; bands are replaced."""
    zone = db.session.scalar(select(ShippingZone).where(ShippingZone.code == data.zone))
    if zone is None:
        raise ShippingError(f"There is no shipping zone {data.zone!r}.", field="zone")
    code = _check_code(data.code)
    name = _check_name(data.name)
    try:
        names = translations(data.names, 80) if data.names is not None else None
    except ValueError as error:
        raise ShippingError(str(error), field="names") from None
    try:
        currency = check_currency(data.currency)
    except ValueError:
        raise ShippingError(
            f"{data.currency!r} is not an ISO 4217 currency.", field="currency"
        ) from None
    bands = parse_bands(data.bands, currency)
    method = db.session.scalar(
        select(ShippingMethod).where(ShippingMethod.zone_id == zone.id, ShippingMethod.code == code)
    )
    if method is None:
        method = ShippingMethod(zone=zone, code=code)
        db.session.add(method)
    method.name, method.currency = name, currency
    if names is not None:
        method.names = names
    method.active, method.position = data.active, data.position
    if method.bands:  # the old bands go first: a new one may end at the same weight
        method.bands = []
        db.session.flush()
    method.bands = [ShippingBand(up_to_grams=b.up_to_grams, amount=b.price.amount) for b in bands]
    db.session.flush()
    forget_cached_zones()
    return method


def delete(kind: type[ShippingZone] | type[ShippingMethod], row_id: int) -> bool:
    """Delete a zone (with its methods) or a method (with its bands); False when unknown."""
    row = db.session.get(kind, row_id)
    if row is None:
        return False
    db.session.delete(row)
    db.session.flush()
    forget_cached_zones()
    return True


def all_zones() -> list[ShippingZone]:
    return db.session.scalars(
        select(ShippingZone)
        .options(selectinload(ShippingZone.methods).selectinload(ShippingMethod.bands))
        .order_by(ShippingZone.position, ShippingZone.code)
    ).all()
