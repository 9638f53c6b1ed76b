"""Creating products through the admin API: the same checks as the CSV import and the
back office (`catalog.operations.create_product`); an agent creates only for the brands
entrusted to it, under a model it may choose."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from flask import jsonify

from channels.money import InvalidMoney, Money

from ..admin.scope import OutOfScope
from ..catalog.operations import CatalogError, ProductInput, VariantInput, create_product
from ..catalog.queries import product_by_slug
from ..config import settings
from ..db import db
from .admin import _caller, _product_json
from .errors import ApiError, json_object
from .product_texts import texts_from_body
from .spec import operation
from .views import bp

_TEXT = ("slug", "name", "brand", "category", "hs_code", "origin_country", "material", "grade")
_SIZES = ("weight_grams", "length_mm", "width_mm", "height_mm")


def _text(body: dict, name: str, default: str | None = None) -> str:
    value = body.get(name, default)
    if not isinstance(value, str):
        raise ApiError(400, f"invalid_{name}", f"{name} must be text.", name)
    return value


def _whole(body: dict, name: str) -> int:
    value = body.get(name)
    if isinstance(value, bool) or not isinstance(value, int):
        raise ApiError(400, f"invalid_{name}", f"{name} must be a whole number.", name)
    return value


def _variants(body: dict, currency: str) -> list[VariantInput]:
    raw = body.get("variants")
    if not isinstance(raw, list) or not raw:
        raise ApiError(
            400,
            "invalid_variants",
            "variants must be a list of {sku, price, options?}.",
            "variants",
        )
    variants = []
    for i, item in enumerate(raw):
        where = f"variants[{i}]"
        if not isinstance(item, dict):
            raise ApiError(400, "invalid_variants", f"{where} must be an object.", where)
        options = item.get("options", {})
        if not isinstance(options, dict) or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in options.items()
        ):
            raise ApiError(
                400, "invalid_options", f"{where}.options maps names to text.", f"{where}.options"
            )
        try:
            price = Money(Decimal(str(item.get("price"))), currency)
        except (InvalidOperation, InvalidMoney, ValueError):
            raise ApiError(
                400, "invalid_price", f"{where}.price must be a decimal string.", f"{where}.price"
            ) from None
        variants.append(VariantInput(_text(item, "sku"), price, options))
    return variants


@bp.post("/admin/products")
@operation(
    "Create a product with its variants (prices in the base currency), checked as the CSV "
    "import checks it; an agent only for its brands",
    tags=["back office"],
    body="ProductCreate",
    response="AdminProduct",
    errors=(400, 401, 403),
    security="bearer",
    status=201,
)
def admin_create_product():
    _user, scope = _caller()
    body = json_object()
    currency = settings()["BASE_CURRENCY"]
    model_settings = body.get("selling_model_settings", {})
    if not isinstance(model_settings, dict):
        raise ApiError(
            400,
            "invalid_selling_model_settings",
            "selling_model_settings must be an object.",
            "selling_model_settings",
        )
    data = ProductInput(
        **{name: _text(body, name, "" if name != "grade" else "none") for name in _TEXT},
        **{name: _whole(body, name) for name in _SIZES},
        selling_model=_text(body, "selling_model"),
        variants=_variants(body, currency),
        description=_text(body, "description", ""),
        selling_model_settings=model_settings,
        texts=texts_from_body(body) or {},
    )
    try:
        scope.check_model_choice(data.selling_model, model_settings)
        product = create_product(data, currency)
        if not scope.allows(product.brand.id):
            raise OutOfScope()
    except OutOfScope:
        db.session.rollback()
        raise ApiError(
            403, "forbidden", "This key may not add products of that brand or model."
        ) from None
    except CatalogError as error:
        db.session.rollback()
        raise ApiError(400, error.code, error.message, error.field) from None
    db.session.commit()
    return jsonify(_product_json(product_by_slug(product.slug))), 201
