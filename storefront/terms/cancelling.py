"""A trade order paid in parts is cancelled: what its parts hold goes back. Delivery's
`cancel_paid_order` calls `call_off` before the order is cancelled and `owed` after; its
`refund_cancelled` calls `refund_card_parts` once the cancellation is committed.

- a part still due: its card charge (an intent not paid yet) is canceled at Stripe, so no
  card can pay it; one Stripe took meanwhile is recorded paid, and so given back;
- a part paid by card: refunded through Stripe (`payments.refunds`, the charge's purpose);
- a part paid by bank transfer: owed back by transfer, as a whole-order transfer is
  (Stripe never held that money): `owed_by_transfer` says how much.
"""

from __future__ import annotations

import logging
from dataclasses import replace

from flask_babel import gettext

from channels.money import Money

from ..db import db
from ..orders.tables import Order
from ..payments import charges, refunds
from ..payments import stripe_gateway as gateway
from ..payments.operations import PaymentError
from . import operations
from .operations import CARD_PARTS, card_purpose, paid_in_parts, schedule
from .tables import BANK_TRANSFER, CARD, DUE, PAID, PaymentPart

log = logging.getLogger(__name__)

REASON = "the order was cancelled"


def call_off(order: Order) -> None:
    """Before the order is cancelled: no card may pay a part still due (its intent is
    canceled at Stripe); a part Stripe took meanwhile is recorded paid. PaymentError, with
    nothing changed, when Stripe does not answer (the caller tries the cancellation again)."""
    if not paid_in_parts(order):
        return
    for part in schedule(order):
        if part.status != DUE or part.kind not in CARD_PARTS:
            continue
        try:
            taken = charges.call_off(order, card_purpose(part))
        except gateway.GatewayError:
            raise PaymentError(
                gettext("Card payments are not available right now; try again later."),
                "payment_unavailable",
            ) from None
        if taken:
            operations.refresh(order)


def _paid(order: Order, method: str) -> list[PaymentPart]:
    if not paid_in_parts(order):
        return []
    return [p for p in schedule(order) if p.status == PAID and p.method == method]


def _total(order: Order, parts: list[PaymentPart]) -> Money | None:
    if not parts:
        return None
    return sum((operations.amount_of(p).rounded() for p in parts), Money(0, order.currency))


def owed(order: Order) -> Money | None:
    """What the parts of a cancelled order paid, by card and by transfer (None: nothing,
    as for net terms whose invoice was not paid)."""
    return _total(order, _paid(order, CARD) + _paid(order, BANK_TRANSFER))


def owed_by_transfer(order: Order) -> Money | None:
    """What parts paid by bank transfer hold: staff send it back by transfer."""
    return _total(order, _paid(order, BANK_TRANSFER))


def refund_card_parts(order: Order) -> Money | None:
    """Give back through Stripe all that is left of each card-paid part of the cancelled
    order; commits (each claim before Stripe is asked, each record after), and mails the
    buyer nothing (the caller writes one mail for the whole refund). Returns the amount
    refunded now (None: nothing left to refund); GatewayError when Stripe refuses one
    (those refunded before it stay refunded; a second call gives back the rest)."""
    refunded = []
    for part in _paid(order, CARD):
        try:
            claim = refunds.claim_refund(order, None, REASON, purpose=card_purpose(part))
        except PaymentError:  # given back already
            db.session.rollback()
            continue
        db.session.commit()
        record = refunds.send_refund(replace(claim, notify=False))
        db.session.commit()
        refunded.append(Money.from_minor_units(record.amount_minor, order.currency))
        log.info("order %s: the %s paid by card refunded", order.number, part.kind)
    return sum(refunded, Money(0, order.currency)) if refunded else None
