"""Paying a part of the schedule by card: a charge beyond the order's own payment
(`payments.charges`, purpose `terms:<part id>`), against Stripe (localstripe in tests).
Once Stripe took it, the part is paid (`operations.refresh`). Services flush and never
commit."""

from __future__ import annotations

from channels.money import Money

from ..orders.tables import Order
from ..payments import charges
from ..payments.operations import PAID
from . import operations
from .operations import CARD_PARTS, PartNotDue, card_purpose
from .tables import PaymentPart


def _payable(order: Order, kind: str, *, settle: bool = True) -> tuple[PaymentPart, Money]:
    if settle:
        operations.refresh(order)
    part = operations.part_of(order, kind)
    if part.kind not in CARD_PARTS:
        raise PartNotDue(f"The {kind} of order {order.number} is not paid by card.", field="part")
    operations.check_due(order, part)
    return part, operations.amount_of(part).rounded()


def card_form(order: Order, kind: str) -> dict:
    """The card form of the part (read only); PaymentError when it is not due."""
    part, amount = _payable(order, kind, settle=False)
    return charges.charge_form(order, card_purpose(part), amount)


def start(order: Order, kind: str) -> dict:
    """The part's PaymentIntent, made once (the payment object of the checkout answer)."""
    part, amount = _payable(order, kind)
    return charges.start_charge(order, card_purpose(part), amount)


def pay_with_card_token(order: Order, kind: str, token: str) -> str:
    """The buyer's card charged to the part's intent: PAID (the part recorded paid),
    REQUIRES_ACTION or DECLINED; GatewayError when Stripe refuses it."""
    part = operations.part_of(order, kind)
    outcome = charges.pay_with_card_token(order, card_purpose(part), token)
    if outcome == PAID:
        operations.refresh(order)
    return outcome


def confirm(order: Order, kind: str) -> bool:
    """Back from the bank's confirmation: ask Stripe; True when the part is paid."""
    part = operations.part_of(order, kind)
    paid = charges.confirm(order, card_purpose(part))
    if paid:
        operations.refresh(order)
    return paid
