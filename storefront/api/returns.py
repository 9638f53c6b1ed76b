"""Returns in Store API v1, for the buyer: ask to return delivered items of an order, and
follow the return (with the order's token, its signed link, or signed in as its buyer)."""

from __future__ import annotations

from flask import jsonify

from channels.money import Money

from ..db import db, iso_utc
from ..returns import operations as returns
from ..returns.tables import ReturnRequest
from .carts import buyers_order
from .errors import json_object
from .spec import operation
from .views import bp


def return_json(request: ReturnRequest) -> dict:
    return {
        "rma": request.rma,
        "order_number": request.order.number,
        "status": request.status,
        "reason": request.reason,
        "note": request.note,
        "resolution": request.resolution,
        "exchange_sku": request.exchange_sku or None,
        "ship_to": (
            {"shipper": request.ship_to, "address": request.return_address}
            if request.ship_to
            else None
        ),
        "instructions": request.instructions,
        "refund": Money(request.refund_amount, request.currency).rounded().as_json(),
        "refusal_reason": request.refusal_reason or None,
        "lines": [
            {"sku": line.order_line.sku, "quantity": line.quantity} for line in request.lines
        ],
        "created_at": iso_utc(request.created_at),
        "timeline": [
            {
                "from_status": change.from_status or None,
                "to_status": change.to_status,
                "note": change.note,
                "actor": change.actor,
                "at": iso_utc(change.changed_at),
            }
            for change in request.changes
        ],
    }


@bp.post("/orders/<number>/returns")
@operation(
    "Ask to return delivered items of one parcel: answers the RMA, where to send them and "
    "what would be refunded",
    tags=["buyers"],
    body="ReturnRequest",
    response="Return",
    errors=(400, 404, 422),
    security="bearer",
    status=201,
)
def request_return(number: str):
    body = json_object()
    order = buyers_order(number, lock=True)
    request = returns.request_return(
        order,
        body.get("lines"),
        body.get("reason"),
        body.get("note"),
        body.get("resolution"),
        body.get("exchange_sku"),
    )
    db.session.commit()
    return jsonify(return_json(request)), 201


@bp.get("/orders/<number>/returns/<rma>")
@operation(
    "A return of the order: its status and timeline",
    tags=["buyers"],
    response="Return",
    errors=(404,),
    security="bearer",
)
def get_return(number: str, rma: str):
    return jsonify(return_json(returns.buyers_return(buyers_order(number), rma)))
