"""Money: a Decimal amount with a currency. Rounding lives here and nowhere else.

Amounts are `Decimal`; `float` and `bool` are refused everywhere (constructor,
multiplication, allocation weights). Currency codes are ISO 4217 (pycountry),
written in capitals; `"usd"` is accepted and stored as `"USD"`.

Precision and rounding
    A currency's precision is Babel's (CLDR) number of digits: JPY 0, EUR 2,
    KWD 3, ISK 0, HUF 2. `rounded()` rounds half-up (a tie goes away from zero)
    at that precision: 1234.5 JPY -> 1235, 0.125 EUR -> 0.13, -0.125 EUR -> -0.13.

Minor units: two conventions
    ISO (`stripe=False`): amount x 10**precision. 12.34 EUR -> 1234, 1000 JPY ->
    1000, 1.234 KWD -> 1234, 5 ISK -> 5.

    Stripe (`stripe=True`, the default), after docs.stripe.com/currencies:
    - zero-decimal currencies (BIF CLP DJF GNF JPY KMF KRW MGA PYG RWF VND VUV
      XAF XOF XPF) are sent in whole units: 1000 JPY -> 1000.
    - three-decimal currencies (BHD JOD KWD OMR TND) are sent x 1000, and Stripe
      requires the last digit to be 0: 5.120 KWD -> 5120; 5.124 KWD is not
      chargeable (Stripe says: round to 5.12 or 5.13).
    - every other currency is two-decimal for Stripe, sent x 100, including:
      * ISK and UGX: no minor unit in use, but Stripe keeps them two-decimal for
        backwards compatibility and the decimals must be 00: 5 ISK -> 500.
        (Stripe also lists UGX among zero-decimal currencies; its special-case
        rule, x 100, is the one that applies to amounts.)
      * HUF and TWD: chargeable with two decimals, x 100 (12.50 HUF -> 1250);
        only Stripe *payouts* must be whole units (a multiple of 100).
      * the other currencies Babel gives no decimals (ALL, AFN, IQD, LAK, RSD,
        ...): x 100, always a multiple of 100 (sending 5 for 5 ALL would charge
        0.05 ALL).
    - a currency Stripe does not list with more than two decimals (LYD, CLF,
      UYW) keeps its own precision so no digit is lost; Stripe cannot charge it.

    `to_minor_units(stripe=True)` refuses an amount Stripe cannot charge
    (5.124 KWD) instead of changing it: the buyer must pay the amount shown.
    `rounded(stripe=True)` gives the nearest chargeable amount to show instead.
    That is how converted prices, converted shipping prices and the import
    charges the shop collects at checkout are rounded (the channel's `precision`
    rule, `channels.shipping.options`, `channels.landed_cost`), so a cart of them
    in BHD, KWD or OMR totals an amount Stripe takes: 18.796 BHD is shown as
    18.800. A refund is rounded down to that step instead
    (`rounded(stripe=True, down=True)`: 0.337 KWD -> 0.330), so it never gives
    back more than was paid.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import (
    ROUND_DOWN,
    ROUND_FLOOR,
    ROUND_HALF_UP,
    Context,
    Decimal,
    DivisionByZero,
    InvalidOperation,
    Overflow,
)
from fractions import Fraction
from functools import cache

import pycountry
from babel.numbers import get_currency_precision

# Stripe's tables (docs.stripe.com/currencies): see the module docstring.
STRIPE_ZERO_DECIMAL = frozenset(
    {"BIF", "CLP", "DJF", "GNF", "JPY", "KMF", "KRW", "MGA"}
    | {"PYG", "RWF", "VND", "VUV", "XAF", "XOF", "XPF"}
)
STRIPE_THREE_DECIMAL = frozenset({"BHD", "JOD", "KWD", "OMR", "TND"})
# No minor unit in use, yet sent to Stripe x 100 with decimals 00.
STRIPE_TWO_DECIMAL_WHOLE_UNITS = frozenset({"ISK", "UGX"})
# Chargeable with two decimals; whole units only for payouts.
STRIPE_WHOLE_UNIT_PAYOUTS = frozenset({"HUF", "TWD"})

# Exact for any amount a shop could hold: sums and products of amounts are not
# silently cut to the caller's context precision (28 digits by default).
_CONTEXT = Context(
    prec=60, rounding=ROUND_HALF_UP, traps=[InvalidOperation, DivisionByZero, Overflow]
)


class CurrencyMismatch(ValueError):
    """Two amounts in different currencies were combined."""


class InvalidMoney(ValueError):
    """An amount or currency that cannot be money."""


def check_currency(code: str) -> str:
    """The canonical (capital) ISO 4217 code for `code`, or InvalidMoney."""
    checked = _CHECKED.get(code) if type(code) is str else None
    if checked is not None:  # every Money is built with one: a code seen is answered at once
        return checked
    if not isinstance(code, str) or len(code) != 3 or not code.isascii() or not code.isalpha():
        raise InvalidMoney(f"{code!r} is not an ISO 4217 currency code.")
    _CHECKED[code] = checked = _known_currency(code.upper())
    return checked


_CHECKED: dict[str, str] = {}  # a code as given -> its canonical form (known codes only)


@cache
def _known_currency(code: str) -> str:
    if pycountry.currencies.get(alpha_3=code) is None:
        raise InvalidMoney(f"{code!r} is not an ISO 4217 currency code.")
    return code


@cache
def currency_precision(currency: str) -> int:
    """Digits after the decimal point, from Babel (CLDR): JPY 0, EUR 2, KWD 3."""
    return get_currency_precision(check_currency(currency))


@cache
def minor_unit_exponent(currency: str, *, stripe: bool = True) -> int:
    """Power of ten from an amount to its minor units (ISO/Babel, or Stripe's rules)."""
    currency = check_currency(currency)
    precision = currency_precision(currency)
    if not stripe:
        return precision
    if currency in STRIPE_ZERO_DECIMAL:
        return 0
    if currency in STRIPE_THREE_DECIMAL:
        return 3
    return max(2, precision)


@cache
def _quantum(currency: str) -> Decimal:
    return Decimal(1).scaleb(-currency_precision(currency))


@cache
def _stripe_quantum(currency: str) -> Decimal:
    """The smallest step of an amount Stripe can charge in this currency."""
    currency = check_currency(currency)
    if currency in STRIPE_THREE_DECIMAL:
        return Decimal("0.01")  # the last of three digits must be 0
    if currency in STRIPE_TWO_DECIMAL_WHOLE_UNITS:
        return Decimal(1)
    decimals = min(currency_precision(currency), minor_unit_exponent(currency, stripe=True))
    return Decimal(1).scaleb(-decimals)


def _to_decimal(value) -> Decimal:
    if type(value) is Decimal and value.is_finite():  # the usual case, first
        return value
    if isinstance(value, bool | float):
        raise InvalidMoney(f"Money refuses {type(value).__name__} {value!r}: use Decimal or str.")
    if isinstance(value, Decimal):
        result = value
    elif isinstance(value, int | str):
        try:
            result = Decimal(value)
        except InvalidOperation:
            raise InvalidMoney(f"{value!r} is not a number.") from None
    else:
        raise InvalidMoney(f"Money refuses {type(value).__name__} {value!r}.")
    if not result.is_finite():
        raise InvalidMoney(f"{value!r} is not a finite amount.")
    return result


def _quantize(amount: Decimal, quantum: Decimal, rounding: str = ROUND_HALF_UP) -> Decimal:
    try:
        result = amount.quantize(quantum, rounding=rounding, context=_CONTEXT)
    except InvalidOperation:
        raise InvalidMoney(f"{amount} is too large to be money.") from None
    # -0.001 rounds to -0.00; a price of "-0.00" is nonsense.
    return result.copy_abs() if result.is_zero() else result


@dataclass(frozen=True, slots=True)
class Money:
    amount: Decimal
    currency: str

    def __post_init__(self):
        object.__setattr__(self, "amount", _to_decimal(self.amount))
        object.__setattr__(self, "currency", check_currency(self.currency))

    def __str__(self) -> str:
        return f"{self.amount} {self.currency}"

    # construction -------------------------------------------------------
    @classmethod
    def zero(cls, currency: str) -> Money:
        return cls(Decimal(0), currency)

    # rounding: the one place ---------------------------------------------
    def rounded(self, *, stripe: bool = False, down: bool = False) -> Money:
        """Half-up at the currency's precision (JPY 0, EUR 2, KWD 3).

        With `stripe=True`, half-up at the step Stripe can charge instead: the
        same except for the three-decimal currencies (KWD to 0.01).
        With `down=True`, toward zero instead of half-up, so the result is never
        more than the amount: 0.337 KWD -> 0.330 with `stripe=True` (a refund).
        """
        quantum = _stripe_quantum(self.currency) if stripe else _quantum(self.currency)
        rounding = ROUND_DOWN if down else ROUND_HALF_UP
        # Keep the currency's number of decimals: 5.12 KWD shows as 5.120.
        amount = _quantize(_quantize(self.amount, quantum, rounding), _quantum(self.currency))
        return Money(amount, self.currency)

    @property
    def is_rounded(self) -> bool:
        """True when the amount has no digit beyond the currency's precision."""
        return self.amount == _quantize(self.amount, _quantum(self.currency))

    def as_string(self) -> str:
        """The decimal string the API shows: '12.50', '1999', '12.340'."""
        return str(self.rounded().amount)

    def as_json(self) -> dict:
        return {"amount": self.as_string(), "currency": self.currency}

    # arithmetic -------------------------------------------------------------
    def _same(self, other: Money) -> Money:
        if not isinstance(other, Money):
            raise TypeError(f"cannot combine Money with {type(other).__name__}")
        if other.currency != self.currency:
            raise CurrencyMismatch(f"{self.currency} and {other.currency} do not mix.")
        return other

    def __add__(self, other: Money) -> Money:
        return Money(_CONTEXT.add(self.amount, self._same(other).amount), self.currency)

    def __radd__(self, other):
        # sum() starts from the int 0; nothing else is welcome here.
        if type(other) is int and other == 0:
            return self
        return self.__add__(other)

    def __sub__(self, other: Money) -> Money:
        return Money(_CONTEXT.subtract(self.amount, self._same(other).amount), self.currency)

    def __neg__(self) -> Money:
        return Money(-self.amount, self.currency)

    def __mul__(self, factor) -> Money:
        if isinstance(factor, Money):
            raise TypeError("Money cannot be multiplied by Money.")
        return Money(_CONTEXT.multiply(self.amount, _to_decimal(factor)), self.currency)

    __rmul__ = __mul__

    def __lt__(self, other: Money) -> bool:
        return self.amount < self._same(other).amount

    def __le__(self, other: Money) -> bool:
        return self.amount <= self._same(other).amount

    def __gt__(self, other: Money) -> bool:
        return self.amount > self._same(other).amount

    def __ge__(self, other: Money) -> bool:
        return self.amount >= self._same(other).amount

    def __bool__(self) -> bool:
        return bool(self.amount)

    # splitting ---------------------------------------------------------------
    def allocate(self, weights: list) -> list[Money]:
        """Split the rounded amount by weights into rounded parts that add up exactly.

        Shares are computed exactly (fractions); leftover minor units go to the
        parts with the largest remainders (the earlier part on a tie), so no part
        is a whole minor unit away from its exact share.
        """
        ratios = [Fraction(_to_decimal(w)) for w in weights]
        if not ratios or any(r < 0 for r in ratios) or sum(ratios) == 0:
            raise InvalidMoney("allocate needs non-negative weights with a positive sum.")
        total_minor = self.to_minor_units(stripe=False)
        whole = sum(ratios)
        exact = [total_minor * r / whole for r in ratios]
        parts = [math.floor(e) for e in exact]
        leftover = total_minor - sum(parts)
        by_remainder = sorted(range(len(exact)), key=lambda i: (parts[i] - exact[i], i))
        for i in by_remainder[:leftover]:
            parts[i] += 1
        return [Money.from_minor_units(m, self.currency, stripe=False) for m in parts]

    # minor units --------------------------------------------------------------
    def to_minor_units(self, *, stripe: bool = True) -> int:
        """The rounded amount as an integer of minor units (Stripe's rules by default).

        Raises InvalidMoney when Stripe cannot charge the rounded amount (the
        last digit of a KWD amount is not 0): show `rounded(stripe=True)` instead.
        """
        amount = self.rounded().amount
        if stripe:
            step = _stripe_quantum(self.currency)
            if amount != _quantize(amount, step):
                raise InvalidMoney(
                    f"Stripe cannot charge {amount} {self.currency}: amounts in "
                    f"{self.currency} must be multiples of {step} there; "
                    f"round with rounded(stripe=True) before showing the price."
                )
        units = amount.scaleb(minor_unit_exponent(self.currency, stripe=stripe), _CONTEXT)
        if units != units.to_integral_value(ROUND_FLOOR, _CONTEXT):
            raise InvalidMoney(f"{amount} {self.currency} is not a whole number of minor units.")
        return int(units)

    @classmethod
    def from_minor_units(cls, units: int, currency: str, *, stripe: bool = True) -> Money:
        """The amount `units` minor units stand for; refuses what the currency cannot hold.

        5.50 ISK (550 Stripe units) raises instead of becoming 6 ISK.
        """
        if not isinstance(units, int) or isinstance(units, bool):
            raise InvalidMoney(f"minor units must be an integer, not {units!r}")
        exponent = minor_unit_exponent(currency, stripe=stripe)
        money = cls(Decimal(units).scaleb(-exponent, _CONTEXT), currency)
        if not money.is_rounded:
            raise InvalidMoney(
                f"{units} minor units of {money.currency} is {money.amount}, "
                f"finer than the currency's precision."
            )
        return money.rounded()
