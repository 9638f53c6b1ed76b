"""Landed cost per consignment: schemes on both sides of their thresholds, duties, blocks."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from channels.country_rules import load_rules
from channels.fx import RateSet
from channels.landed_cost import Consignment, GoodsLine, LandedCost, landed_cost
from channels.money import Money

# Round numbers so expected amounts can be worked out by hand.
RATES = RateSet(
    datetime.date(2026, 5, 1),
    {
        "USD": Decimal("1.25"),
        "GBP": Decimal("0.8"),
        "JPY": Decimal("160"),
        "KWD": Decimal("0.35"),
        "NOK": Decimal("11.5"),
        "CHF": Decimal("0.95"),
        "AUD": Decimal("1.6"),
        "NZD": Decimal("1.8"),
        "SGD": Decimal("1.5"),
        "CNY": Decimal("8"),
        "INR": Decimal("100"),
        "BRL": Decimal("6"),
    },
)
MAY = datetime.date(2026, 5, 1)
SILVER = "711311"
FASHION = "711719"


def eur(amount: str) -> Money:
    return Money(Decimal(amount), "EUR")


def money(amount: str, currency: str) -> Money:
    return Money(Decimal(amount), currency)


def line(value: Money, hs: str = FASHION, quantity: int = 1, **kw) -> GoodsLine:
    return GoodsLine(hs, value, quantity, **kw)


def parcel(dest, *lines, shipping=None, day=MAY, origin="CN", **kw) -> Consignment:
    shipping = (
        shipping if shipping is not None else Money.zero(lines[0].unit_customs_value.currency)
    )
    return Consignment(origin, dest, day, tuple(lines), shipping, **kw)


def cost(consignment, registrations=(), currency="EUR") -> LandedCost:
    return landed_cost(consignment, frozenset(registrations), RATES, currency)


# EU IOSS -------------------------------------------------------------------------


def test_ioss_at_149_99_is_collected_when_registered():
    result = cost(parcel("DE", line(eur("149.99")), shipping=eur("10")), {"eu_ioss"})
    assert result.regime == "eu_ioss"
    assert result.collected_at_checkout
    assert result.vat == eur("30.40")  # 19% of 159.99 (goods + shipping)
    assert result.duty == eur("0.00")  # EUR 150 duty relief before 2026-07-01
    assert result.estimated_due_on_delivery == eur("0.00")
    assert result.charged_at_checkout == eur("30.40")


def test_as_json_is_the_api_import_object():
    result = cost(parcel("DE", line(eur("100"))), {"eu_ioss"}, "KWD")
    assert result.as_json() == {
        "regime": "eu_ioss",
        "collected_at_checkout": True,
        "vat": {"amount": "6.650", "currency": "KWD"},
        "duty": {"amount": "0.000", "currency": "KWD"},
        "fees": {"amount": "0.000", "currency": "KWD"},
        "estimated_due_on_delivery": {"amount": "0.000", "currency": "KWD"},
        "vat_included": False,
        "duty_rules": [],
        "duty_at_highest_rate": False,
        "duty_notes": [],
    }


# tax-inclusive prices (a channel that shows prices with tax) ---------------------------


def test_inclusive_prices_hold_the_vat_collected_and_nothing_is_added():
    result = cost(
        parcel("DE", line(eur("119")), shipping=eur("11.90"), prices_include_vat=True), {"eu_ioss"}
    )
    assert (result.regime, result.vat_included) == ("eu_ioss", True)
    assert result.vat == eur("20.90")  # 19/119 of 130.90
    assert result.charged_at_checkout == eur("0.00")  # no duty before July 2026


def test_the_ioss_threshold_compares_the_value_without_its_vat():
    # 178.50 with 19% VAT is 150.00 net: within IOSS; 178.51 is not
    within = cost(parcel("DE", line(eur("178.50")), prices_include_vat=True), {"eu_ioss"})
    assert (within.regime, within.vat) == ("eu_ioss", eur("28.50"))
    over = cost(parcel("DE", line(eur("178.51")), prices_include_vat=True), {"eu_ioss"})
    assert (over.regime, over.vat_included, over.collected_at_checkout) == ("dap", False, False)
    # over the scheme the price holds no VAT: the carrier collects it on the whole price
    assert over.vat == eur("35.27")  # 19% of (178.51 + 4% duty 7.1404)


def test_after_july_2026_the_flat_eu_duty_is_added_to_inclusive_prices():
    july = datetime.date(2026, 7, 1)
    result = cost(parcel("DE", line(eur("119")), day=july, prices_include_vat=True), {"eu_ioss"})
    assert result.vat == eur("19.00")
    assert result.duty == eur("3.00")
    assert result.charged_at_checkout == eur("3.00")


def test_without_the_registration_inclusive_prices_change_nothing():
    plain = cost(parcel("DE", line(eur("119"))))
    inclusive = cost(parcel("DE", line(eur("119")), prices_include_vat=True))
    assert plain == inclusive
    assert inclusive.estimated_due_on_delivery > eur("0")


@given(st.decimals(min_value=Decimal("0.01"), max_value=Decimal("178"), places=2))
def test_inclusive_vat_is_the_part_of_the_price_at_the_rate(gross):
    result = cost(parcel("DE", line(eur(str(gross))), prices_include_vat=True), {"eu_ioss"})
    net = gross - result.vat.amount
    # the VAT is 19% of what is left, to within the one rounding
    assert abs(net * Decimal("0.19") - result.vat.amount) <= Decimal("0.01")


def test_ioss_at_150_01_falls_back_to_dap_with_duty():
    result = cost(parcel("DE", line(eur("150.01")), shipping=eur("10")), {"eu_ioss"})
    assert (result.regime, result.collected_at_checkout) == ("dap", False)
    assert result.duty == eur("6.00")  # 4% on 7117
    assert result.vat == eur("31.54")  # 19% of 150.01 + 10 + 6.0004
    assert result.estimated_due_on_delivery == eur("37.54")
    assert result.charged_at_checkout == eur("0.00")


def test_without_ioss_registration_the_tax_is_due_on_delivery():
    result = cost(parcel("DE", line(eur("149.99")), shipping=eur("10")))
    assert (result.regime, result.collected_at_checkout) == ("dap", False)
    assert result.estimated_due_on_delivery == result.vat == eur("30.40")
    assert any("eu_ioss" in note for note in result.notes)


def test_ioss_threshold_is_compared_in_euro_at_the_days_rate():
    # USD 187.50 = EUR 150.00 exactly; one cent more is over.
    assert cost(parcel("FR", line(money("187.50", "USD"))), {"eu_ioss"}).regime == "eu_ioss"
    assert cost(parcel("FR", line(money("187.51", "USD"))), {"eu_ioss"}).regime == "dap"


def test_threshold_counts_goods_not_shipping():
    result = cost(parcel("NL", line(eur("150")), shipping=eur("40")), {"eu_ioss"})
    assert result.regime == "eu_ioss"


def test_two_groups_each_under_the_threshold_both_stay_ioss():
    groups = [parcel("DE", line(eur("100"))), parcel("DE", line(eur("100")), origin="TR")]
    results = [cost(group, {"eu_ioss"}) for group in groups]
    assert [r.regime for r in results] == ["eu_ioss", "eu_ioss"]
    assert sum(r.vat for r in results) == eur("38.00")


def test_vat_uses_the_destination_member_states_rate():
    assert cost(parcel("HU", line(eur("100"))), {"eu_ioss"}).vat == eur("27.00")
    assert cost(parcel("FI", line(eur("100"))), {"eu_ioss"}).vat == eur("25.50")


# EU flat duty and national fees ------------------------------------------------------


def mixed_parcel(dest: str, day: datetime.date) -> Consignment:
    # two lines share a subheading: two item categories in all
    lines = [line(eur("20"), "71171900"), line(eur("20"), "71171910"), line(eur("20"), SILVER)]
    return parcel(dest, *lines, day=day)


@pytest.mark.parametrize(
    ("day", "duty"),
    [
        (datetime.date(2026, 6, 30), "0.00"),  # EUR 150 relief
        (datetime.date(2026, 7, 1), "6.00"),  # EUR 3 x 2 subheadings
        (datetime.date(2028, 6, 30), "6.00"),
        (datetime.date(2028, 7, 1), "2.10"),  # normal rates: 4% x 40 + 2.5% x 20
    ],
)
def test_eu_flat_duty_per_tariff_subheading_and_its_dates(day, duty):
    assert cost(mixed_parcel("DE", day), {"eu_ioss"}).duty == eur(duty)


def test_flat_duty_is_only_for_consignments_within_eur_150():
    result = cost(parcel("DE", line(eur("200"), SILVER), day=datetime.date(2026, 8, 1)))
    assert result.duty == eur("5.00")  # 2.5% on 7113


def test_italy_adds_eur_2_per_consignment_from_2026():
    assert cost(mixed_parcel("IT", datetime.date(2025, 12, 31)), {"eu_ioss"}).fees == eur("0.00")
    assert cost(mixed_parcel("IT", datetime.date(2026, 1, 1)), {"eu_ioss"}).fees == eur("2.00")


def test_france_adds_eur_2_per_item_category_from_march_2026():
    assert cost(mixed_parcel("FR", datetime.date(2026, 2, 28)), {"eu_ioss"}).fees == eur("0.00")
    assert cost(mixed_parcel("FR", datetime.date(2026, 3, 1)), {"eu_ioss"}).fees == eur("4.00")


def test_ioss_collects_duty_and_fees_at_checkout_too():
    result = cost(mixed_parcel("IT", datetime.date(2026, 7, 1)), {"eu_ioss"})
    assert result.collected_at_checkout
    assert result.charged_at_checkout == result.vat + eur("6.00") + eur("2.00")


# the other schemes, both sides of their thresholds ---------------------------------


@pytest.mark.parametrize(
    ("dest", "registration", "regime", "under", "over", "currency", "rate"),
    [
        ("GB", "gb_vat", "gb_low_value", "135", "135.01", "GBP", "0.20"),
        ("AU", "au_gst", "au_low_value", "1000", "1000.01", "AUD", "0.10"),
        ("NZ", "nz_gst", "nz_low_value", "1000", "1000.01", "NZD", "0.15"),
        ("SG", "sg_ovr", "sg_ovr", "400", "400.01", "SGD", "0.09"),
        ("NO", "no_voec", "no_voec", "2999.99", "3000", "NOK", "0.25"),
    ],
)
def test_scheme_thresholds(dest, registration, regime, under, over, currency, rate):
    small = cost(parcel(dest, line(money(under, currency))), {registration}, currency)
    assert (small.regime, small.collected_at_checkout) == (regime, True)
    assert small.vat == (money(under, currency) * Decimal(rate)).rounded()
    assert small.duty == Money.zero(currency).rounded()
    large = cost(parcel(dest, line(money(over, currency))), {registration}, currency)
    assert (large.regime, large.collected_at_checkout) == ("dap", False)
    assert large.estimated_due_on_delivery == large.vat + large.duty + large.fees
    assert large.vat > Money.zero(currency)


def test_norway_voec_is_per_item_not_per_consignment():
    items = [line(money("2000", "NOK")), line(money("2000", "NOK"))]
    result = cost(parcel("NO", *items), {"no_voec"}, "NOK")
    assert result.regime == "no_voec"
    assert result.vat == money("1000.00", "NOK")


def test_unregistered_low_value_reliefs():
    # AU, NZ, JP and SG (non-OVR) do not levy tax on small parcels at the border.
    assert cost(parcel("AU", line(money("900", "AUD"))), (), "AUD").vat == money("0.00", "AUD")
    assert cost(parcel("JP", line(money("10000", "JPY"))), (), "JPY").vat == money("0", "JPY")
    assert cost(parcel("JP", line(money("10001", "JPY"))), (), "JPY").vat == money("1000", "JPY")
    assert cost(parcel("SG", line(money("400", "SGD"))), (), "SGD").vat == money("0.00", "SGD")


def test_uk_without_registration_estimates_vat_and_says_why():
    result = cost(parcel("GB", line(money("100", "GBP"))), (), "GBP")
    assert (result.regime, result.vat) == ("dap", money("20.00", "GBP"))
    assert any("gb_vat" in note for note in result.notes)


def test_switzerland_tax_under_chf_5_is_not_levied_and_no_duty_on_chapter_71():
    small = cost(parcel("CH", line(money("61.72", "CHF"))), (), "CHF")  # tax CHF 4.999
    assert (small.vat, small.duty) == (money("0.00", "CHF"), money("0.00", "CHF"))
    large = cost(parcel("CH", line(money("61.73", "CHF"), SILVER)), (), "CHF")
    assert (large.vat, large.duty) == (money("5.00", "CHF"), money("0.00", "CHF"))
    registered = cost(parcel("CH", line(money("20", "CHF"))), {"ch_vat"}, "CHF")
    assert (registered.regime, registered.vat) == ("ch_vat", money("1.62", "CHF"))


# US ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("origin", "day", "duty"),
    [
        ("CN", datetime.date(2026, 2, 23), "18.50"),  # 11% MFN + 7.5% Section 301
        ("CN", datetime.date(2026, 2, 24), "28.50"),  # + the temporary 10% surcharge
        ("CN", datetime.date(2026, 7, 24), "28.50"),
        ("CN", datetime.date(2026, 7, 25), "18.50"),
        ("VN", datetime.date(2026, 5, 1), "11.00"),
    ],
)
def test_us_duty_with_china_origin_additions(origin, day, duty):
    consignment = parcel("US", line(money("100", "USD"), "7117199000"), day=day, origin=origin)
    result = cost(consignment, (), "USD")
    assert (result.regime, result.vat) == ("dap", money("0.00", "USD"))
    assert result.duty == money(duty, "USD")


def test_us_has_no_de_minimis_any_more():
    consignment = parcel("US", line(money("10", "USD"), "7113115000"), origin="VN")
    assert cost(consignment, (), "USD").duty == money("0.50", "USD")


def test_destination_without_a_scheme_or_rate_is_a_dap_estimate_with_a_note():
    result = cost(parcel("BR", line(money("50", "BRL"))), (), "BRL")
    assert (result.regime, result.vat) == ("dap", money("0.00", "BRL"))
    assert any("VAT" in note for note in result.notes)


def test_regional_rate_in_canada():
    result = cost(parcel("CA", line(eur("100")), region="CA-QC"))
    assert result.vat == eur("14.98")  # 14.975%, no duty rate known for 711719
    assert any("duty" in note for note in result.notes)


# blocked and restricted --------------------------------------------------------------------


@pytest.mark.parametrize(("dest", "region"), [("CU", None), ("UA", "UA-43"), ("UA", "UA-23")])
def test_blocked_destinations(dest, region):
    result = cost(parcel(dest, line(eur("10")), region=region))
    assert result.regime == "blocked"
    assert [p.code for p in result.problems] == ["destination_blocked"]
    assert result.vat == eur("0.00")


def test_kyiv_is_not_blocked():
    result = cost(parcel("UA", line(eur("10")), region="UA-30"))
    assert result.problems == ()


def test_jewelry_over_eur_300_per_item_to_russia_is_restricted_after_conversion():
    fine = parcel("RU", line(money("375", "USD"), quantity=3))  # EUR 300 each
    assert cost(fine).problems == ()
    over = parcel("RU", line(money("10", "USD")), line(money("375.01", "USD")))
    problems = cost(over).problems
    assert [(p.code, p.line) for p in problems] == [("restricted_goods", 1)]
    assert "300" in problems[0].message


def test_precious_metal_jewelry_by_courier_to_india():
    by_courier = cost(parcel("IN", line(eur("50"), SILVER)))
    assert [p.code for p in by_courier.problems] == ["restricted_goods"]
    assert cost(parcel("IN", line(eur("50"), SILVER), transport="post")).problems == ()
    assert cost(parcel("IN", line(eur("50"), FASHION))).problems == ()


@pytest.mark.parametrize("material", ["ivory", "precious_coral"])
def test_ivory_and_listed_corals_are_restricted_everywhere(material):
    result = cost(parcel("US", line(money("40", "USD"), materials={material})), (), "USD")
    assert [p.code for p in result.problems] == ["restricted_goods"]
    assert result.problems[0].rule_id in {"ivory", "precious-coral"}


# buyer currencies and rounding ---------------------------------------------------------------


def test_jpy_buyer_rounds_once_to_whole_yen():
    result = cost(parcel("DE", line(eur("100.03"))), {"eu_ioss"}, "JPY")
    assert result.vat == money("3041", "JPY")  # 19.0057 EUR x 160 = 3040.912


def test_kwd_buyer_rounds_once_to_three_decimals():
    # an estimate (not collected): 19.0057 EUR x 0.35 = 6.651995
    result = cost(parcel("DE", line(eur("100.03"))), (), "KWD")
    assert str(result.vat.amount) == "6.652"
    # collected at checkout, so charged by card: Stripe takes KWD only in 0.010 steps
    collected = cost(parcel("DE", line(eur("100.03"))), {"eu_ioss"}, "KWD")
    assert str(collected.vat.amount) == "6.650"


def test_estimate_is_exactly_the_sum_of_its_rounded_parts_in_jpy():
    result = cost(parcel("DE", line(eur("150.07"))), (), "JPY")
    assert result.estimated_due_on_delivery == result.vat + result.duty + result.fees
    assert result.estimated_due_on_delivery.amount == result.estimated_due_on_delivery.amount // 1


def test_bad_consignments_are_refused():
    with pytest.raises(ValueError, match="HS code"):
        GoodsLine("71", eur("1"))
    with pytest.raises(ValueError, match="quantity"):
        GoodsLine(SILVER, eur("1"), 0)
    with pytest.raises(ValueError, match="region"):
        parcel("UA", line(eur("1")), region="RU-MOW")


# properties -------------------------------------------------------------------------------------

DESTINATIONS = ["DE", "IT", "FR", "GB", "AU", "NZ", "NO", "CH", "SG", "US", "JP", "BR", "RU", "IN"]
CURRENCIES = ["EUR", "USD", "GBP", "JPY", "KWD", "NOK", "CHF"]
REGISTRATIONS = ["eu_ioss", "gb_vat", "no_voec", "au_gst", "nz_gst", "ch_vat", "sg_ovr"]
amounts = st.decimals(min_value=0, max_value=5000, places=2, allow_nan=False)
goods_lines = st.builds(
    GoodsLine,
    hs_code=st.sampled_from(["711311", "7113115000", "711719", "7117199000"]),
    unit_customs_value=st.builds(Money, amounts, st.sampled_from(CURRENCIES)),
    quantity=st.integers(1, 5),
)
consignments = st.builds(
    Consignment,
    origin=st.sampled_from(["CN", "TR", "VN"]),
    destination=st.sampled_from(DESTINATIONS),
    date=st.dates(datetime.date(2026, 1, 1), datetime.date(2029, 1, 1)),
    lines=st.lists(goods_lines, min_size=1, max_size=4).map(tuple),
    shipping=st.builds(Money, amounts, st.sampled_from(CURRENCIES)),
)


@given(
    consignments,
    st.frozensets(st.sampled_from(REGISTRATIONS)),
    st.sampled_from(CURRENCIES),
)
def test_properties(consignment, registrations, currency):
    result = landed_cost(consignment, registrations, RATES, currency)
    parts = [result.vat, result.duty, result.fees, result.estimated_due_on_delivery]
    for part in parts:
        assert type(part.amount) is Decimal  # never a float
        assert part.currency == currency
        assert part.is_rounded
        assert part.amount >= 0
    if result.collected_at_checkout:
        scheme = load_rules().scheme(consignment.destination, consignment.date)
        assert scheme.registration in registrations
        assert result.regime == scheme.regime
        assert result.estimated_due_on_delivery.amount == 0
    else:
        assert result.estimated_due_on_delivery == result.vat + result.duty + result.fees


@pytest.mark.parametrize(("origin", "destination"), [("DE", "DE"), ("PT", "DE"), ("IT", "FR")])
def test_no_import_inside_one_customs_territory(origin, destination):
    from channels.fx import load_snapshot

    consignment = Consignment(
        origin=origin,
        destination=destination,
        date=datetime.date(2026, 11, 23),
        lines=(GoodsLine("7113.11", Money("39.99", "EUR"), 1),),
        shipping=Money("0", "EUR"),
    )
    result = landed_cost(consignment, {"eu_ioss"}, load_snapshot(), "EUR")
    assert result.regime == "domestic" and not result.collected_at_checkout
    assert result.vat == result.duty == result.fees == Money("0.00", "EUR")
