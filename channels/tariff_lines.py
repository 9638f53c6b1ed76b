"""Which duty rule applies to a product's HS code, across code lengths.

Products carry an HS code of 6 to 10 digits; markets publish their tariff at
their own length (the EU at the 4-digit heading here, the US and Canada at
8-digit national lines). A product's code matches:

- a rule whose code covers it (the rule's digits are a prefix of the product's), and
- the national lines under it (the product's digits are a prefix of the rule's).

Where a product names a national line that this market does not publish (a US
line sent to Canada), its 6-digit subheading is matched instead. When several
lines could apply and the product does not say which, the highest rate is used
and `DutyMatch.note` says so: the estimate then never falls short of what the
carrier collects. Additional duties (Section 301, surcharges) stack on the line
chosen when they cover it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from .country_rules import DutyRate


@dataclass(frozen=True)
class DutyMatch:
    percent: Decimal  # base rate plus the additional duties stacked on it
    rule_ids: tuple[str, ...]  # the base rule first, then the additional ones
    candidates: int  # how many tariff lines could apply; more than 1 means "the highest"
    note: str | None = None  # English: why the rate is an upper estimate


@dataclass
class AppliedDuty:
    """What a consignment's duty was worked out from: rule ids and English notes."""

    rules: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def match_duty(hs_code: str, origin: str, rate_rules: list[DutyRate]) -> DutyMatch | None:
    """The duty on goods of `hs_code` (digits only) whose country of origin is `origin`
    (where they were made, not where they ship from); None when no rule matches."""
    rules = [r for r in rate_rules if r.origin in (None, origin)]
    found = _match(hs_code, origin, rules)
    if found is None and len(hs_code) > 6:
        found = _match(hs_code[:6], origin, rules)
        if found is not None:
            note = (
                f"HS {hs_code} is not a tariff line of this market; "
                f"{found.note or f'rate of {_dotted(hs_code[:6])}'}"
            )
            return DutyMatch(found.percent, found.rule_ids, found.candidates, note)
    return found


def _match(code: str, origin: str, rules: list[DutyRate]) -> DutyMatch | None:
    bases = [r for r in rules if not r.additional and _related(code, r.hs_prefix)]
    if not bases:
        return None
    if any(r.origin == origin for r in bases):  # an origin's own rate replaces the general one
        bases = [r for r in bases if r.origin == origin]
    covering = [r for r in bases if code.startswith(r.hs_prefix)]
    narrower = [r for r in bases if len(r.hs_prefix) > len(code)]
    candidates = narrower + ([max(covering, key=lambda r: len(r.hs_prefix))] if covering else [])
    extras = [r for r in rules if r.additional]
    options = [_stacked(base, code, extras) for base in candidates]
    best = max(options, key=lambda m: m.percent)
    if len(options) == 1:
        return best
    lines = ", ".join(sorted(r.hs_prefix for r in candidates))
    note = (
        f"highest of {len(options)} tariff lines for {_dotted(code)} ({lines}); "
        f"set the product's national code to be exact"
    )
    return DutyMatch(best.percent, best.rule_ids, len(options), note)


def _related(code: str, prefix: str) -> bool:
    return code.startswith(prefix) or prefix.startswith(code)


def _stacked(base: DutyRate, code: str, extras: list[DutyRate]) -> DutyMatch:
    """`base` with the additional duties that cover the line it stands for."""
    line = base.hs_prefix if len(base.hs_prefix) > len(code) else code
    added = [r for r in extras if line.startswith(r.hs_prefix)]
    percent = base.rate + sum((r.rate for r in added), Decimal(0))
    return DutyMatch(percent, (base.id, *(r.id for r in added)), 1)


def _dotted(code: str) -> str:
    """7113110 -> 7113.11.0: how merchants write the code."""
    return ".".join(filter(None, (code[:4], code[4:6], code[6:])))
