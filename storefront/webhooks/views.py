"""Supplier pages: the back office's webhook desk (the supplier's own portal is in `delivery`).

Staff see every supplier's endpoints, deliveries and overdue groups and can
replay or rotate. A supplier user sees only the open groups of the supplier its
account is linked to.
"""

from __future__ import annotations

from collections import Counter

from flask import Blueprint, abort, flash, redirect, request
from flask_babel import gettext
from sqlalchemy import func, select

from .. import clock
from ..accounts import STAFF_ROLES, roles_required
from ..db import db
from ..fulfilment.tables import Supplier
from ..mount import render_template, url_for
from ..request_checks import whole_number
from . import operations
from .service_levels import find_overdue
from .tables import Delivery, DeliveryAttempt, OutboxEvent, SupplierEndpoint

admin_bp = Blueprint("supplier_admin", __name__, url_prefix="/admin/suppliers")

LOG_SIZE = 50
SECRET_SHOWN = 12  # "whsec_" and a few characters: enough to tell secrets apart
RESPONSE_SHOWN = 120


def _supplier_or_404(code: str) -> Supplier:
    supplier = db.session.scalar(select(Supplier).where(Supplier.code == code))
    if supplier is None:
        abort(404)
    return supplier


# the back office -----------------------------------------------------------------------------


@admin_bp.get("")
@roles_required(*STAFF_ROLES)
def suppliers():
    rows = db.session.scalars(select(Supplier).order_by(Supplier.code)).all()
    endpoints = dict(
        db.session.execute(
            select(SupplierEndpoint.supplier_id, func.count()).group_by(
                SupplierEndpoint.supplier_id
            )
        ).all()
    )
    deliveries: Counter = Counter()
    for supplier_id, status, count in db.session.execute(
        select(SupplierEndpoint.supplier_id, Delivery.status, func.count())
        .join(Delivery, Delivery.endpoint_id == SupplierEndpoint.id)
        .where(Delivery.status.in_(("pending", "dead", "disabled")))
        .group_by(SupplierEndpoint.supplier_id, Delivery.status)
    ):
        kind = "pending" if status == "pending" else "dead"
        deliveries[(supplier_id, kind)] += count
    late = Counter(due.supplier.id for due in find_overdue(clock.now()) if due.supplier)
    return render_template(
        "webhooks/suppliers.html",
        suppliers=rows,
        endpoints=endpoints,
        deliveries=deliveries,
        late=late,
    )


def _attempt_log(supplier: Supplier) -> list[tuple[DeliveryAttempt, Delivery, str]]:
    """The latest attempts to the supplier's endpoints, newest first."""
    return db.session.execute(
        select(DeliveryAttempt, Delivery, OutboxEvent.event_type)
        .join(Delivery, Delivery.id == DeliveryAttempt.delivery_id)
        .join(SupplierEndpoint, SupplierEndpoint.id == Delivery.endpoint_id)
        .join(OutboxEvent, OutboxEvent.id == Delivery.event_id)
        .where(SupplierEndpoint.supplier_id == supplier.id)
        .order_by(DeliveryAttempt.id.desc())
        .limit(LOG_SIZE)
    ).all()


def _webhooks_page(supplier: Supplier, new_secret: tuple[int, str] | None = None):
    dead = operations.dead_letters(supplier.code)
    event_types = dict(
        db.session.execute(
            select(OutboxEvent.id, OutboxEvent.event_type).where(
                OutboxEvent.id.in_(sorted({d.event_id for d in dead}))
            )
        ).all()
    )
    now = clock.now()
    return render_template(
        "webhooks/supplier.html",
        supplier=supplier,
        endpoints=operations.endpoints_of(supplier.code),
        attempts=_attempt_log(supplier),
        dead=dead,
        event_types=event_types,
        overdue=find_overdue(now, supplier.id),
        new_secret=new_secret,
        secret_shown=SECRET_SHOWN,
        response_shown=RESPONSE_SHOWN,
    )


@admin_bp.get("/<code>/webhooks")
@roles_required(*STAFF_ROLES)
def webhooks(code: str):
    return _webhooks_page(_supplier_or_404(code))


@admin_bp.post("/<code>/webhooks/replay")
@roles_required(*STAFF_ROLES)
def replay(code: str):
    """Queue again one event's failed deliveries (form field `event_id`), or all of them."""
    supplier = _supplier_or_404(code)
    raw = request.form.get("event_id", "").strip()
    event_id = whole_number(raw) if raw else None
    if raw and event_id is None:
        flash(gettext("Choose an event to send again."), "error")
        return redirect(url_for(".webhooks", code=code))
    count = operations.replay(supplier.code, event_id)
    db.session.commit()
    if count:
        flash(gettext("%(count)s deliveries queued again.", count=count), "success")
    else:
        flash(gettext("Nothing to send again."), "error")
    return redirect(url_for(".webhooks", code=code))


@admin_bp.post("/<code>/webhooks/endpoints/<int:id>/rotate")
@roles_required(*STAFF_ROLES)
def rotate(code: str, id: int):
    """A new secret for the endpoint, shown in this answer only (never stored in the session)."""
    supplier = _supplier_or_404(code)
    endpoint = db.session.get(SupplierEndpoint, id)
    if endpoint is None or endpoint.supplier_id != supplier.id:
        abort(404)
    secret = operations.rotate_secret(endpoint)
    db.session.commit()
    return _webhooks_page(supplier, new_secret=(endpoint.id, secret))
