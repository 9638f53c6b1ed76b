"""What the buyer's order page shows of the terms (the `order_terms` Jinja global, as
checkout may not import this feature's pages): the schedule, what is due now, and the card
form for it (paid through `checkout.terms_pages`)."""

from __future__ import annotations

from dataclasses import dataclass

from flask import request

from ..mount import url_for
from ..orders.tables import Order
from ..payments import stripe_gateway
from ..payments.operations import PaymentError
from . import cards, operations
from .tables import PaymentPart


@dataclass(frozen=True)
class TermsView:
    code: str
    parts: list[PaymentPart]
    due: PaymentPart | None  # the part to pay now
    payment: dict | None  # its card form (None: not by card, or cards unavailable now)
    pay_url: str
    authenticated_url: str

    def overdue(self, part: PaymentPart) -> bool:
        return operations.is_overdue(part)


def _key() -> dict:
    key = request.args.get("key", "")
    return {"key": key} if key else {}


def order_terms(order: Order) -> TermsView | None:
    """None for an order without payment terms."""
    terms = operations.terms_of(order)
    if terms is None:
        return None
    due = operations.payable_now(order)
    payment, pay_url, authenticated_url = None, "", ""
    if due is not None and due.kind in operations.CARD_PARTS:
        values = {"number": order.number, "part": due.kind, **_key()}
        pay_url = url_for("terms_pages.pay", **values)
        authenticated_url = url_for("terms_pages.authenticated", **values)
        try:
            payment = cards.card_form(order, due.kind)
        except (PaymentError, stripe_gateway.GatewayError):
            payment = None
    return TermsView(
        terms.code, operations.schedule(order), due, payment, pay_url, authenticated_url
    )
