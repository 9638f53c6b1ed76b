"""Returns in the back office and the supplier portal: the queue of the returns the signed-in
worker may see (staff: all; an agent: its company's groups'; a supplier, in its portal: its
own), filtered and paged, and each return's page with its timeline and the decisions its
status allows. Every decision goes through `returns.operations`, as the admin API's do.

The buyer's address and e-mail stay on staff's pages: an agent or a supplier sees what
comes back and where to, not who sent it."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, request

from channels.money import Money

from ..accounts import roles_required
from ..accounts.tables import Role
from ..db import db
from ..delivery import operations as delivery
from ..delivery.operations import Actor
from ..delivery.views import WORKERS, _actor
from ..errors import InputError, flash_refusal
from ..mount import render_template, url_for
from ..payments.stripe_gateway import GatewayError
from ..request_checks import page_number
from . import operations as returns
from .queries import (
    ReturnFilterError,
    ReturnFilters,
    paged,
    read_filters,
    shippers_with_returns,
    visible_returns,
)
from .tables import REASONS, TRANSITIONS, ReturnRequest, ReturnStatus

bp = Blueprint("returns_work", __name__, url_prefix="/admin/returns")
portal_bp = Blueprint("returns_portal", __name__, url_prefix="/supplier/returns")

PER_PAGE = 30
STEPS = ("approve", "refuse", "received", "refund")


def _is_supplier(actor: Actor) -> bool:
    return actor.party is not None and actor.party.kind == "supplier"


def steps_for(request_: ReturnRequest, actor: Actor) -> list[str]:
    """The decisions the return's status allows, as the worker's forms offer them. A
    supplier refunds nothing (the shop pays the buyer back), as in its API."""
    allowed = TRANSITIONS.get(request_.status, ())
    steps = []
    if ReturnStatus.APPROVED in allowed:
        steps.append("approve")
    if ReturnStatus.REFUSED in allowed:
        steps.append("refuse")
    if ReturnStatus.RECEIVED in allowed and request_.ship_to:
        steps.append("received")
    ready = ReturnStatus.RECEIVED if request_.ship_to else ReturnStatus.APPROVED
    if request_.status == ready and request_.resolution == "refund" and not _is_supplier(actor):
        steps.append("refund")
    return steps


def _queue(actor: Actor, layout: str, list_endpoint: str):
    status = 200
    try:
        filters = read_filters(request.args, actor)
    except ReturnFilterError as refused:
        flash(refused.message, "error")
        filters, status = ReturnFilters(), 400
    page = page_number()
    rows, pages = paged(visible_returns(actor, filters), page, PER_PAGE)
    return render_template(
        "returns/queue.html",
        layout=layout,
        actor=actor,
        rows=rows,
        page=page,
        pages=pages,
        filters=filters,
        statuses=list(ReturnStatus),
        reasons=REASONS,
        shippers=shippers_with_returns() if actor.is_staff else [],
        list_endpoint=list_endpoint,
        detail_endpoint="returns_portal.detail" if _is_supplier(actor) else "returns_work.detail",
        money=_money,
    ), status


def _money(request_: ReturnRequest) -> Money:
    return Money(request_.refund_amount, request_.currency).rounded()


@bp.get("")
@roles_required(*WORKERS)
def queue():
    """The returns the worker may see, newest first."""
    actor = _actor()
    if _is_supplier(actor):
        return redirect(url_for("returns_portal.queue", **request.args))
    return _queue(actor, "admin/base.html", "returns_work.queue")


@portal_bp.get("", endpoint="queue")
@roles_required(Role.SUPPLIER)
def portal_queue():
    """A supplier's own returns, in its portal."""
    return _queue(_actor(), "delivery/portal_base.html", "returns_portal.queue")


def _found(actor: Actor, rma: str) -> ReturnRequest:
    try:
        return returns.return_for(actor, rma)
    except returns.ReturnNotFound:
        abort(404)


def _page(actor: Actor, rma: str):
    found = _found(actor, rma)
    supplier = _is_supplier(actor)
    return render_template(
        "returns/detail.html",
        layout="delivery/portal_base.html" if supplier else "admin/base.html",
        actor=actor,
        found=found,
        refund=_money(found),
        steps=steps_for(found, actor),
        buyer=delivery.ship_to(found.group) if actor.is_staff else None,
        back=url_for("returns_portal.queue" if supplier else "returns_work.queue"),
        step_endpoint="returns_portal.step" if supplier else "returns_work.step",
    )


@bp.get("/<rma>")
@roles_required(*WORKERS)
def detail(rma: str):
    return _page(_actor(), rma)


@portal_bp.get("/<rma>", endpoint="detail")
@roles_required(Role.SUPPLIER)
def portal_detail(rma: str):
    return _page(_actor(), rma)


def _decide(actor: Actor, rma: str, step: str, detail_endpoint: str):
    if step not in STEPS:
        abort(404)
    if step == "refund" and _is_supplier(actor):
        abort(403)  # the shop pays the buyer back, as in the supplier API
    found = _found(actor, rma)
    back = redirect(url_for(detail_endpoint, rma=found.rma), 303)
    try:  # a step out of turn is refused by the service, saying why
        if step == "approve":
            returns.approve(found, actor)
            message = f"Return {found.rma} approved: the buyer sends the goods back."
        elif step == "refuse":
            returns.refuse(found, actor, request.form.get("reason", ""))
            message = f"Return {found.rma} refused."
        elif step == "received":
            returns.received(found, actor)
            message = f"Return {found.rma} received."
        else:
            amount = returns.refund(found, actor)  # commits around Stripe
            message = f"Return {found.rma}: {amount} refunded to the buyer's card."
    except GatewayError:
        db.session.rollback()
        flash(f"Stripe did not refund return {rma}: nothing changed, try again.", "error")
        return back
    except InputError as refusal:
        flash_refusal(refusal)
        return back
    db.session.commit()
    flash(message, "success")
    return back


@bp.post("/<rma>/<step>")
@roles_required(*WORKERS)
def step(rma: str, step: str):
    return _decide(_actor(), rma, step, "returns_work.detail")


@portal_bp.post("/<rma>/<step>", endpoint="step")
@roles_required(Role.SUPPLIER)
def portal_step(rma: str, step: str):
    return _decide(_actor(), rma, step, "returns_portal.detail")
