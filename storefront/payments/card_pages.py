"""The two posts of a card form that pays a charge of an order (an exchange's difference,
a part of the payment terms): the pages above say what is charged; these run the steps
alike, commit as they go, and flash the buyer what went wrong. Each answers whether the
charge is paid now; the page then thanks the buyer or shows itself again."""

from __future__ import annotations

from collections.abc import Callable

from flask import flash
from flask_babel import gettext

from ..db import db
from ..errors import flash_refusal
from . import stripe_gateway
from .operations import DECLINED, PAID, REQUIRES_ACTION, PaymentError


def pay_by_card(start: Callable[[], object], charge: Callable[[], str]) -> bool:
    """`start()` makes the charge's PaymentIntent (kept before the card is charged), then
    `charge()` charges the form's card and answers the outcome. False with a message when
    refused or declined; False and no message when the bank asks the buyer to confirm (the
    page shows that step)."""
    try:
        start()
    except PaymentError as refused:
        flash_refusal(refused)
        return False
    except stripe_gateway.GatewayError:
        db.session.rollback()
        flash(gettext("Card payments are not available right now; try again later."), "error")
        return False
    db.session.commit()
    try:
        outcome = charge()
    except stripe_gateway.GatewayError:
        db.session.rollback()
        outcome = DECLINED
    db.session.commit()
    if outcome == REQUIRES_ACTION:
        return False
    if outcome != PAID:
        flash(gettext("Your card was not charged. Check the card details and try again."), "error")
        return False
    return True


def confirmed_by_bank(
    confirm: Callable[[], bool], errors: tuple[type[Exception], ...] = ()
) -> bool:
    """Back from the bank's confirmation (3-D Secure) in Stripe.js: `confirm()` asks Stripe
    how it went (a gateway error, or one of `errors`, counts as not confirmed)."""
    try:
        paid = confirm()
    except (stripe_gateway.GatewayError, *errors):
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
    return paid
