"""Money: Decimal only, half-up rounding at Babel precision, exact splits, Stripe minor units."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pycountry
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from channels.money import (
    CurrencyMismatch,
    InvalidMoney,
    Money,
    check_currency,
    currency_precision,
    minor_unit_exponent,
)

ALL_CURRENCIES = sorted(c.alpha_3 for c in pycountry.currencies)
SHOP_CURRENCIES = ["EUR", "USD", "GBP", "JPY", "KRW", "KWD", "BHD", "ISK", "HUF", "CHF", "ALL"]

currencies = st.sampled_from(ALL_CURRENCIES)
amounts = st.decimals(
    min_value=Decimal("-1e12"), max_value=Decimal("1e12"), allow_nan=False, allow_infinity=False
)
units = st.integers(min_value=-(10**15), max_value=10**15)


def quantum(currency: str) -> Decimal:
    return Decimal(1).scaleb(-currency_precision(currency))


def money_in(currency: str):
    """Rounded Money in `currency`, built from minor units."""
    return units.map(lambda u: Money.from_minor_units(u, currency, stripe=False))


rounded_money = currencies.flatmap(money_in)


# no float, anywhere ---------------------------------------------------------


@given(st.floats())
def test_constructor_refuses_any_float(value):
    with pytest.raises(InvalidMoney):
        Money(value, "EUR")


@given(rounded_money, st.floats())
def test_multiplication_refuses_any_float(money, factor):
    with pytest.raises(InvalidMoney):
        money * factor
    with pytest.raises(InvalidMoney):
        factor * money


@given(st.lists(st.floats(min_value=0.1, max_value=10), min_size=1, max_size=5))
def test_allocate_refuses_float_weights(weights):
    with pytest.raises(InvalidMoney):
        Money("10.00", "EUR").allocate(weights)


@pytest.mark.parametrize("value", [True, None, [1], "abc", "NaN", "Infinity", Decimal("sNaN")])
def test_constructor_refuses_what_is_not_an_amount(value):
    with pytest.raises(InvalidMoney):
        Money(value, "EUR")


def test_minor_units_must_be_an_int():
    with pytest.raises(InvalidMoney):
        Money.from_minor_units(12.0, "EUR")
    with pytest.raises(InvalidMoney):
        Money.from_minor_units(True, "EUR")


def test_sum_starts_only_from_int_zero():
    parts = [Money("1.10", "EUR"), Money("2.20", "EUR")]
    assert sum(parts) == Money("3.30", "EUR")
    with pytest.raises(TypeError):
        0.0 + parts[0]


# currencies -----------------------------------------------------------------


@pytest.mark.parametrize("code", ["", "EU", "EURO", "XYZ", "€", "US1", None, 978])
def test_unknown_currencies_are_refused(code):
    with pytest.raises(InvalidMoney):
        Money("1", code)


def test_currency_codes_are_stored_in_capitals():
    assert Money("1", "jpy") == Money("1", "JPY")
    assert Money("1", "jpy").currency == "JPY"
    assert check_currency("kwd") == "KWD"
    # Babel alone answers 2 for "jpy": the code is normalised before asking it
    assert currency_precision("jpy") == 0


@given(currencies, currencies, amounts, amounts)
def test_arithmetic_never_mixes_currencies(a, b, x, y):
    assume(a != b)
    left, right = Money(x, a), Money(y, b)
    for combine in (
        lambda: left + right,
        lambda: left - right,
        lambda: left < right,
        lambda: left <= right,
        lambda: left > right,
        lambda: left >= right,
        lambda: sum([left, right]),
    ):
        with pytest.raises(CurrencyMismatch):
            combine()
    assert left != right


# rounding -------------------------------------------------------------------


@given(currencies, amounts)
def test_rounding_moves_at_most_half_a_minor_unit(currency, amount):
    money = Money(amount, currency)
    rounded = money.rounded()
    assert rounded.is_rounded
    assert abs(rounded.amount - amount) <= quantum(currency) / 2
    assert rounded.rounded() == rounded


@given(currencies, amounts)
def test_rounding_for_stripe_moves_at_most_half_a_stripe_step(currency, amount):
    money = Money(amount, currency)
    rounded = money.rounded(stripe=True)
    assert rounded.is_rounded
    step = Decimal("0.01") if currency in {"BHD", "JOD", "KWD", "OMR", "TND"} else quantum(currency)
    if currency in {"ISK", "UGX"}:
        step = Decimal(1)
    assert abs(rounded.amount - amount) <= step / 2
    rounded.to_minor_units(stripe=True)  # always chargeable


@given(currencies, amounts.map(abs))
def test_rounding_down_for_stripe_never_gives_more_and_is_always_refundable(currency, amount):
    money = Money(amount, currency)
    down = money.rounded(stripe=True, down=True)
    step = Decimal("0.01") if currency in {"BHD", "JOD", "KWD", "OMR", "TND"} else quantum(currency)
    if currency in {"ISK", "UGX"}:
        step = Decimal(1)
    assert down.is_rounded
    assert amount - step < down.amount <= amount
    down.to_minor_units(stripe=True)  # Stripe takes it
    assert down.rounded(stripe=True, down=True) == down


@pytest.mark.parametrize(
    ("amount", "currency", "expected"),
    [("0.337", "KWD", "0.330"), ("5.129", "BHD", "5.120"), ("12.999", "EUR", "12.99")],
)
def test_rounding_down_examples(amount, currency, expected):
    assert Money(Decimal(amount), currency).rounded(stripe=True, down=True).as_string() == expected


def test_rounding_down_without_stripe_keeps_every_fils():
    assert Money(Decimal("0.3379"), "KWD").rounded(down=True).as_string() == "0.337"
    assert Money(Decimal("-0.3379"), "KWD").rounded(down=True).as_string() == "-0.337"


@pytest.mark.parametrize(
    ("amount", "currency", "expected"),
    [
        ("1234.5", "JPY", "1235"),
        ("1234.49", "JPY", "1234"),
        ("0.125", "EUR", "0.13"),
        ("0.135", "EUR", "0.14"),  # half-up, not half-even
        ("-0.125", "EUR", "-0.13"),  # a tie goes away from zero
        ("1.2345", "KWD", "1.235"),
        ("12", "EUR", "12.00"),
        ("-0.001", "EUR", "0.00"),  # never "-0.00"
        ("136.5", "ISK", "137"),
    ],
)
def test_half_up_examples(amount, currency, expected):
    assert Money(amount, currency).as_string() == expected


def test_precision_comes_from_babel():
    assert currency_precision("JPY") == 0
    assert currency_precision("EUR") == 2
    assert currency_precision("KWD") == 3
    assert Money("1999", "JPY").as_json() == {"amount": "1999", "currency": "JPY"}
    assert Money("12.34", "KWD").as_json() == {"amount": "12.340", "currency": "KWD"}


# allocation -----------------------------------------------------------------

weights = st.lists(st.integers(min_value=0, max_value=1000), min_size=1, max_size=12).filter(
    lambda w: sum(w) > 0
)


@given(rounded_money, weights)
def test_allocate_parts_add_up_and_stay_within_one_minor_unit(money, parts_weights):
    parts = money.allocate(parts_weights)
    assert len(parts) == len(parts_weights)
    assert sum(parts, Money.zero(money.currency)) == money
    minor = Fraction(quantum(money.currency))
    total = sum(parts_weights)
    for part, weight in zip(parts, parts_weights, strict=True):
        assert part.currency == money.currency and part.is_rounded
        exact = Fraction(money.amount) * weight / total
        assert abs(Fraction(part.amount) - exact) < minor


@given(rounded_money, st.lists(st.decimals(min_value=0, max_value=100, places=3), min_size=1))
def test_allocate_takes_decimal_weights(money, parts_weights):
    if sum(parts_weights) == 0:
        with pytest.raises(InvalidMoney):
            money.allocate(parts_weights)
        return
    assert sum(money.allocate(parts_weights), Money.zero(money.currency)) == money


def test_allocate_examples():
    assert [p.as_string() for p in Money("100", "EUR").allocate([1, 1, 1])] == [
        "33.34",
        "33.33",
        "33.33",
    ]
    assert [p.as_string() for p in Money("10", "JPY").allocate([1, 0, 2])] == ["3", "0", "7"]
    with pytest.raises(InvalidMoney):
        Money("10", "EUR").allocate([])
    with pytest.raises(InvalidMoney):
        Money("10", "EUR").allocate([1, -1, 1])


# minor units ------------------------------------------------------------------


@settings(max_examples=300)
@given(currencies, units)
def test_iso_minor_units_round_trip_for_every_currency(currency, n):
    money = Money.from_minor_units(n, currency, stripe=False)
    assert money.is_rounded
    assert money.to_minor_units(stripe=False) == n
    assert Money.from_minor_units(money.to_minor_units(stripe=False), currency, stripe=False) == (
        money
    )


@settings(max_examples=300)
@given(currencies, amounts)
def test_stripe_minor_units_round_trip_for_every_currency(currency, amount):
    money = Money(amount, currency).rounded(stripe=True)
    sent = money.to_minor_units(stripe=True)
    assert Money.from_minor_units(sent, currency, stripe=True) == money
    assert Money.from_minor_units(sent, currency, stripe=True).to_minor_units(stripe=True) == sent


@pytest.mark.parametrize("currency", ALL_CURRENCIES)
def test_every_currency_has_a_precision_and_exponents(currency):
    precision = currency_precision(currency)
    assert precision in (0, 2, 3, 4)
    assert minor_unit_exponent(currency, stripe=False) == precision
    assert minor_unit_exponent(currency, stripe=True) >= 0


@pytest.mark.parametrize(
    ("amount", "currency", "iso", "stripe"),
    [
        ("1000", "JPY", 1000, 1000),  # zero-decimal
        ("1000", "KRW", 1000, 1000),
        ("1000", "VND", 1000, 1000),
        ("1000", "CLP", 1000, 1000),
        ("12.34", "EUR", 1234, 1234),
        ("5.120", "KWD", 5120, 5120),  # three-decimal, last digit 0
        ("5.12", "BHD", 5120, 5120),
        ("5", "ISK", 5, 500),  # whole krónur, sent x100
        ("5", "UGX", 5, 500),
        ("5", "ALL", 5, 500),  # Babel 0 decimals, Stripe two-decimal
        ("12.50", "HUF", 1250, 1250),  # two decimals for charges
        ("12.50", "TWD", 1250, 1250),
    ],
)
def test_minor_unit_examples(amount, currency, iso, stripe):
    money = Money(amount, currency)
    assert money.to_minor_units(stripe=False) == iso
    assert money.to_minor_units(stripe=True) == stripe
    assert money.to_minor_units() == stripe  # Stripe's rules by default
    assert Money.from_minor_units(stripe, currency) == money
    assert Money.from_minor_units(iso, currency, stripe=False) == money


def test_exponents():
    assert minor_unit_exponent("JPY") == 0
    assert minor_unit_exponent("KWD") == 3
    assert minor_unit_exponent("ISK") == 2
    assert minor_unit_exponent("ISK", stripe=False) == 0
    assert minor_unit_exponent("EUR") == 2


@given(st.integers(min_value=1, max_value=10**9).filter(lambda n: n % 10))
def test_stripe_refuses_three_decimal_amounts_not_ending_in_zero(n):
    money = Money.from_minor_units(n, "KWD", stripe=False)  # e.g. 5.124 KWD
    with pytest.raises(InvalidMoney, match="rounded\\(stripe=True\\)"):
        money.to_minor_units(stripe=True)
    chargeable = money.rounded(stripe=True)
    assert chargeable.to_minor_units(stripe=True) % 10 == 0
    assert abs(chargeable.amount - money.amount) <= Decimal("0.005")


@given(st.integers(min_value=-(10**9), max_value=10**9).filter(lambda n: n % 100))
def test_stripe_units_for_whole_unit_currencies_must_be_multiples_of_100(n):
    for currency in ("ISK", "UGX"):
        with pytest.raises(InvalidMoney):
            Money.from_minor_units(n, currency)  # 550 would be 5.50 ISK: refused, not 6
        assert Money.from_minor_units(n * 100, currency).amount == n


def test_to_minor_units_rounds_half_up_first():
    assert Money("0.125", "EUR").to_minor_units() == 13
    assert Money("1234.5", "JPY").to_minor_units() == 1235
    assert Money("4.5", "ISK").to_minor_units() == 500
