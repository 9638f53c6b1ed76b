"""Charges beyond an order's total: a second card payment of the same order, for a
purpose a higher feature names ("return:RMA-…", an exchange's price difference), one
PaymentIntent per purpose (a declined card tries the same intent again).

Paying a charge never pays, cancels or refunds the order itself (`operations._settle`,
`refund_status`); the feature that asked it reads whether it was paid (`paid`), and gives
it back with `refunds.claim_refund(..., purpose=...)`, or calls it off before it is paid
(`call_off`). Services flush and never commit.
"""

from __future__ import annotations

from channels.money import Money

from ..db import db
from ..orders.tables import Order
from . import attempts, operations
from . import stripe_gateway as gateway
from .operations import DECLINED, PAID, SETTLED
from .tables import ORDER, Payment


def _checked(purpose: str) -> str:
    if not purpose or purpose == ORDER or len(purpose) > 40:
        raise ValueError(f"not a charge's purpose: {purpose!r}")
    return purpose


def charge_of(order: Order, purpose: str) -> Payment | None:
    """The charge's newest payment (its PaymentIntent now, or the one a declined card
    left canceled), None before the buyer first paid."""
    return attempts.newest_payment(order, _checked(purpose))


def paid(order: Order, purpose: str) -> bool:
    """Whether Stripe took the charge (given back since, or not)."""
    payment = charge_of(order, purpose)
    return payment is not None and payment.status in SETTLED


def charge_form(order: Order, purpose: str, amount: Money) -> dict:
    """The card form for the charge, read only (as `attempts.card_form`)."""
    minor = operations.chargeable_minor(amount)
    return attempts.card_form_for(order, _checked(purpose), minor)


def start_charge(order: Order, purpose: str, amount: Money) -> dict:
    """The charge's PaymentIntent for `amount`, made once; the payment object of the
    checkout answer (API.md). PaymentError when it cannot be charged, GatewayError."""
    minor = operations.chargeable_minor(amount)
    return attempts.open_intent(order, _checked(purpose), minor, purpose)


def pay_with_card_token(order: Order, purpose: str, token: str) -> str:
    """The buyer's card (a Stripe.js token) charged to the charge's intent: PAID,
    REQUIRES_ACTION (then `confirm`) or DECLINED; GatewayError when Stripe refuses it."""
    payment = charge_of(order, purpose)
    if payment is None or payment.status in SETTLED:
        return PAID if payment is not None else DECLINED
    if payment.status == operations.RETIRED:
        return DECLINED  # `start_charge` opens the next intent first
    outcome = attempts.charge_card(payment, token)
    if outcome == PAID:
        return PAID if confirm(order, purpose) else DECLINED
    return outcome


def call_off(order: Order, purpose: str) -> bool:
    """The charge is not wanted any more: its PaymentIntent, not paid, is canceled at
    Stripe, so no card can pay it. True when Stripe took it already (settled now: the
    caller gives it back). GatewayError when Stripe does not answer."""
    payment = charge_of(order, purpose)
    if payment is None or payment.status == "canceled":
        return False
    if payment.status in SETTLED or operations.confirm_payment(payment):
        return True
    try:
        gateway.cancel_intent(payment.intent_id)
    except gateway.GatewayError:
        # paid between the two questions? then it is settled; else Stripe failed
        if operations.confirm_payment(payment):
            return True
        raise
    payment.status = "canceled"
    db.session.flush()
    return False


def confirm(order: Order, purpose: str) -> bool:
    """Ask Stripe about the charge (the buyer is back from the card form or the bank's
    confirmation); True when it is paid."""
    payment = charge_of(order, purpose)
    if payment is None:
        return False
    if payment.status not in SETTLED:
        operations.confirm_payment(payment)
        db.session.flush()
    return payment.status in SETTLED
