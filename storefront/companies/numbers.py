"""A company's VAT/tax number and EORI, checked with python-stdnum for its country.

EU numbers: stdnum.eu.vat (the member state's format and check digit), stored with the
country prefix (EL for Greece). Elsewhere the country's stdnum module where there is one
(GB, CH, NO, AU...), else the number is stored as typed and marked unchecked.
"""

from __future__ import annotations

import re

from stdnum import exceptions as stdnum_errors
from stdnum import get_cc_module
from stdnum.eu import vat as eu_vat

from ..compliance import operations as compliance
from ..errors import InputError

CHECK_DIGIT = "check digit"
UNCHECKED = "unchecked"
EU_MEMBERS = frozenset(cc.upper() for cc in eu_vat.MEMBER_STATES if cc != "xi") | {"GR"}
EU_PREFIX = {"GR": "EL"}  # the VAT prefix differs from the ISO code
# Why a number is refused (`VatNumberError.reason`)
LENGTH, CHECK, FORMAT, COUNTRY = "length", "check digit", "format", "country"


class VatNumberError(InputError):
    """Not a VAT number of the company's country; `reason` is length, check digit,
    format or country."""

    code = "invalid_vat_number"
    status = 422

    def __init__(self, message: str, reason: str):
        super().__init__(message, field="vat_number")
        self.reason = reason


class EoriError(InputError):
    code = "invalid_eori"
    status = 422

    def __init__(self, message: str):
        super().__init__(message, field="eori")


def compact(raw: str) -> str:
    return re.sub(r"[\s.\-/]", "", raw or "").upper()


def _refusal(error: stdnum_errors.ValidationError, what: str) -> VatNumberError:
    if isinstance(error, stdnum_errors.InvalidChecksum):
        return VatNumberError(f"This is not a valid {what}: its check digit is wrong.", CHECK)
    if isinstance(error, stdnum_errors.InvalidLength):
        return VatNumberError(f"This is not a valid {what}: it has the wrong length.", LENGTH)
    return VatNumberError(f"This is not a valid {what}: its format is wrong.", FORMAT)


def eu_prefix(country: str) -> str:
    return EU_PREFIX.get(country, country)


def vat_number(country: str, raw: str) -> tuple[str, str]:
    """The number as stored and how it was checked; ("", "") for none. VatNumberError
    with the reason when it is not one of `country`."""
    country = (country or "").upper()
    number = compact(raw)
    if not number:
        return "", ""
    if country in EU_MEMBERS:
        prefix = eu_prefix(country)
        other = number[:2] in EU_MEMBERS | {"EL", "XI"} and not number.startswith(prefix)
        if other:
            raise VatNumberError(
                f"This VAT number is from {number[:2]}, not from {country}, the company's country.",
                COUNTRY,
            )
        if not number.startswith(prefix):
            number = prefix + number
        try:
            return eu_vat.validate(number), CHECK_DIGIT
        except stdnum_errors.ValidationError as error:
            raise _refusal(error, f"{country} VAT number") from None
    module = get_cc_module(country.lower(), "vat") if re.fullmatch(r"[A-Z]{2}", country) else None
    if module is None:
        return " ".join((raw or "").split()), UNCHECKED
    try:
        checked = compact(module.validate(raw))
    except stdnum_errors.ValidationError as error:
        raise _refusal(error, f"{country} VAT/tax number") from None
    if country == "GB" and not checked.startswith("GB"):
        checked = "GB" + checked
    return checked, CHECK_DIGIT


def is_eu_vat(number: str, checked_with: str) -> bool:
    """A number stdnum checked as an EU member state's (not Northern Ireland's XI)."""
    return checked_with == CHECK_DIGIT and number[:2] in (EU_MEMBERS - {"GR"}) | {"EL"}


def eori_number(raw: str) -> str:
    """Checked as the shop's own is (compliance): country code + up to 15 characters."""
    if not compact(raw):
        return ""
    try:
        return compliance.eori_number(raw)[0]
    except compliance.NumberError as error:
        message = error.message
        raise EoriError(message[:1].upper() + message[1:] + ".") from None
