"""Export licences as country rules: which goods need one to leave for which destinations.

An `export_licence` rule in `rules/restricted.json` names the goods (`hs_prefixes`), the
destinations (`countries`) and, optionally, the places it controls exports from
(`exporters`: the country a parcel ships from; none means from anywhere). The checkout
does not refuse such goods: the shop may hold the licence. Issuing the export documents
asks `licences_needed` and refuses a line the shop holds no licence for.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from .rule_reader import Entry

KIND = "export_licence"


@dataclass(frozen=True)
class LicenceRule:
    id: str
    source: str
    valid_from: datetime.date
    valid_to: datetime.date | None
    countries: frozenset[str]  # destinations
    hs_prefixes: tuple[str, ...]
    exporters: frozenset[str]  # countries shipped from; empty: from anywhere
    reason: str

    def in_force(self, day: datetime.date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)

    def covers(self, hs_code: str, destination: str, ship_from: str | None) -> bool:
        if destination not in self.countries:
            return False
        if self.exporters and ship_from not in self.exporters:
            return False
        digits = (hs_code or "").replace(".", "").replace(" ", "")
        return any(digits.startswith(prefix) for prefix in self.hs_prefixes)


def licence_rule(e: Entry) -> LicenceRule:
    prefixes = tuple(e.hs_prefix(p, "hs_prefixes") for p in e.raw.get("hs_prefixes") or [])
    if not prefixes:
        e.fail(f"a '{KIND}' rule needs 'hs_prefixes'")
    for banned in ("max", "transport", "materials"):
        if e.raw.get(banned) is not None:
            e.fail(f"a '{KIND}' rule takes no '{banned}'")
    exporters = e.countries("exporters") if e.raw.get("exporters") is not None else frozenset()
    return LicenceRule(
        **e.common(),
        countries=e.countries("countries"),
        hs_prefixes=prefixes,
        exporters=exporters,
        reason=e.text("reason"),
    )


def licences_needed(
    rules: Iterable[LicenceRule],
    hs_code: str,
    destination: str,
    ship_from: str | None,
    day: datetime.date,
) -> list[LicenceRule]:
    """The rules in force on `day` under which these goods need an export licence."""
    return [
        rule
        for rule in rules
        if rule.in_force(day) and rule.covers(hs_code, destination, ship_from)
    ]
