"""Where quotes meet the features below them: the buyer's company (`company_of`, from
`storefront.companies`), the order's payment schedule (`apply_terms`) and the PDF
renderer (`render_pdf`, the export documents' one). Nothing else in quotes reaches past
these functions."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import func, select

from ..accounts.tables import Role, User
from ..companies import operations as companies
from ..companies.tables import Company as CompanyRecord
from ..customers.tables import SavedAddress
from ..db import db
from ..documents.render import render_pdf
from ..orders.tables import Order
from ..terms.operations import set_terms

__all__ = [
    "Company",
    "apply_terms",
    "buyer_code",
    "company_id_of",
    "company_of",
    "find_buyer",
    "render_pdf",
]


@dataclass(frozen=True)
class Company:
    """A trade buyer's company as a quote and its proforma name it."""

    code: str
    legal_name: str
    country: str
    vat_number: str = ""
    eori: str = ""
    billing_address: dict = field(default_factory=dict)
    default_terms: str = "prepay"


def buyer_code(user: User) -> str:
    """The code of a trade buyer's account that belongs to no company."""
    return f"B{user.id:05d}"


def find_buyer(ref: str) -> User | None:
    """The trade buyer (role `wholesale`) a quote's `company` names: a company's code (its
    first buyer), a buyer's e-mail, or the code `buyer_code` gives a buyer with no company."""
    ref = (ref or "").strip()
    if not ref:
        return None
    record = companies.find(ref)
    if record is not None and record.is_active:
        user = next(iter(companies.buyers(record)), None)
    elif "@" in ref:
        user = db.session.scalar(select(User).where(func.lower(User.email) == ref.lower()))
    elif ref.upper().startswith("B") and ref[1:].isdigit() and len(ref) <= 10:
        user = db.session.get(User, int(ref[1:]))
    else:
        user = None
    if user is None or user.role != Role.WHOLESALE:
        return None
    return user


def _from_record(record: CompanyRecord) -> Company:
    terms = record.payment_terms
    if terms == "deposit" and record.deposit_percent:
        terms = f"deposit:{record.deposit_percent}"
    return Company(
        code=record.code,
        legal_name=record.legal_name,
        country=record.country,
        vat_number=record.vat_number,
        eori=record.eori,
        billing_address=dict(record.billing_address or {}),
        default_terms=terms,
    )


def company_id_of(user: User) -> int | None:
    """The id of the active company the buyer orders for (the order keeps it), if any."""
    record = companies.company_of(user.id)
    return record.id if record is not None else None


def company_of(user: User, company: str = "") -> Company:
    """The buyer's company: its record when the buyer belongs to one; else one made of the
    buyer's account, their default saved address (country, billing address) and the
    `company` name given."""
    record = companies.company_of(user.id)
    if record is not None:
        return _from_record(record)
    saved = db.session.scalar(
        select(SavedAddress)
        .where(SavedAddress.user_id == user.id)
        .order_by(SavedAddress.is_default.desc(), SavedAddress.id)
        .limit(1)
    )
    address = dict(saved.address) if saved else {}
    legal_name = company.strip() or address.get("company_name") or user.name or user.email
    return Company(
        code=buyer_code(user),
        legal_name=legal_name[:200],
        country=(saved.country if saved else "") or "",
        billing_address=address,
    )


def apply_terms(order: Order, code: str) -> None:
    """The order's payment schedule under `code` (prepay, deposit:30, net30...), written
    by the payment terms feature; the order also keeps the code as quoted."""
    order.payment_terms = code
    set_terms(order, code, set_by="quote")
