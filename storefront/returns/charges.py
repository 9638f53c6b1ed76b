"""The price difference a buyer pays for an exchange to a dearer variant: kept on the
return (`charge_amount`, in the order's currency, rounded once), paid by card as a second
payment of the same order (`payments.charges`, purpose "return:<RMA>"), which never
changes the order's own payment or status. The return may be approved only once it is
paid; a refused return gives it back in full, from that payment alone.

Services flush and never commit; `give_back_refused` commits around Stripe.
"""

from __future__ import annotations

import logging
from dataclasses import replace

from flask_babel import gettext

from channels.money import Money

from ..db import db
from ..errors import InputError
from ..notices import operations as notices
from ..payments import charges, refunds
from ..payments.operations import PaymentError
from ..payments.stripe_gateway import GatewayError
from .tables import ReturnRequest, ReturnStatus

log = logging.getLogger(__name__)

GIVE_BACK = "return_charges_to_give_back"  # session.info: refused returns' paid charges

NONE, OWED, PAID, GIVEN_BACK = "none", "owed", "paid", "given_back"


class DifferenceNotPaid(InputError):
    """An exchange for a dearer variant is approved only once the buyer paid the
    difference."""

    code = "difference_not_paid"
    status = 409


def purpose_of(request: ReturnRequest) -> str:
    return f"return:{request.rma}"


def charge_of(request: ReturnRequest) -> Money:
    """What the buyer pays on top for the exchange (zero: nothing)."""
    return Money(request.charge_amount, request.currency).rounded()


def state(request: ReturnRequest) -> str:
    """NONE (nothing to pay), OWED, PAID, or GIVEN_BACK (paid, then refunded in full)."""
    if not charge_of(request):
        return NONE
    payment = charges.charge_of(request.order, purpose_of(request))
    if payment is None or payment.status not in ("succeeded", "partially_refunded", "refunded"):
        return OWED
    return GIVEN_BACK if payment.status == "refunded" else PAID


def payable(request: ReturnRequest) -> Money:
    """The difference the buyer may pay now; PaymentError when there is none to pay."""
    if state(request) != OWED or request.status != ReturnStatus.REQUESTED:
        raise PaymentError(
            gettext("Return %(rma)s has no difference to pay.", rma=request.rma),
            "nothing_to_pay",
        )
    return charge_of(request)


def check_paid(request: ReturnRequest) -> None:
    """Before approval: DifferenceNotPaid while the buyer owes the difference."""
    if state(request) == OWED:
        raise DifferenceNotPaid(
            f"Return {request.rma} waits for the buyer to pay the difference of "
            f"{charge_of(request)}: it can be approved once paid.",
            field="status",
        )


def refused(request: ReturnRequest) -> None:
    """The return was refused: once this is committed (`give_back_refused`), never under
    the return's row lock, a paid difference is given back and one not paid yet is called
    off at Stripe (the buyer may have its PaymentIntent open)."""
    if charges.charge_of(request.order, purpose_of(request)) is not None:
        db.session.info.setdefault(GIVE_BACK, set()).add(request.id)


def give_back_refused() -> list[str]:
    """For the returns refused in the transaction just committed: call off a difference
    not paid, and refund in full one that was, each from its own payment; commits each.
    The RMAs given back; a Stripe failure is logged and leaves the money on the payment
    (staff refund it at Stripe)."""
    done = []
    for return_id in sorted(db.session.info.pop(GIVE_BACK, set())):
        # no row lock while Stripe is asked: the payment's lock (`claim_refund`) keeps the
        # difference from being given back twice
        request = db.session.get(ReturnRequest, return_id)
        if request is None or request.status != ReturnStatus.REFUSED:
            continue
        if state(request) == OWED:
            try:
                paid = charges.call_off(request.order, purpose_of(request))
            except GatewayError as error:
                log.error("return %s: the difference was not called off: %s", request.rma, error)
                paid = False
            db.session.commit()
            if not paid:
                continue
        if state(request) != PAID:
            continue
        reason = f"return {request.rma} refused: the difference given back"
        try:
            claim = refunds.claim_refund(request.order, None, reason, purpose=purpose_of(request))
        except PaymentError:  # given back already
            db.session.rollback()
            continue
        db.session.commit()
        rma, order, amount = request.rma, request.order, charge_of(request)
        try:
            refunds.send_refund(replace(claim, notify=False))
        except GatewayError as error:
            log.error("return %s: the difference was not given back: %s", rma, error)
            continue
        notices.refund_issued(order, amount, "")  # the buyer's mail names no reason
        db.session.commit()
        done.append(rma)
    return done
