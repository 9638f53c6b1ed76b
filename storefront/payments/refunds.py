"""Refunds through Stripe, asked with no row lock held. Services flush; `refund` and
`give_back_owed` also commit, once each, where noted.

A refund is first claimed: counted on its payment under the payment's row lock, so
a racing request cannot give the same money back twice. The claim is committed,
which releases the lock, then Stripe is asked, then its answer recorded; a refusal
gives the claim back.

An amount to refund is rounded down to what Stripe can refund (`refundable`): in BHD,
KWD and OMR a multiple of 0.010, so a share of 0.337 KWD gives back 0.330, never more
than was paid. Returns round their quotes with it too, so the buyer is shown what the
card gets back.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace

from flask_babel import gettext
from sqlalchemy import select

from channels.money import CurrencyMismatch, InvalidMoney, Money

from ..db import db
from ..notices import operations as notices
from ..orders.states import OrderStatus
from ..orders.tables import Order
from . import stripe_gateway as gateway
from .operations import OWED, SETTLED, PaymentError, refund_status
from .tables import ORDER, Payment, PaymentRefund

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class RefundClaim:
    """A refund counted on its payment, so a racing request cannot give the same money
    back twice, and committed before Stripe is asked, so no row lock waits on Stripe."""

    payment_id: int
    intent_id: str
    order_number: str
    minor: int
    key: str  # names the state it starts from: a retry cannot refund twice at Stripe
    reason: str
    notify: bool = True  # mail the buyer the refund (False: the caller writes its own)


def refundable(amount: Money) -> Money:
    """The most of `amount` a card refund can give back: rounded down to the step Stripe
    takes (BHD, KWD, OMR: 0.010; other currencies their precision). The one rule for
    every refund's amount."""
    return amount.rounded(stripe=True, down=True)


def _locked_payment(payment_id: int) -> Payment:
    return db.session.scalar(
        select(Payment)
        .where(Payment.id == payment_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )


def claim_refund(
    order: Order, amount: Money | None = None, reason: str = "", *, purpose: str = ORDER
) -> RefundClaim:
    """Count `amount` (all that is left when None; else rounded down by `refundable`) of
    the order's card payment for `purpose` as given back: the order's own payment, never a
    charge beyond it (a return's difference is given back only from its own payment).
    PaymentError when there is nothing, or not that much, to refund."""
    payment = db.session.scalar(
        select(Payment)
        .where(
            Payment.order_id == order.id,
            Payment.purpose == purpose,
            Payment.status.in_(SETTLED),
        )
        .order_by(Payment.id.desc())
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    if payment is None:
        raise PaymentError(
            gettext("Order %(number)s has no card payment to refund.", number=order.number),
            "nothing_to_refund",
        )
    left = payment.captured_minor - payment.refunded_minor
    left_money = Money.from_minor_units(left, payment.currency)
    try:
        if amount is not None:
            left_money._same(amount)  # refuses another currency
        minor = left if amount is None else refundable(amount).to_minor_units(stripe=True)
    except (InvalidMoney, CurrencyMismatch, TypeError) as error:
        raise PaymentError(str(error), "invalid_refund_amount") from None
    if minor <= 0 or minor > left:
        raise PaymentError(
            gettext(
                "A refund must be more than zero and at most the %(left)s %(currency)s "
                "still refundable on order %(number)s.",
                left=left_money.as_string(),
                currency=payment.currency,
                number=order.number,
            ),
            "refund_exceeds_captured",
        )
    key = f"refund:{payment.intent_id}:{payment.refunded_minor}:{minor}"
    payment.refunded_minor += minor
    db.session.flush()
    return RefundClaim(payment.id, payment.intent_id, order.number, minor, key, reason[:300])


def send_refund(claim: RefundClaim) -> PaymentRefund:
    """Ask Stripe for a committed claim, then record what Stripe did (flushed). When
    Stripe refuses, the claim is given back and committed before GatewayError propagates."""
    try:
        result = gateway.create_refund(claim.intent_id, claim.minor, claim.key)
    except gateway.GatewayError:
        db.session.rollback()
        payment = _locked_payment(claim.payment_id)
        payment.refunded_minor -= claim.minor
        db.session.commit()
        raise
    payment = _locked_payment(claim.payment_id)
    record = PaymentRefund(
        payment=payment, refund_id=result.id, amount_minor=claim.minor, reason=claim.reason
    )
    db.session.add(record)
    refund_status(payment)
    db.session.flush()
    order = db.session.get(Order, payment.order_id)
    refunded = Money.from_minor_units(claim.minor, payment.currency)
    if claim.notify:
        notices.refund_issued(order, refunded, claim.reason)
    log.info("order %s: refunded %s minor units (%s)", claim.order_number, claim.minor, result.id)
    return record


def refund(
    order: Order, amount: Money | None = None, reason: str = "", *, notify: bool = True
) -> PaymentRefund:
    """Give back `amount` (all that is left when None) of the order's card payment; the
    buyer is mailed the refund with `reason` unless `notify` is False (the caller then
    sends its own mail, as when a shipper's rejection is refunded).

    Unlike other services this one commits, once: the claim, so its row locks are
    released before Stripe is called. The caller commits the record it returns.
    """
    claim = replace(claim_refund(order, amount, reason), notify=notify)
    db.session.commit()
    return send_refund(claim)


def give_back_owed() -> list[PaymentRefund]:
    """Refund what cancelled orders' payments settled in this transaction still hold.
    Call after committing that transaction; the caller commits again after.
    GatewayError when Stripe refuses (the claim is given back)."""
    done = []
    for payment_id in sorted(db.session.info.pop(OWED, set())):
        payment = db.session.get(Payment, payment_id)
        order = db.session.get(Order, payment.order_id) if payment else None
        if order is None or order.status != OrderStatus.CANCELLED:
            continue
        try:
            claim = claim_refund(order, None, "the order was cancelled before the payment arrived")
        except PaymentError:  # given back already, by a delivery racing this one
            db.session.rollback()
            continue
        db.session.commit()
        done.append(send_refund(claim))
    return done
