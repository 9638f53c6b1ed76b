"""Letters of credit (UCP 600): recorded per order, the documents the bank wants checked
off as they come to exist, the latest shipment date watched, and the documents presented
(the presentation deadline: the earlier of the credit's expiry and the first shipment
date plus the presentation period, 21 days by default). Services flush and never commit.

Which documents exist: a commercial invoice, packing list, insurance document or
certificate of origin once the caller names it issued (`issued` kinds, from the export
documents); the transport document (bill of lading / air waybill) once a shipment with
tracking exists.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import select

from channels.money import InvalidMoney, Money

from .. import clock
from ..db import as_utc, db
from ..documents import operations as documents
from ..errors import InputError
from ..orders.states import GroupStatus
from ..orders.tables import Order
from .tables import OPEN, PRESENTED, LetterOfCredit

COMMERCIAL_INVOICE, PACKING_LIST = "commercial-invoice", "packing-list"
TRANSPORT = "bill-of-lading/air-waybill"
DOCUMENTS = (COMMERCIAL_INVOICE, PACKING_LIST, TRANSPORT, "insurance", "certificate-of-origin")
PRESENTATION_DAYS = 21  # UCP 600 art. 14(c)
LATEST_DATE_PASSED = "latest shipment date passed"
_UNSHIPPED = (
    GroupStatus.AWAITING_SHIPPER,
    GroupStatus.IN_PRODUCTION,
    GroupStatus.PICKING,
    GroupStatus.PACKING,
    GroupStatus.READY_TO_SHIP,
    GroupStatus.PARTIALLY_SHIPPED,
    GroupStatus.AWAITING_PAYMENT,
)


class CreditError(InputError):
    code = "invalid_letter_of_credit"
    status = 400


class CreditState(CreditError):
    code = "letter_of_credit_state"
    status = 409


def credit_of(order: Order) -> LetterOfCredit | None:
    return db.session.scalar(select(LetterOfCredit).where(LetterOfCredit.order_id == order.id))


def _text(data: dict, field: str, limit: int, required: bool = True) -> str:
    value = data.get(field, "")
    if not isinstance(value, str):
        raise CreditError(f"{field} must be text.", field=field)
    value = " ".join(value.split())
    if (required and not value) or len(value) > limit:
        raise CreditError(
            f"Enter the {field.replace('_', ' ')} (at most {limit} characters).", field=field
        )
    return value


def _date(data: dict, field: str) -> datetime.date:
    value = data.get(field)
    try:
        return datetime.date.fromisoformat(value) if isinstance(value, str) else value.date()
    except (AttributeError, ValueError):
        raise CreditError(f"{field} must be a date (YYYY-MM-DD).", field=field) from None


def _checked(order: Order, data: dict) -> dict:
    if not isinstance(data, dict):
        raise CreditError("Send the letter of credit as an object.")
    amount = data.get("amount")
    try:
        money = Money(Decimal(str(amount)), str(data.get("currency") or order.currency).upper())
        if money.amount <= 0 or not money.is_rounded or isinstance(amount, bool | float):
            raise InvalidMoney("")
    except (ArithmeticError, InvalidMoney, ValueError, TypeError):
        raise CreditError(
            "amount must be a positive decimal string in the credit's currency.", field="amount"
        ) from None
    documents = data.get("documents")
    if (
        not isinstance(documents, list)
        or not documents
        or any(d not in DOCUMENTS for d in documents)
    ):
        raise CreditError(
            f"documents must list some of: {', '.join(DOCUMENTS)}.", field="documents"
        )
    days = data.get("presentation_days", PRESENTATION_DAYS)
    if not isinstance(days, int) or isinstance(days, bool) or not 1 <= days <= 365:
        raise CreditError("presentation_days must be 1 to 365.", field="presentation_days")
    expiry, latest = _date(data, "expiry_date"), _date(data, "latest_shipment_date")
    if latest > expiry:
        raise CreditError(
            "The latest shipment date must be on or before the expiry date.",
            field="latest_shipment_date",
        )
    return {
        "issuing_bank": _text(data, "issuing_bank", 200),
        "advising_bank": _text(data, "advising_bank", 200, required=False),
        "lc_number": _text(data, "lc_number", 60),
        "amount": money.amount,
        "currency": money.currency,
        "expiry_date": expiry,
        "latest_shipment_date": latest,
        "documents": [d for d in DOCUMENTS if d in documents],
        "presentation_days": days,
    }


def record_credit(order: Order, data: dict) -> LetterOfCredit:
    """Record (or correct, until presented) the order's letter of credit. CreditError,
    with nothing saved, for a retail order or anything missing or malformed."""
    if not order.wholesale:
        raise CreditError("Letters of credit are for trade orders only.", "not_a_trade_order")
    values = _checked(order, data)
    credit = credit_of(order)
    if credit is not None and credit.status == PRESENTED:
        raise CreditState("The documents are presented: the credit can no longer change.")
    if credit is None:
        credit = LetterOfCredit(order_id=order.id, status=OPEN)
        db.session.add(credit)
    for name, value in values.items():
        setattr(credit, name, value)
    db.session.flush()
    return credit


def _shipments(order: Order) -> list:
    return [s for group in order.groups for s in group.shipments]


def shipped_on(order: Order) -> list[datetime.date]:
    """The dates of the order's shipments with tracking, earliest first."""
    return sorted(as_utc(s.shipped_at).date() for s in _shipments(order) if s.tracking_number)


@dataclass(frozen=True)
class CreditView:
    credit: LetterOfCredit
    checklist: list[tuple[str, bool]]  # each required document and whether it exists
    flags: list[str]
    presentation_deadline: datetime.date | None  # None until shipped

    @property
    def complete(self) -> bool:
        return all(exists for _doc, exists in self.checklist)


def issued_kinds(order: Order) -> set[str]:
    """The export documents' kinds issued for every shipment (group) of the order."""
    groups = [group.id for group in order.groups if group.status != GroupStatus.CANCELLED]
    by_group = documents.issued_by_group(groups)
    kinds = [{doc.kind for doc in by_group.get(group, [])} for group in groups]
    return set.intersection(*kinds) if kinds else set()


def existing_documents(order: Order, issued: set[str] | frozenset | None = None) -> set[str]:
    """The documents that exist for the order: the export documents issued for all its
    shipments (or those `issued`), and the transport document once a shipment with
    tracking exists."""
    issued = issued_kinds(order) if issued is None else issued
    found = {kind for kind in issued if kind in DOCUMENTS}
    if shipped_on(order):
        found.add(TRANSPORT)
    return found


def flags(order: Order, credit: LetterOfCredit, today: datetime.date | None = None) -> list[str]:
    """LATEST_DATE_PASSED when a shipment left after the latest shipment date, or the date
    is past with groups still unshipped."""
    today = today or clock.today()
    late = any(day > credit.latest_shipment_date for day in shipped_on(order))
    waiting = any(group.status in _UNSHIPPED for group in order.groups)
    if late or (today > credit.latest_shipment_date and waiting):
        return [LATEST_DATE_PASSED]
    return []


def presentation_deadline(order: Order, credit: LetterOfCredit) -> datetime.date | None:
    days = shipped_on(order)
    if not days:
        return None
    return min(credit.expiry_date, days[0] + datetime.timedelta(days=credit.presentation_days))


def view(order: Order, issued: set[str] | frozenset | None = None) -> CreditView | None:
    credit = credit_of(order)
    if credit is None:
        return None
    found = existing_documents(order, issued)
    return CreditView(
        credit,
        [(doc, doc in found) for doc in credit.documents],
        flags(order, credit),
        presentation_deadline(order, credit),
    )


def present(order: Order) -> LetterOfCredit:
    """The documents go to the bank: marked for staff to collect, dated today."""
    credit = credit_of(order)
    if credit is None:
        raise CreditState(f"Order {order.number} has no letter of credit.", "no_letter_of_credit")
    if credit.status == PRESENTED:
        raise CreditState(f"The documents of {credit.lc_number} are presented already.")
    credit.status, credit.presented_on = PRESENTED, clock.today()
    db.session.flush()
    return credit


def flagged_order_ids(order_ids: list[int]) -> set[int]:
    """Of these orders, those whose credit is flagged (the orders list)."""
    if not order_ids:
        return set()
    credits = db.session.scalars(
        select(LetterOfCredit).where(LetterOfCredit.order_id.in_(order_ids))
    ).all()
    return {c.order_id for c in credits if flags(c.order, c)}
