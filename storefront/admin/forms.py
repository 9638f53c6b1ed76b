"""Back-office forms."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from ..catalog.operations import MATERIALS
from ..catalog.tables import Grade
from ..fulfilment.stock import REASONS
from ..request_checks import MAX_INT

# A number the INTEGER columns hold (a larger one is refused with the field, not a 500).
_STORABLE = NumberRange(max=MAX_INT)


class ProductForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)])
    description = TextAreaField(_l("Description"))
    hs_code = StringField(_l("HS code"), validators=[DataRequired(), Length(max=12)])
    origin_country = StringField(
        _l("Country of origin (ISO code)"), validators=[DataRequired(), Length(min=2, max=2)]
    )
    material = SelectField(_l("Material"), choices=[SelectChoice(m, m) for m in MATERIALS])
    grade = SelectField(
        _l("Grade"), choices=[SelectChoice(g.value, g.value.replace("_", " ")) for g in Grade]
    )
    selling_model = SelectField(
        _l("Selling model"),
        choices=[],  # filled from the app's selling-model registry
    )
    is_published = BooleanField(_l("Published"))
    # Left out of a post: unchanged. The catalog's services check them (as the import does).
    weight_grams = IntegerField(_l("Weight (g)"), validators=[Optional(), _STORABLE])
    length_mm = IntegerField(_l("Length (mm)"), validators=[Optional(), _STORABLE])
    width_mm = IntegerField(_l("Width (mm)"), validators=[Optional(), _STORABLE])
    height_mm = IntegerField(_l("Height (mm)"), validators=[Optional(), _STORABLE])
    qc_status = StringField(_l("QC status (blank: none)"), validators=[Length(max=60)])
    brand_slug = SelectField(_l("Brand"), choices=[], validate_choice=False)
    category_slug = SelectField(_l("Category"), choices=[], validate_choice=False)


class WarehouseForm(FlaskForm):
    """A warehouse's fields; services check the country codes (the code only on create)."""

    code = StringField("Code", validators=[Length(max=40)])
    name = StringField("Name", validators=[DataRequired(), Length(max=120)])
    country = StringField("Country (ISO code)", validators=[DataRequired(), Length(max=2)])
    serves = StringField("Ships to (ISO codes, or * for everywhere)", default="*")
    return_address = TextAreaField(
        "Return address (where buyers send returned goods)", validators=[Length(max=500)]
    )


class StockMovementForm(FlaskForm):
    sku = StringField("Variant SKU", validators=[DataRequired(), Length(max=64)])
    quantity = IntegerField(
        "Units (negative takes units out)",
        validators=[
            InputRequired(message="Enter a whole number of units, like 12 or -3."),
            NumberRange(-MAX_INT, MAX_INT),
        ],
    )
    reason = SelectField("Reason", choices=[SelectChoice(r, r) for r in REASONS])
    note = StringField("Note", validators=[Length(max=300)])


class ArchiveForm(FlaskForm):
    confirm = BooleanField(
        "Archive this warehouse: it takes no new stock and no new orders",
        validators=[DataRequired(message="Tick the box to confirm archiving.")],
    )
