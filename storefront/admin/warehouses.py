"""Back-office warehouse pages (staff only): the list, create, edit, archive (with a
confirmation), and a warehouse's stock levels with the movements that made them.

The queries that join stock to variants live here because the catalog sits above
fulfilment; the admin API uses them too."""

from __future__ import annotations

from flask import abort, flash, redirect, request
from sqlalchemy import func, select

from ..accounts import STAFF_ROLES, roles_required
from ..accounts.current import current_user
from ..catalog.tables import Product, Variant
from ..db import db
from ..errors import InputError
from ..fulfilment.stock import StockError, record_movement
from ..fulfilment.tables import StockLevel, StockMovement, Warehouse
from ..fulfilment.warehouses import (
    WarehouseInput,
    archive_warehouse,
    create_warehouse,
    search_warehouses,
    update_warehouse,
    warehouse_by_code,
)
from ..mount import render_template, url_for
from ..request_checks import page_number
from . import bp
from .forms import ArchiveForm, StockMovementForm, WarehouseForm

PER_PAGE = 50
LATEST_MOVEMENTS = 30


def variant_id_for(sku: str) -> int:
    """The variant of `sku` (SKUs are upper case; typed lower case is forgiven)."""
    sku = (sku or "").strip()
    variant_id = db.session.scalar(
        select(Variant.id).where(func.upper(Variant.sku) == sku.upper()).limit(1)
    )
    if variant_id is None:
        raise StockError(f"There is no variant with SKU {sku!r}.", code="unknown_sku", field="sku")
    return variant_id


def stock_levels(warehouse: Warehouse, sku: str = ""):
    """(level, SKU, product name) rows of a warehouse, by SKU, optionally searched by SKU."""
    statement = (
        select(StockLevel, Variant.sku, Product.name)
        .join(Variant, Variant.id == StockLevel.variant_id)
        .join(Product, Product.id == Variant.product_id)
        .where(StockLevel.warehouse_id == warehouse.id)
    )
    if sku:
        statement = statement.where(func.upper(Variant.sku).like(f"%{sku.strip().upper()}%"))
    return statement.order_by(Variant.sku)


def movements(warehouse_id: int | None = None, sku: str = ""):
    """(movement, SKU, warehouse code) rows, newest first."""
    statement = (
        select(StockMovement, Variant.sku, Warehouse.code)
        .join(Variant, Variant.id == StockMovement.variant_id)
        .join(Warehouse, Warehouse.id == StockMovement.warehouse_id)
    )
    if warehouse_id is not None:
        statement = statement.where(StockMovement.warehouse_id == warehouse_id)
    if sku:
        statement = statement.where(func.upper(Variant.sku) == sku.strip().upper())
    return statement.order_by(StockMovement.id.desc())


def _page() -> int:
    return page_number()


def _count(statement) -> int:
    return db.session.scalar(select(func.count()).select_from(statement.subquery()))


def _warehouse(code: str) -> Warehouse:
    warehouse = warehouse_by_code(code)
    if warehouse is None:
        abort(404)
    return warehouse


def _mark(form, error: InputError) -> None:
    """Show a service's refusal at its field (or above the form)."""
    db.session.rollback()
    target = getattr(form, error.field or "", None)
    if target is not None and hasattr(target, "errors"):
        target.errors = [*target.errors, error.message]
    else:
        flash(error.message, "error")


def _input(form: WarehouseForm) -> WarehouseInput:
    return WarehouseInput(
        form.name.data or "",
        form.country.data or "",
        form.serves.data or "",
        form.return_address.data or "",
    )


@bp.get("/warehouses")
@roles_required(*STAFF_ROLES)
def warehouses():
    q = (request.args.get("q") or "").strip()
    page = _page()
    statement = search_warehouses(q)
    total = _count(statement)
    rows = db.session.scalars(
        statement.order_by(Warehouse.is_active.desc(), Warehouse.code)
        .limit(PER_PAGE)
        .offset((page - 1) * PER_PAGE)
    ).all()
    units = dict(
        db.session.execute(
            select(StockLevel.warehouse_id, func.sum(StockLevel.on_hand))
            .where(StockLevel.warehouse_id.in_([w.id for w in rows]))
            .group_by(StockLevel.warehouse_id)
        ).all()
    )
    return render_template(
        "admin/warehouses.html",
        warehouses=rows,
        units=units,
        q=q,
        page=page,
        total=total,
        pages=max(1, -(-total // PER_PAGE)),
    )


@bp.route("/warehouses/new", methods=["GET", "POST"])
@roles_required(*STAFF_ROLES)
def new_warehouse():
    form = WarehouseForm()
    if form.validate_on_submit():
        try:
            warehouse = create_warehouse(form.code.data or "", _input(form))
        except InputError as error:
            _mark(form, error)
        else:
            db.session.commit()
            flash(f"Warehouse {warehouse.code} created.", "success")
            return redirect(url_for("admin.warehouse", code=warehouse.code), 303)
    status = 422 if request.method == "POST" else 200
    return render_template("admin/warehouse_form.html", form=form, warehouse=None), status


@bp.route("/warehouses/<code>/edit", methods=["GET", "POST"])
@roles_required(*STAFF_ROLES)
def edit_warehouse(code: str):
    warehouse = _warehouse(code)
    form = WarehouseForm(obj=warehouse, serves=warehouse.serves_text)
    if form.validate_on_submit():
        try:
            update_warehouse(warehouse, _input(form))
        except InputError as error:
            _mark(form, error)
            warehouse = _warehouse(code)
        else:
            db.session.commit()
            flash(f"Saved {warehouse.code}.", "success")
            return redirect(url_for("admin.warehouse", code=code), 303)
    status = 422 if request.method == "POST" else 200
    return render_template("admin/warehouse_form.html", form=form, warehouse=warehouse), status


def _warehouse_page(warehouse: Warehouse, movement_form=None, archive_form=None, status=200):
    sku = (request.args.get("sku") or "").strip()
    page = _page()
    levels = stock_levels(warehouse, sku)
    total = _count(levels)
    rows = db.session.execute(levels.limit(PER_PAGE).offset((page - 1) * PER_PAGE)).all()
    latest = db.session.execute(movements(warehouse.id).limit(LATEST_MOVEMENTS)).all()
    return render_template(
        "admin/warehouse.html",
        warehouse=warehouse,
        levels=rows,
        sku=sku,
        page=page,
        total=total,
        pages=max(1, -(-total // PER_PAGE)),
        movements=latest,
        movement_form=movement_form or StockMovementForm(formdata=None),
        archive_form=archive_form or ArchiveForm(formdata=None),
    ), status


@bp.get("/warehouses/<code>")
@roles_required(*STAFF_ROLES)
def warehouse(code: str):
    return _warehouse_page(_warehouse(code))


@bp.post("/warehouses/<code>/movements")
@roles_required(*STAFF_ROLES)
def record_stock_movement(code: str):
    warehouse = _warehouse(code)
    form = StockMovementForm()
    if form.validate_on_submit():
        try:
            movement = record_movement(
                warehouse,
                variant_id_for(form.sku.data),
                form.quantity.data,
                form.reason.data,
                note=form.note.data or "",
                actor=current_user.email,
            )
        except InputError as error:
            _mark(form, error)
            warehouse = _warehouse(code)
        else:
            db.session.commit()
            flash(
                f"Recorded {movement.quantity:+d} {form.sku.data.strip().upper()} "
                f"({movement.reason}).",
                "success",
            )
            return redirect(url_for("admin.warehouse", code=code), 303)
    return _warehouse_page(warehouse, movement_form=form, status=422)


@bp.post("/warehouses/<code>/archive")
@roles_required(*STAFF_ROLES)
def archive(code: str):
    warehouse = _warehouse(code)
    form = ArchiveForm()
    if not form.validate_on_submit():
        return _warehouse_page(warehouse, archive_form=form, status=422)
    archive_warehouse(warehouse)
    db.session.commit()
    flash(f"Warehouse {code} archived: it takes no new stock and no new orders.", "success")
    return redirect(url_for("admin.warehouse", code=code), 303)
