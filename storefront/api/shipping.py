"""Shipping work in Store API v1: every step the back-office pages offer, for staff and
agents (`/api/v1/admin/...`, with their API key) and for suppliers
(`/api/v1/supplier/groups/...`, with the supplier's key, idempotent as the rest of the
supplier API). Each caller sees only the groups it may work on; any other is not found.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from flask import jsonify, request
from flask_babel import gettext

from ..db import db, iso_utc
from ..delivery import operations as delivery
from ..delivery.operations import Actor
from ..orders.states import GroupStatus
from ..orders.tables import OrderGroup, Shipment, TrackingEvent
from ..terms import cancelling
from .auth import api_user
from .errors import ApiError, json_object
from .spec import operation, query_param
from .supplier import bp as supplier_bp
from .supplier import idempotent
from .views import bp

GROUPS_LIMIT = 200


def work_actor() -> Actor:
    actor = delivery.actor_of(api_user())
    if actor is None:
        raise ApiError(403, "forbidden", gettext("This key may not do shipping work."))
    return actor


def shipment_json(shipment: Shipment) -> dict:
    return {
        "id": shipment.id,
        "carrier": shipment.carrier_name,
        "carrier_code": shipment.carrier_code,
        "tracking_number": shipment.tracking_number,
        "tracking_url": shipment.tracking_url or None,
        "parcels": shipment.parcels,
        "shipped_at": iso_utc(shipment.shipped_at),
        "delivered_at": iso_utc(shipment.delivered_at),
        "lines": shipment.lines,
    }


def group_json(group: OrderGroup) -> dict:
    """A group as its shipper (or staff) sees it, ship-to included."""
    return {
        "id": group.id,
        "order_number": group.order.number,
        "selling_model": group.selling_model,
        "shipper": group.shipper,
        "status": group.status,
        "eta": {"min_days": group.eta_min_days, "max_days": group.eta_max_days},
        "shipping_method": group.shipping_method,
        "lines": [{"sku": ln.sku, "name": ln.name, "quantity": ln.quantity} for ln in group.lines],
        "left_to_ship": [
            {"sku": sku, "quantity": n} for sku, n in delivery.remaining(group).items() if n > 0
        ],
        "ship_to": delivery.ship_to(group),
        "shipments": [shipment_json(s) for s in group.shipments],
        "refund_state": group.refund_state or None,
    }


def _tracking_json(event: TrackingEvent) -> dict:
    return {
        "id": event.id,
        "shipment_id": event.shipment_id,
        "status": event.status,
        "occurred_at": iso_utc(event.occurred_at),
        "description": event.description,
        "location": event.location,
    }


# the steps, shared by both APIs ------------------------------------------------------------


def _accept(group: OrderGroup, actor: Actor) -> tuple[int, dict]:
    delivery.accept(group, actor)
    return 200, group_json(group)


def _reject(group: OrderGroup, actor: Actor) -> tuple[int, dict]:
    rejection = delivery.reject(group, actor, json_object(empty=True).get("reason"))
    return 200, {
        **group_json(group),
        "rerouted": rejection.rerouted,
        "refund": rejection.refund.as_json() if rejection.refund else None,
    }


def _ship(group: OrderGroup, actor: Actor) -> tuple[int, dict]:
    body = json_object(empty=True)
    shipment = delivery.ship(
        group,
        actor,
        carrier=body.get("carrier"),
        tracking_number=body.get("tracking_number"),
        tracking_url=body.get("tracking_url") or "",
        lines=body.get("lines"),
        parcels=body.get("parcels", 1),
    )
    return 201, {**shipment_json(shipment), "group_id": group.id, "group_status": group.status}


def _delivered(group: OrderGroup, actor: Actor) -> tuple[int, dict]:
    delivery.deliver(group, actor, json_object(empty=True).get("delivered_at"))
    return 200, group_json(group)


def _tracking(group: OrderGroup, actor: Actor, shipment_id: int) -> tuple[int, dict]:
    body = json_object(empty=True)
    event = delivery.track(
        delivery.shipment_of(group, shipment_id),
        actor,
        status=body.get("status"),
        occurred_at=body.get("occurred_at"),
        description=body.get("description") or "",
        location=body.get("location") or "",
    )
    return 201, {**_tracking_json(event), "group_status": group.status}


def _picked(group: OrderGroup, actor: Actor) -> tuple[int, dict]:
    delivery.picked(group, actor)
    return 200, group_json(group)


def _packed(group: OrderGroup, actor: Actor) -> tuple[int, dict]:
    delivery.packed(group, actor, json_object(empty=True).get("parcels"))
    return 200, group_json(group)


def _qc(group: OrderGroup, actor: Actor) -> tuple[int, dict]:
    body = json_object(empty=True)
    passed = body.get("passed")
    if not isinstance(passed, bool):
        raise ApiError(400, "invalid_passed", "passed must be true or false.", "passed")
    result = delivery.inspect(
        group,
        actor,
        passed=passed,
        inspector=body.get("inspector") if isinstance(body.get("inspector"), str) else "",
        notes=body.get("notes") if isinstance(body.get("notes"), str) else "",
        outcome=body.get("outcome") if isinstance(body.get("outcome"), str) else None,
    )
    inspection = result.inspection
    return 201, {
        **group_json(group),
        "inspection": {
            "id": inspection.id,
            "passed": inspection.passed,
            "inspector": inspection.inspector,
            "notes": inspection.notes,
            "outcome": inspection.outcome,
        },
    }


# the routes: each step under the admin API, and the shipper's own under the supplier API --

_GROUP = "/admin/orders/<number>/groups/<int:group_id>"
_WORK = (400, 401, 403, 404, 409)


@dataclass(frozen=True)
class Step:
    path: str  # after .../groups/<id>/
    name: str
    summary: str
    run: Callable[..., tuple[int, dict]]
    response: str
    body: str | None = None
    errors: tuple[int, ...] = _WORK
    suppliers: bool = True  # also under /api/v1/supplier/groups/<id>/
    status: int = 200  # 201: the step records something new (a shipment, an inspection)


STEPS = (
    Step("accept", "accept", "Accept a group routed to the caller", _accept, "ShippingGroup"),
    Step(
        "reject",
        "reject",
        "Reject a group with a reason: another shipper takes it, or its share is refunded",
        _reject,
        "Rejection",
        "RejectRequest",
    ),
    Step("picked", "picked", "Own stock: the group is picked", _picked, "ShippingGroup",
         suppliers=False),
    Step("packed", "packed", "Own stock: the group is packed, ready to ship", _packed,
         "ShippingGroup", suppliers=False),
    Step(
        "qc",
        "qc",
        "Self-produced: record the group's quality inspection (a failed one goes back to "
        "production)",
        _qc,
        "QcResult",
        "QcRequest",
        suppliers=False,
        status=201,
    ),
    Step(
        "shipments",
        "ship",
        "Ship the group, or part of it, with the carrier's tracking number",
        _ship,
        "ShipmentResult",
        "ShipmentRequest",
        (*_WORK, 422),
        status=201,
    ),
    Step(
        "delivered",
        "delivered",
        "The whole group was delivered (on `delivered_at`, default now)",
        _delivered,
        "ShippingGroup",
        "DeliveredRequest",
    ),
    Step(
        "shipments/<int:shipment_id>/tracking",
        "tracking",
        "A carrier's tracking update of a shipment (`delivered` delivers it)",
        _tracking,
        "TrackingResult",
        "TrackingRequest",
        status=201,
    ),
)  # fmt: skip


def _admin_view(step: Step):
    def view(number: str, group_id: int, **ids):
        actor = work_actor()
        group = delivery.group_for(actor, group_id, number)
        status, body = step.run(group, actor, *ids.values())
        db.session.commit()
        if step.run is _reject:
            body = {**body, "refund_state": delivery.refund_owed(group_id)}
        return jsonify(body), status

    return view


def _supplier_view(step: Step):
    def view(group_id: int, **ids):
        def run(_supplier):
            actor = work_actor()
            return step.run(delivery.group_for(actor, group_id), actor, *ids.values())

        response, status = idempotent(run)  # commits, and answers a repeat as the first
        if step.run is _reject and status == 200:
            delivery.refund_owed(group_id)
        return response, status

    return view


for _step in STEPS:
    described = {
        "response": _step.response,
        "body": _step.body,
        "errors": _step.errors,
        "security": "bearer",
        "status": _step.status,
    }
    bp.add_url_rule(
        f"{_GROUP}/{_step.path}",
        f"admin_{_step.name}",
        operation(_step.summary, tags=["shipping"], **described)(_admin_view(_step)),
        methods=["POST"],
    )
    if _step.suppliers:
        supplier_bp.add_url_rule(
            f"/groups/<int:group_id>/{_step.path}",
            f"supplier_{_step.name}",
            operation(_step.summary, tags=["suppliers"], **described)(_supplier_view(_step)),
            methods=["POST"],
        )


@bp.get("/admin/groups")
@operation(
    "Groups the caller works on (staff: all; an agent: its own), oldest first, with ship-to",
    tags=["shipping"],
    query=[
        query_param(
            "status",
            "Group status",
            schema={"type": "string", "enum": [s.value for s in GroupStatus]},
        ),
        query_param("shipper", "A shipper reference, e.g. warehouse:sz or agent:milano"),
    ],
    response="ShippingGroupList",
    errors=(400, 401, 403),
    security="bearer",
)
def admin_groups():
    actor = work_actor()
    status = request.args.get("status") or None
    if status is not None and status not in set(GroupStatus):
        raise ApiError(
            400, "unknown_status", gettext("Unknown status %(status)s.", status=status), "status"
        )
    groups = delivery.work_queue(actor, status, request.args.get("shipper") or None, GROUPS_LIMIT)
    return jsonify(items=[group_json(g) for g in groups])


@bp.post("/admin/orders/<number>/cancel")
@operation(
    "Cancel an order none of whose goods have left (stock returns; a paid order is refunded)",
    tags=["shipping"],
    body="CancelRequest",
    response="CancelResult",
    errors=(400, 401, 403, 404, 409),
    security="bearer",
)
def admin_cancel(number: str):
    actor = work_actor()
    order = delivery.order_for(actor, number)
    owed = delivery.cancel_paid_order(order, actor, json_object(empty=True).get("reason") or "")
    db.session.commit()
    refunded = None
    if owed is not None:
        refunded = delivery.refund_cancelled(order)
    by_transfer = cancelling.owed_by_transfer(order)
    return jsonify(
        number=order.number,
        status=order.status,
        refund=refunded.as_json() if refunded else None,
        owed_by_transfer=by_transfer.as_json() if by_transfer else None,
    )


# suppliers -----------------------------------------------------------------------------------


@supplier_bp.get("/groups")
@operation(
    "The supplier's open and recent groups, oldest first, with ship-to",
    tags=["suppliers"],
    query=[
        query_param(
            "status",
            "Group status",
            schema={"type": "string", "enum": [s.value for s in GroupStatus]},
        ),
    ],
    response="ShippingGroupList",
    errors=(400, 401, 403),
    security="bearer",
)
def supplier_groups():
    return admin_groups()
