"""The buyer pays an exchange's price difference on the return's page: the checkout's card
form (`payments/card_form.html`) against the return's own payment (`payments.charges`),
then back to the return's page, which says what happened. Whoever may open the order may
pay (`customers.access.visitor_order`)."""

from __future__ import annotations

from dataclasses import dataclass

from flask import Blueprint, abort, flash, redirect, request
from flask_babel import gettext

from channels.money import Money

from ..customers.access import visitor_order
from ..mount import url_for
from ..orders.tables import Order
from ..payments import card_pages, stripe_gateway
from ..payments import charges as payment_charges
from ..payments.operations import PaymentError
from ..web import format_money
from . import charges
from . import operations as returns
from .tables import ReturnRequest, ReturnStatus

bp = Blueprint("return_charges", __name__)


@dataclass(frozen=True)
class ChargeView:
    """The difference as the return's page shows it: its state, and the card form while
    it is owed (`payment` None when cards cannot be taken just now)."""

    state: str
    amount: Money
    payment: dict | None
    pay_url: str
    authenticated_url: str


def _key() -> dict:
    key = request.args.get("key", "")
    return {"key": key} if key else {}


def charge_view(order: Order, found: ReturnRequest) -> ChargeView | None:
    """None when the return charges nothing."""
    state = charges.state(found)
    if state == charges.NONE:
        return None
    payment = None
    if state == charges.OWED and found.status == ReturnStatus.REQUESTED:
        try:
            purpose = charges.purpose_of(found)
            payment = payment_charges.charge_form(order, purpose, charges.charge_of(found))
        except (PaymentError, stripe_gateway.GatewayError):
            payment = None
    values = {"number": order.number, "rma": found.rma, **_key()}
    return ChargeView(
        state,
        charges.charge_of(found),
        payment,
        url_for("return_charges.pay", **values),
        url_for("return_charges.authenticated", **values),
    )


def _found(number: str, rma: str) -> tuple[Order, ReturnRequest]:
    order = visitor_order(number)
    try:
        return order, returns.buyers_return(order, rma)
    except returns.ReturnNotFound:
        abort(404)


def _back(order: Order, found: ReturnRequest):
    return redirect(url_for("return_pages.rma", number=order.number, rma=found.rma, **_key()), 303)


def _paid(order: Order, found: ReturnRequest):
    flash(
        gettext(
            "You paid the difference of %(amount)s: we look at your return now.",
            amount=format_money(charges.charge_of(found)),
        ),
        "success",
    )
    return _back(order, found)


@bp.post("/orders/<number>/returns/<rma>/pay")
def pay(number: str, rma: str):
    order, found = _found(number, rma)
    purpose = charges.purpose_of(found)
    token = request.form.get("token", "")
    paid = card_pages.pay_by_card(
        # the PaymentIntent is made when the buyer pays, never by showing the page
        lambda: payment_charges.start_charge(order, purpose, charges.payable(found)),
        lambda: payment_charges.pay_with_card_token(order, purpose, token),
    )
    return _paid(order, found) if paid else _back(order, found)


@bp.post("/orders/<number>/returns/<rma>/pay/authenticated")
def authenticated(number: str, rma: str):
    """Back from the bank's confirmation (3-D Secure) in Stripe.js: ask Stripe how it went."""
    order, found = _found(number, rma)
    purpose = charges.purpose_of(found)
    paid = card_pages.confirmed_by_bank(lambda: payment_charges.confirm(order, purpose))
    return _paid(order, found) if paid else _back(order, found)
