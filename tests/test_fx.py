"""ECB rates: strict parsing, fetching over real HTTP on 127.0.0.1, the snapshot, conversion."""

from __future__ import annotations

import datetime
import socket
from decimal import Decimal, localcontext

import pytest
from hypothesis import given
from hypothesis import strategies as st

from channels.fx import (
    MissingRate,
    RateSet,
    RatesFeedError,
    convert,
    cross_rate,
    fetch_daily,
    is_stale,
    load_snapshot,
    parse_daily,
    staleness,
)
from channels.money import Money
from feeds import ecb_document

feed = ecb_document


GOOD = feed(
    "<Cube currency='USD' rate='1.1172'/><Cube currency='JPY' rate='175.68'/>"
    "<Cube currency='GBP' rate='0.8338'/><Cube currency='CHF' rate='0.9194'/>"
)

BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;">]>
<Envelope xmlns="http://www.ecb.int/vocabulary/2002-08-01/eurofxref">
<Cube><Cube time='2026-11-20'><Cube currency='USD' rate='1.1'/></Cube></Cube>&lol2;</Envelope>"""


# parsing ----------------------------------------------------------------------


def test_parses_a_good_feed():
    rates = parse_daily(GOOD)
    assert rates.date == datetime.date(2026, 11, 20)
    assert rates.rates == {
        "EUR": Decimal(1),
        "USD": Decimal("1.1172"),
        "JPY": Decimal("175.68"),
        "GBP": Decimal("0.8338"),
        "CHF": Decimal("0.9194"),
    }
    assert all(isinstance(rate, Decimal) for rate in rates.rates.values())
    with pytest.raises(TypeError):
        rates.rates["USD"] = Decimal(2)  # read-only


@pytest.mark.parametrize(
    ("document", "reason"),
    [
        ("", "empty"),
        ("this is not xml", "not well-formed"),
        (GOOD[:-40], "not well-formed"),  # truncated
        (BILLION_LAUGHS, "DOCTYPE or ENTITY"),
        (feed("<Cube currency='USD' rate='1.1'/>", time=""), "no date"),
        (feed("<Cube currency='USD' rate='1.1'/>", time="time='20/11/2026'"), "not a YYYY-MM-DD"),
        (feed("<Cube currency='USD' rate='1.1'/>", time="time='2026-02-30'"), "not a YYYY-MM-DD"),
        (feed("<Cube currency='USD' rate='-1.1'/>"), "must be positive"),
        (feed("<Cube currency='USD' rate='0'/>"), "must be positive"),
        (feed("<Cube currency='USD' rate='abc'/>"), "not a number"),
        (feed("<Cube currency='USD' rate='1e3'/>"), "not a number"),
        (feed("<Cube currency='USD' rate='NaN'/>"), "not a number"),
        (feed("<Cube currency='USD'/>"), "not a number"),
        (feed("<Cube currency='XYZ' rate='1.1'/>"), "not an ISO 4217"),
        (feed("<Cube currency='usd' rate='1.1'/>"), "three capital letters"),
        (feed("<Cube rate='1.1'/>"), "no currency"),
        (feed("<Cube currency='EUR' rate='2'/>"), "EUR is the base currency"),
        (feed("<Cube currency='USD' rate='1.1'/><Cube currency='USD' rate='1.2'/>"), "twice"),
        (feed(""), "holds no rates"),
        (GOOD.replace("eurofxref", "somethingelse"), "no Cube element"),
        (GOOD.replace("</Cube>\n  </Cube>", "</Cube><Cube time='2026-11-19'/></Cube>"), "holds 2"),
    ],
)
def test_malformed_feeds_are_refused_with_the_reason(document, reason):
    with pytest.raises(RatesFeedError, match=reason):
        parse_daily(document)


def test_one_bad_rate_discards_the_whole_feed():
    good_then_bad = feed(
        "<Cube currency='USD' rate='1.1172'/><Cube currency='JPY' rate='175.68'/>"
        "<Cube currency='GBP' rate='-0.8'/>"
    )
    previous = load_snapshot()
    current = previous
    with pytest.raises(RatesFeedError, match="GBP"):
        current = parse_daily(good_then_bad)
    assert current is previous


# fetching ------------------------------------------------------------------------


def test_fetches_a_good_feed(feed_server):
    url = feed_server.serve("/daily.xml", (200, GOOD, 0))
    rates = fetch_daily(url, timeout=5)
    assert rates == parse_daily(GOOD)
    assert feed_server.hits["/daily.xml"] == 1


def test_a_malformed_feed_is_not_retried_and_says_why(feed_server):
    url = feed_server.serve("/daily.xml", (200, feed("<Cube currency='USD' rate='x'/>"), 0))
    with pytest.raises(RatesFeedError, match=r"bad rates feed from .*USD is not a number"):
        fetch_daily(url, timeout=5, backoff=0)
    assert feed_server.hits["/daily.xml"] == 1


def test_a_server_error_then_success_is_retried(feed_server):
    url = feed_server.serve("/daily.xml", (500, "oops", 0), (503, "busy", 0), (200, GOOD, 0))
    rates = fetch_daily(url, timeout=5, retries=2, backoff=0.01)
    assert rates.rate("USD") == Decimal("1.1172")
    assert feed_server.hits["/daily.xml"] == 3


def test_server_errors_give_up_after_the_retries(feed_server):
    url = feed_server.serve("/daily.xml", (500, "oops", 0))
    with pytest.raises(RatesFeedError, match=r"after 3 attempt\(s\): HTTP 500"):
        fetch_daily(url, timeout=5, retries=2, backoff=0)
    assert feed_server.hits["/daily.xml"] == 3


def test_a_client_error_is_not_retried(feed_server):
    url = feed_server.serve("/missing.xml", (404, "no", 0))
    with pytest.raises(RatesFeedError, match="HTTP 404"):
        fetch_daily(url, timeout=5, retries=2, backoff=0)
    assert feed_server.hits["/missing.xml"] == 1


def test_a_slow_server_times_out(feed_server):
    url = feed_server.serve("/slow.xml", (200, GOOD, 5))
    with pytest.raises(RatesFeedError, match=r"timed out after 0.2 s"):
        fetch_daily(url, timeout=0.2, retries=1, backoff=0)
    assert feed_server.hits["/slow.xml"] == 2


def test_a_refused_connection_says_so():
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with pytest.raises(RatesFeedError, match="connection failed"):
        fetch_daily(f"http://127.0.0.1:{port}/daily.xml", timeout=1, retries=1, backoff=0)


# the snapshot ----------------------------------------------------------------------


def test_the_snapshot_loads_and_is_dated():
    snapshot = load_snapshot()
    assert snapshot.date == datetime.date(2026, 10, 30)
    assert snapshot.rate("USD") == Decimal("1.1172")
    assert snapshot.rate("JPY") == Decimal("175.68")
    assert snapshot.rate("EUR") == 1
    assert len(snapshot.rates) == 30  # the ECB's 29 currencies and EUR
    assert "BGN" not in snapshot.rates  # dropped when Bulgaria joined the euro


def test_staleness():
    snapshot = load_snapshot()
    friday = snapshot.date
    assert friday.weekday() == 4
    monday = friday + datetime.timedelta(days=3)
    assert staleness(snapshot, monday) == 3
    assert not is_stale(snapshot, monday)  # no rates at weekends: normal
    assert not is_stale(snapshot, friday + datetime.timedelta(days=4))
    assert is_stale(snapshot, friday + datetime.timedelta(days=5))
    assert is_stale(snapshot, datetime.date(2027, 6, 1))
    assert staleness(snapshot, datetime.datetime(2026, 11, 1, 9, 30)) == 2
    assert not is_stale(snapshot, datetime.date(2027, 6, 1), max_age_days=365)


# conversion ---------------------------------------------------------------------


def test_cross_rates_go_through_the_euro():
    rates = load_snapshot()
    usd_jpy = cross_rate(rates, "USD", "JPY")
    with localcontext(prec=34):  # full precision: 34 significant digits
        assert usd_jpy == rates.rate("JPY") / rates.rate("USD")
    assert abs(usd_jpy - Decimal("157.2502685284640171858216970998926")) < Decimal("1e-30")
    assert cross_rate(rates, "EUR", "USD") == Decimal("1.1172")
    assert cross_rate(rates, "JPY", "JPY") == 1
    assert abs(cross_rate(rates, "USD", "JPY") * cross_rate(rates, "JPY", "USD") - 1) < Decimal(
        "1e-30"
    )


def test_convert_is_unrounded_in_the_target_currency():
    rates = load_snapshot()
    converted = convert(Money("10.00", "USD"), "JPY", rates)
    assert converted.currency == "JPY"
    with localcontext(prec=100):
        assert converted.amount == Decimal("10.00") * cross_rate(rates, "USD", "JPY")
    assert not converted.is_rounded  # rounding happens later, in one place
    assert converted.rounded() == Money("1573", "JPY")
    assert convert(Money("12.34", "EUR"), "EUR", rates) == Money("12.34", "EUR")


@given(
    st.decimals(min_value=Decimal("0.01"), max_value=Decimal("1e9"), places=2),
    st.sampled_from(sorted(load_snapshot().rates)),
    st.sampled_from(sorted(load_snapshot().rates)),
)
def test_converting_there_and_back_returns_the_amount(amount, a, b):
    rates = load_snapshot()
    there = convert(Money(amount, a), b, rates)
    back = convert(there, a, rates)
    assert back.currency == a
    assert abs(back.amount - amount) < Decimal("1e-20")


def test_a_currency_missing_from_the_set_is_a_clear_error():
    rates = load_snapshot()
    with pytest.raises(MissingRate, match="no KWD rate in the ECB rates of 2026-10-30"):
        convert(Money("10", "EUR"), "KWD", rates)
    with pytest.raises(MissingRate, match="KWD"):
        cross_rate(rates, "KWD", "USD")
    assert cross_rate(rates, "KWD", "KWD") == 1
    assert convert(Money("1.234", "KWD"), "KWD", rates) == Money("1.234", "KWD")


def test_a_rate_set_checks_what_it_is_given():
    with pytest.raises(RatesFeedError):
        RateSet(datetime.date(2026, 1, 2), {"USD": Decimal(0)})
    with pytest.raises(RatesFeedError):
        RateSet(datetime.date(2026, 1, 2), {"USD": 1.1})
    with pytest.raises(RatesFeedError):
        RateSet("2026-01-02", {"USD": Decimal("1.1")})
    assert RateSet(datetime.date(2026, 1, 2), {"USD": Decimal("1.1")}).rate("EUR") == 1
