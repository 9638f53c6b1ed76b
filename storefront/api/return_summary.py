"""The order's returns as the buyer's order JSON lists them (API.md "Orders after payment")."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from channels.money import Money

from ..db import db
from ..orders.tables import Order
from ..returns.tables import ReturnLine, ReturnRequest


def order_returns_json(order: Order) -> list[dict]:
    """Only a delivered parcel's goods can come back: an order none of whose parcels has
    arrived (a new one, as checkout answers it) has no returns to look for."""
    if not any(group.delivered_at is not None for group in order.groups):
        return []
    found = db.session.scalars(
        select(ReturnRequest)
        .where(ReturnRequest.order_id == order.id)
        .options(selectinload(ReturnRequest.lines).joinedload(ReturnLine.order_line))
        .order_by(ReturnRequest.created_at, ReturnRequest.id)
    )
    return [
        {
            "rma": request.rma,
            "status": request.status,
            "lines": [
                {"sku": line.order_line.sku, "quantity": line.quantity} for line in request.lines
            ],
            "refund": Money(request.refund_amount, request.currency).rounded().as_json(),
        }
        for request in found
    ]
