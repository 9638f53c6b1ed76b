"""Back-office pages: purchase orders listed by status, a new order, one order's detail."""

from __future__ import annotations

from flask import abort, flash, redirect, request
from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from wtforms.fields.choices import SelectChoice

from channels.money import InvalidMoney, Money

from ..accounts import roles_required
from ..accounts.current import current_user
from ..config import settings
from ..db import db
from ..fulfilment.tables import Warehouse
from ..mount import render_template, url_for
from ..orders.states import InvalidTransition
from . import PURCHASING_ROLES, bp
from .forms import MAX_ROWS, NEW_ORDER_ROWS, PurchaseOrderForm, StatusForm
from .operations import (
    STATUSES,
    LineInput,
    PurchasingError,
    create_purchase_order,
    history,
    line_total,
    move_purchase_order,
    next_statuses,
    oem_suppliers,
    po_total,
    purchase_orders,
)
from .tables import PurchaseOrder, PurchaseOrderStatus

ACTIONS = {
    PurchaseOrderStatus.SENT: _l("Mark sent to the factory"),
    PurchaseOrderStatus.CONFIRMED: _l("Mark confirmed by the factory"),
    PurchaseOrderStatus.IN_PRODUCTION: _l("Mark in production"),
    PurchaseOrderStatus.SHIPPED: _l("Mark shipped"),
    PurchaseOrderStatus.RECEIVED: _l("Receive into stock"),
    PurchaseOrderStatus.CANCELLED: _l("Cancel the order"),
}


@bp.get("/")
@roles_required(*PURCHASING_ROLES)
def index():
    raw = request.args.get("status") or ""
    status = PurchaseOrderStatus(raw) if raw in STATUSES else None
    if raw and status is None:
        flash(gettext("Unknown status %(status)r: showing all.", status=raw), "error")
    orders = purchase_orders(status)
    return render_template(
        "purchasing/index.html",
        orders=orders,
        totals={order.id: po_total(order) for order in orders},
        status=status or "",
        statuses=STATUSES,
    )


def _line_inputs(form: PurchaseOrderForm) -> list[LineInput]:
    lines = []
    for entry in form.lines.entries:
        row = entry.form
        sku = (row.sku.data or "").strip()
        if not sku:
            continue
        if row.quantity.data is None:
            raise PurchasingError(gettext("Enter a quantity for %(sku)s.", sku=sku), field="lines")
        cost = None
        if row.unit_cost.data is not None:
            try:
                cost = Money(row.unit_cost.data, form.currency.data.strip())
            except InvalidMoney as error:
                raise PurchasingError(str(error), field="currency") from None
        lines.append(LineInput(sku=sku, quantity=row.quantity.data, unit_cost=cost))
    return lines


@bp.route("/new", methods=["GET", "POST"])
@roles_required(*PURCHASING_ROLES)
def new():
    form = PurchaseOrderForm(currency=settings()["BASE_CURRENCY"])
    suppliers = oem_suppliers()
    form.supplier.choices = [SelectChoice(s.code, f"{s.name} ({s.country})") for s in suppliers]
    rows = min(MAX_ROWS, max(NEW_ORDER_ROWS, request.args.get("rows", 0, type=int) or 0))
    while len(form.lines.entries) < rows:
        form.lines.append_entry()
    if form.validate_on_submit():
        try:
            order = create_purchase_order(
                form.supplier.data,
                _line_inputs(form),
                currency=form.currency.data.strip(),
                created_by=current_user.id,
            )
        except PurchasingError as error:
            db.session.rollback()
            target = getattr(form, error.field or "", None)
            if target is not None and error.field != "lines":
                target.errors = [*target.errors, error.message]
            else:
                flash(error.message, "error")
        else:
            db.session.commit()
            flash(gettext("Purchase order %(number)s drafted.", number=order.number), "success")
            return redirect(url_for("purchasing.detail", order_id=order.id), 303)
    return render_template(
        "purchasing/new.html", form=form, suppliers=suppliers, rows=rows
    ), 422 if request.method == "POST" else 200


def _render_detail(order: PurchaseOrder, status_code: int = 200):
    return render_template(
        "purchasing/detail.html",
        order=order,
        line_totals={line.id: line_total(line) for line in order.lines},
        total=po_total(order),
        next_statuses=next_statuses(order),
        actions=ACTIONS,
        warehouses=db.session.scalars(select(Warehouse).order_by(Warehouse.code)).all(),
        history=history(order),
    ), status_code


@bp.get("/<int:order_id>")
@roles_required(*PURCHASING_ROLES)
def detail(order_id: int):
    order = db.session.get(PurchaseOrder, order_id)
    if order is None:
        abort(404)
    return _render_detail(order)


@bp.post("/<int:order_id>/status")
@roles_required(*PURCHASING_ROLES)
def change_status(order_id: int):
    # Locked while moving, so a double click cannot receive the goods twice.
    order = db.session.get(PurchaseOrder, order_id, with_for_update=True)
    if order is None:
        abort(404)
    form = StatusForm()
    if not form.validate_on_submit():
        flash(gettext("Choose a status."), "error")
        return _render_detail(order, 422)
    try:
        move_purchase_order(
            order,
            form.status.data,
            warehouse_code=form.warehouse.data or None,
            changed_by=current_user.id,
        )
    except (InvalidTransition, PurchasingError) as error:
        db.session.rollback()
        flash(str(error), "error")
        order = db.session.get(PurchaseOrder, order_id)
        return _render_detail(order, 409 if isinstance(error, InvalidTransition) else 422)
    db.session.commit()
    flash(
        gettext(
            "Purchase order %(number)s is now %(status)s.",
            number=order.number,
            status=order.status.replace("_", " "),
        ),
        "success",
    )
    return redirect(url_for("purchasing.detail", order_id=order.id), 303)
