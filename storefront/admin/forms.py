"""Back-office forms."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length

from ..catalog.operations import MATERIALS
from ..catalog.tables import Grade


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
