"""A first visit's country, guessed before the buyer chooses one.

A trusted country header from the CDN or proxy (only when `COUNTRY_HEADER` names it),
else the region of the browser's languages (de-DE: Germany, pt-BR: Brazil), else the
home country of a bare language tag (de: Germany). The buyer's own choice (the country
cookie) always wins over the guess; the guess only picks among countries the shop sells to.
"""

from __future__ import annotations

import re

from flask import g, request

from ..config import settings

# Where a bare language tag most likely lives; languages of many countries (en, ar, pt)
# are left to the shop's first channel.
HOME_COUNTRY = {
    "de": "DE",
    "fr": "FR",
    "es": "ES",
    "it": "IT",
    "nl": "NL",
    "ja": "JP",
    "ko": "KR",
    "zh": "CN",
    "pl": "PL",
    "sv": "SE",
    "da": "DK",
    "fi": "FI",
    "cs": "CZ",
}
_COUNTRY = re.compile(r"^[A-Z]{2}$")
_NOT_A_COUNTRY = {"XX", "T1", "ZZ"}  # Cloudflare: unknown, Tor


def trusted_header_country() -> str | None:
    """The country the configured CDN header names, or None (not configured, absent, unknown)."""
    name = settings().get("COUNTRY_HEADER")
    if not name:
        return None
    value = (request.headers.get(name) or "").strip().upper()
    return value if _COUNTRY.match(value) and value not in _NOT_A_COUNTRY else None


def language_countries() -> list[str]:
    """Countries the browser's languages point at, best first: regions, then home countries."""
    regions, homes = [], []
    for tag, _quality in request.accept_languages:
        parts = re.split(r"[-_]", tag)
        region = next((p.upper() for p in parts[1:] if len(p) == 2 and p.isalpha()), None)
        if region:
            regions.append(region)
        elif parts[0].lower() in HOME_COUNTRY:
            homes.append(HOME_COUNTRY[parts[0].lower()])
    return regions + homes


def guessed_countries() -> tuple[str, ...]:
    """Every guess, best first (the trusted header ahead of the languages); read once."""
    if "country_guesses" not in g:
        header = trusted_header_country()
        g.country_guesses = tuple(
            dict.fromkeys([*([header] if header else []), *language_countries()])
        )
    return g.country_guesses


def vary_on_the_guess(response):
    """A page that used the guess differs by the headers it came from: shared caches in
    front of the shop (a CDN) must keep one copy per language and country header."""
    if "country_guesses" in g:
        response.vary.add("Accept-Language")
        name = settings().get("COUNTRY_HEADER")
        if name:
            response.vary.add(name)
    return response
