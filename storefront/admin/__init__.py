"""The back office at /admin: product list and edit form."""

from __future__ import annotations

import datetime

from flask import (
    Blueprint,
    Flask,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from sqlalchemy import func, or_, select
from sqlalchemy.orm import selectinload

from models_ import SELLING_MODELS

from ..accounts import roles_required
from ..accounts.tables import Role
from ..catalog.operations import CatalogError, ProductChanges, update_product
from ..catalog.queries import product_by_slug
from ..catalog.tables import Brand, Product
from ..db import db
from ..markets import all_channels
from ..markets.rates import current_rates
from .forms import ProductForm

bp = Blueprint("admin", __name__, url_prefix="/admin")
PER_PAGE = 50
# Agents see only their entrusted brands; until brand entrustment exists they see nothing.
STAFF_ROLES = (Role.OWNER, Role.STAFF)


@bp.get("/")
@roles_required(*STAFF_ROLES)
def index():
    return redirect(url_for("admin.products"))


@bp.get("/products")
@roles_required(*STAFF_ROLES)
def products():
    q = (request.args.get("q") or "").strip()
    page = max(1, request.args.get("page", 1, type=int) or 1)
    statement = select(Product).join(Brand).options(selectinload(Product.variants))
    if q:
        pattern = f"%{q.lower()}%"
        statement = statement.where(
            or_(
                func.lower(Product.name).like(pattern),
                func.lower(Product.slug).like(pattern),
                func.lower(Brand.name).like(pattern),
            )
        )
    total = db.session.scalar(select(func.count()).select_from(statement.subquery()))
    rows = db.session.scalars(
        statement.order_by(Product.id.desc()).limit(PER_PAGE).offset((page - 1) * PER_PAGE)
    ).all()
    return render_template(
        "admin/products.html",
        products=rows,
        q=q,
        page=page,
        total=total,
        pages=max(1, -(-total // PER_PAGE)),
        models=SELLING_MODELS,
    )


@bp.route("/products/<slug>", methods=["GET", "POST"])
@roles_required(*STAFF_ROLES)
def edit_product(slug: str):
    product = product_by_slug(slug, published_only=False)
    if product is None:
        abort(404)
    form = ProductForm(obj=product)
    price_inputs = {
        v.sku: request.form.get(f"price-{v.sku}", str(v.price_amount.normalize()))
        for v in product.variants
    }
    price_errors: dict[str, str] = {}
    if form.validate_on_submit():
        prices = {}
        for sku, raw in price_inputs.items():
            try:
                prices[sku] = _decimal(raw)
            except ValueError:
                price_errors[sku] = "Enter a price like 49.00."
        if not price_errors:
            try:
                update_product(
                    product,
                    ProductChanges(
                        name=form.name.data,
                        description=form.description.data or "",
                        hs_code=form.hs_code.data.strip(),
                        origin_country=form.origin_country.data.strip(),
                        material=form.material.data,
                        grade=form.grade.data,
                        selling_model=form.selling_model.data,
                        is_published=form.is_published.data,
                        prices=prices,
                    ),
                )
            except CatalogError as error:
                db.session.rollback()
                product = product_by_slug(slug, published_only=False)
                target = getattr(form, error.field or "", None)
                if target is not None and hasattr(target, "errors"):
                    target.errors = [*target.errors, error.message]
                else:
                    flash(error.message, "error")
            else:
                db.session.commit()
                flash(f"Saved {product.name}.", "success")
                return redirect(url_for("admin.edit_product", slug=slug), 303)
    status = 422 if request.method == "POST" else 200
    return render_template(
        "admin/product_edit.html",
        product=product,
        form=form,
        price_inputs=price_inputs,
        price_errors=price_errors,
    ), status


def _decimal(raw: str):
    from decimal import Decimal, InvalidOperation

    try:
        value = Decimal(raw.strip())
    except (InvalidOperation, AttributeError):
        raise ValueError(raw) from None
    if not value.is_finite():
        raise ValueError(raw)
    return value


@bp.app_context_processor
def rates_warning():
    """Channels whose currency's rate is stale (or missing), for the back-office banner."""
    if not request.blueprint == "admin":
        return {}
    current = current_rates()
    today = datetime.datetime.now(datetime.UTC).date()
    max_age = current_app.config["FX_MAX_AGE_DAYS"]
    stale = set(current.stale_currencies(today, max_age))
    needed = {c.currency for c in all_channels()} - {current_app.config["BASE_CURRENCY"]}
    return {
        "stale_rates": sorted(needed & stale),
        "missing_rates": sorted(c for c in needed if c not in current.rateset.rates),
        "rates_date": current.rateset.date,
    }


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
