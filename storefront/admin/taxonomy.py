"""Back-office pages for brands and categories: list with search and paging, create,
edit, archive (with a confirming tick) and bring back. Staff only; the rules are the
catalog's (`catalog.taxonomy`), as in the admin API."""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial

from flask import abort, flash, redirect, request

from i18n import translations_from_form

from ..accounts import STAFF_ROLES, roles_required
from ..catalog import taxonomy
from ..catalog.operations import CatalogError
from ..catalog.tables import Brand, Category
from ..db import db
from ..mount import render_template, url_for
from ..request_checks import whole_number
from . import bp
from .paging import searched_page


@dataclass(frozen=True)
class Kind:
    table: type
    title: str
    fields: tuple[str, ...]

    def save(self, form: dict, record=None):
        if self.table is Brand:
            data = taxonomy.BrandInput(
                form.get("slug", ""),
                form.get("name", ""),
                form.get("country", ""),
                translations_from_form(form),
            )
            return taxonomy.save_brand(data, record)
        raw = (form.get("position") or "0").strip()
        number = whole_number(raw)
        position = -1 if number is None else number
        data = taxonomy.CategoryInput(
            form.get("slug", ""), form.get("name", ""), position, translations_from_form(form)
        )
        return taxonomy.save_category(data, record)

    def form_of(self, record) -> dict:
        """The edit form's values: the record's fields and its names per locale."""
        names = {f"name_{locale}": name for locale, name in (record.names or {}).items()}
        return {**{f: getattr(record, f) for f in self.fields}, **names}


KINDS = {
    "brands": Kind(Brand, "Brands", ("slug", "name", "country")),
    "categories": Kind(Category, "Categories", ("slug", "name", "position")),
}


def _kind(kind: str) -> Kind:
    if kind not in KINDS:
        abort(404)
    return KINDS[kind]


def _list_page(kind: str, status: int = 200, form: dict | None = None, error=None):
    spec = _kind(kind)
    return render_template(
        "admin/taxonomy.html",
        kind=kind,
        spec=spec,
        **searched_page(partial(taxonomy.find, spec.table)),
        form=form or {},
        error=error,
    ), status


@bp.get("/<any(brands, categories):kind>")
@roles_required(*STAFF_ROLES)
def taxonomy_list(kind: str):
    return _list_page(kind)


@bp.post("/<any(brands, categories):kind>")
@roles_required(*STAFF_ROLES)
def taxonomy_create(kind: str):
    try:
        record = _kind(kind).save(request.form)
    except CatalogError as error:
        db.session.rollback()
        return _list_page(kind, 422, request.form.to_dict(), error)
    db.session.commit()
    flash(f"{record.name} saved.", "success")
    return redirect(url_for("admin.taxonomy_list", kind=kind), 303)


def _record(kind: str, slug: str):
    record = taxonomy.by_slug(_kind(kind).table, slug)
    if record is None:
        abort(404)
    return record


@bp.route("/<any(brands, categories):kind>/<slug>", methods=["GET", "POST"])
@roles_required(*STAFF_ROLES)
def taxonomy_edit(kind: str, slug: str):
    record = _record(kind, slug)
    error = None
    if request.method == "POST":
        try:
            record = _kind(kind).save(request.form, record)
        except CatalogError as refused:
            db.session.rollback()
            record, error = _record(kind, slug), refused
        else:
            db.session.commit()
            flash(f"{record.name} saved.", "success")
            return redirect(url_for("admin.taxonomy_edit", kind=kind, slug=record.slug), 303)
    form = request.form.to_dict() if error else _kind(kind).form_of(record)
    return render_template(
        "admin/taxonomy_edit.html",
        kind=kind,
        spec=_kind(kind),
        record=record,
        form=form,
        error=error,
    ), (422 if error else 200)


@bp.post("/<any(brands, categories):kind>/<slug>/archive")
@roles_required(*STAFF_ROLES)
def taxonomy_archive(kind: str, slug: str):
    record = _record(kind, slug)
    restore = request.form.get("restore") == "1"
    if not restore and request.form.get("confirm") != "yes":
        flash("Tick the box to confirm: nothing was archived.", "error")
        return redirect(url_for("admin.taxonomy_edit", kind=kind, slug=slug), 303)
    taxonomy.archive(record, archived=not restore)
    db.session.commit()
    flash(f"{record.name} {'is back' if restore else 'archived'}.", "success")
    return redirect(url_for("admin.taxonomy_edit", kind=kind, slug=slug), 303)
