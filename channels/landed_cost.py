"""Landed cost of one consignment: import VAT/GST, duty and fees in the buyer's currency.

One fulfilment group is one consignment, so every threshold applies per group.
The rules come from `channels.country_rules` (data with sources and dates);
this module only applies them:

- Thresholds are compared in the rule's currency at the day's rate
  (`channels.fx.convert`), on the intrinsic goods value (shipping excluded).
- `collected_at_checkout` is True only when the destination has a scheme in
  force, the consignment is within it, and the seller holds its registration.
  Then the shop is DDP: VAT (on goods + shipping), duty and fees are charged at
  checkout and nothing is due on delivery.
- Otherwise the regime is `dap` and the same components are an *estimate* of
  what the carrier collects on delivery (VAT on goods + shipping + duty).
- Every amount is converted unrounded and rounded once at the end with
  `Money.rounded()`, so `estimated_due_on_delivery == vat + duty + fees` exactly.
  What the card is charged at checkout (`charged_at_checkout`: duty, fees, and the
  VAT unless the prices hold it) is rounded to the step Stripe can charge
  (`Money.rounded(stripe=True)`: BHD, KWD, OMR in 0.010), so a total of it is
  chargeable; an estimate or a VAT inside the prices keeps the currency's precision.
- Duty is owed by the goods' origin (`GoodsLine.origin`, the product's country of
  origin): the rates and surcharges for goods of an origin (the US on goods of
  Chinese origin) follow it, wherever the parcel leaves from. The consignment's
  `origin` is where it is shipped from: it decides whether there is an import at
  all (the same customs territory) and, with the value, the scheme that applies.
- Tax-inclusive prices (`prices_include_vat`, a channel showing prices with tax):
  where the shop collects the VAT, the goods and shipping prices already hold it.
  The VAT is then the part of them at the destination's rate (gross x r/(100+r)),
  not an addition; thresholds and duty see the value net of it; `vat_included`
  says so and `charged_at_checkout` adds only duty and fees. Where the shop does
  not collect, there is no VAT in the price and the buyer pays it on delivery.

A currency missing from the rate set raises `channels.fx.MissingRate`.
"""

from __future__ import annotations

import dataclasses
import datetime
import re
from collections.abc import Collection
from dataclasses import dataclass, field
from decimal import Decimal

from .country_rules import CountryRules, Relief, Scheme, load_rules
from .fx import RateSet, convert
from .money import Money, check_currency
from .tariff_lines import AppliedDuty, match_duty

TRANSPORTS = ("courier", "post")
_HS = re.compile(r"\d{6,10}")


@dataclass(frozen=True)
class GoodsLine:
    """`quantity` units of one article; `unit_customs_value` is the value of one unit."""

    hs_code: str
    unit_customs_value: Money
    quantity: int = 1
    materials: frozenset[str] = frozenset()  # product flags such as "ivory", "precious_coral"
    origin: str | None = None  # country of origin (ISO 3166-1); None: the ship-from's

    def __post_init__(self):
        digits = self.hs_code.replace(".", "").replace(" ", "")
        if not _HS.fullmatch(digits):
            raise ValueError(f"HS code {self.hs_code!r} must have 6 to 10 digits")
        if self.origin is not None and not _is_country(self.origin):
            raise ValueError(f"origin must be an ISO 3166-1 alpha-2 code, not {self.origin!r}")
        object.__setattr__(self, "hs_code", digits)
        if not isinstance(self.unit_customs_value, Money) or self.unit_customs_value.amount < 0:
            raise ValueError("unit_customs_value must be a non-negative Money")
        if type(self.quantity) is not int or self.quantity < 1:
            raise ValueError(f"quantity must be a positive integer, not {self.quantity!r}")
        object.__setattr__(self, "materials", frozenset(self.materials))

    @property
    def subheading(self) -> str:
        """The 6-digit tariff subheading: one 'item category' for the EU flat duty."""
        return self.hs_code[:6]

    @property
    def customs_value(self) -> Money:
        return self.unit_customs_value * self.quantity


@dataclass(frozen=True)
class Consignment:
    """One fulfilment group: what one shipper sends to one address on one day."""

    origin: str  # where the parcel is shipped from (the goods' own origin is per line)
    destination: str
    date: datetime.date
    lines: tuple[GoodsLine, ...]
    shipping: Money
    region: str | None = None  # ISO 3166-2, e.g. "UA-43", "CA-QC"
    transport: str = "courier"
    prices_include_vat: bool = False  # goods and shipping are priced with the VAT collected

    def __post_init__(self):
        for name in ("origin", "destination"):
            code = getattr(self, name)
            if not (isinstance(code, str) and len(code) == 2 and code.isalpha() and code.isupper()):
                raise ValueError(f"{name} must be an ISO 3166-1 alpha-2 code, not {code!r}")
        if self.region is not None and not self.region.startswith(f"{self.destination}-"):
            raise ValueError(f"region {self.region!r} is not a subdivision of {self.destination}")
        if type(self.date) is not datetime.date:
            raise ValueError(f"date must be a datetime.date, not {self.date!r}")
        object.__setattr__(self, "lines", tuple(self.lines))
        if not self.lines:
            raise ValueError("a consignment holds at least one goods line")
        if not isinstance(self.shipping, Money) or self.shipping.amount < 0:
            raise ValueError("shipping must be a non-negative Money")
        if self.transport not in TRANSPORTS:
            raise ValueError(f"transport must be one of {', '.join(TRANSPORTS)}")

    def goods_value(self, currency: str, rates: RateSet) -> Money:
        """Intrinsic value (goods only), unrounded, in `currency`."""
        return sum(
            (convert(line.customs_value, currency, rates) for line in self.lines),
            Money.zero(currency),
        )

    @property
    def subheadings(self) -> frozenset[str]:
        return frozenset(line.subheading for line in self.lines)

    def net_of_vat(self, percent: Decimal) -> Consignment:
        """The same consignment valued without the `percent` VAT its prices hold (unrounded)."""
        factor = Decimal(100) / (Decimal(100) + percent)
        return dataclasses.replace(
            self,
            lines=tuple(
                dataclasses.replace(line, unit_customs_value=line.unit_customs_value * factor)
                for line in self.lines
            ),
            shipping=self.shipping * factor,
            prices_include_vat=False,
        )


@dataclass(frozen=True)
class Problem:
    """Something that stops checkout. `code` is stable; `message` is English (translate it)."""

    code: str
    message: str
    rule_id: str
    line: int | None = None  # index into Consignment.lines


@dataclass(frozen=True)
class LandedCost:
    regime: str  # a scheme's code ("eu_ioss", "gb_low_value", ...), "dap" or "blocked"
    collected_at_checkout: bool
    vat: Money
    duty: Money
    fees: Money
    estimated_due_on_delivery: Money  # an estimate; zero when collected at checkout
    problems: tuple[Problem, ...] = ()
    notes: tuple[str, ...] = field(default=())  # English: unknown rates, missing registration
    vat_included: bool = False  # the VAT is part of the goods and shipping prices
    duty_rules: tuple[str, ...] = ()  # ids of the duty rules applied
    duty_notes: tuple[str, ...] = ()  # English: where the duty is the highest candidate line

    @property
    def duty_at_highest_rate(self) -> bool:
        """The product's HS code fits several tariff lines; the duty is the highest one's."""
        return bool(self.duty_notes)

    @property
    def charged_at_checkout(self) -> Money:
        """What checkout adds to goods and shipping: the import charges when DDP (without
        the VAT when the prices already hold it), else zero."""
        if not self.collected_at_checkout:
            return Money.zero(self.vat.currency).rounded()
        added = self.duty + self.fees
        return added if self.vat_included else added + self.vat

    def as_json(self) -> dict:
        """The `import` object of a cart group (API.md)."""
        return {
            "regime": self.regime,
            "collected_at_checkout": self.collected_at_checkout,
            "vat": self.vat.as_json(),
            "duty": self.duty.as_json(),
            "fees": self.fees.as_json(),
            "estimated_due_on_delivery": self.estimated_due_on_delivery.as_json(),
            "vat_included": self.vat_included,
            "duty_rules": list(self.duty_rules),
            "duty_at_highest_rate": self.duty_at_highest_rate,
            "duty_notes": list(self.duty_notes),
        }


def landed_cost(
    consignment: Consignment,
    registrations: Collection[str],
    rates: RateSet,
    currency: str,
    rules: CountryRules | None = None,
) -> LandedCost:
    """The import charges of `consignment` in `currency` (the channel's), rounded once."""
    if isinstance(registrations, str):  # "eu_ioss" in "no_eu_ioss" must not count
        raise TypeError("registrations is a collection of codes, not one string")
    currency = check_currency(currency)
    rules = rules if rules is not None else load_rules()
    c, day, dest = consignment, consignment.date, consignment.destination
    problems = _problems(c, rules, rates)
    zero = Money.zero(currency).rounded()
    if any(p.code == "destination_blocked" for p in problems):
        return LandedCost("blocked", False, zero, zero, zero, zero, tuple(problems))
    if _same_customs_territory(c.origin, dest, rules):
        # Not an import: no import VAT, duty or fees (the sale's own VAT is in its price).
        return LandedCost("domestic", False, zero, zero, zero, zero, tuple(problems))

    notes: list[str] = []
    scheme = rules.scheme(dest, day)
    registered = scheme is not None and scheme.registration in registrations
    vat_rule = rules.vat_rate(dest, c.region, day)
    # Prices hold the VAT only where the shop collects it; the scheme's limit and the duty
    # then see the value net of it. Over the limit the price holds no VAT at all.
    net = c.net_of_vat(vat_rule.rate) if c.prices_include_vat and vat_rule else c
    within = scheme is not None and _within_scheme(scheme, net, rates)
    collected = within and registered
    included = collected and net is not c
    if included:
        c = net
    if within and not collected:
        notes.append(
            f"{dest}: registering for {scheme.registration} would let the shop collect "
            f"the tax at checkout."
        )
    # A duty relief holds either way; a VAT relief only where the seller does not collect.
    reliefs = _reliefs(rules.reliefs_for(dest, day), c, rates)

    applied = AppliedDuty()
    if collected and scheme.duty_free:
        duty = zero
    else:
        duty = _duty(c, rules, rates, currency, reliefs, notes, applied)
    fees = _fees(c, rules, rates, currency)
    vat = _vat(c, rules, rates, currency, duty, collected, reliefs, notes)

    # What the card is charged at the Stripe step; estimates and included VAT as they are.
    vat = vat.rounded(stripe=collected and not included)
    duty, fees = duty.rounded(stripe=collected), fees.rounded(stripe=collected)
    due = zero if collected else vat + duty + fees
    return LandedCost(
        regime=scheme.regime if collected else "dap",
        collected_at_checkout=collected,
        vat=vat,
        duty=duty,
        fees=fees,
        estimated_due_on_delivery=due,
        problems=tuple(problems),
        notes=tuple(notes),
        vat_included=included,
        duty_rules=tuple(dict.fromkeys(applied.rules)),
        duty_notes=tuple(dict.fromkeys(applied.notes)),
    )


def _is_country(code: object) -> bool:
    return isinstance(code, str) and len(code) == 2 and code.isalpha() and code.isupper()


def _same_customs_territory(origin: str, destination: str, rules: CountryRules) -> bool:
    """Same country, or both inside the EU customs union."""
    union = rules.groups.get("EU", frozenset())
    return origin == destination or (origin in union and destination in union)


# thresholds -------------------------------------------------------------------


def _under(value: Money, limit: Money, inclusive: bool) -> bool:
    return value <= limit if inclusive else value < limit


def _within_scheme(scheme: Scheme, c: Consignment, rates: RateSet) -> bool:
    limit = scheme.threshold
    if limit is None:
        return True
    if scheme.basis == "item":
        return all(
            _under(convert(line.unit_customs_value, limit.currency, rates), limit, scheme.inclusive)
            for line in c.lines
        )
    return _under(c.goods_value(limit.currency, rates), limit, scheme.inclusive)


def _reliefs(reliefs: list[Relief], c: Consignment, rates: RateSet) -> set[str]:
    """The taxes ("vat", "duty") the border does not levy on this consignment."""
    relieved: set[str] = set()
    for relief in reliefs:
        if _under(c.goods_value(relief.max.currency, rates), relief.max, relief.inclusive):
            relieved |= {"vat", "duty"} if relief.tax == "all" else {relief.tax}
    return relieved


# duty, fees, VAT ------------------------------------------------------------------


def _duty(
    c: Consignment,
    rules: CountryRules,
    rates: RateSet,
    currency: str,
    reliefs: set[str],
    notes: list[str],
    applied: AppliedDuty,
) -> Money:
    zero = Money.zero(currency)
    if "duty" in reliefs:
        return zero
    for flat in rules.flat_duties_for(c.destination, c.date):
        limit = flat.consignment_max
        if c.goods_value(limit.currency, rates) <= limit:
            applied.rules.append(flat.id)
            return convert(flat.amount, currency, rates) * len(c.subheadings)
    rate_rules = rules.duty_rates_for(c.destination, c.date)
    duty = zero
    for line in c.lines:
        match = match_duty(line.hs_code, line.origin or c.origin, rate_rules)
        if match is None:
            notes.append(f"{c.destination}: no duty rate known for HS {line.hs_code}.")
            continue
        applied.rules.extend(match.rule_ids)
        if match.note:
            applied.notes.append(f"{c.destination}: {match.note}.")
        duty += convert(line.customs_value, currency, rates) * match.percent.scaleb(-2)
    return duty


def _fees(c: Consignment, rules: CountryRules, rates: RateSet, currency: str) -> Money:
    total = Money.zero(currency)
    for fee in rules.fees_for(c.destination, c.date):
        count = len(c.subheadings) if fee.per == "tariff_subheading" else 1
        total += convert(fee.amount, currency, rates) * count
    return total


def _vat(
    c: Consignment,
    rules: CountryRules,
    rates: RateSet,
    currency: str,
    duty: Money,
    collected: bool,
    reliefs: set[str],
    notes: list[str],
) -> Money:
    zero = Money.zero(currency)
    rule = rules.vat_rate(c.destination, c.region, c.date)
    if rule is None:
        notes.append(f"{c.destination}: no VAT/GST rate known; the estimate leaves it out.")
        return zero
    if "vat" in reliefs and not collected:
        return zero
    base = c.goods_value(currency, rates) + convert(c.shipping, currency, rates)
    if not collected:
        base += duty  # import VAT is levied on the customs value plus duty
    vat = base * rule.rate.scaleb(-2)
    floor = rule.not_levied_below
    if not collected and floor is not None and convert(vat, floor.currency, rates) < floor:
        return zero
    return vat


# problems ------------------------------------------------------------------------


def _problems(c: Consignment, rules: CountryRules, rates: RateSet) -> list[Problem]:
    block = rules.block_for(c.destination, c.region, c.date)
    if block is not None:
        place = block.region or block.country
        message = f"The shop cannot ship to {place}: {block.reason}."
        return [Problem("destination_blocked", message, block.id)]
    problems = []
    for rule in rules.restrictions_for(c.destination, c.date):
        for index, line in enumerate(c.lines):
            hs_match = any(line.hs_code.startswith(p) for p in rule.hs_prefixes)
            if rule.kind == "material":
                hit = bool(line.materials & rule.materials)
            elif rule.kind == "transport":
                hit = hs_match and c.transport == rule.transport
            else:
                unit = convert(line.unit_customs_value, rule.max.currency, rates)
                hit = hs_match and unit > rule.max
            if hit:
                message = f"Item {index + 1} (HS {line.hs_code}) cannot go to {c.destination}: "
                problems.append(
                    Problem("restricted_goods", message + rule.reason + ".", rule.id, index)
                )
    return problems
