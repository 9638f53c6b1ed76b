"""Paying with Stripe's Payment Element (STRIPE_CHECKOUT = "payment_element"): the page
shows the attempt's PaymentIntent (`attempts.start_payment`, its client secret), Stripe.js
confirms it in the browser (`stripe.confirmPayment`, cards, wallets and the local methods
the account enables) and sends the buyer back to the shop's return URL, where the shop
asks Stripe itself how it went (`back_from_stripe`); the verified webhook settles it too.
Services flush and never commit.
"""

from __future__ import annotations

from sqlalchemy import select

from ..db import db
from ..orders.states import OrderStatus
from ..orders.tables import Order
from . import stripe_gateway as gateway
from .operations import DECLINED, PAID, settle_succeeded
from .tables import ORDER, Payment

PROCESSING = "processing"  # Stripe has the payment and tells later (a bank debit, a voucher)


def order_payment(order: Order, intent_id: object) -> Payment | None:
    """The order's own payment with this PaymentIntent id (None: not one of the order's)."""
    if not isinstance(intent_id, str) or not intent_id.startswith("pi_"):
        return None
    return db.session.scalar(
        select(Payment).where(
            Payment.order_id == order.id,
            Payment.purpose == ORDER,
            Payment.intent_id == intent_id,
        )
    )


def back_from_stripe(order: Order, intent_id: object) -> str | None:
    """The buyer is back from Stripe.js with `intent_id` in the return URL's query. The
    query is not taken at its word: None when the intent is no payment of this order;
    else Stripe is asked and the order paid if the intent succeeded: PAID, PROCESSING
    (Stripe's webhook settles it later) or DECLINED. GatewayError when Stripe fails."""
    payment = order_payment(order, intent_id)
    if payment is None:
        return None
    intent = gateway.retrieve_intent(payment.intent_id)
    settle_succeeded(payment, intent)
    db.session.flush()
    if order.status == OrderStatus.PAID:
        return PAID
    if intent.status == PROCESSING and order.status == OrderStatus.PENDING_PAYMENT:
        return PROCESSING
    return DECLINED
