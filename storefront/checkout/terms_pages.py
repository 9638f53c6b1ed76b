"""The buyer pays the due part of a trade order's payment terms (a deposit, the balance,
a net invoice) by card on the order's page: the checkout's card form against the part's
own charge (`terms.cards`), then back to the order page, which says what happened.
Whoever may open the order may pay (`customers.access.visitor_order`)."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, request
from flask_babel import gettext

from ..customers.access import visitor_order
from ..db import db
from ..errors import flash_refusal
from ..mount import url_for
from ..orders.tables import Order
from ..payments import stripe_gateway
from ..payments.operations import DECLINED, PAID, REQUIRES_ACTION, PaymentError
from ..terms import cards

bp = Blueprint("terms_pages", __name__)


def _back(order: Order):
    key = request.args.get("key", "")
    return redirect(
        url_for("order_pages.order", number=order.number, **({"key": key} if key else {})), 303
    )


def _paid(order: Order):
    flash(gettext("Thank you! Your payment was received."), "success")
    return _back(order)


@bp.post("/orders/<number>/terms/<part>/pay")
def pay(number: str, part: str):
    order = visitor_order(number)
    try:
        cards.start(order, part)  # the PaymentIntent is made when the buyer pays
    except PaymentError as refused:
        flash_refusal(refused)
        return _back(order)
    except stripe_gateway.GatewayError:
        db.session.rollback()
        flash(gettext("Card payments are not available right now; try again later."), "error")
        return _back(order)
    db.session.commit()  # the intent is kept before the card is charged
    try:
        outcome = cards.pay_with_card_token(order, part, request.form.get("token", ""))
    except stripe_gateway.GatewayError:
        db.session.rollback()
        outcome = DECLINED
    db.session.commit()
    if outcome == REQUIRES_ACTION:  # the order page now asks the bank's confirmation
        return _back(order)
    if outcome != PAID:
        flash(gettext("Your card was not charged. Check the card details and try again."), "error")
        return _back(order)
    return _paid(order)


@bp.post("/orders/<number>/terms/<part>/pay/authenticated")
def authenticated(number: str, part: str):
    """Back from the bank's confirmation (3-D Secure) in Stripe.js: ask Stripe how it went."""
    order = visitor_order(number)
    try:
        paid = cards.confirm(order, part)
    except (stripe_gateway.GatewayError, PaymentError):
        db.session.rollback()
        paid = False
    db.session.commit()
    if not paid:
        flash(
            gettext(
                "Your bank did not confirm the payment, so your card was not charged. "
                "Try again or use another card."
            ),
            "error",
        )
        return _back(order)
    return _paid(order)
