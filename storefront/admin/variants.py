"""A product's variants in the back office: add one, change its options, base price and
trade quantities, archive it (with a confirming tick) or restore it. Every change goes
through `catalog.variants`; an agent sees only its brands' products."""

from __future__ import annotations

from flask import abort, flash, redirect, request

from channels.money import InvalidMoney, Money

from ..catalog.operations import CatalogError, VariantInput
from ..catalog.tables import Product, Variant
from ..catalog.variants import (
    add_variant,
    archive_variant,
    edit_variant,
    restore_variant,
    variant_of,
)
from ..db import db
from ..mount import render_template, url_for
from ..request_checks import whole_number
from . import bp
from .products import _decimal, _options, _visible_product
from .scope import scoped_view

NEW = "new"  # the add form's key among the rows' errors and inputs


class _Refused(Exception):
    """A form's fields refused, each with its message."""

    def __init__(self, errors: dict[str, str]):
        super().__init__(errors)
        self.errors = errors


def _row_inputs(variant: Variant) -> dict[str, str]:
    return {
        "options": ", ".join(f"{k}={v}" for k, v in variant.options.items()),
        "price": str(variant.price_amount.normalize()),
        "min_quantity": str(variant.wholesale_min_quantity),
        "step": str(variant.wholesale_step),
    }


def _parsed(form, currency: str) -> dict:
    """The row's fields as the services take them; every field's problem at once."""
    values, errors = {}, {}
    try:
        values["options"] = _options(form.get("options") or "")
    except CatalogError as error:
        errors["options"] = error.message
    try:
        values["price"] = Money(_decimal(form.get("price") or ""), currency)
    except (ValueError, InvalidMoney):
        errors["price"] = f"Enter a price in {currency} like 49.00."
    for name in ("min_quantity", "step"):
        raw = (form.get(name) or "1").strip()
        number = whole_number(raw)
        if number is None:
            errors[name] = "Enter a whole number of at least 1."
        else:
            values[name] = number
    if errors:
        raise _Refused(errors)
    return values


def _page(product: Product, errors: dict | None = None, inputs: dict | None = None):
    rows = {v.sku: _row_inputs(v) for v in product.variants}
    rows[NEW] = {"sku": "", "options": "", "price": "", "min_quantity": "1", "step": "1"}
    rows.update(inputs or {})
    return render_template(
        "admin/product_variants.html",
        product=product,
        rows=rows,
        errors=errors or {},
        new=NEW,
    ), (422 if errors else 200)


def _saved(product: Product, message: str):
    db.session.commit()
    flash(message, "success")
    return redirect(url_for("admin.product_variants", slug=product.slug), 303)


def _refused(slug: str, key: str, errors: dict[str, str], *, typed: bool = True):
    """The page again with the row's fields marked (and as typed); nothing written."""
    db.session.rollback()
    inputs = {key: dict(request.form)} if typed else {}
    return _page(_visible_product(slug), {key: errors}, inputs)


@bp.get("/products/<slug>/variants")
@scoped_view
def product_variants(slug: str):
    return _page(_visible_product(slug))


@bp.post("/products/<slug>/variants")
@scoped_view
def add_product_variant(slug: str):
    product = _visible_product(slug)
    sku = (request.form.get("sku") or "").strip()
    try:
        values = _parsed(request.form, product.price_currency)
        variant = add_variant(
            product,
            VariantInput(sku, values["price"], values["options"]),
            min_quantity=values["min_quantity"],
            step=values["step"],
        )
    except _Refused as refused:
        return _refused(slug, NEW, refused.errors)
    except CatalogError as error:
        return _refused(slug, NEW, {error.field or "sku": error.message})
    return _saved(product, f"Added {variant.sku}.")


def _variant(slug: str, sku: str) -> tuple[Product, Variant]:
    product = _visible_product(slug)
    variant = variant_of(product, sku)
    if variant is None:
        abort(404)
    return product, variant


@bp.post("/products/<slug>/variants/<sku>")
@scoped_view
def edit_product_variant(slug: str, sku: str):
    product, variant = _variant(slug, sku)
    try:
        values = _parsed(request.form, product.price_currency)
        edit_variant(
            variant,
            options=values["options"],
            price=values["price"].amount,
            min_quantity=values["min_quantity"],
            step=values["step"],
        )
    except _Refused as refused:
        return _refused(slug, sku, refused.errors)
    except CatalogError as error:
        return _refused(slug, sku, {error.field or "price": error.message})
    return _saved(product, f"Saved {sku}.")


@bp.post("/products/<slug>/variants/<sku>/archive")
@scoped_view
def archive_product_variant(slug: str, sku: str):
    product, variant = _variant(slug, sku)
    if request.form.get("confirm") != "y":
        return _refused(slug, sku, {"confirm": "Tick the box to confirm archiving."}, typed=False)
    try:
        archive_variant(variant)
    except CatalogError as error:
        return _refused(slug, sku, {"confirm": error.message}, typed=False)
    return _saved(product, f"Archived {sku}: it is no longer sold; placed orders keep it.")


@bp.post("/products/<slug>/variants/<sku>/restore")
@scoped_view
def restore_product_variant(slug: str, sku: str):
    product, variant = _variant(slug, sku)
    restore_variant(variant)
    return _saved(product, f"Restored {sku}: it is on sale again.")
