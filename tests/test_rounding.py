"""Channel rounding rules: price endings, steps, plain precision; always at currency precision."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from channels.money import InvalidMoney, Money, currency_precision
from channels.rounding import RoundingRule, RoundingRuleError, apply, check_rule, parse_rule


def prices(places: int = 6, max_value: str = "1e9"):
    return st.decimals(
        min_value=Decimal("0.000001"), max_value=Decimal(max_value), places=places
    ).filter(lambda d: d > 0)


def any_amounts():
    return st.decimals(min_value=Decimal("-1e9"), max_value=Decimal("1e9"), places=6)


# ending --------------------------------------------------------------------------


@given(prices(), st.sampled_from(["EUR", "USD", "GBP"]), st.sampled_from(["0.99", "0.95"]))
def test_ending_is_the_smallest_price_at_or_above_with_that_ending(amount, currency, ending):
    rule = parse_rule(f"ending:{ending}")
    result = apply(rule, Money(amount, currency))
    assert result.currency == currency and result.is_rounded
    assert result.amount >= amount
    assert result.amount % 1 == Decimal(ending)
    assert result.amount - 1 < amount  # one price point lower would be below the amount


@given(prices(places=2), st.sampled_from([("JPY", "9", 10), ("KRW", "990", 1000)]))
def test_whole_unit_endings_repeat_every_next_power_of_ten(amount, case):
    currency, ending, modulus = case
    result = apply(parse_rule(f"ending:{ending}"), Money(amount, currency))
    assert result.is_rounded
    assert result.amount >= amount
    assert result.amount % modulus == Decimal(ending)
    assert result.amount - modulus < amount


@pytest.mark.parametrize(
    ("amount", "rule", "currency", "expected"),
    [
        ("12.00", "ending:0.99", "EUR", "12.99"),
        ("12.99", "ending:0.99", "EUR", "12.99"),
        ("12.995", "ending:0.99", "EUR", "13.99"),
        ("12.991", "ending:0.95", "USD", "13.95"),
        ("0.01", "ending:0.99", "GBP", "0.99"),
        ("0", "ending:0.99", "EUR", "0.00"),  # free stays free
        ("1234", "ending:9", "JPY", "1239"),
        ("1240", "ending:9", "JPY", "1249"),
        ("12345.6", "ending:990", "KRW", "12990"),
        ("12.3", "ending:0", "EUR", "13.00"),
        ("1.2341", "ending:0.99", "KWD", "1.990"),
    ],
)
def test_ending_examples(amount, rule, currency, expected):
    assert apply(parse_rule(rule), Money(amount, currency)).as_string() == expected


def test_ending_refuses_negative_amounts():
    with pytest.raises(RoundingRuleError, match="rounds prices"):
        apply(parse_rule("ending:0.99"), Money("-5", "EUR"))


# step ------------------------------------------------------------------------------


@given(any_amounts(), st.sampled_from([("JPY", "10"), ("CHF", "0.05"), ("KRW", "100")]))
def test_step_rounds_to_the_nearest_multiple(amount, case):
    currency, step = case
    step = Decimal(step)
    result = apply(RoundingRule(kind="step", step=step), Money(amount, currency))
    assert result.is_rounded
    assert result.amount % step == 0
    assert abs(result.amount - amount) <= step / 2


@pytest.mark.parametrize(
    ("amount", "rule", "currency", "expected"),
    [
        ("1234", "step:10", "JPY", "1230"),
        ("1235", "step:10", "JPY", "1240"),  # a tie rounds up
        ("1234.9", "step:10", "JPY", "1230"),
        ("-1235", "step:10", "JPY", "-1240"),  # ... away from zero
        ("12.32", "step:0.05", "CHF", "12.30"),
        ("12.325", "step:0.05", "CHF", "12.35"),
        ("12.374", "step:0.05", "CHF", "12.35"),
        ("0.02", "step:0.05", "CHF", "0.00"),
        ("12.345", "step:0.01", "EUR", "12.35"),
    ],
)
def test_step_examples(amount, rule, currency, expected):
    assert apply(parse_rule(rule), Money(amount, currency)).as_string() == expected


# precision -------------------------------------------------------------------------


@given(any_amounts(), st.sampled_from(["EUR", "JPY", "ISK", "CHF", "USD", "SAR", "AED"]))
def test_precision_is_money_rounded(amount, currency):
    money = Money(amount, currency)
    assert apply(parse_rule("precision"), money) == money.rounded()
    assert apply(RoundingRule(), money) == money.rounded()


@given(any_amounts(), st.sampled_from(["KWD", "BHD", "OMR"]))
def test_three_decimal_prices_are_shown_with_three_digits_and_chargeable_by_card(amount, currency):
    price = apply(parse_rule("precision"), Money(amount, currency))
    assert price == Money(amount, currency).rounded(stripe=True)
    assert -price.amount.as_tuple().exponent == 3
    assert price.to_minor_units(stripe=True) % 10 == 0


@pytest.mark.parametrize(
    ("amount", "currency", "expected"),
    [("12.345", "BHD", "12.350"), ("12.344", "OMR", "12.340"), ("12.3449", "KWD", "12.340")],
)
def test_three_decimal_precision_examples(amount, currency, expected):
    assert apply(parse_rule("precision"), Money(amount, currency)).as_string() == expected


# every rule, every currency it fits ---------------------------------------------

RULES = ["precision", "step:1", "step:10", "step:0.05", "step:0.01", "ending:0.99", "ending:9"]
CURRENCIES = ["EUR", "USD", "GBP", "JPY", "KRW", "KWD", "CHF", "ISK", "HUF"]


@given(prices(), st.sampled_from(RULES), st.sampled_from(CURRENCIES))
def test_the_result_is_always_at_currency_precision(amount, text, currency):
    rule = parse_rule(text)
    money = Money(amount, currency)
    try:
        check_rule(rule, currency)
    except RoundingRuleError:
        with pytest.raises(RoundingRuleError, match="finer than"):
            apply(rule, money)
        return
    result = apply(rule, money)
    assert result.currency == currency
    assert result.is_rounded
    assert -result.amount.as_tuple().exponent == currency_precision(currency)


def test_rules_finer_than_the_currency_are_refused():
    with pytest.raises(RoundingRuleError, match="finer than JPY's minor unit 1"):
        apply(parse_rule("step:0.05"), Money("100", "JPY"))
    with pytest.raises(RoundingRuleError, match=r"ending 0\.99 is finer than JPY"):
        apply(parse_rule("ending:0.99"), Money("100", "JPY"))
    with pytest.raises(RoundingRuleError):
        check_rule(parse_rule("step:0.001"), "EUR")
    check_rule(parse_rule("step:0.005"), "KWD")


# parsing ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "rule"),
    [
        ("precision", RoundingRule("precision")),
        ("  Precision ", RoundingRule("precision")),
        ("step:10", RoundingRule("step", step=Decimal("10"))),
        ("step: 0.05", RoundingRule("step", step=Decimal("0.05"))),
        ("ending:0.99", RoundingRule("ending", ending=Decimal("0.99"))),
        ("ENDING:990", RoundingRule("ending", ending=Decimal("990"))),
    ],
)
def test_parse_rule(text, rule):
    parsed = parse_rule(text)
    assert parsed == rule
    assert parse_rule(str(parsed)) == parsed


@pytest.mark.parametrize(
    "text",
    [
        "",
        "nearest",
        "precision:2",
        "step",
        "step:",
        "step:0",
        "step:-5",
        "step:1e1",
        "step:ten",
        "step:0.05:1",
        "ending",
        "ending:-0.01",
        "ending:1.5",
        "ending:.99",
        "ending:0,99",
        "round:0.99",
        None,
        10,
    ],
)
def test_bad_rules_are_refused_clearly(text):
    with pytest.raises(RoundingRuleError):
        parse_rule(text)


def test_rules_refuse_float_and_mismatched_fields():
    with pytest.raises(RoundingRuleError):
        RoundingRule("step", step=0.05)
    with pytest.raises(RoundingRuleError):
        RoundingRule("ending", ending=0.99)
    with pytest.raises(RoundingRuleError):
        RoundingRule("precision", step=Decimal("1"))
    with pytest.raises(RoundingRuleError):
        RoundingRule("step", step=Decimal("1"), ending=Decimal("0.99"))
    with pytest.raises(RoundingRuleError):
        RoundingRule("ceiling")


def test_apply_checks_the_currency():
    with pytest.raises(InvalidMoney):
        check_rule(parse_rule("step:10"), "XYZ")
