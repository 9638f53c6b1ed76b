"""An order's payment terms in the admin API (staff keys only): the schedule, set and
read; a part's bank transfer recorded; the letter of credit and its presentation."""

from __future__ import annotations

from flask import jsonify
from sqlalchemy import select

from channels.money import InvalidMoney, Money

from ..db import db, iso_utc
from ..orders.tables import Order
from ..terms import credit, operations
from .auth import api_user
from .errors import ApiError, json_object
from .records import staff_only
from .shipping import work_actor
from .spec import operation
from .views import bp

_ORDER = "/admin/orders/<number>"


def _order(number: str) -> Order:
    staff_only()
    order = db.session.scalar(select(Order).where(Order.number == number))
    if order is None:
        raise ApiError(404, "not_found", f"There is no order {number}.", "number")
    return order


def terms_json(order: Order) -> dict:
    """Read only (a GET writes nothing): a card payment Stripe took shows as paid."""
    terms = operations.terms_of(order)
    due = operations.payable_now(order)
    return {
        "order": order.number,
        "terms": terms.code if terms else None,
        "invoice_date": terms.invoice_date.isoformat() if terms else None,
        "schedule": [
            {
                "kind": part.kind,
                "amount": operations.amount_of(part).as_json(),
                "due_on": part.due_on.isoformat() if part.due_on else None,
                "status": operations.shown_status(order, part),
                "overdue": operations.is_overdue(part)
                and operations.shown_status(order, part) != "paid",
                "paid_at": iso_utc(part.paid_at) if part.paid_at else None,
                "method": part.method,
                "bank_reference": part.bank_reference,
            }
            for part in operations.schedule(order)
        ],
        "due_now": due.kind if due else None,
        "ships_when": operations.shipping_waits_for(order, settle=False),
    }


def credit_json(order: Order) -> dict:
    found = credit.view(order)
    if found is None:
        raise ApiError(404, "not_found", f"Order {order.number} has no letter of credit.")
    lc = found.credit
    return {
        "issuing_bank": lc.issuing_bank,
        "advising_bank": lc.advising_bank,
        "lc_number": lc.lc_number,
        "amount": Money(lc.amount, lc.currency).as_json(),
        "expiry_date": lc.expiry_date.isoformat(),
        "latest_shipment_date": lc.latest_shipment_date.isoformat(),
        "documents": [{"document": d, "exists": e} for d, e in found.checklist],
        "presentation_days": lc.presentation_days,
        "presentation_deadline": (
            found.presentation_deadline.isoformat() if found.presentation_deadline else None
        ),
        "status": lc.status,
        "presented_on": lc.presented_on.isoformat() if lc.presented_on else None,
        "flags": found.flags,
    }


_DOC = {"tags": ["back office"], "security": "bearer"}


@bp.get(f"{_ORDER}/terms")
@operation("The order's payment terms and schedule", response="PaymentTerms",
           errors=(401, 403, 404), **_DOC)  # fmt: skip
def order_terms(number: str):
    return jsonify(terms_json(_order(number)))


@bp.put(f"{_ORDER}/terms")
@operation("Set a trade order's payment terms (until something is paid)",
           body="PaymentTermsRequest", response="PaymentTerms", errors=(400, 401, 403, 404),
           **_DOC)  # fmt: skip
def set_order_terms(number: str):
    order = _order(number)
    operations.set_terms(order, json_object().get("terms"), work_actor().label)
    db.session.commit()
    return jsonify(terms_json(order))


@bp.post(f"{_ORDER}/terms/<part>/transfer")
@operation("Record the bank transfer that paid one part of the schedule",
           body="PartTransferRequest", response="PaymentTerms",
           errors=(400, 401, 403, 404, 409), **_DOC)  # fmt: skip
def part_transfer(number: str, part: str):
    order = _order(number)
    body = json_object()
    try:
        amount = Money(str(body.get("amount")), str(body.get("currency") or order.currency))
        if isinstance(body.get("amount"), bool | float) or body.get("amount") is None:
            raise InvalidMoney("")
    except (InvalidMoney, ArithmeticError, ValueError, TypeError):
        raise ApiError(
            400, "invalid_amount", "amount must be a decimal string.", "amount"
        ) from None
    reference = body.get("reference")
    if not isinstance(reference, str):
        raise ApiError(400, "invalid_bank_reference", "reference must be text.", "reference")
    operations.record_part_transfer(order, part, amount, reference, api_user().id)
    db.session.commit()
    return jsonify(terms_json(order))


@bp.put(f"{_ORDER}/letter-of-credit")
@operation("Record or correct the order's letter of credit", body="LetterOfCreditRequest",
           response="LetterOfCredit", errors=(400, 401, 403, 404, 409), **_DOC)  # fmt: skip
def letter_of_credit(number: str):
    order = _order(number)
    credit.record_credit(order, json_object())
    db.session.commit()
    return jsonify(credit_json(order))


@bp.get(f"{_ORDER}/letter-of-credit")
@operation("The order's letter of credit, its documents checklist and flags",
           response="LetterOfCredit", errors=(401, 403, 404), **_DOC)  # fmt: skip
def get_letter_of_credit(number: str):
    return jsonify(credit_json(_order(number)))


@bp.post(f"{_ORDER}/letter-of-credit/present")
@operation("The documents are presented to the bank: marked for staff to collect",
           response="LetterOfCredit", errors=(401, 403, 404, 409), **_DOC)  # fmt: skip
def present_letter_of_credit(number: str):
    order = _order(number)
    credit.present(order)
    db.session.commit()
    return jsonify(credit_json(order))
