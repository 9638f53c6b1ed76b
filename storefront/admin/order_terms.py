"""The "Payment terms" section of a back-office order (staff only): set the terms, record a
part's bank transfer, see the schedule, record the letter of credit and present its
documents; and the flags the orders list shows (an overdue part, a credit's latest
shipment date passed)."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from flask import abort, flash, redirect, request
from sqlalchemy import select

from channels.money import InvalidMoney, Money

from ..accounts import STAFF_ROLES, roles_required
from ..accounts.current import current_user
from ..db import db
from ..errors import InputError, flash_refusal
from ..mount import url_for
from ..orders.tables import Order
from ..terms import codes, credit, operations
from . import bp


def _staff_order(number: str) -> Order:
    """The order (the routes are staff only: staff see every order)."""
    order = db.session.scalar(select(Order).where(Order.number == number))
    if order is None:
        abort(404)
    return order


def terms_context(order: Order) -> dict:
    """What admin/order.html shows of the terms (read only)."""
    if not order.wholesale:
        return {"terms_shown": False}
    terms = operations.terms_of(order)
    parts = operations.schedule(order)
    return {
        "terms_shown": True,
        "terms": terms,
        "terms_parts": [
            (p, status, status == "due" and operations.is_overdue(p))
            for p, status in ((p, operations.shown_status(order, p)) for p in parts)
        ],
        "terms_locked": order.status != "pending_payment",
        "terms_waits": operations.shipping_waits_for(order, settle=False),
        "terms_codes": (
            "prepay",
            "deposit:30",
            "deposit:50",
            "net30",
            "net60",
            "net90",
            "letter_of_credit",
        ),
        "credit": credit.view(order),
        "credit_documents": credit.DOCUMENTS,
    }


def list_flags(order_ids: list[int]) -> dict[int, list[str]]:
    """{order id: its flags} for the orders list."""
    flags: dict[int, list[str]] = {}
    for order_id in operations.overdue_order_ids(order_ids):
        flags.setdefault(order_id, []).append("payment overdue")
    for order_id in credit.flagged_order_ids(order_ids):
        flags.setdefault(order_id, []).append(credit.LATEST_DATE_PASSED)
    return flags


def _back(number: str):
    return redirect(url_for("admin.order", number=number) + "#payment-terms", 303)


@bp.post("/orders/<number>/terms")
@roles_required(*STAFF_ROLES)
def set_order_terms(number: str):
    order = _staff_order(number)
    try:
        operations.set_terms(order, request.form.get("terms", ""), f"staff:{current_user.email}")
        db.session.commit()
    except codes.TermsError as error:
        flash_refusal(error)
        return _back(number)
    flash(f"Payment terms set: {request.form.get('terms', '').strip().lower()}.", "success")
    return _back(number)


@bp.post("/orders/<number>/terms/<part>/transfer")
@roles_required(*STAFF_ROLES)
def part_transfer(number: str, part: str):
    order = _staff_order(number)
    try:
        amount = Money(Decimal((request.form.get("amount") or "").strip()), order.currency)
    except (InvalidOperation, InvalidMoney):
        flash("Enter the amount received like 1250.00.", "error")
        return _back(number)
    try:
        operations.record_part_transfer(
            order, part, amount, request.form.get("reference", ""), current_user.id
        )
        db.session.commit()
    except InputError as error:
        flash_refusal(error)
        return _back(number)
    flash(f"Transfer recorded: the {part} of order {number} is paid.", "success")
    return _back(number)


@bp.post("/orders/<number>/letter-of-credit")
@roles_required(*STAFF_ROLES)
def letter_of_credit(number: str):
    order = _staff_order(number)
    data = {
        name: request.form.get(name, "")
        for name in (
            "issuing_bank",
            "advising_bank",
            "lc_number",
            "amount",
            "currency",
            "expiry_date",
            "latest_shipment_date",
        )
    }
    data["documents"] = request.form.getlist("documents")
    days = request.form.get("presentation_days", "").strip()
    data["presentation_days"] = int(days) if days.isdigit() else (days or credit.PRESENTATION_DAYS)
    try:
        credit.record_credit(order, data)
        db.session.commit()
    except InputError as error:
        flash_refusal(error)
        return _back(number)
    flash("Letter of credit saved.", "success")
    return _back(number)


@bp.post("/orders/<number>/letter-of-credit/present")
@roles_required(*STAFF_ROLES)
def present_documents(number: str):
    order = _staff_order(number)
    try:
        credit.present(order)
        db.session.commit()
    except InputError as error:
        flash_refusal(error)
        return _back(number)
    flash("Documents marked presented: collect them for the bank.", "success")
    return _back(number)
