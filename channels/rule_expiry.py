"""Rules whose dates have passed with nothing in their place.

A rule with an end date (a temporary surcharge, a relief being phased out) stops
applying the day after it; if no rule for the same place and goods follows it,
the shop quietly charges less than before. `expired_rules` lists those, so
`flask rules check` can warn the merchant to confirm the gap or add the follower.
"""

from __future__ import annotations

import dataclasses
import datetime
from dataclasses import dataclass

from .country_rules import CountryRules, DutyRate, Rule, VatRate


@dataclass(frozen=True)
class ExpiredRule:
    rule: Rule
    markets: tuple[str, ...]  # the countries (or groups) left without it

    def describe(self) -> str:
        kind = _KINDS.get(type(self.rule).__name__, "")
        return (
            f"{', '.join(self.markets)}: the {kind} rule {self.rule.id!r} ended on "
            f"{self.rule.valid_to.isoformat()} and no rule takes its place."
        )


_KINDS = {
    "VatRate": "VAT",
    "Scheme": "scheme",
    "Relief": "relief",
    "DutyRate": "duty",
    "FlatDuty": "flat duty",
    "Fee": "fee",
    "Block": "block",
    "Restriction": "restriction",
}


def expired_rules(rules: CountryRules, day: datetime.date) -> list[ExpiredRule]:
    """Rules that ended before `day` with no later rule for the same slot in force on `day`."""
    every: list[Rule] = [
        rule
        for f in dataclasses.fields(rules)
        if f.name != "groups"
        for rule in getattr(rules, f.name)
    ]
    found = []
    for rule in every:
        if rule.valid_to is None or rule.valid_to >= day:
            continue
        # a rule that ran beside it (Section 301 beside a surcharge) does not follow it
        followers = [
            other
            for other in every
            if other.in_force(day)
            and other.valid_from > rule.valid_from
            and _slot(other) == _slot(rule)
        ]
        left = _places(rule) - {p for other in followers for p in _places(other)}
        if left:
            named = [name for name, members in rules.groups.items() if members == left]
            found.append(ExpiredRule(rule, tuple(named[:1] or sorted(left))))
    return found


def _places(rule: Rule) -> frozenset[str]:
    for name in ("markets", "countries"):
        if hasattr(rule, name):
            return getattr(rule, name)
    return frozenset({getattr(rule, "region", None) or rule.country})


def _slot(rule: Rule) -> tuple:
    """What a follower must share with the rule: its kind, and for a duty the goods."""
    if isinstance(rule, DutyRate):
        return (DutyRate, rule.hs_prefix, rule.origin, rule.additional)
    if isinstance(rule, VatRate):
        return (VatRate, rule.region is None)
    return (type(rule),)
