"""Export documents of a group (or of a later shipment of it) as PDF: staff and the
group's agent under the admin API, a supplier under the supplier API for its own groups
(any other group, or a shipment of another group, is not found)."""

from __future__ import annotations

from flask import Response, request
from flask_babel import gettext

from ..db import db
from ..delivery import operations as delivery
from ..documents import operations as documents
from ..documents import render
from ..orders.states import GroupStatus
from ..orders.tables import OrderGroup, Shipment
from .shipping import work_actor
from .spec import operation, query_param
from .supplier import bp as supplier_bp
from .views import bp

_DESCRIBED = {
    "query": [
        query_param(
            "lang",
            "Print the headings in English and this language side by side (en, de, fr, es, "
            "ja, zh_Hans, ar)",
        )
    ],
    "errors": (400, 401, 403, 404, 409),
    "security": "bearer",
    "response_type": "application/pdf",
}
_SUMMARY = (
    "An export document of the group as PDF: commercial-invoice, packing-list, and cn22 or "
    "cn23 (the one the goods' value in SDR calls for; the other answers 409 naming it)"
)


def _group(group_id: int, number: str | None = None) -> OrderGroup:
    actor = work_actor()
    group = db.session.get(OrderGroup, group_id)
    if (
        group is None
        or (number is not None and group.order.number != number)
        or group.status == GroupStatus.AWAITING_PAYMENT
        or not delivery.may_act(actor, group)
    ):
        raise delivery.NotYours(gettext("There is no order group %(id)s.", id=group_id))
    return group


_SHIPMENT_SUMMARY = (
    "An export document of a later shipment of the group as PDF, of that shipment's lines "
    "and parcels: commercial-invoice, packing-list, and cn22 or cn23 (the group's first "
    "shipment has none of its own: 409 first_shipment)"
)


def _shipment(group: OrderGroup, shipment_id: int) -> Shipment:
    shipment = db.session.get(Shipment, shipment_id)
    if shipment is None or shipment.group_id != group.id:
        raise delivery.NotYours(
            f"There is no shipment {shipment_id} of order group {group.id}.",
            "shipment_not_found",
            "shipment_id",
        )
    return shipment


def _pdf(group: OrderGroup, kind: str, shipment: Shipment | None = None) -> Response:
    lang = render.language(request.args.get("lang"))
    document = documents.document_for(group, kind, shipment)
    return Response(
        render.pdf(document, lang),
        mimetype="application/pdf",
        headers={"Content-Disposition": f'inline; filename="{render.filename(document)}"'},
    )


@bp.get("/admin/orders/<number>/groups/<int:group_id>/documents/<kind>.pdf")
@operation(_SUMMARY, tags=["shipping"], **_DESCRIBED)
def admin_document(number: str, group_id: int, kind: str):
    return _pdf(_group(group_id, number), kind)


@supplier_bp.get("/groups/<int:group_id>/documents/<kind>.pdf")
@operation(_SUMMARY, tags=["suppliers"], **_DESCRIBED)
def supplier_document(group_id: int, kind: str):
    return _pdf(_group(group_id), kind)


@bp.get(
    "/admin/orders/<number>/groups/<int:group_id>/shipments/<int:shipment_id>/documents/<kind>.pdf"
)
@operation(_SHIPMENT_SUMMARY, tags=["shipping"], **_DESCRIBED)
def admin_shipment_document(number: str, group_id: int, shipment_id: int, kind: str):
    group = _group(group_id, number)
    return _pdf(group, kind, _shipment(group, shipment_id))


@supplier_bp.get("/groups/<int:group_id>/shipments/<int:shipment_id>/documents/<kind>.pdf")
@operation(_SHIPMENT_SUMMARY, tags=["suppliers"], **_DESCRIBED)
def supplier_shipment_document(group_id: int, shipment_id: int, kind: str):
    group = _group(group_id)
    return _pdf(group, kind, _shipment(group, shipment_id))
