"""Deciding on returns in the admin API: staff decide on every return, an agent company or
a supplier on its own groups' returns only (any other is not found)."""

from __future__ import annotations

from flask import jsonify

from ..db import db
from ..returns import operations as returns
from .errors import json_object
from .returns import return_json
from .shipping import work_actor
from .spec import operation
from .views import bp

_DECIDE = (400, 401, 403, 404, 409)


@bp.get("/admin/returns/<rma>")
@operation(
    "A return with its timeline (staff: any; an agent or supplier: its own)",
    tags=["returns"],
    response="Return",
    errors=(401, 403, 404),
    security="bearer",
)
def admin_return(rma: str):
    return jsonify(return_json(returns.return_for(work_actor(), rma)))


@bp.post("/admin/returns/<rma>/approve")
@operation(
    "Approve a requested return: the buyer sends the goods to the route's shipper",
    tags=["returns"],
    response="Return",
    errors=_DECIDE,
    security="bearer",
)
def approve_return(rma: str):
    actor = work_actor()
    request = returns.return_for(actor, rma)
    returns.approve(request, actor)
    db.session.commit()
    return jsonify(return_json(request))


@bp.post("/admin/returns/<rma>/refuse")
@operation(
    "Refuse a requested return with a reason the buyer reads",
    tags=["returns"],
    body="ReturnRefuseRequest",
    response="Return",
    errors=(*_DECIDE, 422),
    security="bearer",
)
def refuse_return(rma: str):
    actor = work_actor()
    request = returns.return_for(actor, rma)
    returns.refuse(request, actor, json_object(empty=True).get("reason"))
    db.session.commit()
    return jsonify(return_json(request))


@bp.post("/admin/returns/<rma>/received")
@operation(
    "The approved return's goods arrived at its shipper",
    tags=["returns"],
    response="Return",
    errors=_DECIDE,
    security="bearer",
)
def return_received(rma: str):
    actor = work_actor()
    request = returns.return_for(actor, rma)
    returns.received(request, actor)
    db.session.commit()
    return jsonify(return_json(request))


@bp.post("/admin/returns/<rma>/refund")
@operation(
    "Refund a received return (or an approved one nothing comes back of): the goods' price, "
    "a partial refund of the order's card payment",
    tags=["returns"],
    response="Return",
    errors=(*_DECIDE, 502),
    security="bearer",
)
def refund_return(rma: str):
    actor = work_actor()
    request = returns.return_for(actor, rma)
    returns.refund(request, actor)  # commits the claim; Stripe is asked with no lock held
    db.session.commit()
    return jsonify(return_json(request))
