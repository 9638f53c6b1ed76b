"""Paying an order (or a charge beyond its total) by card: the card form, the attempt's
PaymentIntent, the buyer's card charged to it, and a declined card's intent retired so
the next card pays a new one. Services flush and never commit; an order becomes paid
only on Stripe's word (`operations`).
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from sqlalchemy import or_, select
from sqlalchemy.exc import IntegrityError

from channels.money import Money

from ..db import db
from ..orders.states import OrderStatus
from ..orders.tables import Order
from . import stripe_gateway as gateway
from .operations import (
    DECLINED,
    PAID,
    REQUIRES_ACTION,
    RETIRED,
    SETTLED,
    confirm_from_stripe,
    confirm_payment,
    payable,
)
from .tables import ORDER, Payment

log = logging.getLogger(__name__)

# Checks a feature above makes before an order's whole total is charged (the payment terms:
# an order paid in parts never gets an intent for its total); each raises PaymentError.
_whole_payment_checks: list[Callable[[Order], None]] = []


def check_whole_payment(check: Callable[[Order], None]) -> None:
    """Register `check(order)`, asked before `start_payment` makes an intent for the total."""
    if check not in _whole_payment_checks:
        _whole_payment_checks.append(check)


def _payment_json(payment: Payment, intent: gateway.Intent) -> dict:
    amount = Money.from_minor_units(payment.amount_minor, payment.currency, stripe=True)
    return {
        "provider": payment.provider,
        "client_secret": intent.client_secret,
        # Stripe's word: "requires_action" when the card's bank asks the buyer to confirm
        # (3-D Secure); Stripe.js `confirmCardPayment(client_secret)` shows that step.
        "status": intent.status,
        "amount": amount.as_json(),
        **gateway.publishable_settings(),
    }


def _tried(order: Order, attempt_key: str) -> tuple[str, list[Payment]]:
    """The attempt's key and its payments, the newest first.

    An attempt's first intent has the key "<order>:<attempt>"; after a declined card that
    intent is canceled (`retire`) and the next card gets a new one, "<order>:<attempt>#2"
    and on: a PaymentIntent whose card was declined cannot be paid by another card on
    every Stripe (localstripe refuses), and a canceled one can never be taken later."""
    key = f"{order.number}:{attempt_key}"
    same = or_(
        Payment.attempt_key == key, Payment.attempt_key.startswith(f"{key}#", autoescape=True)
    )
    return key, list(db.session.scalars(select(Payment).where(same).order_by(Payment.id.desc())))


def _attempt(order: Order, attempt_key: str) -> tuple[str, Payment | None]:
    """The key of the attempt's PaymentIntent now and its payment (None: none open yet)."""
    key, tried = _tried(order, attempt_key)
    if not tried:
        return key, None
    if tried[0].status == RETIRED:
        return f"{key}#{len(tried) + 1}", None
    return tried[0].attempt_key, tried[0]


def newest_payment(order: Order, attempt_key: str) -> Payment | None:
    """The attempt's newest payment, a RETIRED one included (None before the first)."""
    tried = _tried(order, attempt_key)[1]
    return tried[0] if tried else None


def card_form(order: Order, attempt_key: str) -> dict:
    """What the pay page shows, read only: the attempt's payment as Stripe has it now, or,
    before the first card is tried, the card form without a PaymentIntent (that is made
    by `start_payment` when the buyer pays). PaymentError for an order that cannot be
    paid, gateway.NotConfigured when the shop takes no cards, GatewayError."""
    return card_form_for(order, attempt_key, payable(order))


def card_form_for(order: Order, attempt_key: str, minor: int) -> dict:
    """The card form of an attempt to pay `minor` units (see `card_form`)."""
    gateway.require_configured()
    _key, payment = _attempt(order, attempt_key)
    if payment is not None:
        return _payment_json(payment, gateway.retrieve_intent(payment.intent_id))
    amount = Money.from_minor_units(minor, order.currency, stripe=True)
    return {
        "provider": "stripe",
        "client_secret": None,
        "status": "requires_payment_method",
        "amount": amount.as_json(),
        **gateway.publishable_settings(),
    }


def start_payment(order: Order, attempt_key: str) -> dict:
    """A PaymentIntent for the order's total; the same attempt key gives the same intent.

    Returns the payment object of the checkout answer (API.md). Raises PaymentError
    for an order that cannot be paid (or is paid in parts: `check_whole_payment`),
    gateway.GatewayError when Stripe fails.
    """
    for check in _whole_payment_checks:
        check(order)
    return open_intent(order, attempt_key, payable(order))


def open_intent(order: Order, attempt_key: str, minor: int, purpose: str = ORDER) -> dict:
    """The attempt's PaymentIntent for `minor` units, made once (see `start_payment`)."""
    key, payment = _attempt(order, attempt_key)
    if payment is not None:
        # the client secret is never stored; Stripe gives it again
        return _payment_json(payment, gateway.retrieve_intent(payment.intent_id))
    # a charge beyond the order's total is paid with the card form (`charges`), never the
    # Payment Element: its intent takes cards only
    card_only = purpose != ORDER
    intent = gateway.create_intent(minor, order.currency, order.number, f"pi:{key}", card_only)
    payment = Payment(
        order_id=order.id,
        purpose=purpose,
        provider="stripe",
        attempt_key=key,
        intent_id=intent.id,
        amount_minor=intent.amount,
        currency=intent.currency,
        status="pending",
        captured_minor=0,
        refunded_minor=0,
    )
    try:
        with db.session.begin_nested():
            db.session.add(payment)
    except IntegrityError:
        # the same attempt started at the same moment (Stripe's key gave it the same intent)
        payment = db.session.scalar(select(Payment).where(Payment.attempt_key == key))
        if payment is None:
            raise
    log.info("order %s: payment intent %s for %s minor units", order.number, intent.id, minor)
    return _payment_json(payment, intent)


def pay_with_card_token(order: Order, attempt_key: str, token: str) -> str:
    """The buyer's card (a Stripe.js token) charged to the intent of this attempt, then
    the order paid on Stripe's word. Returns PAID, REQUIRES_ACTION (the card's bank asks
    the buyer to confirm: 3-D Secure, done in the browser with Stripe.js, then
    `confirm_from_stripe`) or DECLINED; GatewayError when Stripe refuses the card."""
    payment = _attempt(order, attempt_key)[1]
    if payment is None or order.status != OrderStatus.PENDING_PAYMENT:
        return PAID if order.status == OrderStatus.PAID else DECLINED
    outcome = charge_card(payment, token)
    if outcome == PAID:
        return PAID if confirm_from_stripe(order) else DECLINED
    return outcome


def charge_card(payment: Payment, token: str) -> str:
    """The card behind `token` charged to the payment's intent: PAID when Stripe took it
    (the caller settles it), REQUIRES_ACTION, or DECLINED, the intent then canceled
    (`retire`) so the buyer's next card pays a new one. GatewayError when Stripe fails."""
    try:
        intent = gateway.pay_with_card_token(payment.intent_id, token)
    except gateway.CardDeclined:
        intent = None
    if intent is not None and intent.status in ("succeeded", "requires_action"):
        return PAID if intent.status == "succeeded" else REQUIRES_ACTION
    if intent is None or intent.status == "requires_payment_method":  # the card declined
        return PAID if retire(payment) else DECLINED
    return DECLINED  # processing: Stripe's word (`confirm_from_stripe`, the webhook) settles it


def retire(payment: Payment) -> bool:
    """A card was declined: cancel the payment's intent at Stripe, so that no card can pay
    it any more (a late success would charge the buyer twice), and mark it RETIRED, so
    the next card gets a new intent. True when Stripe had taken it after all (it is
    settled then). A cancel Stripe does not answer leaves the intent as it was."""
    try:
        gateway.cancel_intent(payment.intent_id)
    except gateway.GatewayError as error:
        if confirm_payment(payment):  # paid between the decline and the cancel
            return True
        log.warning("payment %s was declined and not canceled: %s", payment.intent_id, error)
        return False
    if payment.status not in SETTLED:
        payment.status = RETIRED
    db.session.flush()
    log.info("payment %s declined: canceled, the next card gets a new intent", payment.intent_id)
    return False
