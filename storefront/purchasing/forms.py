"""Purchase-order forms: the new order with its lines, and a status move."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DecimalField, FieldList, Form, FormField, IntegerField, SelectField, StringField
from wtforms.validators import DataRequired, Length, NumberRange, Optional, ValidationError

from ..request_checks import MAX_INT

NEW_ORDER_ROWS = 5
MAX_ROWS = 50


class LineForm(Form):
    """One line; a row without a SKU is ignored. Not a FlaskForm: the outer form has the token."""

    sku = StringField(_l("SKU"), validators=[Optional(), Length(max=64)])
    quantity = IntegerField(
        _l("Quantity"), validators=[Optional(), NumberRange(min=1, max=MAX_INT)]
    )
    unit_cost = DecimalField(
        _l("Unit cost (blank: the supplier's cost)"), places=None, validators=[Optional()]
    )


class PurchaseOrderForm(FlaskForm):
    # Not limited to the listed choices, so a non-OEM supplier gets the service's clear refusal.
    supplier = SelectField(_l("OEM factory"), choices=[], validate_choice=False)
    currency = StringField(
        _l("Currency of the order"), validators=[DataRequired(), Length(min=3, max=3)]
    )
    lines = FieldList(FormField(LineForm), min_entries=NEW_ORDER_ROWS)

    def validate_lines(self, field) -> None:
        # Refused rather than cut short: a dropped line would be a silent error on a PO.
        if len(field.entries) > MAX_ROWS:
            raise ValidationError(_l("At most %(max)s lines per purchase order.", max=MAX_ROWS))


class StatusForm(FlaskForm):
    status = StringField(validators=[DataRequired()])
    warehouse = SelectField(_l("Warehouse"), choices=[], validate_choice=False)
