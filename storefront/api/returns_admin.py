"""Deciding on returns: in the admin API staff decide on every return, an agent company or
a supplier on its own groups' returns only (any other is not found); a supplier also under
`/api/v1/supplier/returns/...` with its key, idempotent as the rest of the supplier API.
The list (`GET /admin/returns`, `GET /supplier/returns`) holds the returns the key may see,
filtered like the back office's queue and paged by `page`."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from flask import jsonify, request

from ..admin.paging import page_of
from ..db import db
from ..delivery.operations import Actor
from ..payments.stripe_gateway import GatewayError
from ..request_checks import MAX_INT
from ..returns import charges
from ..returns import operations as returns
from ..returns.approval import approve_as_answered
from ..returns.inspection import inspect
from ..returns.queries import LONGEST_AGE_DAYS, read_filters, visible_returns
from ..returns.tables import REASONS, ReturnRequest, ReturnStatus
from .errors import ApiError, json_object
from .returns import return_json
from .shipping import work_actor
from .spec import operation, query_param
from .supplier import bp as supplier_bp
from .supplier import idempotent
from .views import bp

_DECIDE = (400, 401, 403, 404, 409)
PAGE_SIZE = 50
_FILTERS = [
    query_param("status", "Only returns in this status", schema={"enum": list(ReturnStatus)}),
    query_param("shipper", 'Only returns of groups this party shipped, like "agent:milano" '
                "(staff keys; others see only their own)"),
    query_param("reason", "Only returns for this reason", schema={"enum": list(REASONS)}),
    query_param("older_than_days", "Only returns asked at least this many days ago",
                schema={"type": "integer", "minimum": 0, "maximum": LONGEST_AGE_DAYS}),
    query_param("page", "The page, from 1 (50 returns a page, newest first)",
                schema={"type": "integer", "minimum": 1, "maximum": MAX_INT}),
]  # fmt: skip


def _listing():
    actor = work_actor()
    rows, page, pages = page_of(visible_returns(actor, read_filters(request.args, actor)),
                                PAGE_SIZE)  # fmt: skip
    return jsonify(items=[return_json(r) for r in rows], page=page, pages=pages)


@bp.get("/admin/returns")
@operation(
    "Returns the key may see (staff: all; an agent or supplier: its own groups'), newest "
    "first, filtered by status, shipper, reason and age",
    tags=["returns"],
    query=_FILTERS,
    response="ReturnPage",
    errors=(400, 401, 403),
    security="bearer",
)
def admin_returns():
    return _listing()


@supplier_bp.get("/returns")
@operation(
    "The returns of the supplier's groups, newest first, filtered by status, reason and age",
    tags=["suppliers"],
    query=_FILTERS,
    response="ReturnPage",
    errors=(400, 401, 403),
    security="bearer",
)
def supplier_returns():
    return _listing()


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


@supplier_bp.get("/returns/<rma>")
@operation(
    "A return of one of the supplier's groups, with its lines and timeline",
    tags=["suppliers"],
    response="Return",
    errors=(401, 403, 404),
    security="bearer",
)
def supplier_return(rma: str):
    return jsonify(return_json(returns.return_for(work_actor(), rma)))


def _refund(request: ReturnRequest, actor: Actor) -> None:
    try:
        returns.refund(request, actor)
    except GatewayError:  # nothing was given back nor changed: try again later
        raise ApiError(
            502, "refund_unavailable", f"Stripe did not refund return {request.rma}: try again."
        ) from None


def _inspect(request: ReturnRequest, actor: Actor, body: dict) -> None:
    inspect(request, actor, body.get("lines"), body.get("note"))


@dataclass(frozen=True)
class Step:
    name: str
    summary: str
    run: Callable[[ReturnRequest, Actor], object]
    body: str | None = None
    errors: tuple[int, ...] = _DECIDE
    suppliers: bool = True  # also under /api/v1/supplier/returns/<rma>/


STEPS = (
    Step("approve", "Approve a requested return: the buyer sends the goods to the route's "
         "shipper (or to the address given), or keeps them when refunded without a return",
         lambda request, actor: approve_as_answered(request, actor, json_object(empty=True)),
         "ReturnApproveRequest", (*_DECIDE, 422)),
    Step("refuse", "Refuse a requested return with a reason the buyer reads",
         lambda request, actor: returns.refuse(
             request, actor, json_object(empty=True).get("reason")),
         "ReturnRefuseRequest", (*_DECIDE, 422)),
    Step("received", "The approved return's goods arrived at its shipper", returns.received),
    Step("inspect", "What became of each received line (restock, write-off, rework, relist, "
         "accepted: as the group's selling model offers)",
         lambda request, actor: _inspect(request, actor, json_object()),
         "ReturnInspectRequest", (*_DECIDE, 422)),
    # it commits around Stripe: not under the supplier API's one commit per request
    Step("refund", "Refund a received return (or an approved one nothing comes back of): its "
         "parts' total, a partial refund of the order's card payment, or owed to pay by hand "
         "for a bank transfer", _refund,
         errors=(*_DECIDE, 502), suppliers=False),
    Step("paid", "Staff paid a bank-transfer order's refund out by hand: it is owed no "
         "more", returns.paid_by_hand, suppliers=False),
)  # fmt: skip


def _admin_view(step: Step):
    def view(rma: str):
        actor = work_actor()
        request = returns.return_for(actor, rma)
        step.run(request, actor)
        db.session.commit()
        charges.give_back_refused()  # a refused exchange's paid difference, around Stripe
        return jsonify(return_json(request))

    return view


def _supplier_view(step: Step):
    def view(rma: str):
        def run(_supplier):
            actor = work_actor()
            request = returns.return_for(actor, rma)
            step.run(request, actor)
            return 200, return_json(request)

        answer = idempotent(run)  # commits, and answers a repeat as the first
        charges.give_back_refused()
        return answer

    return view


for _step in STEPS:
    described = {
        "response": "Return",
        "body": _step.body,
        "errors": _step.errors,
        "security": "bearer",
    }
    bp.add_url_rule(
        f"/admin/returns/<rma>/{_step.name}",
        f"admin_return_{_step.name}",
        operation(_step.summary, tags=["returns"], **described)(_admin_view(_step)),
        methods=["POST"],
    )
    if _step.suppliers:
        supplier_bp.add_url_rule(
            f"/returns/<rma>/{_step.name}",
            f"supplier_return_{_step.name}",
            operation(_step.summary, tags=["suppliers"], **described)(_supplier_view(_step)),
            methods=["POST"],
        )
