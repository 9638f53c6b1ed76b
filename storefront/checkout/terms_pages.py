"""The buyer pays the due part of a trade order's payment terms (a deposit, the balance,
a net invoice) by card on the order's page: the checkout's card form against the part's
own charge (`terms.cards`), then back to the order page, which says what happened.
Whoever may open the order may pay (`customers.access.visitor_order`)."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, request
from flask_babel import gettext

from ..customers.access import visitor_order
from ..mount import url_for
from ..orders.tables import Order
from ..payments import card_pages
from ..payments.operations import PaymentError
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
    token = request.form.get("token", "")
    paid = card_pages.pay_by_card(
        lambda: cards.start(order, part),  # the PaymentIntent is made when the buyer pays
        lambda: cards.pay_with_card_token(order, part, token),
    )
    return _paid(order) if paid else _back(order)


@bp.post("/orders/<number>/terms/<part>/pay/authenticated")
def authenticated(number: str, part: str):
    """Back from the bank's confirmation (3-D Secure) in Stripe.js: ask Stripe how it went."""
    order = visitor_order(number)
    paid = card_pages.confirmed_by_bank(lambda: cards.confirm(order, part), (PaymentError,))
    return _paid(order) if paid else _back(order)
