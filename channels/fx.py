"""Euro reference rates from the ECB: parse, fetch, the shipped snapshot, conversion.

A `RateSet` holds one day's rates as "1 EUR = rate X" (EUR itself is 1). The
daily feed is an XML envelope whose `Cube` (ECB namespace) holds one dated
`Cube time="YYYY-MM-DD"` with one `Cube currency="USD" rate="1.1172"` per
currency. It is validated whole: any fault raises `RatesFeedError` with the
reason, and nothing of a faulty feed is kept.

Conversion goes through EUR at full precision (X -> Y is rate(Y) / rate(X));
`convert` returns an unrounded Money, rounded later in one place
(`Money.rounded` or the channel's rounding rule). The ECB publishes about thirty
currencies (no KWD, AED, TWD, VND, ...): those raise `MissingRate`.

Some of those are pegged to the US dollar by their central bank (`USD_PEGS`:
SAR, AED, QAR, BHD, OMR). `pegged_rates` derives their euro rate from the
day's USD rate, so EUR -> SAR is EUR -> USD at the ECB rate, then USD -> SAR at
the peg; the shop uses it only for currencies it has no rate of its own for (a
merchant's manual rate wins). KWD follows a basket, not the dollar: it has no peg.
"""

from __future__ import annotations

import datetime
import re
import time
import xml.etree.ElementTree as ET
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Context, Decimal, DivisionByZero, InvalidOperation, Overflow
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType
from xml.parsers import expat

import requests

from .money import InvalidMoney, Money, check_currency

ECB_NAMESPACE = "http://www.ecb.int/vocabulary/2002-08-01/eurofxref"
ECB_DAILY_URL = "https://www.ecb.europa.eu/stats/eurofxref/eurofxref-daily.xml"
SNAPSHOT_PATH = Path(__file__).with_name("data") / "eurofxref-snapshot.xml"
MAX_FEED_BYTES = 1_000_000  # the daily file is about 1.5 kB

_CUBE = f"{{{ECB_NAMESPACE}}}Cube"
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_NUMBER = re.compile(r"[+-]?\d+(\.\d+)?")
_CODE = re.compile(r"[A-Z]{3}")
# A cross rate keeps 34 significant digits whatever the caller's decimal context;
# amount x rate is then exact (wide enough for any amount times any such rate).
_CONTEXT = Context(prec=34, traps=[InvalidOperation, DivisionByZero, Overflow])
_EXACT = Context(prec=100, traps=[InvalidOperation, DivisionByZero, Overflow])


# Units of each currency one US dollar buys at the fixed peg its central bank holds:
# Saudi Central Bank (3.75 since 1986), Central Bank of the UAE (3.6725 since 1997),
# Qatar Central Bank (3.64 since 2001), Central Bank of Bahrain (0.376 since 2001),
# Central Bank of Oman (0.3845 since 1986).
USD_PEGS: Mapping[str, Decimal] = MappingProxyType(
    {
        "SAR": Decimal("3.75"),
        "AED": Decimal("3.6725"),
        "QAR": Decimal("3.64"),
        "BHD": Decimal("0.376"),
        "OMR": Decimal("0.3845"),
    }
)


class RatesFeedError(ValueError):
    """The rates feed could not be fetched, or what came back is not a valid feed."""


class MissingRate(LookupError):
    """A currency the rate set does not hold (the ECB has no KWD, for one)."""


@dataclass(frozen=True)
class RateSet:
    """One day's euro reference rates: 1 EUR = rates[X] X, with rates["EUR"] == 1."""

    date: datetime.date
    rates: Mapping[str, Decimal]

    def __post_init__(self):
        if type(self.date) is not datetime.date:
            raise RatesFeedError(f"a rate set is dated by a date, not {self.date!r}")
        rates = {"EUR": Decimal(1)}
        for code, rate in self.rates.items():
            _check_code(code)
            if not isinstance(rate, Decimal) or not rate.is_finite() or rate <= 0:
                raise RatesFeedError(
                    f"the rate for {code} must be a positive Decimal, not {rate!r}"
                )
            if code == "EUR" and rate != 1:
                raise RatesFeedError(f"EUR is the base currency: its rate is 1, not {rate}")
            rates[code] = rate
        object.__setattr__(self, "rates", MappingProxyType(rates))

    def rate(self, currency: str) -> Decimal:
        """How many units of `currency` one euro buys; MissingRate if not published."""
        try:
            return self.rates[currency]
        except KeyError:
            raise MissingRate(
                f"no {currency} rate in the ECB rates of {self.date.isoformat()}: "
                f"the ECB publishes {', '.join(sorted(self.rates))}; "
                f"set an explicit price or a dated manual rate for {currency}."
            ) from None


def _check_code(code) -> None:
    if not isinstance(code, str) or not _CODE.fullmatch(code):
        raise RatesFeedError(f"{code!r} is not a currency code (three capital letters)")
    try:
        check_currency(code)
    except InvalidMoney:
        raise RatesFeedError(f"{code!r} is not an ISO 4217 currency") from None


# parsing --------------------------------------------------------------------


def _refuse_dtd(data: bytes) -> None:
    """Reject DOCTYPE and ENTITY declarations (entity expansion attacks) and malformed XML."""

    def refuse(*_args):
        raise RatesFeedError("the rates feed declares a DOCTYPE or ENTITY, which is refused")

    parser = expat.ParserCreate()
    parser.StartDoctypeDeclHandler = refuse
    parser.EntityDeclHandler = refuse
    parser.ExternalEntityRefHandler = refuse
    try:
        parser.Parse(data, True)
    except expat.ExpatError as error:
        raise RatesFeedError(f"the rates feed is not well-formed XML: {error}") from None


def _parse_rate(code: str, text: str | None) -> Decimal:
    if text is None or not _NUMBER.fullmatch(text):
        raise RatesFeedError(f"the rate for {code} is not a number: {text!r}")
    rate = Decimal(text)
    if rate <= 0:
        raise RatesFeedError(f"the rate for {code} must be positive, not {text}")
    return rate


def _parse_date(text: str | None) -> datetime.date:
    if text is None:
        raise RatesFeedError("the rates feed has no date (the dated Cube has no 'time')")
    try:
        if not _DATE.fullmatch(text):
            raise ValueError
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise RatesFeedError(f"the rates feed's date is not a YYYY-MM-DD date: {text!r}") from None


def parse_daily(data: bytes | str) -> RateSet:
    """Parse the ECB daily XML into a RateSet; RatesFeedError says what is wrong."""
    if isinstance(data, str):
        data = data.encode("utf-8")
    if not data.strip():
        raise RatesFeedError("the rates feed is empty")
    _refuse_dtd(data)
    try:
        root = ET.fromstring(data)
    except ET.ParseError as error:  # _refuse_dtd already parsed it; kept for safety
        raise RatesFeedError(f"the rates feed is not well-formed XML: {error}") from None

    outer = root.find(_CUBE)
    if outer is None:
        raise RatesFeedError(f"the rates feed has no Cube element in namespace {ECB_NAMESPACE}")
    days = outer.findall(_CUBE)
    if len(days) != 1:
        raise RatesFeedError(f"a daily rates feed holds one dated Cube, this one holds {len(days)}")
    day = days[0]
    date = _parse_date(day.get("time"))

    rates: dict[str, Decimal] = {}
    for cube in day:
        if cube.tag != _CUBE:
            raise RatesFeedError(f"unexpected element {cube.tag} among the rates")
        code = cube.get("currency")
        if code is None:
            raise RatesFeedError("a rate in the feed has no currency")
        _check_code(code)
        if code in rates:
            raise RatesFeedError(f"the rates feed lists {code} twice")
        rates[code] = _parse_rate(code, cube.get("rate"))
    if not rates:
        raise RatesFeedError(f"the rates feed of {date.isoformat()} holds no rates")
    return RateSet(date, rates)


# fetching -------------------------------------------------------------------


def fetch_daily(
    url: str = ECB_DAILY_URL,
    timeout: float = 10,
    retries: int = 2,
    session: requests.Session | None = None,
    *,
    backoff: float = 0.5,
) -> RateSet:
    """Download and parse the daily feed.

    Connection errors, timeouts, HTTP 5xx and 429 are retried `retries` times,
    waiting `backoff`, then twice that, and so on. Other HTTP errors and a
    malformed feed are not retried. Every failure raises RatesFeedError saying why.
    """
    own_session = session is None
    session = session or requests.Session()
    attempts = retries + 1
    reason = "no attempt made"
    try:
        for attempt in range(attempts):
            if attempt:
                time.sleep(backoff * 2 ** (attempt - 1))
            try:
                status, body = _get(session, url, timeout)
            except requests.Timeout:
                reason = f"timed out after {timeout} s"
                continue
            except requests.ConnectionError as error:
                reason = f"connection failed ({error.__class__.__name__})"
                continue
            except requests.RequestException as error:
                raise RatesFeedError(f"cannot fetch rates from {url}: {error}") from None
            if status >= 500 or status == 429:
                reason = f"HTTP {status}"
                continue
            if status != 200:
                raise RatesFeedError(f"cannot fetch rates from {url}: HTTP {status}")
            try:
                return parse_daily(body)
            except RatesFeedError as error:
                raise RatesFeedError(f"bad rates feed from {url}: {error}") from None
    finally:
        if own_session:
            session.close()
    raise RatesFeedError(f"cannot fetch rates from {url} after {attempts} attempt(s): {reason}")


def _get(session: requests.Session, url: str, timeout: float) -> tuple[int, bytes]:
    with session.get(url, timeout=timeout, stream=True) as response:
        if response.status_code != 200:
            return response.status_code, b""
        body = b""
        for chunk in response.iter_content(chunk_size=65536):
            body += chunk
            if len(body) > MAX_FEED_BYTES:
                raise RatesFeedError(f"the rates feed at {url} is over {MAX_FEED_BYTES} bytes")
        return 200, body


# the shipped snapshot -------------------------------------------------------


@lru_cache(maxsize=1)
def load_snapshot() -> RateSet:
    """The dated rates shipped in the package, for working offline."""
    # Next to this module, not resources.files("channels"): a tests/channels folder
    # on sys.path can make "channels" resolve to a namespace package without data.
    return parse_daily(SNAPSHOT_PATH.read_bytes())


def staleness(rateset: RateSet, today: datetime.date) -> int:
    """Days from the rates' date to `today` (negative if dated after today)."""
    if isinstance(today, datetime.datetime):
        today = today.date()
    return (today - rateset.date).days


def is_stale(rateset: RateSet, today: datetime.date, max_age_days: int = 4) -> bool:
    """True when the rates are older than `max_age_days`.

    The ECB publishes on TARGET working days only, so Friday's rates are still
    the newest on Monday morning (3 days) and Easter makes it 5 days before
    Tuesday's publication; 4 days flags a feed that stopped updating.
    """
    return staleness(rateset, today) > max_age_days


# conversion -----------------------------------------------------------------


def pegged_rates(
    rates: Mapping[str, Decimal], pegs: Mapping[str, Decimal] = USD_PEGS
) -> dict[str, Decimal]:
    """Euro rates of the pegged currencies `rates` lacks: 1 EUR = rate(USD) x peg.

    Empty without a USD rate; a currency `rates` already holds (a merchant's
    manual rate) keeps its own rate and is not in the answer.
    """
    usd = rates.get("USD")
    if usd is None:
        return {}
    return {code: _EXACT.multiply(usd, peg) for code, peg in pegs.items() if code not in rates}


def _rate(rates: RateSet | Mapping[str, Decimal], currency: str) -> Decimal:
    if isinstance(rates, RateSet):
        return rates.rate(currency)
    if currency == "EUR" and "EUR" not in rates:
        return Decimal(1)
    try:
        return rates[currency]
    except KeyError:
        raise MissingRate(f"no {currency} rate in the rate set") from None


def cross_rate(rates: RateSet | Mapping[str, Decimal], from_ccy: str, to_ccy: str) -> Decimal:
    """Units of `to_ccy` one unit of `from_ccy` buys, through EUR: rate(to) / rate(from)."""
    from_ccy, to_ccy = check_currency(from_ccy), check_currency(to_ccy)
    if from_ccy == to_ccy:
        return Decimal(1)
    return _CONTEXT.divide(_rate(rates, to_ccy), _rate(rates, from_ccy))


def convert(money: Money, to_ccy: str, rateset: RateSet | Mapping[str, Decimal]) -> Money:
    """`money` in `to_ccy` at the set's cross rate, unrounded."""
    to_ccy = check_currency(to_ccy)
    if money.currency == to_ccy:
        return money
    rate = cross_rate(rateset, money.currency, to_ccy)
    return Money(_EXACT.multiply(money.amount, rate), to_ccy)
