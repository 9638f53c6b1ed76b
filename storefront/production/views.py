"""Back-office pages: open production orders, and the inspection form."""

from __future__ import annotations

from flask import abort, flash, redirect, request
from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length

from .. import clock
from ..accounts import roles_required
from ..catalog.operations import CatalogError
from ..db import db
from ..mount import render_template, url_for
from ..orders.states import InvalidTransition
from . import QC_ROLES, bp
from .operations import (
    RELIST,
    InspectionError,
    inspections_of,
    open_production_orders,
    record_inspection,
)
from .tables import ProductionOrder


def _optional_int(value) -> int | None:
    if value in (None, ""):
        return None
    return int(value)


class InspectionForm(FlaskForm):
    result = RadioField(
        _l("Result"),
        choices=[SelectChoice("pass", _l("Passed")), SelectChoice("fail", _l("Failed"))],
        validators=[InputRequired()],
    )
    inspector = StringField(_l("Inspector"), validators=[DataRequired(), Length(max=120)])
    notes = TextAreaField(_l("Notes"), validators=[Length(max=1000)])
    outcome = SelectField(
        _l("If failed"),
        choices=[
            SelectChoice("", "—"),
            SelectChoice("rework", _l("Rework: make it again")),
            SelectChoice("relist", _l("Relist: sell the piece as original-order surplus")),
        ],
        validate_choice=False,  # checked by record_inspection, with a clearer message
    )
    line = SelectField(
        _l("Failed piece (for relist)"), coerce=_optional_int, choices=[], validate_choice=False
    )


@bp.get("/")
@roles_required(*QC_ROLES)
def index():
    production_orders = open_production_orders()
    return render_template(
        "production/index.html",
        production_orders=production_orders,
        inspections=inspections_of([po.id for po in production_orders]),
        today=clock.today(),
    )


@bp.route("/<int:production_order_id>", methods=["GET", "POST"])
@roles_required(*QC_ROLES)
def inspect(production_order_id: int):
    # Locked while inspecting, so a double submit cannot pass the same order twice.
    production_order = db.session.get(
        ProductionOrder, production_order_id, with_for_update=request.method == "POST"
    )
    if production_order is None:
        abort(404)
    form = InspectionForm()
    form.line.choices = [
        SelectChoice(line.id, f"{line.quantity} x {line.sku} · {line.name}")
        for line in production_order.group.lines
    ]
    if form.validate_on_submit():
        try:
            result = record_inspection(
                production_order,
                passed=form.result.data == "pass",
                inspector=form.inspector.data,
                notes=form.notes.data or "",
                outcome=form.outcome.data or None,
                line_id=form.line.data,
            )
        except (InspectionError, InvalidTransition, CatalogError) as error:
            db.session.rollback()
            production_order = db.session.get(ProductionOrder, production_order_id)
            target = getattr(form, getattr(error, "field", None) or "", None)
            if target is not None and hasattr(target, "errors"):
                target.errors = [*target.errors, str(error)]
            else:
                flash(str(error), "error")
        else:
            db.session.commit()
            return _after_inspection(production_order, result)
    return render_template(
        "production/inspect.html",
        production_order=production_order,
        inspections=inspections_of([production_order.id])[production_order.id],
        form=form,
    ), 422 if request.method == "POST" else 200


def _after_inspection(production_order: ProductionOrder, result):
    number = production_order.group.order.number
    if result.inspection.passed:
        flash(
            gettext(
                "Inspection passed: order %(number)s (group %(group)s) is ready to ship.",
                number=number,
                group=production_order.group_id,
            ),
            "success",
        )
        return redirect(url_for("production.index"), 303)
    if result.inspection.outcome == RELIST:
        flash(
            gettext(
                "Inspection failed: the piece is listed as %(name)s (%(sku)s), unpublished "
                "until you publish it. Order %(number)s waits for the remake.",
                name=result.surplus.name,
                sku=result.surplus.variants[0].sku,
                number=number,
            ),
            "success",
        )
    else:
        flash(
            gettext(
                "Inspection failed: back to rework. Order %(number)s stays in production "
                "until a remake passes.",
                number=number,
            ),
            "success",
        )
    return redirect(url_for("production.inspect", production_order_id=production_order.id), 303)
