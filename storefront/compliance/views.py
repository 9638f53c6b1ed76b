"""The compliance profile page: one form, every number checked, errors by field."""

from __future__ import annotations

from flask import flash, redirect, request
from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, Form, FormField, StringField, TextAreaField
from wtforms.validators import Length, Optional

from .. import clock
from ..accounts import roles_required
from ..accounts.current import current_user
from ..db import db
from ..mount import render_template, url_for
from . import COMPLIANCE_ROLES, bp
from .operations import (
    SCHEMES,
    ComplianceError,
    ProfileInput,
    RegistrationInput,
    load_profile,
    save_profile,
)
from .seller import FIELDS as SELLER_FIELDS


class RegistrationForm(Form):
    """One scheme; not a FlaskForm: the outer form carries the CSRF token."""

    number = StringField(_l("Number"), validators=[Length(max=40)])
    valid_from = DateField(_l("Valid from"), validators=[Optional()])
    valid_to = DateField(_l("Valid to (blank: open)"), validators=[Optional()])


class SellerForm(Form):
    """The seller's address as the export documents print it (checked in `seller`)."""

    name = StringField(_l("Name"), validators=[Length(max=200)])
    street_address = StringField(_l("Street"), validators=[Length(max=200)])
    city = StringField(_l("City"), validators=[Length(max=100)])
    postal_code = StringField(_l("Postal code"), validators=[Length(max=20)])
    country = StringField(_l("Country (ISO code, e.g. DE)"))
    phone = StringField(_l("Phone"), validators=[Length(max=40)])


class ComplianceForm(FlaskForm):
    eori = StringField(_l("EORI number"), validators=[Length(max=40)])
    export_licences = TextAreaField(_l("Export licence numbers (one a line)"))
    seller = FormField(SellerForm, label=_l("Seller's address"))


for _code, _spec in SCHEMES.items():
    setattr(ComplianceForm, _code, FormField(RegistrationForm, label=_spec.label))


def _fill(form: ComplianceForm) -> None:
    profile, registrations = load_profile()
    if profile is not None:
        form.eori.data = profile.eori or ""
        form.export_licences.data = profile.export_licences
        for key, value in (profile.seller or {}).items():
            if key in SELLER_FIELDS:
                form.seller[key].data = value
    for code, row in registrations.items():
        if code in SCHEMES:
            sub = form[code]
            sub.number.data, sub.valid_from.data, sub.valid_to.data = (
                row.number,
                row.valid_from,
                row.valid_to,
            )


def _input(form: ComplianceForm) -> ProfileInput:
    return ProfileInput(
        eori=form.eori.data or "",
        export_licences=form.export_licences.data or "",
        seller={key: form.seller[key].data or "" for key in SELLER_FIELDS},
        registrations={
            code: RegistrationInput(
                number=form[code].number.data or "",
                valid_from=form[code].valid_from.data,
                valid_to=form[code].valid_to.data,
            )
            for code in SCHEMES
        },
    )


def _show_errors(form: ComplianceForm, errors: dict[str, str]) -> None:
    for key, message in errors.items():
        target = form
        for part in key.split("."):
            target = getattr(target, part, None)
        if isinstance(getattr(target, "errors", None), list | tuple):
            target.errors = [*target.errors, message]
        else:
            flash(message, "error")


@bp.route("/", methods=["GET", "POST"])
@roles_required(*COMPLIANCE_ROLES)
def profile():
    form = ComplianceForm()
    status = 200
    if request.method == "GET":
        _fill(form)
    elif form.validate_on_submit():
        try:
            save_profile(_input(form), current_user.id)
        except ComplianceError as error:
            db.session.rollback()
            _show_errors(form, error.errors)
            status = 422
        else:
            db.session.commit()
            flash(gettext("Compliance profile saved."), "success")
            return redirect(url_for("compliance.profile"), 303)
    else:
        status = 422
    _, registrations = load_profile()
    return render_template(
        "compliance/profile.html",
        form=form,
        schemes=SCHEMES,
        registrations=registrations,
        today=clock.today(),
    ), status
