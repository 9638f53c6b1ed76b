"""Shipping work in the back office and the supplier portal: each shipper's queue, a
group's page with its history, the step forms, and a printable pick list per warehouse.

Staff see every group; an agent its own company's; a supplier (in its portal) its own.
Every step goes through `delivery.operations`, as the API's do.
"""

from __future__ import annotations

import datetime

from flask import Blueprint, Response, abort, flash, redirect, request
from sqlalchemy import select

from .. import clock
from ..accounts import STAFF_ROLES, roles_required
from ..accounts.current import current_user
from ..accounts.tables import Role
from ..db import db
from ..documents import operations as documents
from ..documents import render as document_pdf
from ..errors import InputError, flash_refusal
from ..fulfilment.tables import PickTask, Supplier, Warehouse
from ..mount import render_template, url_for
from ..orders.states import GroupStatus
from ..orders.tables import GroupStatusChange, Order, OrderGroup, Shipment
from ..payments.stripe_gateway import GatewayError
from ..production.tables import ProductionOrder
from ..request_checks import whole_number
from ..shipping.carriers import OTHER, carriers
from ..terms import cancelling
from ..webhooks.service_levels import late_deliveries, open_groups
from . import operations as delivery
from .operations import Actor

bp = Blueprint("delivery", __name__, url_prefix="/admin/shipping-work")
portal_bp = Blueprint("supplier_portal", __name__, url_prefix="/supplier")

WORKERS = (Role.OWNER, Role.STAFF, Role.AGENT, Role.SUPPLIER)
STEPS = ("accept", "reject", "picked", "packed", "ship", "delivered", "track")
# The queue's sections, in the order work flows.
SECTIONS = (
    ("to-accept", "To accept or reject", (GroupStatus.AWAITING_SHIPPER,)),
    ("to-pick", "To pick and pack", (GroupStatus.PICKING, GroupStatus.PACKING)),
    ("in-production", "In production (quality control passes them)", (GroupStatus.IN_PRODUCTION,)),
    ("to-ship", "To ship", (GroupStatus.READY_TO_SHIP, GroupStatus.PARTIALLY_SHIPPED)),
    ("on-the-way", "On the way", (GroupStatus.SHIPPED,)),
)


def signed_in_actor() -> Actor:
    actor = delivery.actor_of(current_user)
    if actor is None:
        abort(403)
    return actor


def _queue_page(actor: Actor, template: str, **extra):
    groups = delivery.work_queue(actor)
    mine = {g.id for g in groups}
    now = clock.now()
    due = {d.group.id: d for d in open_groups() if d.group.id in mine}
    # the same rows tell what is overdue; only late deliveries need a read of their own
    late = {i: d for i, d in due.items() if d.is_overdue(now)}
    late.update((d.group.id, d) for d in late_deliveries(now) if d.group.id in mine)
    production = {
        group_id: production_id
        for group_id, production_id in db.session.execute(
            select(ProductionOrder.group_id, ProductionOrder.id).where(
                ProductionOrder.group_id.in_([g.id for g in groups]),
                ProductionOrder.status == "open",
            )
        )
    }
    sections = [
        (key, title, [g for g in groups if g.status in statuses])
        for key, title, statuses in SECTIONS
    ]
    if not actor.is_staff:  # an agent or supplier never picks or makes: no empty tables
        sections = [s for s in sections if s[2] or s[0] in ("to-accept", "to-ship", "on-the-way")]
    refunds = [g for g in groups if g.refund_state in ("owed", "manual")]
    return render_template(
        template,
        actor=actor,
        sections=sections,
        refunds=refunds,
        due=due,
        overdue=late,
        now=now,
        production=production,
        documents_of=documents.issued_by_group([g.id for g in groups]),
        carriers=carriers(),
        remaining=delivery.remaining,
        ship_to=delivery.ship_to,
        today=clock.today(),
        warehouses=_warehouses_with_work() if actor.is_staff else [],
        **extra,
    )


def _warehouses_with_work() -> list[str]:
    return list(
        db.session.scalars(
            select(PickTask.warehouse_code)
            .join(OrderGroup, OrderGroup.id == PickTask.group_id)
            .where(OrderGroup.status.in_((GroupStatus.PICKING, GroupStatus.PACKING)))
            .distinct()
            .order_by(PickTask.warehouse_code)
        )
    )


@bp.get("")
@roles_required(*WORKERS)
def queue():
    """The caller's shipping work, section by section."""
    actor = signed_in_actor()
    if actor.party is not None and actor.party.kind == "supplier":
        return redirect(url_for("supplier_portal.portal"))
    return _queue_page(actor, "delivery/queue.html")


@portal_bp.get("")
@roles_required(Role.SUPPLIER)
def portal():
    """A supplier's own groups, with the same steps as the supplier API."""
    actor = signed_in_actor()
    supplier = db.session.scalar(select(Supplier).where(Supplier.code == actor.party.code))
    return _queue_page(actor, "delivery/portal.html", supplier=supplier)


@bp.get("/groups/<int:group_id>")
@roles_required(*WORKERS)
def group(group_id: int):
    actor = signed_in_actor()
    found = db.session.get(OrderGroup, group_id)
    if found is None or found.status == GroupStatus.AWAITING_PAYMENT:
        abort(404)
    if not delivery.may_act(actor, found):
        abort(404)
    history = db.session.scalars(
        select(GroupStatusChange)
        .where(GroupStatusChange.group_id == group_id)
        .order_by(GroupStatusChange.id)
    ).all()
    production = db.session.scalar(
        select(ProductionOrder.id).where(
            ProductionOrder.group_id == group_id, ProductionOrder.status == "open"
        )
    )
    return render_template(
        "delivery/group.html",
        actor=actor,
        group=found,
        history=history,
        production={group_id: production} if production else {},
        carriers=carriers(),
        remaining=delivery.remaining,
        ship_to=delivery.ship_to,
        today=clock.today(),
        documents_of={group_id: documents.issued_for(group_id)},
        shipment_documents=documents.issued_by_shipment(group_id),
        layout="admin/base.html"
        if actor.party is None or actor.party.kind != "supplier"
        else "delivery/portal_base.html",
    )


@bp.get("/groups/<int:group_id>/documents/<kind>.pdf")
@bp.get("/groups/<int:group_id>/shipments/<int:shipment_id>/documents/<kind>.pdf")
@roles_required(*WORKERS)
def document(group_id: int, kind: str, shipment_id: int | None = None):
    """A group's (or its later shipment's) export document as PDF, for whoever may work
    on the group."""
    actor = signed_in_actor()
    found = db.session.get(OrderGroup, group_id)
    if found is None or found.status == GroupStatus.AWAITING_PAYMENT:
        abort(404)
    if not delivery.may_act(actor, found):
        abort(404)
    shipment = db.session.get(Shipment, shipment_id) if shipment_id is not None else None
    if shipment_id is not None and (shipment is None or shipment.group_id != group_id):
        abort(404)
    try:
        lang = document_pdf.language(request.args.get("lang"))
        issued = documents.document_for(found, kind, shipment)
    except documents.UnknownKind:
        abort(404)
    except InputError as refused:
        flash(refused.message, "error")
        return redirect(url_for("delivery.group", group_id=group_id), 303)
    return Response(
        document_pdf.pdf(issued, lang),
        mimetype="application/pdf",
        headers={"Content-Disposition": f'inline; filename="{document_pdf.filename(issued)}"'},
    )


def _back(group_id: int):
    target = request.form.get("back")
    if target == "group":
        return redirect(url_for("delivery.group", group_id=group_id), 303)
    if target == "portal":
        return redirect(url_for("supplier_portal.portal"), 303)
    return redirect(url_for("delivery.queue"), 303)


def _lines_from_form(group: OrderGroup) -> list[dict] | None:
    """The quantities typed per SKU; None when the form ships everything left."""
    if request.form.get("all") == "1":
        return None
    lines = []
    for sku in delivery.remaining(group):
        raw = (request.form.get(f"qty-{sku}") or "").strip()
        if not raw or raw == "0":
            continue
        try:
            quantity = int(raw)
        except ValueError:
            raise delivery.ShipmentError(
                f"The quantity of {sku} must be a whole number.", field="lines"
            ) from None
        lines.append({"sku": sku, "quantity": quantity})
    return lines


def _delivered_at() -> datetime.datetime | None:
    raw = (request.form.get("delivered_on") or "").strip()
    if not raw:
        return None
    try:
        day = datetime.date.fromisoformat(raw)
    except ValueError:
        raise delivery.ShipmentError(
            "Give the delivery date as YYYY-MM-DD.", field="delivered_on"
        ) from None
    moment = datetime.datetime.combine(day, datetime.time(12), datetime.UTC)
    return min(moment, clock.now())


@bp.post("/groups/<int:group_id>/<step>")
@roles_required(*WORKERS)
def step(group_id: int, step: str):
    if step not in STEPS:
        abort(404)
    actor = signed_in_actor()
    try:
        found = delivery.group_for(actor, group_id)
    except delivery.NotYours:
        abort(404)
    form = request.form
    try:
        if step == "accept":
            delivery.accept(found, actor)
            message = f"Group {group_id} accepted: it is ready to ship."
        elif step == "reject":
            rejection = delivery.reject(found, actor, form.get("reason", ""))
            message = (
                f"Group {group_id} rejected: it went to {found.shipper}."
                if rejection.rerouted
                else f"Group {group_id} rejected: no other shipper can ship it, so its "
                f"share is refunded to the buyer."
            )
        elif step == "picked":
            delivery.picked(found, actor)
            message = f"Group {group_id} picked: pack it next."
        elif step == "packed":
            delivery.packed(found, actor)
            message = f"Group {group_id} packed: it is ready to ship."
        elif step == "ship":
            parcels_raw = (form.get("parcels") or "1").strip()
            parcels = whole_number(parcels_raw) or -1
            carrier = form.get("carrier", "")
            if carrier == OTHER:
                carrier = form.get("carrier_other", "")
            shipment = delivery.ship(
                found,
                actor,
                carrier=carrier,
                tracking_number=form.get("tracking_number", ""),
                tracking_url=form.get("tracking_url", ""),
                lines=_lines_from_form(found),
                parcels=parcels,
            )
            message = (
                f"Shipped with {shipment.carrier_name} {shipment.tracking_number}: "
                f"group {group_id} is {found.status.replace('_', ' ')}."
            )
        elif step == "delivered":
            delivery.deliver(found, actor, _delivered_at())
            message = f"Group {group_id} delivered."
        else:  # track
            shipment = delivery.shipment_of(found, whole_number(form.get("shipment_id", "")) or 0)
            delivery.track(
                shipment,
                actor,
                status=form.get("status", ""),
                description=form.get("description", ""),
                location=form.get("location", ""),
            )
            message = f"Tracking update recorded for {shipment.tracking_number}."
    except InputError as refusal:
        db.session.rollback()
        flash_refusal(refusal)
        return _back(group_id)
    db.session.commit()
    flash(message, "success")
    if step == "reject":
        _refund(group_id)
    return _back(group_id)


def _refund(group_id: int) -> None:
    state = delivery.refund_owed(group_id)
    if state == "owed":
        flash("Stripe did not answer: the refund will be tried again by the worker.", "error")
    elif state == "manual":
        flash("The order has no card payment: refund the buyer by bank transfer.", "error")


@bp.get("/pick-list/<warehouse>")
@roles_required(*STAFF_ROLES)
def pick_list(warehouse: str):
    """What to pick in one warehouse, group by group, ready to print."""
    found = db.session.scalar(select(Warehouse).where(Warehouse.code == warehouse))
    if found is None:
        abort(404)
    groups = db.session.scalars(
        select(OrderGroup)
        .join(PickTask, PickTask.group_id == OrderGroup.id)
        .where(
            PickTask.warehouse_code == warehouse,
            OrderGroup.status.in_((GroupStatus.PICKING, GroupStatus.PACKING)),
        )
        .order_by(OrderGroup.id)
    ).all()
    totals: dict[tuple[str, str], int] = {}
    for g in groups:
        for line in g.lines:
            totals[(line.sku, line.name)] = totals.get((line.sku, line.name), 0) + line.quantity
    return render_template(
        "delivery/pick_list.html",
        warehouse=found,
        groups=groups,
        totals=sorted(totals.items()),
        ship_to=delivery.ship_to,
        printed_at=clock.now(),
    )


@bp.post("/orders/<number>/cancel")
@roles_required(*STAFF_ROLES)
def cancel(number: str):
    """Cancel an order none of whose goods have left; a paid one is refunded."""
    actor = signed_in_actor()
    order = db.session.scalar(select(Order).where(Order.number == number).with_for_update())
    if order is None:
        abort(404)
    if request.form.get("confirm") != "yes":
        flash("Tick the box to confirm the cancellation.", "error")
        return redirect(url_for("admin.order", number=number), 303)
    try:
        owed = delivery.cancel_paid_order(order, actor, request.form.get("reason", ""))
    except InputError as refusal:
        db.session.rollback()
        flash_refusal(refusal)
        return redirect(url_for("admin.order", number=number), 303)
    db.session.commit()
    flash(f"Order {number} cancelled; its stock is back.", "success")
    if owed is not None:
        try:
            refunded = delivery.refund_cancelled(order)
        except GatewayError:
            db.session.rollback()
            refunded = None
            flash("Stripe did not answer: refund the order from its page.", "error")
        else:
            by_transfer = cancelling.owed_by_transfer(order)
            if by_transfer is not None:  # parts of its payment terms paid by transfer
                flash(
                    f"{by_transfer.as_string()} {by_transfer.currency} paid by bank transfer "
                    "is owed back: refund the buyer by bank transfer.",
                    "error",
                )
            elif refunded is None:
                flash("The order has no card payment: refund the buyer by bank transfer.", "error")
    return redirect(url_for("admin.order", number=number), 303)
