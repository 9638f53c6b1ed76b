"""Paying and cancelling orders: each group's selling model sets its shipper to work, or
calls it back. Services flush and never commit."""

from __future__ import annotations

import datetime

from sqlalchemy import and_, or_, select

from models_ import Group, HoldRef, Line, ShipperRef

from .. import clock
from ..db import db
from ..fulfilment import registry
from ..fulfilment.tables import StockReservation
from ..orders.operations import BANK_TRANSFER
from ..orders.states import GroupStatus, OrderStatus, move_group, move_order
from ..orders.tables import Order, OrderGroup
from .context import DispatchContext


def model_group(group: OrderGroup) -> Group:
    lines = [
        Line(
            variant_id=ln.variant_id,
            sku=ln.sku,
            product_id=ln.product_id,
            brand_id=ln.brand_id,
            quantity=ln.quantity,
            settings=group.model_settings,
            origin_country=group.ship_from,
        )
        for ln in group.lines
    ]
    return Group(
        id=group.id,
        shipper=ShipperRef.parse(group.shipper),
        order_id=group.order_id,
        lines=lines,
        settings=group.model_settings,
    )


def mark_paid(order: Order) -> None:
    """The payment is confirmed: each group's model sets its shipper to work."""
    move_order(order, OrderStatus.PAID)
    context = DispatchContext()
    for group in order.groups:
        model = registry().get(group.selling_model)
        model.start_fulfilment(model_group(group), HoldRef(group.id), context)
    db.session.flush()


def cancel_order(order: Order, note: str = "") -> None:
    move_order(order, OrderStatus.CANCELLED)
    context = DispatchContext()
    for group in order.groups:
        if group.status in (GroupStatus.CANCELLED, GroupStatus.REJECTED):
            continue
        registry().get(group.selling_model).cancel(model_group(group), HoldRef(group.id), context)
        move_group(group, GroupStatus.CANCELLED, note)
    db.session.flush()


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
    orders = db.session.scalars(
        select(Order)
        .join(OrderGroup)
        .where(
            or_(OrderGroup.id.in_(group_ids), transfer_overdue),
            Order.status == OrderStatus.PENDING_PAYMENT,
        )
        .distinct()
    ).all()
    for order in orders:
        if order.payment_method == BANK_TRANSFER:
            cancel_order(order, "bank transfer did not arrive by its deadline")
        else:
            cancel_order(order, "stock hold expired before payment")
    return len(orders)
