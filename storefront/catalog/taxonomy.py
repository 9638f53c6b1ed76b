"""Brands and categories: created, edited and archived (never deleted: products point at
them) through one service, for the back office and the admin API alike. Flushes only."""

from __future__ import annotations

import re
from dataclasses import dataclass

import pycountry
from sqlalchemy import func, or_, select

from i18n import translations

from ..db import db
from .operations import CatalogError
from .tables import Brand, Category

_SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{1,79}$")


@dataclass(frozen=True)
class BrandInput:
    slug: str
    name: str
    country: str  # ISO 3166-1 alpha-2: where the brand is from
    # The name in the shop's other locales ({"de": ...}); None keeps a brand's own.
    names: dict[str, str] | None = None


@dataclass(frozen=True)
class CategoryInput:
    slug: str
    name: str
    position: int = 0
    names: dict[str, str] | None = None


def _slug(raw: str) -> str:
    slug = (raw or "").strip().lower()
    if not _SLUG.match(slug):
        raise CatalogError(
            "A slug is 2 to 80 lowercase letters, digits and dashes, like silver-rings.",
            field="slug",
        )
    return slug


def _name(raw: str) -> str:
    name = (raw or "").strip()
    if not name or len(name) > 120:
        raise CatalogError("A name has 1 to 120 characters.", field="name")
    return name


def _names(raw: dict[str, str] | None, current: Brand | Category | None) -> dict[str, str]:
    """The names per locale as given; None keeps the record's own."""
    if raw is None:
        return dict(current.names or {}) if current is not None else {}
    try:
        return translations(raw, 120)
    except ValueError as error:
        raise CatalogError(str(error), field="names") from None


def _taken(table, slug: str, current) -> None:
    other = db.session.scalar(select(table).where(table.slug == slug))
    if other is not None and other is not current:
        raise CatalogError(f"The slug {slug!r} is taken.", field="slug")


def save_brand(data: BrandInput, brand: Brand | None = None) -> Brand:
    """Create a brand, or change one (`brand`)."""
    slug, name, names = _slug(data.slug), _name(data.name), _names(data.names, brand)
    country = (data.country or "").strip().upper()
    if pycountry.countries.get(alpha_2=country) is None:
        raise CatalogError(f"{country!r} is not an ISO 3166-1 country code.", field="country")
    _taken(Brand, slug, brand)
    if brand is None:
        brand = Brand(slug=slug, name=name, names=names, country=country)
        db.session.add(brand)
    else:
        brand.slug, brand.name, brand.names, brand.country = slug, name, names, country
    db.session.flush()
    return brand


def save_category(data: CategoryInput, category: Category | None = None) -> Category:
    """Create a category, or change one (`category`)."""
    slug, name, names = _slug(data.slug), _name(data.name), _names(data.names, category)
    position = data.position
    if isinstance(position, bool) or not isinstance(position, int) or not 0 <= position <= 9999:
        raise CatalogError("The position is a whole number from 0 to 9999.", field="position")
    _taken(Category, slug, category)
    if category is None:
        category = Category(slug=slug, name=name, names=names, position=position)
        db.session.add(category)
    else:
        category.slug, category.name, category.position = slug, name, position
        category.names = names
    db.session.flush()
    return category


def archive(record: Brand | Category, archived: bool = True) -> None:
    """Archive (or bring back) a brand or category: its products keep it, new ones cannot."""
    record.is_archived = archived
    db.session.flush()


def find(table, query: str = "", archived: bool = False):
    """A brand or category listing: matching slug or name, archived ones apart."""
    statement = select(table).where(table.is_archived.is_(archived)).order_by(table.name)
    query = query.strip().lower()
    if query:
        pattern = f"%{query}%"
        statement = statement.where(
            or_(func.lower(table.name).like(pattern), table.slug.like(pattern))
        )
    return statement


def by_slug(table, slug: str):
    return db.session.scalar(select(table).where(table.slug == slug))
