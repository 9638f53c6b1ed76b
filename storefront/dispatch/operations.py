"""Paying and cancelling orders: each group's selling model sets its shipper to work, or
calls it back. Services flush and never commit."""

from __future__ import annotations

import datetime

from sqlalchemy import and_, or_, select

from channels.money import Money
from models_ import Destination, Group, HoldRef, Line, NotAvailable, SettingsError, ShipperRef

from .. import clock
from ..db import db
from ..fulfilment import registry
from ..fulfilment.tables import StockReservation
from ..notices import operations as notices
from ..orders.operations import BANK_TRANSFER
from ..orders.states import GroupStatus, OrderStatus, move_group, move_order
from ..orders.tables import GroupStatusChange, Order, OrderGroup
from .context import DispatchContext

SYSTEM = "system"  # the actor of moves the shop makes by itself


def model_lines(group: OrderGroup, settings: dict | None = None) -> list[Line]:
    """The group's lines as its model sees them, each with its own product's settings
    (or all with `settings`, when the group is offered to another shipper)."""
    return [
        Line(
            variant_id=ln.variant_id,
            sku=ln.sku,
            product_id=ln.product_id,
            brand_id=ln.brand_id,
            quantity=ln.quantity,
            settings=settings
            if settings is not None
            else (ln.model_settings or group.model_settings),
            origin_country=group.ship_from,
        )
        for ln in group.lines
    ]


def model_group(group: OrderGroup) -> Group:
    return Group(
        id=group.id,
        shipper=ShipperRef.parse(group.shipper),
        order_id=group.order_id,
        lines=model_lines(group),
        settings=group.model_settings,
        started=group.status != GroupStatus.AWAITING_PAYMENT,
    )


def _start(group: OrderGroup, context: DispatchContext) -> None:
    """The group's model sets its shipper to work; a model that set nothing in motion
    (a plug-in's) leaves the group waiting for its shipper, who acts on it as any other."""
    model = registry().get(group.selling_model)
    model.start_fulfilment(model_group(group), HoldRef(group.id), context)
    if group.status in (GroupStatus.AWAITING_PAYMENT, GroupStatus.REJECTED):
        move_group(group, GroupStatus.AWAITING_SHIPPER, "waiting for its shipper", SYSTEM)


def mark_paid(order: Order, *, notify_buyer: bool = True, paid: Money | None = None) -> None:
    """The payment is confirmed: each group's model sets its shipper to work. The buyer is
    mailed "payment received" for `paid` (the order's total unless a part of it, such as a
    deposit, was paid) unless `notify_buyer` is False (terms that start fulfilment with
    nothing paid, net terms or a letter of credit, write their own mail)."""
    move_order(order, OrderStatus.PAID)
    order.paid_at = clock.now()
    context = DispatchContext()
    for group in order.groups:
        _start(group, context)
    db.session.flush()
    if notify_buyer:
        notices.payment_received(order, paid)
    for group in order.groups:
        if group.status not in (GroupStatus.CANCELLED, GroupStatus.REJECTED):
            notices.new_work(group)


def start_group(group: OrderGroup) -> None:
    """Set one more group of a paid order in motion (an exchange's new piece): its model
    sets its shipper to work, as at payment."""
    _start(group, DispatchContext())
    db.session.flush()
    notices.new_work(group)


def cancel_group(group: OrderGroup, note: str = "", actor: str = SYSTEM) -> None:
    """Call a group's shipper back: held or taken stock goes back, work stops, a supplier
    that had the group hears of it (one that never had it hears nothing)."""
    model = registry().get(group.selling_model)
    model.cancel(model_group(group), HoldRef(group.id), DispatchContext())
    move_group(group, GroupStatus.CANCELLED, note, actor)


def cancel_order(order: Order, note: str = "", actor: str = SYSTEM) -> None:
    """Cancel an order whose goods have not left (InvalidTransition otherwise)."""
    move_order(order, OrderStatus.CANCELLED)
    for group in order.groups:
        if group.status in (GroupStatus.CANCELLED, GroupStatus.REJECTED):
            continue
        cancel_group(group, note, actor)
    db.session.flush()


def reroute(group: OrderGroup, candidates: list[tuple[str, dict]]) -> bool:
    """Offer a rejected group to the first of `candidates` ((model code, settings)) that
    can ship every line to the buyer; it keeps the prices the buyer paid. True when one
    took it (it is at its new shipper's first step), False when none can."""
    context = DispatchContext()
    destination = Destination(group.order.country)
    models = registry()
    for code, settings in candidates:
        if code not in models:
            continue
        model = models.get(code)
        try:  # settings this model would refuse on a product are no offer either
            settings = model.check_settings(settings, context)
        except SettingsError:
            continue
        lines = model_lines(group, settings)
        quotes = [model.quote(line, destination, context) for line in lines]
        shippers = {str(q.shipper) for q in quotes}
        if not all(q.available for q in quotes) or len(shippers) != 1:
            continue
        if shippers == {group.shipper}:
            continue
        try:
            with db.session.begin_nested():
                model.reserve(lines, destination, HoldRef(group.id), context)
        except NotAvailable:
            continue
        previous = group.shipper
        group.selling_model = code
        group.model_settings = settings
        group.shipper = shippers.pop()
        group.ship_from = quotes[0].ship_from
        for line in group.lines:
            line.model_settings = settings
        db.session.flush()
        db.session.add(
            GroupStatusChange(
                group_id=group.id,
                from_status=group.status,
                to_status=group.status,
                note=f"re-routed from {previous} to {group.shipper}",
                actor=SYSTEM,
            )
        )
        _start(group, context)
        db.session.flush()
        return True
    return False


def release_expired(now: datetime.datetime | None = None) -> int:
    """Cancel unpaid orders whose stock hold ran out, or whose bank transfer did not
    arrive by its deadline (an order of made-to-order goods holds no stock); returns
    how many."""
    now = now or clock.now()
    references = db.session.scalars(
        select(StockReservation.reference)
        .where(StockReservation.state == "held", StockReservation.expires_at < now)
        .distinct()
    ).all()
    holds = [HoldRef.parse(reference) for reference in references]
    group_ids = [hold.group_id for hold in holds if hold is not None]
    transfer_overdue = and_(Order.payment_method == BANK_TRANSFER, Order.transfer_due_at < now)
    held = select(OrderGroup.order_id).where(OrderGroup.id.in_(group_ids))
    # ids, not DISTINCT over the rows: PostgreSQL cannot compare the JSON columns
    orders = db.session.scalars(
        select(Order)
        .where(
            or_(Order.id.in_(held), transfer_overdue),
            Order.status == OrderStatus.PENDING_PAYMENT,
        )
        .order_by(Order.id)
    ).all()
    for order in orders:
        if order.payment_method == BANK_TRANSFER:
            cancel_order(order, "bank transfer did not arrive by its deadline")
        else:
            cancel_order(order, "stock hold expired before payment")
    return len(orders)
