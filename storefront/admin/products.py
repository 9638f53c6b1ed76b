"""Back-office product pages: the list, and the edit form with the selling model."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from flask import abort, flash, redirect, request
from sqlalchemy import func, or_, select
from sqlalchemy.orm import selectinload

from channels.money import InvalidMoney, Money
from models_ import AGENT, MAKER, SUPPLIER

from ..accounts.current import current_user
from ..catalog.operations import (
    MATERIALS,
    CatalogError,
    ProductChanges,
    ProductInput,
    VariantInput,
    create_product,
    switch_selling_model,
    update_product,
)
from ..catalog.queries import product_by_slug
from ..catalog.tables import Brand, Category, Grade, Product, SellingModelChange
from ..config import settings
from ..db import db
from ..fulfilment import registry
from ..fulfilment.tables import AgentCompany, Maker, Supplier
from ..mount import render_template, url_for
from ..request_checks import page_number, whole_number
from . import bp
from .forms import ProductForm
from .scope import current_scope, scoped_view

PER_PAGE = 50


@bp.get("/products")
@scoped_view
def products():
    q = (request.args.get("q") or "").strip()
    page = page_number()
    statement = current_scope().restrict(
        select(Product).join(Brand).options(selectinload(Product.variants)), Product.brand_id
    )
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
        models=dict(registry().choices()),
    )


def _decimal(raw: str) -> Decimal:
    try:
        value = Decimal(raw.strip())
    except (InvalidOperation, AttributeError):
        raise ValueError(raw) from None
    if not value.is_finite():
        raise ValueError(raw)
    return value


def _settings_inputs(product: Product | None) -> dict[str, dict[str, str]]:
    """Per model, its declared settings as the form shows them (current values filled in)."""
    current = (product.selling_model_settings or {}) if product else {}
    chosen = product.selling_model if product else None
    inputs = {}
    for code in registry().codes():
        model = registry().get(code)
        inputs[code] = {
            name: request.form.get(
                f"setting-{code}-{name}",
                str(current.get(name, "")) if code == chosen else "",
            )
            for name in model.settings
        }
    return inputs


def _partners(kind: str) -> list[tuple[str, str]]:
    """(code, "Name (code)") of the parties of a kind a new setting can name (not archived)."""
    table = {SUPPLIER: Supplier, AGENT: AgentCompany, MAKER: Maker}.get(kind)
    if table is None:
        return []
    query = select(table.code, table.name).where(table.is_active.is_(True)).order_by(table.name)
    return [(code, f"{name} ({code})") for code, name in db.session.execute(query)]


def _setting_choices() -> dict[tuple[str, str], list[tuple[str, str]]]:
    """Per (model, setting), the parties to choose from where the setting names the party
    that operates the model's lines (a supplier chooser, not a box to type a code in). An
    agent chooses only its own company, and sees no other."""
    scope = current_scope()
    choices = {}
    for code in registry().codes():
        operator = registry().get(code).operator({})
        found = _partners(operator.kind) if operator.setting else []
        if operator.kind == AGENT and scope.is_agent:
            found = [(c, label) for c, label in found if c == scope.agent_code]
        if found:
            choices[(code, operator.setting)] = found
    return choices


def _save(product: Product, form: ProductForm, prices: dict, settings: dict) -> None:
    scope = current_scope()
    scope.check_model_choice(form.selling_model.data, settings)
    update_product(
        product,
        ProductChanges(
            name=form.name.data,
            description=form.description.data or "",
            hs_code=form.hs_code.data.strip(),
            origin_country=form.origin_country.data.strip(),
            material=form.material.data,
            grade=form.grade.data,
            is_published=form.is_published.data,
            prices=prices,
            weight_grams=form.weight_grams.data,
            length_mm=form.length_mm.data,
            width_mm=form.width_mm.data,
            height_mm=form.height_mm.data,
            qc_status=form.qc_status.data if "qc_status" in request.form else None,
            brand=form.brand_slug.data or None,
            category=form.category_slug.data or None,
        ),
    )
    if not scope.allows(product.brand_id):
        raise CatalogError("Choose one of the brands listed.", field="brand_slug")
    switch_selling_model(product, form.selling_model.data, settings, current_user.id)


def _taxonomy_choices(form: ProductForm, product: Product) -> None:
    """The brands (the user's own) and categories a product may move to; its own ones even
    when archived. The current ones are chosen on a fresh form."""
    brands = db.session.scalars(
        current_scope()
        .restrict(select(Brand), Brand.id)
        .where(or_(Brand.is_archived.is_(False), Brand.id == product.brand_id))
        .order_by(Brand.name)
    ).all()
    categories = db.session.scalars(
        select(Category)
        .where(or_(Category.is_archived.is_(False), Category.id == product.category_id))
        .order_by(Category.position)
    ).all()
    form.brand_slug.choices = [(b.slug, b.name) for b in brands]
    form.category_slug.choices = [(c.slug, c.name) for c in categories]
    if request.method != "POST":
        form.brand_slug.data = product.brand.slug
        form.category_slug.data = product.category.slug


def _visible_product(slug: str) -> Product:
    """The product, if the user's brands include it; 404 alike for missing and out of scope."""
    product = product_by_slug(slug, published_only=False)
    if product is None or not current_scope().allows(product.brand_id):
        abort(404)
    return product


@bp.route("/products/<slug>", methods=["GET", "POST"])
@scoped_view
def edit_product(slug: str):
    product = _visible_product(slug)
    form = ProductForm(obj=product)
    form.selling_model.choices = registry().choices()
    _taxonomy_choices(form, product)
    price_inputs = {
        v.sku: request.form.get(f"price-{v.sku}", str(v.price_amount.normalize()))
        for v in product.variants
    }
    settings_inputs = _settings_inputs(product)
    errors: dict[str, str] = {}
    if form.validate_on_submit():
        prices = {}
        for sku, raw in price_inputs.items():
            try:
                prices[sku] = _decimal(raw)
            except ValueError:
                errors[f"price-{sku}"] = "Enter a price like 49.00."
        if not errors:
            settings = {k: v for k, v in settings_inputs[form.selling_model.data].items() if v}
            try:
                _save(product, form, prices, settings)
            except CatalogError as error:
                db.session.rollback()
                product = _visible_product(slug)
                named = {"brand": "brand_slug", "category": "category_slug"}
                target = getattr(form, named.get(error.field, error.field or ""), None)
                if target is not None and hasattr(target, "errors"):
                    target.errors = [*target.errors, error.message]
                else:
                    flash(error.message, "error")
            else:
                db.session.commit()
                flash(f"Saved {product.name}.", "success")
                return redirect(url_for("admin.edit_product", slug=slug), 303)
    history = db.session.scalars(
        select(SellingModelChange)
        .where(SellingModelChange.product_id == product.id)
        .order_by(SellingModelChange.id.desc())
        .limit(20)
    ).all()
    status = 422 if request.method == "POST" else 200
    return render_template(
        "admin/product_edit.html",
        product=product,
        form=form,
        price_inputs=price_inputs,
        errors=errors,
        settings_inputs=settings_inputs,
        models=registry(),
        history=history,
        setting_choices=_setting_choices(),
        int_type=int,
    ), status


VARIANT_ROWS = 5  # variant rows on the new-product form; more are added by editing or import
NEW_FIELDS = ("slug", "name", "description", "brand", "category", "hs_code", "origin_country",
              "material", "grade", "selling_model", "weight_grams", "length_mm", "width_mm",
              "height_mm")  # fmt: skip


def _options(raw: str) -> dict[str, str]:
    """ "size=7, colour=gold" as {"size": "7", "colour": "gold"}."""
    options = {}
    for part in filter(None, (p.strip() for p in raw.split(","))):
        name, _, value = part.partition("=")
        if not name.strip() or not value.strip():
            raise CatalogError(
                "Write options as name=value, separated by commas.", field="variants"
            )
        options[name.strip()] = value.strip()
    return options


def _new_product_input(form, currency: str) -> ProductInput:
    sizes = {}
    for name in ("weight_grams", "length_mm", "width_mm", "height_mm"):
        raw = (form.get(name) or "").strip()
        number = whole_number(raw)
        if number is None:
            raise CatalogError("Enter a whole number above 0.", field=name)
        sizes[name] = number
    variants = []
    for i in range(VARIANT_ROWS):
        sku = (form.get(f"sku-{i}") or "").strip()
        if not sku:
            continue
        try:
            price = Money(_decimal(form.get(f"price-{i}") or ""), currency)
        except (ValueError, InvalidMoney):
            raise CatalogError(f"Enter the price of {sku} like 49.00.", field="variants") from None
        variants.append(VariantInput(sku, price, _options(form.get(f"options-{i}") or "")))
    model = form.get("selling_model", "")
    settings = {k: v for k, v in _settings_inputs(None).get(model, {}).items() if v}
    return ProductInput(
        slug=(form.get("slug") or "").strip(),
        name=(form.get("name") or "").strip(),
        description=(form.get("description") or "").strip(),
        brand=form.get("brand", ""),
        category=form.get("category", ""),
        hs_code=(form.get("hs_code") or "").strip(),
        origin_country=(form.get("origin_country") or "").strip(),
        material=form.get("material", ""),
        grade=form.get("grade", "none"),
        selling_model=model,
        selling_model_settings=settings,
        variants=variants,
        **sizes,
    )


@bp.route("/products/new", methods=["GET", "POST"])
@scoped_view
def new_product():
    """A product with up to five variants, checked as the CSV import checks a row."""
    scope = current_scope()
    brands = db.session.scalars(
        scope.restrict(select(Brand).where(Brand.is_archived.is_(False)), Brand.id).order_by(
            Brand.name
        )
    ).all()
    categories = db.session.scalars(
        select(Category).where(Category.is_archived.is_(False)).order_by(Category.position)
    ).all()
    error = None
    if request.method == "POST":
        currency = settings()["BASE_CURRENCY"]
        try:
            data = _new_product_input(request.form, currency)
            scope.check_model_choice(data.selling_model, data.selling_model_settings)
            if data.brand not in {b.slug for b in brands}:
                raise CatalogError("Choose one of the brands listed.", field="brand")
            product = create_product(data, currency)
        except CatalogError as refused:
            db.session.rollback()
            error = refused
        else:
            db.session.commit()
            flash(f"{product.name} created.", "success")
            return redirect(url_for("admin.edit_product", slug=product.slug), 303)
    return render_template(
        "admin/product_new.html",
        form=request.form,
        error=error,
        brands=brands,
        categories=categories,
        materials=MATERIALS,
        grades=[g.value for g in Grade],
        models=registry(),
        settings_inputs=_settings_inputs(None),
        setting_choices=_setting_choices(),
        int_type=int,
        rows=range(VARIANT_ROWS),
        currency=settings()["BASE_CURRENCY"],
    ), (422 if error else 200)
