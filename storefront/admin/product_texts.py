"""A product's name and description in the shop's other languages, on its edit page (a
form of its own, so the main form and this one save apart). Scoped as the edit page."""

from __future__ import annotations

from flask import flash, redirect, request

from i18n import SUPPORTED_LOCALES, translations_from_form

from ..catalog.operations import CatalogError, set_texts
from ..db import db
from ..mount import render_template, url_for
from . import bp
from .products import _visible_product
from .scope import scoped_view


@bp.post("/products/<slug>/texts")
@scoped_view
def product_texts(slug: str):
    product = _visible_product(slug)
    names = translations_from_form(request.form)
    descriptions = translations_from_form(request.form, "description")
    texts = {locale: (names[locale], descriptions[locale]) for locale in SUPPORTED_LOCALES[1:]}
    try:
        set_texts(product, texts)
    except CatalogError as error:
        db.session.rollback()
        return render_template(
            "admin/product_texts.html",
            product=_visible_product(slug),
            texts_values=request.form.to_dict(),
            texts_error=error,
        ), 422
    db.session.commit()
    flash(f"Texts of {product.name} saved.", "success")
    return redirect(url_for("admin.edit_product", slug=slug) + "#texts", 303)
