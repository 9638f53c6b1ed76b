"""The shop's export licences, one a line of the compliance profile, keyed by the goods and
destinations each covers:

    7113 7114 → RU BY: LIC-2026-0042

HS prefixes (2 to 10 digits, dots allowed), an arrow (`→` or `->`), destination country
codes (ISO 3166-1 alpha-2), a colon, and the licence number as the documents print it.
A line without an arrow is a note kept as written: it covers no goods. The export
documents print, for each line a country rule says needs a licence, the number of the
line covering its HS code (the longest prefix) and destination.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pycountry

ARROW = re.compile(r"→|->")
_HS = re.compile(r"\d{2,10}")
_COUNTRY = re.compile(r"[A-Z]{2}")
MAX_NUMBER = 60


@dataclass(frozen=True)
class Licence:
    number: str
    hs_prefixes: tuple[str, ...]
    countries: frozenset[str]


def _digits(code: str) -> str:
    return (code or "").replace(".", "").replace(" ", "")


def parse_line(line: str) -> Licence | None:
    """The licence a keyed line holds; None for a note; ValueError saying what is wrong."""
    if not ARROW.search(line):
        return None
    goods, rest = ARROW.split(line, maxsplit=1)
    places, colon, number = rest.partition(":")
    number = number.strip()
    if not colon or not number:
        raise ValueError("write the licence number after a colon, like 7113 → RU: LIC-123")
    if len(number) > MAX_NUMBER:
        raise ValueError(f"a licence number has at most {MAX_NUMBER} characters")
    prefixes = [_digits(p) for p in re.split(r"[,\s]+", goods.strip()) if p]
    if not prefixes or not all(_HS.fullmatch(p) for p in prefixes):
        raise ValueError("before the arrow give HS codes or their first 2 to 10 digits")
    countries = [c for c in re.split(r"[,\s]+", places.strip().upper()) if c]
    bad = [
        c for c in countries if not _COUNTRY.fullmatch(c) or not pycountry.countries.get(alpha_2=c)
    ]
    if not countries or bad:
        raise ValueError(
            "after the arrow give two-letter country codes (ISO 3166-1)"
            + (f": {', '.join(bad)} is not one" if bad else "")
        )
    return Licence(number, tuple(prefixes), frozenset(countries))


def check_lines(text: str) -> list[str]:
    """What is wrong with each keyed line, as "line N: why"; empty when all parse."""
    faults = []
    for index, line in enumerate((text or "").splitlines(), 1):
        try:
            parse_line(line)
        except ValueError as error:
            faults.append(f"line {index}: {error}")
    return faults


def parse(text: str) -> list[Licence]:
    """The keyed licences of the profile's text (lines that do not parse are skipped: the
    profile's form refuses them when saved)."""
    found = []
    for line in (text or "").splitlines():
        try:
            licence = parse_line(line)
        except ValueError:
            continue
        if licence is not None:
            found.append(licence)
    return found


def licence_for(licences: list[Licence], hs_code: str, country: str) -> Licence | None:
    """The licence covering `hs_code` to `country`: the one with the longest matching prefix."""
    digits, best, length = _digits(hs_code), None, -1
    for licence in licences:
        if country not in licence.countries:
            continue
        for prefix in licence.hs_prefixes:
            if digits.startswith(prefix) and len(prefix) > length:
                best, length = licence, len(prefix)
    return best
