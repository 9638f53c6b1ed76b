"""The three places where quotes meet features built beside them (the merger rewires each
one): the buyer's company (`company_of`), the order's payment schedule (`apply_terms`) and
the PDF renderer (`render_pdf`). Each is ONE function; nothing else in quotes reaches past
them."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import func, select

from ..accounts.tables import Role, User
from ..customers.tables import SavedAddress
from ..db import db
from ..orders.tables import Order


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
    """The company code a buyer's account stands for until companies are their own records."""
    return f"B{user.id:05d}"


def find_buyer(ref: str) -> User | None:
    """The trade buyer (role `wholesale`) a quote's `company` names: their e-mail or the
    code `company_of` gives them."""
    ref = (ref or "").strip()
    if not ref:
        return None
    if "@" in ref:
        user = db.session.scalar(select(User).where(func.lower(User.email) == ref.lower()))
    elif ref.upper().startswith("B") and ref[1:].isdigit() and len(ref) <= 10:
        user = db.session.get(User, int(ref[1:]))
    else:
        user = None
    if user is None or user.role != Role.WHOLESALE:
        return None
    return user


def company_of(user: User, company: str = "") -> Company:
    """The buyer's company: for now built from the buyer's account, their default saved
    address (country, billing address) and a `company` name; the companies feature
    replaces it with its `shop_company` record."""
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
    """The order's payment schedule under `code` (prepay, deposit:30, net30...): for now
    only kept on the order; the terms feature's `terms.set_terms` takes over."""
    order.payment_terms = code


def render_pdf(html: str) -> bytes:
    """A PDF of an HTML document (WeasyPrint): the one renderer of the shop's documents."""
    from weasyprint import HTML  # heavy: loaded on the first document only

    return HTML(string=html).write_pdf()
