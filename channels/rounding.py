"""A channel's rule for rounding a converted price. A rule is data, parsed from config.

Kinds, written in config as a short string:

- ``precision``: half-up at the currency's precision (`Money.rounded`): 12.345 EUR -> 12.35.
  For the three-decimal currencies (BHD, KWD, OMR, JOD, TND) the half-up step is
  0.010, the finest amount a card can be charged (`Money.rounded(stripe=True)`):
  12.345 BHD -> 12.350, still shown with three decimals, so a converted price
  and any total of such prices is what the buyer is charged.
- ``step:<s>``: the nearest multiple of `s`, a tie rounding up (away from zero):
  ``step:10`` for JPY makes 1234 -> 1230 and 1235 -> 1240; ``step:0.05`` for CHF
  makes 12.32 -> 12.30 and 12.325 -> 12.35. Nearest rather than always up, so a
  converted price moves at most half a step either way.
- ``ending:<e>``: the smallest price >= the amount that ends in `e`, a price
  point: ``ending:0.99`` makes 12.00 -> 12.99, 12.99 -> 12.99, 12.995 -> 13.99.
  An ending below 1 is the part after the decimal point; an ending of 1 or
  more (for currencies without decimals) repeats every next power of ten:
  ``ending:9`` gives 1999 JPY, ``ending:990`` gives 12990 KRW. Zero stays zero
  (free stays free); a negative amount is refused.

`apply` always returns an amount at the currency's precision; a step or ending
finer than the currency's minor unit (``step:0.05`` for JPY) raises
RoundingRuleError, as does any malformed rule.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_HALF_UP, Context, Decimal, InvalidOperation

from .money import Money, currency_precision

KINDS = ("precision", "step", "ending")
_NUMBER = re.compile(r"\d+(\.\d+)?")
_CONTEXT = Context(prec=60, traps=[InvalidOperation])


class RoundingRuleError(ValueError):
    """A rounding rule that is malformed, or does not fit the currency."""


@dataclass(frozen=True)
class RoundingRule:
    kind: str = "precision"
    step: Decimal | None = None
    ending: Decimal | None = None

    def __post_init__(self):
        if self.kind not in KINDS:
            raise RoundingRuleError(f"unknown rounding kind {self.kind!r}: use one of {KINDS}")
        if self.kind == "step":
            _check_number("step", self.step)
            if self.step <= 0:
                raise RoundingRuleError(f"a rounding step must be positive, not {self.step}")
        elif self.step is not None:
            raise RoundingRuleError(f"a {self.kind!r} rule takes no step")
        if self.kind == "ending":
            _check_number("ending", self.ending)
            if self.ending < 0:
                raise RoundingRuleError(f"a price ending cannot be negative: {self.ending}")
            if self.ending >= 1 and self.ending != self.ending.to_integral_value():
                raise RoundingRuleError(
                    f"an ending of 1 or more is a whole number (ending:9, ending:990), "
                    f"not {self.ending}"
                )
        elif self.ending is not None:
            raise RoundingRuleError(f"a {self.kind!r} rule takes no ending")

    def __str__(self) -> str:
        """The config form, which `parse_rule` reads back."""
        if self.kind == "step":
            return f"step:{self.step:f}"
        if self.kind == "ending":
            return f"ending:{self.ending:f}"
        return "precision"

    @property
    def modulus(self) -> Decimal | None:
        """How often an ending repeats: 1 for endings below 1, else the next power of ten."""
        if self.kind != "ending":
            return None
        if self.ending < 1:
            return Decimal(1)
        return Decimal(10) ** (self.ending.adjusted() + 1)


def _check_number(name: str, value) -> None:
    if not isinstance(value, Decimal) or not value.is_finite():
        raise RoundingRuleError(f"a rounding {name} must be a finite Decimal, not {value!r}")


def parse_rule(text: str) -> RoundingRule:
    """Read 'precision', 'step:10', 'step:0.05' or 'ending:0.99'."""
    if not isinstance(text, str):
        raise RoundingRuleError(f"a rounding rule is text, not {type(text).__name__}")
    kind, sep, value = text.strip().partition(":")
    kind, value = kind.strip().lower(), value.strip()
    if kind == "precision" and not sep:
        return RoundingRule("precision")
    if kind in ("step", "ending") and sep:
        if not _NUMBER.fullmatch(value):
            raise RoundingRuleError(
                f"bad rounding rule {text!r}: {kind} needs a plain decimal number, like {kind}:0.05"
            )
        return RoundingRule(kind, **{kind: Decimal(value)})
    raise RoundingRuleError(
        f"bad rounding rule {text!r}: expected 'precision', 'step:<number>' or 'ending:<number>'"
    )


def check_rule(rule: RoundingRule, currency: str) -> None:
    """RoundingRuleError unless the rule's step or ending fits the currency's minor unit."""
    quantum = Decimal(1).scaleb(-currency_precision(currency))
    for name in ("step", "ending"):
        value = getattr(rule, name)
        if value is not None and _CONTEXT.remainder(value, quantum) != 0:
            raise RoundingRuleError(
                f"rounding {name} {value} is finer than {currency}'s minor unit {quantum}"
            )


def apply(rule: RoundingRule, money: Money) -> Money:
    """`money` rounded by the rule; the result is always at the currency's precision."""
    check_rule(rule, money.currency)
    if rule.kind == "precision":
        return money.rounded(stripe=True)
    if rule.kind == "step":
        steps = _CONTEXT.divide(money.amount, rule.step).to_integral_value(ROUND_HALF_UP)
        amount = _CONTEXT.multiply(steps, rule.step)
    else:
        amount = _ending(money.amount, rule.ending, rule.modulus, money.currency)
    # exact here (a multiple of the minor unit); it only sets the number of decimals
    return Money(amount, money.currency).rounded()


def _ending(amount: Decimal, ending: Decimal, modulus: Decimal, currency: str) -> Decimal:
    if amount < 0:
        raise RoundingRuleError(f"an ending rule rounds prices, not {amount} {currency}")
    if amount == 0:
        return amount
    # smallest k * modulus + ending >= amount
    k = _CONTEXT.divide(_CONTEXT.subtract(amount, ending), modulus).to_integral_value(ROUND_CEILING)
    return _CONTEXT.add(_CONTEXT.multiply(k, modulus), ending)
