"""Checking and saving the compliance profile; which tax schemes the shop may collect.

Numbers are checked with python-stdnum where it knows the format (and its
check digit), else against the number's documented shape. A profile with one
bad number is refused whole: nothing is half-saved. Services flush, never commit.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from flask import g
from sqlalchemy import or_, select
from stdnum import exceptions as stdnum_errors
from stdnum.au import abn
from stdnum.ch import vat as ch_vat
from stdnum.eu import oss
from stdnum.gb import vat as gb_vat
from stdnum.nz import ird
from stdnum.sg import uen

from ..config import settings
from ..db import db
from ..errors import InputError
from .licences import check_lines
from .seller import check_seller, printed_lines
from .tables import ComplianceProfile, TaxRegistration

CHECK_DIGIT = "check digit"
FORMAT = "format"
PROFILE_ID = 1
# EORI numbers are issued by the EU member states (Greece as GR) and the UK (GB, and XI
# for Northern Ireland).
_EU = "AT BE BG HR CY CZ DK EE FI FR DE GR HU IE IT LV LT LU MT NL PL PT RO SK SI ES SE"
EORI_COUNTRIES = frozenset([*_EU.split(" "), "GB", "XI"])
MAX_LICENCES_CHARS = 2000


class NumberError(InputError):
    """The number is not one of this kind; the message says why."""

    code = "invalid_number"


def _compact(raw: str) -> str:
    return re.sub(r"[\s.\-/]", "", raw or "").upper()


def _stdnum(module, raw: str, what: str) -> str:
    try:
        return module.validate(raw)
    except stdnum_errors.InvalidChecksum:
        raise NumberError(f"this is not a valid {what}: its check digit is wrong") from None
    except stdnum_errors.InvalidLength:
        raise NumberError(f"this is not a valid {what}: it has the wrong length") from None
    except stdnum_errors.ValidationError:
        raise NumberError(f"this is not a valid {what}") from None


def ioss_number(raw: str) -> tuple[str, str]:
    """IM + the 3-digit (ISO 3166 numeric) code of the EU member state + 7 digits."""
    number = _compact(raw)
    if not re.fullmatch(r"IM\d{10}", number):
        raise NumberError("an IOSS number is IM followed by 10 digits, like IM2760000001")
    if number[2:5] not in oss.ISO_3166_1_MEMBER_STATES:
        raise NumberError(
            f"{number[2:5]} is not the numeric code of an EU member state (276 is Germany)"
        )
    return number, FORMAT  # the EU does not publish the check-digit algorithm


def gb_vat_number(raw: str) -> tuple[str, str]:
    number = _stdnum(gb_vat, raw, "UK VAT number")
    return "GB" + number, CHECK_DIGIT


def voec_number(raw: str) -> tuple[str, str]:
    number = _compact(raw)
    if not re.fullmatch(r"VOEC\d{7}", number):
        raise NumberError("a VOEC number is VOEC followed by 7 digits, like VOEC2030001")
    return number, FORMAT


def au_gst_number(raw: str) -> tuple[str, str]:
    """An ATO reference number (ARN, 12 digits: simplified GST) or an ABN (11: standard)."""
    number = _compact(raw)
    if re.fullmatch(r"\d{12}", number):
        return number, FORMAT  # an ARN has no published check digit
    if re.fullmatch(r"\d{11}", number):
        return _stdnum(abn, number, "ABN"), CHECK_DIGIT
    raise NumberError(
        "give the 12-digit ATO reference number (ARN) of a simplified GST registration, "
        "or the 11-digit ABN of a standard one"
    )


def nz_gst_number(raw: str) -> tuple[str, str]:
    """New Zealand GST numbers are IRD numbers (8 or 9 digits with a check digit)."""
    return _stdnum(ird, raw, "New Zealand GST (IRD) number"), CHECK_DIGIT


def ch_vat_number(raw: str) -> tuple[str, str]:
    number = _compact(raw)
    if re.fullmatch(r"CHE\d{9}", number):
        raise NumberError("add MWST, TVA or IVA after the number, like CHE-107.787.577 MWST")
    return _stdnum(ch_vat, raw, "Swiss VAT number"), CHECK_DIGIT


def sg_gst_number(raw: str) -> tuple[str, str]:
    """The GST registration number: the UEN, or IRAS's own M.-.......-. number."""
    number = _compact(raw)
    if re.fullmatch(r"M[0-9R]\d{7}[0-9A-Z]", number):
        return number, FORMAT
    return _stdnum(uen, number, "Singapore GST registration number (UEN or M2-1234567-X)"), (
        CHECK_DIGIT
    )


def eori_number(raw: str) -> tuple[str, str]:
    number = _compact(raw)
    if not re.fullmatch(r"[A-Z]{2}[0-9A-Z]{1,15}", number):
        raise NumberError(
            "an EORI number is a country code and up to 15 letters or digits, like DE1234567"
        )
    if number[:2] not in EORI_COUNTRIES:
        raise NumberError(f"{number[:2]} does not issue EORI numbers (the EU and UK do)")
    if number[:2] in ("GB", "XI") and not re.fullmatch(r"(GB|XI)(\d{12}|\d{15})", number):
        raise NumberError("a UK EORI number is GB or XI followed by 12 digits")
    return number, FORMAT


@dataclass(frozen=True)
class SchemeSpec:
    label: str
    example: str
    check: Callable[[str], tuple[str, str]]


# Every `registration` of channels/rules/schemes.json, in the order the form shows them.
SCHEMES: dict[str, SchemeSpec] = {
    "eu_ioss": SchemeSpec("EU IOSS number", "IM2760000001", ioss_number),
    "gb_vat": SchemeSpec("UK VAT number", "GB 980 7806 84", gb_vat_number),
    "no_voec": SchemeSpec("Norway VOEC number", "VOEC2030001", voec_number),
    "au_gst": SchemeSpec("Australia ARN (or ABN)", "300 000 000 123", au_gst_number),
    "nz_gst": SchemeSpec("New Zealand GST number", "49-098-576", nz_gst_number),
    "ch_vat": SchemeSpec("Swiss VAT number", "CHE-107.787.577 MWST", ch_vat_number),
    "sg_ovr": SchemeSpec("Singapore GST (OVR) number", "M2-1234567-X", sg_gst_number),
}


@dataclass
class RegistrationInput:
    number: str = ""
    valid_from: datetime.date | None = None
    valid_to: datetime.date | None = None


@dataclass
class ProfileInput:
    eori: str = ""
    export_licences: str = ""
    # the seller's address ({name, street_address, city, postal_code, country, phone});
    # None leaves the saved one as it is
    seller: dict | None = None
    registrations: dict[str, RegistrationInput] = field(default_factory=dict)


class ComplianceError(InputError):
    """Refused; `errors` maps each bad field ("eori", "eu_ioss.number", ...) to why; the
    first one is its message and field."""

    code = "invalid_compliance_profile"
    status = 422

    def __init__(self, errors: dict[str, str]):
        field, message = next(iter(errors.items()))
        super().__init__(message, field=field)
        self.errors = errors

    def __str__(self) -> str:
        return "; ".join(self.errors.values())


def check_number(scheme: str, raw: str) -> tuple[str, str]:
    """The number in its stored form and how it was checked; NumberError names the field."""
    spec = SCHEMES[scheme]
    try:
        return spec.check(raw)
    except NumberError as error:
        raise NumberError(f"{spec.label}: {error}.") from None


def _checked_registration(scheme: str, entry: RegistrationInput, errors: dict) -> tuple | None:
    label = SCHEMES[scheme].label
    if not (entry.number or "").strip():
        if entry.valid_from or entry.valid_to:
            errors[f"{scheme}.number"] = f"{label}: enter the number, or clear its dates."
        return None
    try:
        number, how = check_number(scheme, entry.number)
    except NumberError as error:
        errors[f"{scheme}.number"] = str(error)
        return None
    if entry.valid_from is None:
        errors[f"{scheme}.valid_from"] = f"{label}: enter the day the registration took effect."
        return None
    if entry.valid_to is not None and entry.valid_to < entry.valid_from:
        errors[f"{scheme}.valid_to"] = f"{label}: the registration ends before it starts."
        return None
    return number, how


def save_profile(data: ProfileInput, user_id: int | None = None) -> ComplianceProfile:
    """Check every number, then save them all; ComplianceError (and no change) if any is bad."""
    errors: dict[str, str] = {}
    eori = None
    if (data.eori or "").strip():
        try:
            eori = eori_number(data.eori)[0]
        except NumberError as error:
            errors["eori"] = f"EORI number: {error}."
    licences = "\n".join(
        line.strip() for line in (data.export_licences or "").splitlines() if line.strip()
    )
    if len(licences) > MAX_LICENCES_CHARS:
        errors["export_licences"] = (
            f"Export licence numbers: at most {MAX_LICENCES_CHARS} characters."
        )
    elif faults := check_lines(licences):
        errors["export_licences"] = "Export licences: " + "; ".join(faults) + "."
    seller = check_seller(data.seller, errors) if data.seller is not None else None
    unknown = sorted(set(data.registrations) - set(SCHEMES))
    for scheme in unknown:
        errors[f"{scheme}.number"] = f"{scheme} is not a tax scheme the shop knows."
    checked = {
        scheme: _checked_registration(scheme, data.registrations[scheme], errors)
        for scheme in SCHEMES
        if scheme in data.registrations
    }
    if errors:
        raise ComplianceError(errors)

    profile = db.session.get(ComplianceProfile, PROFILE_ID, with_for_update=True)
    if profile is None:
        profile = ComplianceProfile(id=PROFILE_ID)
        db.session.add(profile)
    profile.eori = eori
    profile.export_licences = licences
    # blank fields clear an address entered as fields; they leave one saved as lines only
    if data.seller is not None and (seller is not None or profile.seller is not None):
        profile.seller = seller
        profile.seller_address = (
            "\n".join([seller["name"], *printed_lines(seller)]) if seller else ""
        )
    profile.updated_by = user_id
    existing = {r.scheme: r for r in db.session.scalars(select(TaxRegistration))}
    for scheme, result in checked.items():
        row = existing.get(scheme)
        if result is None:
            if row is not None:
                db.session.delete(row)
            continue
        if row is None:
            row = TaxRegistration(scheme=scheme)
            db.session.add(row)
        entry = data.registrations[scheme]
        row.number, row.checked_with = result
        row.valid_from, row.valid_to = entry.valid_from, entry.valid_to
        row.validated = True
        row.updated_by = user_id
    db.session.flush()
    g.pop("_active_registrations", None)
    return profile


def load_profile() -> tuple[ComplianceProfile | None, dict[str, TaxRegistration]]:
    registrations = {r.scheme: r for r in db.session.scalars(select(TaxRegistration))}
    return db.session.get(ComplianceProfile, PROFILE_ID), registrations


def active_registrations(day: datetime.date) -> frozenset[str]:
    """Schemes the shop may collect tax for on `day`: the profile's, plus config's.

    Config TAX_REGISTRATIONS still counts (the demo and tests set it). Read once per
    request (or app context) and day.
    """
    cache = g.setdefault("_active_registrations", {})
    if day not in cache:
        saved = db.session.scalars(
            select(TaxRegistration.scheme).where(
                TaxRegistration.validated.is_(True),
                TaxRegistration.valid_from <= day,
                or_(TaxRegistration.valid_to.is_(None), TaxRegistration.valid_to >= day),
            )
        )
        cache[day] = frozenset(saved)
    return cache[day] | frozenset(settings()["TAX_REGISTRATIONS"])
