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
from ..delivery.views import WORKERS, signed_in_actor
from ..errors import InputError, flash_refusal
from ..fulfilment.warehouses import search_warehouses
from ..mount import render_template, url_for
from ..payments.stripe_gateway import GatewayError
from ..request_checks import page_number
from . import charges
from . import operations as returns
from .approval import approve_as_answered
from .inspection import inspect, outcomes_for, outcomes_of
from .money import kept_parts
from .photos import photo_urls, thumb_urls
from .queries import (
    ReturnFilterError,
    ReturnFilters,
    paged,
    read_filters,
    shippers_with_returns,
    visible_returns,
)
from .tables import REASONS, TRANSITIONS, Payout, ReturnRequest, ReturnStatus

bp = Blueprint("returns_work", __name__, url_prefix="/admin/returns")
portal_bp = Blueprint("returns_portal", __name__, url_prefix="/supplier/returns")

PER_PAGE = 30
STEPS = ("approve", "refuse", "received", "inspect", "refund", "paid")


def _is_supplier(actor: Actor) -> bool:
    return actor.party is not None and actor.party.kind == "supplier"


def steps_for(request_: ReturnRequest, actor: Actor) -> list[str]:
    """The decisions the return's status allows, as the worker's forms offer them. A
    supplier refunds nothing (the shop pays the buyer back), as in its API; only staff
    record a bank-transfer refund paid by hand."""
    allowed = TRANSITIONS.get(request_.status, ())
    steps = []
    # an exchange's difference the buyer still owes holds the approval back
    if ReturnStatus.APPROVED in allowed and charges.state(request_) != charges.OWED:
        steps.append("approve")
    if ReturnStatus.REFUSED in allowed:
        steps.append("refuse")
    if ReturnStatus.RECEIVED in allowed and request_.ship_to:
        steps.append("received")
    if ReturnStatus.INSPECTED in allowed and outcomes_for(request_):
        steps.append("inspect")
    if returns.refundable(request_) and not _is_supplier(actor):
        steps.append("refund")
    if request_.payout == Payout.BY_HAND and actor.is_staff:
        steps.append("paid")
    return steps


def _inspected_lines(request_: ReturnRequest) -> list[dict]:
    """The inspect form's answers as the service reads them: an outcome per line, and a
    restock's warehouse and note where given."""
    lines = []
    for line in request_.lines:
        sku = line.order_line.sku
        lines.append(
            {
                "sku": sku,
                "outcome": request.form.get(f"outcome-{line.id}", ""),
                "warehouse": request.form.get(f"warehouse-{line.id}") or None,
                "note": request.form.get(f"note-{line.id}", ""),
            }
        )
    return lines


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
    actor = signed_in_actor()
    if _is_supplier(actor):
        return redirect(url_for("returns_portal.queue", **request.args))
    return _queue(actor, "admin/base.html", "returns_work.queue")


@portal_bp.get("", endpoint="queue")
@roles_required(Role.SUPPLIER)
def portal_queue():
    """A supplier's own returns, in its portal."""
    return _queue(signed_in_actor(), "delivery/portal_base.html", "returns_portal.queue")


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
        charge=(charges.charge_of(found), charges.state(found)),
        steps=steps_for(found, actor),
        parts=kept_parts(found),
        photos=list(zip(thumb_urls(found), photo_urls(found), strict=True)),
        outcomes=outcomes_for(found),
        warehouses=(
            db.session.scalars(search_warehouses(include_archived=False)).all()
            if actor.is_staff
            else []
        ),
        kept_outcomes=outcomes_of(found),
        buyer=delivery.ship_to(found.group) if actor.is_staff else None,
        back=url_for("returns_portal.queue" if supplier else "returns_work.queue"),
        step_endpoint="returns_portal.step" if supplier else "returns_work.step",
    )


@bp.get("/<rma>")
@roles_required(*WORKERS)
def detail(rma: str):
    return _page(signed_in_actor(), rma)


@portal_bp.get("/<rma>", endpoint="detail")
@roles_required(Role.SUPPLIER)
def portal_detail(rma: str):
    return _page(signed_in_actor(), rma)


def _approval_answer() -> dict:
    """The approve form's answer: the shipper's own return address, or no return at all."""
    answer: dict = {}
    if request.form.get("refund_without_return"):
        answer["refund_without_return"] = True
    address = request.form.get("return_address", "").strip()
    if address:
        answer["return_address"] = address
    return answer


def _decide(actor: Actor, rma: str, step: str, detail_endpoint: str):
    if step not in STEPS:
        abort(404)
    if step == "refund" and _is_supplier(actor):
        abort(403)  # the shop pays the buyer back, as in the supplier API
    found = _found(actor, rma)
    back = redirect(url_for(detail_endpoint, rma=found.rma), 303)
    try:  # a step out of turn is refused by the service, saying why
        if step == "approve":
            approve_as_answered(found, actor, _approval_answer())
            message = (
                f"Return {found.rma} approved: the buyer sends the goods back."
                if found.ship_to
                else f"Return {found.rma} approved: refunded without a return."
            )
        elif step == "refuse":
            returns.refuse(found, actor, request.form.get("reason", ""))
            message = f"Return {found.rma} refused."
        elif step == "received":
            returns.received(found, actor)
            message = f"Return {found.rma} received."
        elif step == "inspect":
            inspect(found, actor, _inspected_lines(found), request.form.get("note", ""))
            message = f"Return {found.rma} inspected."
        elif step == "paid":
            returns.paid_by_hand(found, actor)
            message = f"Return {found.rma}: the refund is recorded as paid by hand."
        else:
            amount = returns.refund(found, actor)  # commits around Stripe
            message = (
                f"Return {found.rma}: {amount} is owed to the buyer, to pay by bank transfer."
                if found.payout == Payout.BY_HAND
                else f"Return {found.rma}: {amount} refunded to the buyer's card."
            )
    except GatewayError:
        db.session.rollback()
        flash(f"Stripe did not refund return {rma}: nothing changed, try again.", "error")
        return back
    except InputError as refusal:
        flash_refusal(refusal)
        return back
    db.session.commit()
    charges.give_back_refused()  # a refused exchange's paid difference, around Stripe
    flash(message, "success")
    return back


@bp.post("/<rma>/<step>")
@roles_required(*WORKERS)
def step(rma: str, step: str):
    return _decide(signed_in_actor(), rma, step, "returns_work.detail")


@portal_bp.post("/<rma>/<step>", endpoint="step")
@roles_required(Role.SUPPLIER)
def portal_step(rma: str, step: str):
    return _decide(signed_in_actor(), rma, step, "returns_portal.detail")
