"""The product fields the admin API's PATCH changes beside the selling model, read from
the JSON body into `catalog.operations.ProductChanges` (the back office's own checks)."""

from __future__ import annotations

from ..catalog.operations import ProductChanges
from ..catalog.tables import Product
from .errors import ApiError

TEXT_FIELDS = ("name", "description", "hs_code", "origin_country", "material", "grade")
SIZE_FIELDS = ("weight_grams", "length_mm", "width_mm", "height_mm")
FIELDS = (*TEXT_FIELDS, *SIZE_FIELDS, "qc_status", "is_published", "brand", "category")


def _text(body: dict, name: str, *, nullable: bool = False) -> str | None:
    value = body[name]
    if value is None and nullable:
        return ""
    if not isinstance(value, str):
        raise ApiError(400, f"invalid_{name}", f"{name} must be text.", name)
    return value


def _whole(body: dict, name: str) -> int:
    value = body[name]
    if isinstance(value, bool) or not isinstance(value, int):
        raise ApiError(400, f"invalid_{name}", f"{name} must be a whole number.", name)
    return value


def product_changes(product: Product, body: dict) -> ProductChanges | None:
    """The product as the body changes it; None when the body names no product field."""
    if not any(name in body for name in FIELDS):
        return None
    given = {name: _text(body, name) for name in TEXT_FIELDS if name in body}
    if "is_published" in body and not isinstance(body["is_published"], bool):
        raise ApiError(
            400, "invalid_is_published", "is_published is true or false.", "is_published"
        )
    return ProductChanges(
        name=given.get("name", product.name),
        description=given.get("description", product.description),
        hs_code=given.get("hs_code", product.hs_code),
        origin_country=given.get("origin_country", product.origin_country),
        material=given.get("material", product.material),
        grade=given.get("grade", product.grade),
        is_published=body.get("is_published", product.is_published),
        **{name: _whole(body, name) for name in SIZE_FIELDS if name in body},
        qc_status=_text(body, "qc_status", nullable=True) if "qc_status" in body else None,
        brand=_text(body, "brand") if "brand" in body else None,
        category=_text(body, "category") if "category" in body else None,
    )


def product_json(product: Product) -> dict:
    """The fields a PATCH may send, as they are now."""
    return {
        **{name: getattr(product, name) for name in (*TEXT_FIELDS, *SIZE_FIELDS)},
        "qc_status": product.qc_status,
        "is_published": product.is_published,
        "brand": product.brand.slug,
        "category": product.category.slug,
    }
