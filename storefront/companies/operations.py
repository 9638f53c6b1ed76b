"""Companies: created, edited and archived (never deleted: orders keep their id), their
buyers and their own price list, for the back office and the admin API alike.

Every number is checked before anything is written: a refused company is refused whole
(CompanyError, VatNumberError or EoriError with the field at fault). Services flush, never
commit.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

import pycountry
from sqlalchemy import select

from channels.money import InvalidMoney, check_currency

from ..accounts.tables import Role, User
from ..catalog.tables import Variant
from ..db import db
from ..errors import InputError
from . import vies
from .numbers import eori_number, vat_number
from .tables import PAYMENT_TERMS, Company, CompanyPrice

_CODE = re.compile(r"^[a-z0-9][a-z0-9-]{1,39}$")
# The keys of an order's ship_to (cart.address.FIELDS; the cart sits above companies).
ADDRESS_FIELDS = (
    "name",
    "company_name",
    "street_address",
    "city",
    "city_area",
    "postal_code",
    "country_area",
    "sorting_code",
)
ADDRESS_FIELD_LONGEST = 200
MAX_PRICES = 2000


class CompanyError(InputError):
    """A company the shop refuses; `field` names the input."""

    code = "invalid_company"
    status = 422


@dataclass(frozen=True)
class CompanyInput:
    code: str
    legal_name: str
    country: str
    vat_number: str = ""
    eori: str = ""
    billing_address: dict = field(default_factory=dict)
    delivery_address: dict | None = None
    payment_terms: str = "prepay"
    deposit_percent: int | None = None


# Words the back office's company URLs use beside codes (/admin/companies/new, .../id/7).
RESERVED_CODES = frozenset({"new", "id"})


def _code(raw: str, current: Company | None) -> str:
    code = (raw or "").strip().lower()
    if current is not None:
        if code and code != current.code:
            raise CompanyError("A code never changes once made.", field="code")
        return current.code
    if not _CODE.match(code):
        raise CompanyError(
            "A code is 2 to 40 lowercase letters, digits and dashes, like boutique-erika.",
            field="code",
        )
    if code in RESERVED_CODES:
        raise CompanyError(
            f"The code {code!r} names a back-office page: choose another.", field="code"
        )
    if db.session.scalar(select(Company.id).where(Company.code == code)) is not None:
        raise CompanyError(f"The code {code!r} is taken.", "company_code_taken", "code")
    return code


def _legal_name(raw) -> str:
    name = raw.strip() if isinstance(raw, str) else ""
    if not name or len(name) > 200:
        raise CompanyError("A legal name has 1 to 200 characters.", field="legal_name")
    return name


def _country(raw) -> str:
    country = raw.strip().upper() if isinstance(raw, str) else ""
    if len(country) != 2 or pycountry.countries.get(alpha_2=country) is None:
        raise CompanyError(f"{country!r} is not an ISO 3166-1 country code.", field="country")
    return country


def address(raw, name: str) -> dict:
    """An address with the keys of an order's ship_to (and its country), text only."""
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        raise CompanyError("An address is an object of text fields.", field=name)
    unknown = sorted(set(raw) - set(ADDRESS_FIELDS) - {"country"})
    if unknown:
        raise CompanyError(f"An address has no field {unknown[0]!r}.", field=f"{name}.{unknown[0]}")
    cleaned = {}
    for key in (*ADDRESS_FIELDS, "country"):
        value = raw.get(key, "")
        if not isinstance(value, str) or len(value) > ADDRESS_FIELD_LONGEST:
            raise CompanyError(
                f"{key} is text of at most {ADDRESS_FIELD_LONGEST} characters.",
                field=f"{name}.{key}",
            )
        if value.strip():
            cleaned[key] = value.strip()
    if "country" in cleaned:
        cleaned["country"] = _country_of(cleaned["country"], f"{name}.country")
    return cleaned


def _country_of(raw: str, name: str) -> str:
    try:
        return _country(raw)
    except CompanyError as error:
        raise CompanyError(error.message, field=name) from None


def _terms(terms, percent) -> tuple[str, int | None]:
    if terms not in PAYMENT_TERMS:
        raise CompanyError(
            f"Payment terms are one of {', '.join(PAYMENT_TERMS)}.", field="payment_terms"
        )
    if terms != "deposit":
        if percent not in (None, ""):
            raise CompanyError(
                "A deposit percent goes with deposit terms only.", field="deposit_percent"
            )
        return terms, None
    try:
        value = int(percent) if not isinstance(percent, bool) else None
    except (TypeError, ValueError):
        value = None
    if value is None or str(percent).strip() != str(value) or not 1 <= value <= 99:
        raise CompanyError(
            "The deposit is a whole percent from 1 to 99 (the balance is paid before shipment).",
            field="deposit_percent",
        )
    return terms, value


def save_company(
    data: CompanyInput, current: Company | None = None, vies_transport: vies.Transport | None = None
) -> Company:
    """Create a company (`current` None) or change it; every field is checked first. With
    VIES_CHECK on, an EU number is then asked of VIES (once a day at most)."""
    code = _code(data.code, current)
    legal_name = _legal_name(data.legal_name)
    country = _country(data.country)
    number, checked_with = vat_number(country, data.vat_number)
    eori = eori_number(data.eori)
    billing = address(data.billing_address, "billing_address")
    delivery = address(data.delivery_address, "delivery_address") or None
    terms, percent = _terms(data.payment_terms, data.deposit_percent)

    company = current or Company(code=code)
    if current is None:
        db.session.add(company)
    if company.vat_number != number:  # a new number has not been asked of VIES yet
        company.vies_valid, company.vies_checked_at = None, None
    company.legal_name, company.country = legal_name, country
    company.vat_number, company.vat_checked_with = number, checked_with
    company.eori = eori
    company.billing_address, company.delivery_address = billing, delivery
    company.payment_terms, company.deposit_percent = terms, percent
    db.session.flush()
    vies.check(company, vies_transport)
    return company


def set_active(company: Company, active: bool) -> None:
    """Archive (its buyers then shop at the plain trade terms) or restore a company."""
    company.is_active = active
    db.session.flush()


def find(code: str) -> Company | None:
    return db.session.scalar(select(Company).where(Company.code == code))


def buyers(company: Company) -> list[User]:
    return list(
        db.session.scalars(select(User).where(User.company_id == company.id).order_by(User.email))
    )


def add_buyer(company: Company, email: str) -> User:
    """A trade buyer's account (role wholesale) now orders for the company."""
    user = db.session.scalar(select(User).where(User.email == (email or "").strip().lower()))
    if user is None:
        raise CompanyError(f"No account has the e-mail {email!r}.", "unknown_buyer", "email")
    if user.role != Role.WHOLESALE:
        raise CompanyError(
            "Only trade buyers (role wholesale) order for a company.", "not_a_trade_buyer", "email"
        )
    if user.company_id not in (None, company.id):
        raise CompanyError(
            f"{user.email} already buys for another company.", "buyer_of_another", "email"
        )
    user.company_id = company.id
    db.session.flush()
    return user


def remove_buyer(company: Company, email: str) -> None:
    user = db.session.scalar(select(User).where(User.email == (email or "").strip().lower()))
    if user is None or user.company_id != company.id:
        raise CompanyError(f"{email} is not a buyer of this company.", "unknown_buyer", "email")
    user.company_id = None
    db.session.flush()


def _amount(raw, sku: str, currency: str) -> Decimal:
    try:
        amount = Decimal(str(raw).strip()) if not isinstance(raw, (bool, float)) else None
    except InvalidOperation:
        amount = None
    if amount is None or not amount.is_finite() or amount <= 0 or amount >= Decimal("1e11"):
        raise CompanyError(f"{sku}: a price is a positive amount.", "invalid_price", "prices")
    if amount != amount.quantize(Decimal("0.001")):
        raise CompanyError(f"{sku}: a price has at most three decimals.", "invalid_price", "prices")
    return amount


def set_prices(company: Company, currency: str, prices: dict[str, object]) -> list[CompanyPrice]:
    """Replace the company's price list: {sku: unit price} in `currency`; {} clears it."""
    try:
        currency = check_currency((currency or "").strip().upper()) if prices else ""
    except (InvalidMoney, ValueError):
        raise CompanyError(
            f"{currency!r} is not a currency code.", "invalid_currency", "currency"
        ) from None
    if len(prices) > MAX_PRICES:
        raise CompanyError(f"At most {MAX_PRICES} prices.", "invalid_price", "prices")
    amounts = {str(sku).strip(): _amount(raw, str(sku), currency) for sku, raw in prices.items()}
    if amounts:
        known = set(db.session.scalars(select(Variant.sku).where(Variant.sku.in_(amounts))))
        missing = sorted(set(amounts) - known)
        if missing:
            raise CompanyError(
                f"No product variant has the SKU {missing[0]}.", "unknown_sku", "prices"
            )
    company.prices.clear()
    db.session.flush()
    company.prices.extend(
        CompanyPrice(sku=sku, amount=amount, currency=currency)
        for sku, amount in sorted(amounts.items())
    )
    db.session.flush()
    return list(company.prices)


def company_of(user_id: int | None) -> Company | None:
    """The active company a trade buyer orders for, if any."""
    if user_id is None:
        return None
    found = db.session.scalar(
        select(Company).join(User, User.company_id == Company.id).where(User.id == user_id)
    )
    return found if found is not None and found.is_active else None


def price_list(company_id: int | None, currency: str, skus) -> dict[str, Decimal]:
    """The company's own unit prices in `currency` for these SKUs (an archived company has none)."""
    if company_id is None:
        return {}
    rows = db.session.execute(
        select(CompanyPrice.sku, CompanyPrice.amount)
        .join(Company)
        .where(
            CompanyPrice.company_id == company_id,
            Company.is_active.is_(True),
            CompanyPrice.currency == currency,
            CompanyPrice.sku.in_(list(skus)),
        )
    )
    return {sku: amount for sku, amount in rows}
