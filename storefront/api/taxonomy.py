"""Brands and categories in the admin API: list (paged), one, create, edit, archive. Staff
keys only; the rules are the catalog's (`catalog.taxonomy`), as on the back-office pages."""

from __future__ import annotations

from ..catalog import taxonomy
from ..catalog.tables import Brand, Category
from .errors import ApiError
from .records import Records, register


def _brand_json(brand: Brand) -> dict:
    return {
        "slug": brand.slug,
        "name": brand.name,
        "names": brand.names or {},
        "country": brand.country,
        "is_archived": brand.is_archived,
    }


def _category_json(category: Category) -> dict:
    return {
        "slug": category.slug,
        "name": category.name,
        "names": category.names or {},
        "position": category.position,
        "is_archived": category.is_archived,
    }


def _text(body: dict, name: str, current: str = "") -> str:
    value = body.get(name, current)
    if not isinstance(value, str):
        raise ApiError(400, f"invalid_{name}", f"{name} must be text.", name)
    return value


def _save_brand(body: dict, brand: Brand | None) -> Brand:
    data = taxonomy.BrandInput(
        _text(body, "slug", brand.slug if brand else ""),
        _text(body, "name", brand.name if brand else ""),
        _text(body, "country", brand.country if brand else ""),
        body.get("names"),
    )
    return taxonomy.save_brand(data, brand)


def _save_category(body: dict, category: Category | None) -> Category:
    position = body.get("position", category.position if category else 0)
    data = taxonomy.CategoryInput(
        _text(body, "slug", category.slug if category else ""),
        _text(body, "name", category.name if category else ""),
        position,
        body.get("names"),
    )
    return taxonomy.save_category(data, category)


for _records in (
    Records(
        "brands", Brand, "Brand", "brand", "slug",
        lambda q, archived: taxonomy.find(Brand, q, archived),
        lambda slug: taxonomy.by_slug(Brand, slug),
        _brand_json, _save_brand, taxonomy.archive,
        "its products keep it, no new product takes it",
    ),
    Records(
        "categories", Category, "Category", "category", "slug",
        lambda q, archived: taxonomy.find(Category, q, archived),
        lambda slug: taxonomy.by_slug(Category, slug),
        _category_json, _save_category, taxonomy.archive,
        "its products keep it, no new product takes it, it leaves the navigation",
    ),
):  # fmt: skip
    register(_records)
