"""A product's variants in the admin API: list them (archived ones too), add one, change
its options, base price and trade quantities, archive and restore it, through
`catalog.variants`; an agent only for its brands' products (others are not found)."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from flask import jsonify

from channels.money import InvalidMoney, Money

from ..catalog.operations import VariantInput
from ..catalog.tables import Product, Variant
from ..catalog.variants import (
    add_variant,
    archive_variant,
    edit_variant,
    restore_variant,
    variant_of,
)
from ..db import db
from .admin import caller_product
from .errors import ApiError, json_object
from .spec import operation
from .views import bp

_DESCRIBED = {"tags": ["back office"], "security": "bearer"}


def _product(slug: str) -> Product:
    return caller_product(slug)[2]


def _variant(slug: str, sku: str) -> Variant:
    variant = variant_of(_product(slug), sku)
    if variant is None:
        raise ApiError(404, "variant_not_found", f"{slug} has no variant {sku}.", "sku")
    return variant


def variant_json(variant: Variant) -> dict:
    return {
        "sku": variant.sku,
        "options": variant.options,
        "price": Money(variant.price_amount, variant.price_currency).as_json(),
        "min_quantity": variant.wholesale_min_quantity,
        "step": variant.wholesale_step,
        "is_archived": variant.is_archived,
    }


def _price(body: dict) -> Decimal:
    try:
        amount = Decimal(str(body["price"]))
    except (InvalidOperation, ValueError):
        amount = None
    if amount is None or not amount.is_finite() or isinstance(body["price"], bool | float):
        raise ApiError(400, "invalid_price", "price must be a decimal string.", "price")
    return amount


def _options(body: dict) -> dict[str, str]:
    options = body["options"]
    if not isinstance(options, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in options.items()
    ):
        raise ApiError(400, "invalid_options", "options maps names to text.", "options")
    return options


def _quantity(body: dict, name: str) -> int | None:
    value = body.get(name)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise ApiError(400, f"invalid_{name}", f"{name} must be a whole number.", name)
    return value


@bp.get("/admin/products/<slug>/variants")
@operation(
    "A product's variants, archived ones too",
    response="AdminVariantList",
    errors=(401, 403, 404),
    **_DESCRIBED,
)
def admin_variants(slug: str):
    return jsonify(items=[variant_json(v) for v in _product(slug).variants])


@bp.post("/admin/products/<slug>/variants")
@operation(
    "Add a variant (its SKU unique in the shop, its price in the base currency)",
    body="AdminVariantCreate",
    response="AdminVariant",
    errors=(400, 401, 403, 404),
    status=201,
    **_DESCRIBED,
)
def admin_add_variant(slug: str):
    product = _product(slug)
    body = json_object()
    sku = body.get("sku")
    if not isinstance(sku, str):
        raise ApiError(400, "invalid_sku", "sku must be text.", "sku")
    if "price" not in body:
        raise ApiError(400, "invalid_price", "price must be a decimal string.", "price")
    try:
        price = Money(_price(body), product.price_currency)
    except InvalidMoney:
        raise ApiError(400, "invalid_price", "price must be a decimal string.", "price") from None
    variant = add_variant(
        product,
        VariantInput(sku, price, _options(body) if "options" in body else {}),
        **{
            name: value
            for name in ("min_quantity", "step")
            if (value := _quantity(body, name)) is not None
        },
    )  # refusals answer 400 with their field
    db.session.commit()
    return jsonify(variant_json(variant)), 201


@bp.patch("/admin/products/<slug>/variants/<sku>")
@operation(
    "Change a variant's options, base price, trade minimum or step (the fields given); "
    "placed orders keep what they were sold at",
    body="AdminVariantChange",
    response="AdminVariant",
    errors=(400, 401, 403, 404),
    **_DESCRIBED,
)
def admin_edit_variant(slug: str, sku: str):
    variant = _variant(slug, sku)
    body = json_object()
    edit_variant(
        variant,
        options=_options(body) if "options" in body else None,
        price=_price(body) if "price" in body else None,
        min_quantity=_quantity(body, "min_quantity"),
        step=_quantity(body, "step"),
    )
    db.session.commit()
    return jsonify(variant_json(variant))


@bp.post("/admin/products/<slug>/variants/<sku>/archive")
@operation(
    "Archive a variant: no longer sold (not shown, not addable to a cart); orders that "
    "point at it keep it. Refused for the product's last variant on sale",
    response="AdminVariant",
    errors=(400, 401, 403, 404),
    **_DESCRIBED,
)
def admin_archive_variant(slug: str, sku: str):
    variant = archive_variant(_variant(slug, sku))
    db.session.commit()
    return jsonify(variant_json(variant))


@bp.post("/admin/products/<slug>/variants/<sku>/restore")
@operation(
    "Restore an archived variant: on sale again",
    response="AdminVariant",
    errors=(401, 403, 404),
    **_DESCRIBED,
)
def admin_restore_variant(slug: str, sku: str):
    variant = restore_variant(_variant(slug, sku))
    db.session.commit()
    return jsonify(variant_json(variant))
