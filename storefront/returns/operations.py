"""Requesting a return and deciding on it. The group's selling model says where the goods
go back (`route_return`); the core never branches on the model. A route to a supplier is
told of each step by an event in the webhooks outbox (`settling`).

Services flush and never commit; the API commits. `refund` alone commits, around Stripe.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, replace

from flask_babel import gettext
from sqlalchemy import select

from channels.money import Money
from models_ import ReturnRoute

from .. import clock
from ..db import db
from ..delivery.operations import Actor, may_act
from ..dispatch.context import DispatchContext
from ..dispatch.operations import model_group
from ..errors import InputError
from ..fulfilment import registry
from ..notices import operations as notices
from ..orders.operations import BANK_TRANSFER
from ..orders.tables import Order, OrderGroup
from ..payments import refunds
from ..payments.stripe_gateway import GatewayError
from . import charges, exchanges, mails, money, settling
from .addresses import return_address_of
from .eligibility import ReturnRefused, Wanted, check_lines, check_reason
from .exchanges import Exchange
from .money import RefundQuote
from .photos import add_photos
from .tables import (
    TRANSITIONS,
    Payout,
    ReturnLine,
    ReturnRequest,
    ReturnStatus,
    ReturnStatusChange,
)

BUYER = "buyer"
REQUESTED_EVENT = settling.REQUESTED_EVENT
REFUSAL_LONGEST = 280


class ReturnNotFound(InputError):
    """A return the caller may not see: answered as if it did not exist."""

    code = "return_not_found"
    status = 404


class ReturnNotReady(InputError):
    code = "invalid_return_status"
    status = 409


def new_rma() -> str:
    return "RMA-" + secrets.token_hex(5).upper()


def route_of(group: OrderGroup) -> ReturnRoute:
    """Where the group's goods go back, as its selling model answers."""
    model = registry().get(group.selling_model)
    return model.route_return(model_group(group), DispatchContext())


def _move(request: ReturnRequest, status: str, actor: str, note: str = "") -> None:
    if status not in TRANSITIONS.get(request.status, ()):
        raise ReturnNotReady(
            f"Return {request.rma} is {request.status}: it cannot be {status}.", field="status"
        )
    request.changes.append(
        ReturnStatusChange(
            from_status=request.status, to_status=status, note=note[:300], actor=actor[:120]
        )
    )
    request.status = status
    request.actor = actor[:120]
    request.updated_at = clock.now()
    mails.status_changed(request, status, note)


@dataclass(frozen=True)
class AskedReturn:
    """A return as the buyer asks it, checked by the rules and not saved: what a page
    shows before the buyer confirms."""

    group: OrderGroup
    wanted: list[Wanted]
    reason: str
    note: str
    resolution: str
    exchange_sku: str
    route: ReturnRoute
    refund: RefundQuote
    exchange: Exchange | None = None


def preview(
    order: Order,
    lines,
    reason,
    note=None,
    resolution="refund",
    exchange_sku=None,
    return_postage=None,
) -> AskedReturn:
    """Check a return the buyer asks for and say where it goes and what it gives back
    (`money.quote`, with the return postage the buyer states); ReturnRefused when the rules
    do not allow it. Writes nothing."""
    reason, note, resolution = check_reason(reason, note, resolution)
    group, wanted = check_lines(order, lines)
    postage = money.check_postage(return_postage, order.currency)
    exchange = exchanges.choose(order, exchange_sku, wanted) if resolution == "exchange" else None
    difference = exchange.difference if exchange else None
    refund = money.quote(order, group, wanted, reason, resolution, postage, difference)
    sku = exchange.variant.sku if exchange else ""
    route = route_of(group)
    return AskedReturn(group, wanted, reason, note, resolution, sku, route, refund, exchange)


def request_return(
    order: Order,
    lines,
    reason,
    note=None,
    resolution="refund",
    exchange_sku=None,
    return_postage=None,
    photos=(),
) -> ReturnRequest:
    """The buyer asks to return units of one delivered group; the caller locked the order's
    row (two requests for the last units cannot both pass). An exchange's new piece is held
    at once. ReturnRefused when the rules do not allow it; nothing is written then.
    `photos` (checked images, `photos.checked`) are kept with it, so the supplier's event
    names them; the buyer gets a mail."""
    asked = preview(order, lines, reason, note, resolution, exchange_sku, return_postage)
    group, wanted, route = asked.group, asked.wanted, asked.route
    new_group = exchanges.hold(order, asked.exchange) if asked.exchange else None
    now = clock.now()
    request = ReturnRequest(
        rma=new_rma(),
        order=order,
        group=group,
        status=ReturnStatus.REQUESTED,
        reason=asked.reason,
        note=asked.note,
        resolution=asked.resolution,
        exchange_sku=asked.exchange_sku,
        ship_to=str(route.to) if route.to is not None else "",
        instructions=route.instructions[:300],
        return_address=return_address_of(route.to),
        refund_amount=asked.refund.total.amount,
        refund_parts=asked.refund.kept(),
        currency=order.currency,
        exchange_group=new_group,
        charge_amount=asked.exchange.charge.amount if asked.exchange else 0,
        actor=BUYER,
        created_at=now,
        updated_at=now,
        lines=[ReturnLine(order_line=w.line, quantity=w.quantity) for w in wanted],
        changes=[
            ReturnStatusChange(to_status=ReturnStatus.REQUESTED, actor=BUYER, note=asked.reason)
        ],
    )
    db.session.add(request)
    db.session.flush()
    if photos:
        add_photos(request, list(photos))
    if route.to is not None:
        settling.tell_supplier(request, REQUESTED_EVENT)
    mails.requested(request)
    return request


def buyers_return(order: Order, rma: str) -> ReturnRequest:
    request = db.session.scalar(
        select(ReturnRequest).where(ReturnRequest.rma == rma, ReturnRequest.order_id == order.id)
    )
    if request is None:
        raise ReturnNotFound(gettext("There is no return %(rma)s.", rma=rma[:20]), field="rma")
    return request


def return_for(actor: Actor, rma: str) -> ReturnRequest:
    """A return the actor may act on (staff: all; an agent or supplier: its own groups'),
    locked for the step; ReturnNotFound otherwise."""
    request = db.session.scalar(
        select(ReturnRequest).where(ReturnRequest.rma == rma).with_for_update()
    )
    if request is None or not may_act(actor, request.group):
        raise ReturnNotFound(f"There is no return {rma[:20]}.", field="rma")
    return request


def approve(request: ReturnRequest, actor: Actor) -> None:
    """The buyer may send the goods; an exchange's new piece sets off to them now.
    DifferenceNotPaid while the buyer owes an exchange's price difference."""
    if request.status == ReturnStatus.REQUESTED:
        charges.check_paid(request)
    _move(request, ReturnStatus.APPROVED, actor.label, f"approved by {actor.label}")
    db.session.flush()
    if request.exchange_group is not None:
        exchanges.ship(request.exchange_group)
        db.session.flush()


def refuse(request: ReturnRequest, actor: Actor, reason) -> None:
    """Turn the return down with a reason the buyer reads; its units may be asked again."""
    reason = reason.strip() if isinstance(reason, str) else ""
    if not reason or len(reason) > REFUSAL_LONGEST:
        raise ReturnRefused(
            f"Give a reason of 1 to {REFUSAL_LONGEST} characters.", "invalid_reason", "reason"
        )
    _move(request, ReturnStatus.REFUSED, actor.label, reason)
    request.refusal_reason = reason
    if request.exchange_group is not None:
        exchanges.call_back(request.exchange_group, f"return {request.rma} refused", actor.label)
    charges.refused(request)  # a paid difference goes back once this is committed
    db.session.flush()


def received(request: ReturnRequest, actor: Actor) -> None:
    """The goods came back to the route's shipper (a refund-only return has none to receive)."""
    if not request.ship_to:
        raise ReturnNotReady(
            f"Return {request.rma} is refunded without a return: nothing comes back.",
            field="status",
        )
    _move(request, ReturnStatus.RECEIVED, actor.label, f"received by {actor.label}")
    settling.tell_supplier(request, settling.RECEIVED_EVENT)
    db.session.flush()


def _refund_ready_statuses(request: ReturnRequest) -> tuple[str, ...]:
    if request.ship_to:
        return (ReturnStatus.RECEIVED, ReturnStatus.INSPECTED)
    return (ReturnStatus.APPROVED,)


def refundable(request: ReturnRequest) -> bool:
    """Whether `refund` would give money back now: something to refund (the goods, or an
    exchange's price difference) and the goods back, or nothing to send back."""
    has_money = request.resolution == "refund" or request.refund_amount > 0
    return has_money and request.status in _refund_ready_statuses(request)


def refund(request: ReturnRequest, actor: Actor) -> Money:
    """Give the quote's total back: a partial refund of the order's card payment, or, for
    an order paid by bank transfer, owed to the buyer to pay out by hand (`paid_by_hand`).

    Ready once the goods were received, or once approved when nothing comes back. An
    exchange refunds only a price difference. Commits around Stripe: the return is marked
    refunded together with the refund's claim on the payment, under the return's row lock,
    before Stripe is asked, so a second refund of it finds it refunded; when Stripe refuses,
    both are undone and GatewayError propagates. A PaymentError (no card payment to refund)
    leaves the return as it was. A bank transfer's refund is only flushed."""
    amount = Money(request.refund_amount, request.currency).rounded()
    if request.resolution != "refund" and not amount:
        raise ReturnNotReady(
            f"Return {request.rma} is an exchange: nothing is refunded.", field="status"
        )
    ready = _refund_ready_statuses(request)
    if request.status not in ready:
        raise ReturnNotReady(
            f"Return {request.rma} is {request.status}: it is refunded once {ready[0]}.",
            field="status",
        )
    if request.order.payment_method == BANK_TRANSFER:  # Stripe never held this money
        note = f"{amount} to be paid to the buyer by hand (bank transfer), owed by {actor.label}"
        _move(request, ReturnStatus.REFUNDED, actor.label, note)
        request.payout = Payout.BY_HAND
        settling.refunded(request, amount)
        db.session.flush()
        return amount
    return_id, before = request.id, request.status
    _move(request, ReturnStatus.REFUNDED, actor.label, f"{amount} refunded by {actor.label}")
    request.payout = Payout.CARD
    # the buyer's mail names no reason: the RMA stays on the payment's record
    claim = refunds.claim_refund(request.order, amount, f"return {request.rma}")
    db.session.commit()
    try:
        refunds.send_refund(replace(claim, notify=False))
    except GatewayError:  # the claim was given back and committed: undo the move
        request = db.session.get(ReturnRequest, return_id, with_for_update=True)
        request.changes.append(
            ReturnStatusChange(
                from_status=ReturnStatus.REFUNDED,
                to_status=before,
                note="Stripe did not refund: nothing was given back",
                actor=actor.label[:120],
            )
        )
        request.status, request.payout = before, ""
        db.session.commit()
        raise
    notices.refund_issued(request.order, amount, "")
    settling.refunded(request, amount)
    db.session.flush()
    return amount


def paid_by_hand(request: ReturnRequest, actor: Actor) -> None:
    """Staff paid a bank-transfer order's refund out by hand: it is owed no more, and the
    buyer is mailed the refund."""
    if not actor.is_staff:
        raise ReturnNotFound(f"There is no return {request.rma}.", field="rma")
    if request.payout != Payout.BY_HAND:
        raise ReturnNotReady(f"Return {request.rma} owes nothing to pay by hand.", field="status")
    amount = Money(request.refund_amount, request.currency).rounded()
    request.payout = Payout.PAID_BY_HAND
    request.updated_at = clock.now()
    request.changes.append(
        ReturnStatusChange(
            from_status=request.status,
            to_status=request.status,
            note=f"{amount} paid to the buyer by hand by {actor.label}",
            actor=actor.label[:120],
        )
    )
    notices.refund_issued(request.order, amount, "")
    db.session.flush()
