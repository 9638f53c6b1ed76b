"""Country rules as data: VAT rates, low-value schemes, reliefs, duties, fees, blocks, restrictions.

The rules live in `channels/rules/*.json`, one file per topic, each `{"rules": [...]}`.
Every rule has an `id`, a `source` (an http(s) URL, or a file of this repo such as
`docs/country-rules.md#section`), `valid_from` and `valid_to` (ISO dates, both
inclusive; `valid_to: null` = open) and may carry a `note`. Amounts are
`{"amount": "150", "currency": "EUR"}` with the amount as a decimal string; rates
are percent strings (`"25.5"`). A country
list may name a group from `groups.json` (`"EU"`) or `"*"` (restrictions only).

Loading validates everything and refuses the whole set on the first fault with a
`RuleFileError` naming the file and the rule. A rule change is a data edit.
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType

import pycountry

from .export_control import KIND as LICENCE_KIND
from .export_control import LicenceRule, licence_rule
from .money import Money
from .rule_reader import ALL_COUNTRIES, COUNTRY, Entry, RuleFileError

RULES_DIR = Path(__file__).with_name("rules")


# the rules ------------------------------------------------------------------


@dataclass(frozen=True)
class Rule:
    id: str
    source: str
    valid_from: datetime.date
    valid_to: datetime.date | None

    def in_force(self, day: datetime.date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)


@dataclass(frozen=True)
class VatRate(Rule):
    country: str
    region: str | None
    rate: Decimal  # percent
    not_levied_below: Money | None  # import tax under this amount is not collected


@dataclass(frozen=True)
class Scheme(Rule):
    """A low-value scheme under which a registered seller collects the tax at checkout."""

    regime: str
    countries: frozenset[str]
    registration: str
    threshold: Money | None  # None: every consignment
    basis: str  # "consignment" (intrinsic goods value) or "item" (each unit)
    inclusive: bool  # True: value <= threshold qualifies; False: value < threshold
    duty_free: bool


@dataclass(frozen=True)
class Relief(Rule):
    """Below `max` (consignment goods value) the border does not levy `tax`."""

    countries: frozenset[str]
    tax: str  # "vat", "duty" or "all"
    max: Money
    inclusive: bool


@dataclass(frozen=True)
class DutyRate(Rule):
    markets: frozenset[str]
    hs_prefix: str
    origin: str | None
    rate: Decimal  # percent of the customs value
    additional: bool  # added on top of the base rate (Section 301, surcharges)


@dataclass(frozen=True)
class FlatDuty(Rule):
    """A fixed duty per distinct 6-digit tariff subheading, for consignments up to a value."""

    markets: frozenset[str]
    amount: Money
    consignment_max: Money


@dataclass(frozen=True)
class Fee(Rule):
    countries: frozenset[str]
    amount: Money
    per: str  # "consignment" or "tariff_subheading"


@dataclass(frozen=True)
class Block(Rule):
    country: str
    region: str | None
    reason: str


@dataclass(frozen=True)
class Restriction(Rule):
    countries: frozenset[str]  # may hold ALL_COUNTRIES
    kind: str  # "max_item_value", "transport" or "material"
    hs_prefixes: tuple[str, ...]
    max: Money | None
    transport: str | None
    materials: frozenset[str]
    reason: str

    def applies_to(self, country: str) -> bool:
        return ALL_COUNTRIES in self.countries or country in self.countries


def _in_force(rules: Iterable, day: datetime.date, match) -> list:
    return [rule for rule in rules if rule.in_force(day) and match(rule)]


@dataclass(frozen=True)
class CountryRules:
    groups: Mapping[str, frozenset[str]]
    vat: tuple[VatRate, ...]
    schemes: tuple[Scheme, ...]
    reliefs: tuple[Relief, ...]
    duty_rates: tuple[DutyRate, ...]
    flat_duties: tuple[FlatDuty, ...]
    fees: tuple[Fee, ...]
    blocks: tuple[Block, ...]
    restrictions: tuple[Restriction, ...]
    export_licences: tuple[LicenceRule, ...] = ()  # restricted.json "export_licence"

    def vat_rate(self, country: str, region: str | None, day: datetime.date) -> VatRate | None:
        """The region's rate where one exists, else the country's; None when unknown."""
        found = _in_force(self.vat, day, lambda r: r.country == country)
        regional = [r for r in found if region is not None and r.region == region]
        national = [r for r in found if r.region is None]
        return (regional or national or [None])[0]

    def scheme(self, country: str, day: datetime.date) -> Scheme | None:
        return (_in_force(self.schemes, day, lambda r: country in r.countries) or [None])[0]

    def reliefs_for(self, country: str, day: datetime.date) -> list[Relief]:
        return _in_force(self.reliefs, day, lambda r: country in r.countries)

    def duty_rates_for(self, country: str, day: datetime.date) -> list[DutyRate]:
        return _in_force(self.duty_rates, day, lambda r: country in r.markets)

    def flat_duties_for(self, country: str, day: datetime.date) -> list[FlatDuty]:
        return _in_force(self.flat_duties, day, lambda r: country in r.markets)

    def fees_for(self, country: str, day: datetime.date) -> list[Fee]:
        return _in_force(self.fees, day, lambda r: country in r.countries)

    def block_for(self, country: str, region: str | None, day: datetime.date) -> Block | None:
        def hit(rule: Block) -> bool:
            return rule.country == country and rule.region in (None, region)

        return (_in_force(self.blocks, day, hit) or [None])[0]

    def restrictions_for(self, country: str, day: datetime.date) -> list[Restriction]:
        return _in_force(self.restrictions, day, lambda r: r.applies_to(country))


# reading and validation -------------------------------------------------------


def _vat(e: Entry) -> VatRate:
    country = e.country("country")
    return VatRate(
        **e.common(),
        country=country,
        region=e.region("region", country),
        rate=e.rate("rate"),
        not_levied_below=e.money("not_levied_below", optional=True),
    )


def _scheme(e: Entry) -> Scheme:
    return Scheme(
        **e.common(),
        regime=e.text("regime"),
        countries=e.countries("countries"),
        registration=e.text("registration"),
        threshold=e.money("threshold", optional=True),
        basis=e.choice("basis", ("consignment", "item")),
        inclusive=e.get("inclusive", bool),
        duty_free=e.get("duty_free", bool),
    )


def _relief(e: Entry) -> Relief:
    return Relief(
        **e.common(),
        countries=e.countries("countries"),
        tax=e.choice("tax", ("vat", "duty", "all")),
        max=e.money("max"),
        inclusive=e.get("inclusive", bool),
    )


def _duty(e: Entry) -> DutyRate | FlatDuty:
    kind = e.choice("kind", ("ad_valorem", "additional", "flat_per_subheading"))
    if kind == "flat_per_subheading":
        return FlatDuty(
            **e.common(),
            markets=e.countries("markets"),
            amount=e.money("amount"),
            consignment_max=e.money("consignment_max"),
        )
    origin = e.country("origin") if e.raw.get("origin") is not None else None
    return DutyRate(
        **e.common(),
        markets=e.countries("markets"),
        hs_prefix=e.hs_prefix(e.raw.get("hs_prefix")),
        origin=origin,
        rate=e.rate("rate"),
        additional=kind == "additional",
    )


def _fee(e: Entry) -> Fee:
    return Fee(
        **e.common(),
        countries=e.countries("countries"),
        amount=e.money("amount"),
        per=e.choice("per", ("consignment", "tariff_subheading")),
    )


def _block(e: Entry) -> Block:
    country = e.country("country")
    return Block(
        **e.common(), country=country, region=e.region("region", country), reason=e.text("reason")
    )


def _restriction(e: Entry) -> Restriction | LicenceRule:
    if e.raw.get("kind") == LICENCE_KIND:
        return licence_rule(e)
    kind = e.choice("kind", ("max_item_value", "transport", "material", LICENCE_KIND))
    if e.raw.get("exporters") is not None:
        e.fail(f"only an '{LICENCE_KIND}' rule takes 'exporters'")
    prefixes = tuple(e.hs_prefix(p, "hs_prefixes") for p in e.raw.get("hs_prefixes") or [])
    materials = e.raw.get("materials") or []
    if not isinstance(materials, list) or not all(isinstance(m, str) and m for m in materials):
        e.fail("'materials' must be a list of material names")
    rule = Restriction(
        **e.common(),
        countries=e.countries("countries", allow_all=True),
        kind=kind,
        hs_prefixes=prefixes,
        max=e.money("max", optional=True),
        transport=e.text("transport", optional=True),
        materials=frozenset(materials),
        reason=e.text("reason"),
    )
    needs = {"max_item_value": rule.max, "transport": rule.transport, "material": rule.materials}
    if not needs[kind]:
        e.fail(f"a '{kind}' restriction needs {'materials' if kind == 'material' else kind}")
    if kind != "material" and not prefixes:
        e.fail(f"a '{kind}' restriction needs 'hs_prefixes'")
    return rule


# file name -> (fields beyond the common ones, builder)
_FILES = {
    "vat.json": ({"country", "region", "rate", "not_levied_below"}, _vat),
    "schemes.json": (
        {"regime", "countries", "registration", "threshold", "basis", "inclusive", "duty_free"},
        _scheme,
    ),
    "reliefs.json": ({"countries", "tax", "max", "inclusive"}, _relief),
    "duties.json": (
        {"markets", "kind", "hs_prefix", "origin", "rate", "amount", "consignment_max"},
        _duty,
    ),
    "fees.json": ({"countries", "amount", "per"}, _fee),
    "blocked.json": ({"country", "region", "reason"}, _block),
    "restricted.json": (
        {
            "countries",
            "kind",
            "hs_prefixes",
            "max",
            "transport",
            "materials",
            "reason",
            "exporters",
        },
        _restriction,
    ),
}


def _read(directory: Path, name: str) -> list:
    path = directory / name
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise RuleFileError(f"{name}: the rule file is missing from {directory}") from None
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise RuleFileError(f"{name}: not valid JSON: {error}") from None
    if not isinstance(document, dict) or not isinstance(document.get("rules"), list):
        raise RuleFileError(f'{name}: the file must be an object {{"rules": [...]}}')
    return document["rules"]


def _groups(directory: Path) -> Mapping[str, frozenset[str]]:
    groups: dict[str, frozenset[str]] = {}
    for index, raw in enumerate(_read(directory, "groups.json")):
        e = Entry("groups.json", index, raw, {"group", "countries"})
        e.common()
        name = e.text("group")
        if COUNTRY.fullmatch(name) and pycountry.countries.get(alpha_2=name) is not None:
            e.fail(f"group name {name!r} is a country code")
        groups[name] = e.countries("countries")
    return MappingProxyType(groups)


def _check_unique(name: str, rules: list[Rule]) -> None:
    seen: set[str] = set()
    for rule in rules:
        if rule.id in seen:
            raise RuleFileError(f"{name}: rule id {rule.id!r} is used twice")
        seen.add(rule.id)


def _check_overlaps(name: str, rules: list, places) -> None:
    """Two rules for the same place on the same day would make the answer depend on order."""
    far = datetime.date.max
    for i, a in enumerate(rules):
        for b in rules[i + 1 :]:
            shared = places(a) & places(b)
            if (
                shared
                and a.valid_from <= (b.valid_to or far)
                and b.valid_from <= (a.valid_to or far)
            ):
                raise RuleFileError(
                    f"{name}: rules {a.id!r} and {b.id!r} both apply to "
                    f"{', '.join(sorted(shared))} on overlapping dates"
                )


def load_rules(directory: Path | str | None = None) -> CountryRules:
    """Read and validate every rule file in `directory` (default: the shipped rules)."""
    if directory is None:
        return _shipped_rules()
    directory = Path(directory)
    groups = _groups(directory)
    loaded: dict[str, list] = {}
    for name, (fields, build) in _FILES.items():
        rules = [
            build(Entry(name, i, raw, fields, groups))
            for i, raw in enumerate(_read(directory, name))
        ]
        _check_unique(name, rules)
        loaded[name] = rules
    _check_overlaps("vat.json", loaded["vat.json"], lambda r: {r.region or r.country})
    _check_overlaps("schemes.json", loaded["schemes.json"], lambda r: r.countries)
    duties, restricted = loaded["duties.json"], loaded["restricted.json"]
    return CountryRules(
        groups=groups,
        vat=tuple(loaded["vat.json"]),
        schemes=tuple(loaded["schemes.json"]),
        reliefs=tuple(loaded["reliefs.json"]),
        duty_rates=tuple(r for r in duties if isinstance(r, DutyRate)),
        flat_duties=tuple(r for r in duties if isinstance(r, FlatDuty)),
        fees=tuple(loaded["fees.json"]),
        blocks=tuple(loaded["blocked.json"]),
        restrictions=tuple(r for r in restricted if isinstance(r, Restriction)),
        export_licences=tuple(r for r in restricted if isinstance(r, LicenceRule)),
    )


@lru_cache(maxsize=1)
def _shipped_rules() -> CountryRules:
    return load_rules(RULES_DIR)
