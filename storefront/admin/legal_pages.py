"""Back-office legal pages (staff only): every kind in every language with its version,
and a page's editor. Each save keeps a new version (`pages.operations`)."""

from __future__ import annotations

from flask import abort, flash, redirect, request

from i18n import SUPPORTED_LOCALES

from ..accounts import STAFF_ROLES, roles_required
from ..accounts.current import current_user
from ..db import db
from ..mount import render_template, url_for
from ..pages import operations as pages
from . import bp


@bp.get("/pages")
@roles_required(*STAFF_ROLES)
def legal_pages():
    rows = [
        (kind, [pages.current_page(kind, locale) for locale in SUPPORTED_LOCALES])
        for kind in pages.KINDS
    ]
    return render_template("admin/legal_pages.html", rows=rows, locales=SUPPORTED_LOCALES)


@bp.route("/pages/<kind>/<locale>", methods=["GET", "POST"])
@roles_required(*STAFF_ROLES)
def legal_page(kind: str, locale: str):
    if kind not in pages.KINDS or locale not in SUPPORTED_LOCALES:
        abort(404)
    error = None
    shown = pages.current_page(kind, locale)
    form = {"title": shown.title, "body": shown.body}
    if request.method == "POST":
        form = {"title": request.form.get("title", ""), "body": request.form.get("body", "")}
        try:
            saved = pages.save_page(kind, locale, form["title"], form["body"], current_user.id)
        except pages.PageError as refused:
            db.session.rollback()
            error = refused
        else:
            db.session.commit()
            flash(f"{kind} ({locale}) saved as version {saved.version}.", "success")
            return redirect(url_for("admin.legal_page", kind=kind, locale=locale), 303)
    return render_template(
        "admin/legal_page.html",
        kind=kind,
        locale=locale,
        shown=shown,
        form=form,
        error=error,
        versions=pages.history(kind, locale),
    ), (422 if error else 200)


@bp.get("/pages/<kind>/<locale>/<int:version>")
@roles_required(*STAFF_ROLES)
def legal_page_version(kind: str, locale: str, version: int):
    row = pages.version_of(kind, version)
    if row is None or row.locale != locale:
        abort(404)
    text = pages.PageText(row.kind, row.locale, row.version, row.title, row.body)
    return render_template("admin/legal_page_version.html", page=text, saved=row)
