"""Paying and refunding orders by card (Stripe). Services flush and never commit.

An order becomes paid only here, and only on Stripe's word: a verified
`payment_intent.succeeded` event, or `confirm_from_stripe` reading the intent
back from Stripe. Amounts are Stripe minor units (`Money.to_minor_units`).
"""

from __future__ import annotations

import logging

from flask_babel import gettext
from sqlalchemy import delete, select

from channels.money import InvalidMoney, Money

from ..db import db
from ..dispatch import operations as dispatch
from ..errors import InputError
from ..orders import states
from ..orders.operations import BANK_TRANSFER
from ..orders.states import OrderStatus
from ..orders.tables import Order
from . import stripe_gateway as gateway
from .tables import ORDER, Payment, ProcessedStripeEvent

log = logging.getLogger(__name__)

SETTLED = ("succeeded", "partially_refunded", "refunded")
RETIRED = "canceled"  # canceled at Stripe: no card pays it, the next card gets a new intent
OWED = "payments_owed_back"  # session.info: payments of cancelled orders to refund


class PaymentError(InputError):
    """A payment or refund the shop refuses; `code` is stable, the message translated.
    The API answers it 409: the order is not in a state to take it."""

    code = "payment_refused"
    status = 409


def stripe_amount(order: Order) -> tuple[Money, int]:
    """The order's total and the minor units Stripe is asked for; PaymentError when
    Stripe cannot charge it (5.125 KWD: the last of three digits must be 0)."""
    total = Money(order.total_amount, order.currency)
    return total, chargeable_minor(total)


def chargeable_minor(total: Money) -> int:
    """The minor units Stripe is asked for `total`; PaymentError when it cannot be."""
    try:
        minor = total.to_minor_units(stripe=True)
    except InvalidMoney:
        raise PaymentError(
            gettext(
                "Stripe cannot charge %(amount)s %(currency)s: in this currency the last "
                "digit must be 0. Round the price to %(payable)s before checkout.",
                amount=total.as_string(),
                currency=total.currency,
                payable=total.rounded(stripe=True).as_string(),
            ),
            "amount_not_chargeable",
        ) from None
    if minor <= 0:
        raise PaymentError(gettext("This order has nothing to pay."), "nothing_to_pay")
    return minor


def payable(order: Order) -> int:
    """The minor units to charge; PaymentError for an order that cannot be paid by card."""
    if order.status != OrderStatus.PENDING_PAYMENT:
        raise PaymentError(
            gettext("Order %(number)s is not waiting for payment.", number=order.number),
            "order_not_payable",
        )
    return stripe_amount(order)[1]


def locked_order(order_id: int) -> Order:
    # FOR UPDATE on PostgreSQL: two requests that would pay or change one order take turns
    return db.session.scalar(
        select(Order)
        .where(Order.id == order_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )


def _payment_by_intent(intent_id: object) -> Payment | None:
    if not isinstance(intent_id, str):
        return None
    return db.session.scalar(
        select(Payment)
        .where(Payment.intent_id == intent_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )


def _settle(payment: Payment, amount: int, currency: str, captured: int) -> str:
    """Stripe says the intent succeeded: check what it took, then pay the order."""
    if amount != payment.amount_minor or currency.upper() != payment.currency:
        log.error(
            "payment %s: Stripe took %s %s, the order asked %s %s; order left unpaid",
            payment.intent_id,
            amount,
            currency,
            payment.amount_minor,
            payment.currency,
        )
        return "amount_mismatch"
    if payment.purpose != ORDER:  # a charge beyond the order's total: the order is as it was
        if payment.status not in SETTLED:
            payment.status = "succeeded"
            payment.captured_minor = captured or amount
        log.info("charge %s (%s) paid", payment.intent_id, payment.purpose)
        return "charge_paid"
    order = locked_order(payment.order_id)
    if payment.status not in SETTLED:
        payment.status = "succeeded"
        payment.captured_minor = captured or amount
    if order.status != OrderStatus.PENDING_PAYMENT:
        if order.status != OrderStatus.CANCELLED:
            return "already_paid" if order.status == OrderStatus.PAID else "order_not_payable"
        # The hold ran out (or staff cancelled) before the money came: give it all back,
        # once this transaction is committed (`give_back_owed`), not under its locks.
        if payment.captured_minor > payment.refunded_minor:
            db.session.info.setdefault(OWED, set()).add(payment.id)  # refunds.give_back_owed
        log.warning(
            "order %s was cancelled before payment %s succeeded: refunded",
            order.number,
            payment.intent_id,
        )
        return "refunded_cancelled_order"
    dispatch.mark_paid(order)
    log.info("order %s paid by %s", order.number, payment.intent_id)
    return "paid"


def confirm_from_stripe(order: Order) -> bool:
    """Ask Stripe about the order's payments (the buyer is back from the card form);
    pays the order if one succeeded. True when the order is paid."""
    payments = db.session.scalars(
        select(Payment)
        .where(Payment.order_id == order.id, Payment.purpose == ORDER, Payment.status != RETIRED)
        .order_by(Payment.id.desc())
    ).all()
    for payment in payments:
        if confirm_payment(payment):
            break
    db.session.flush()
    return order.status == OrderStatus.PAID


def confirm_payment(payment: Payment) -> bool:
    """Settle the payment if Stripe says its intent succeeded; True then."""
    return settle_succeeded(payment, gateway.retrieve_intent(payment.intent_id))


def settle_succeeded(payment: Payment, intent: gateway.Intent) -> bool:
    """Settle the payment if `intent` (its PaymentIntent, as Stripe gave it) succeeded."""
    if intent.id != payment.intent_id or intent.status != "succeeded":
        return False
    _settle(_payment_by_intent(payment.intent_id), intent.amount, intent.currency, intent.captured)
    return True


PAID, REQUIRES_ACTION, DECLINED = "paid", "requires_action", "declined"


def _failed(payment: Payment) -> str:
    if payment.status != "pending":
        return "ignored"
    payment.status = "failed"  # the buyer may try another card; the order still waits
    return "payment_failed"


def _canceled(payment: Payment) -> str:
    if payment.status in SETTLED or payment.status == RETIRED:
        return "ignored"  # settled, or canceled by the shop itself (`retire`, `call_off`)
    payment.status = "canceled"
    if payment.purpose != ORDER:
        return "payment_canceled"
    order = locked_order(payment.order_id)
    others_alive = db.session.scalar(
        select(Payment.id).where(
            Payment.order_id == order.id,
            Payment.purpose == ORDER,
            Payment.id != payment.id,
            Payment.status.in_(("pending", *SETTLED)),
        )
    )
    # the buyer now pays by bank transfer: a card attempt ending leaves the order waiting
    by_transfer = order.payment_method == BANK_TRANSFER
    if order.status != OrderStatus.PENDING_PAYMENT or others_alive is not None or by_transfer:
        return "payment_canceled"
    dispatch.cancel_order(order, "payment canceled at Stripe")
    return "order_cancelled"


def _record_refunded(payment: Payment, refunded_total: int) -> str:
    """Stripe's running total of refunds for the payment; never above what was captured."""
    if refunded_total > payment.captured_minor:
        log.error(
            "payment %s: Stripe reports %s refunded of %s captured",
            payment.intent_id,
            refunded_total,
            payment.captured_minor,
        )
        refunded_total = payment.captured_minor
    if refunded_total <= payment.refunded_minor:
        return "ignored"
    payment.refunded_minor = refunded_total
    return refund_status(payment)


def refund_status(payment: Payment) -> str:
    """The payment's status after a refund; an ORDER payment's order follows it (a charge
    beyond the order's total leaves the order as it is)."""
    if payment.refunded_minor < payment.captured_minor:
        payment.status = "partially_refunded"
        if payment.purpose != ORDER:
            return "partially_refunded"
        order = locked_order(payment.order_id)
        if order.status == OrderStatus.PAID:
            states.move_order(order, OrderStatus.PARTIALLY_REFUNDED)
        return "partially_refunded"
    payment.status = "refunded"
    if payment.purpose != ORDER:
        return "refunded"
    order = locked_order(payment.order_id)
    if OrderStatus.REFUNDED in states.ORDER_TRANSITIONS.get(order.status, frozenset()):
        states.move_order(order, OrderStatus.REFUNDED)
    return "refunded"


def _charge_refunded(charge: dict) -> str:
    payment = _payment_by_intent(charge.get("payment_intent"))
    if payment is None:
        return "unknown_payment"
    if str(charge.get("currency", "")).upper() != payment.currency:
        return "currency_mismatch"
    if payment.status not in SETTLED:
        return "ignored"
    return _record_refunded(payment, int(charge.get("amount_refunded") or 0))


def already_processed(event_id: str) -> bool:
    return (
        db.session.scalar(
            select(ProcessedStripeEvent.id).where(ProcessedStripeEvent.event_id == event_id)
        )
        is not None
    )


def forget_event(event_id: str) -> None:
    """Act on the event again when Stripe resends it (what it asked could not be done)."""
    done = ProcessedStripeEvent
    db.session.execute(delete(done).where(done.event_id == event_id))


def handle_event(event: dict) -> str:
    """Act on a verified Stripe event once; returns what happened ("duplicate" for a
    repeat). The caller commits; a concurrent duplicate fails there on the unique
    event id and must roll back."""
    if already_processed(event["id"]):
        return "duplicate"
    obj = event["data"]["object"]
    kind = event["type"]
    if kind == "charge.refunded":
        outcome = _charge_refunded(obj)
    elif kind.startswith("payment_intent."):
        payment = _payment_by_intent(obj.get("id"))
        if payment is None:
            outcome = "unknown_payment"
        elif kind == "payment_intent.succeeded":
            outcome = _settle(
                payment,
                int(obj.get("amount") or 0),
                str(obj.get("currency")),
                int(obj.get("amount_received") or 0),
            )
        elif kind == "payment_intent.payment_failed":
            outcome = _failed(payment)
        elif kind == "payment_intent.canceled":
            outcome = _canceled(payment)
        else:
            outcome = "ignored"
    else:
        outcome = "ignored"
    db.session.add(ProcessedStripeEvent(event_id=event["id"], event_type=kind, outcome=outcome))
    db.session.flush()
    return outcome
