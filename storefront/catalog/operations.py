"""Changes to the catalog. Services validate, flush and never commit."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

import pycountry
from sqlalchemy import select

from channels.money import InvalidMoney, Money
from i18n import SUPPORTED_LOCALES
from models_ import SettingsError, UnknownSellingModel

from ..db import db
from ..errors import InputError
from ..fulfilment import registry
from ..fulfilment.context import ShopContext
from .tables import (
    Brand,
    Category,
    Grade,
    Product,
    ProductImage,
    ProductText,
    SellingModelChange,
    Variant,
)

IMITATION = "imitation"
MATERIALS = (
    "sterling silver",
    "gold vermeil",
    "14k gold",
    "18k gold",
    "brass",
    "stainless steel",
    "titanium",
    "pearl",
    "platinum",
)
_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_HS_CODE = re.compile(r"^\d{4}(?:\.?\d{2}){1,3}$")
_SKU = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")


class CatalogError(InputError):
    """Input the catalog refuses; `field` names the offending field."""

    code = "invalid_product"


@dataclass
class VariantInput:
    sku: str
    price: Money
    options: dict[str, str] = field(default_factory=dict)


@dataclass
class ProductInput:
    slug: str
    name: str
    brand: str  # brand slug
    category: str  # category slug
    hs_code: str
    origin_country: str
    material: str
    weight_grams: int
    length_mm: int
    width_mm: int
    height_mm: int
    grade: str
    selling_model: str
    variants: list[VariantInput]
    description: str = ""
    qc_status: str | None = None
    texts: dict[str, tuple[str, str]] = field(default_factory=dict)  # locale -> (name, description)
    images: list[tuple[str, str]] = field(default_factory=list)  # (filename, alt)
    selling_model_settings: dict = field(default_factory=dict)


def check_grade(grade: str) -> str:
    if grade == IMITATION:
        raise CatalogError(
            "Imitations of another brand's design cannot be listed. Only genuine surplus "
            "export goods (original, skip or follow-up orders) or own designs are allowed.",
            field="grade",
        )
    if grade not in {g.value for g in Grade}:
        allowed = ", ".join(g.value for g in Grade)
        raise CatalogError(f"Unknown grade {grade!r}; expected one of: {allowed}.", field="grade")
    return grade


def check_selling_model(code: str, settings: dict | None = None) -> dict:
    """The model's own check of its settings; returns them cleaned."""
    try:
        model = registry().get(code)
    except UnknownSellingModel as error:
        raise CatalogError(str(error), field="selling_model") from None
    try:
        return model.check_settings(settings or {}, ShopContext())
    except SettingsError as error:
        raise CatalogError(
            error.message,
            field=f"selling_model_settings.{error.field}"
            if error.field
            else "selling_model_settings",
        ) from None


def check_country(code: str, field_name: str = "origin_country") -> str:
    if not code or len(code) != 2 or pycountry.countries.get(alpha_2=code.upper()) is None:
        raise CatalogError(f"{code!r} is not an ISO 3166-1 alpha-2 country code.", field=field_name)
    return code.upper()


def check_hs_code(code: str) -> str:
    if not _HS_CODE.match(code or ""):
        raise CatalogError(
            f"{code!r} is not an HS code: 6 to 10 digits, dots allowed (e.g. 7113.11).",
            field="hs_code",
        )
    return code


def check_slug(slug: str) -> str:
    if not _SLUG.match(slug or "") or len(slug) > 120:
        raise CatalogError(
            f"{slug!r} is not a slug: lower-case letters, digits and single hyphens.", field="slug"
        )
    return slug


def _check_positive(value: int, field_name: str) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or value <= 0:
        raise CatalogError(
            f"{field_name.replace('_', ' ')} must be a whole number above 0.", field=field_name
        )
    return value


def check_variant(variant: VariantInput, currency: str) -> None:
    if not _SKU.match(variant.sku or ""):
        raise CatalogError(
            f"{variant.sku!r} is not a SKU: letters, digits, '.', '_' or '-'.", field="sku"
        )
    if variant.price.currency != currency:
        raise CatalogError(
            f"Base prices are in {currency}; {variant.sku} is priced in {variant.price.currency}.",
            field="price",
        )
    if variant.price.amount <= 0 or not variant.price.is_rounded:
        raise CatalogError(
            f"Price of {variant.sku} must be above 0 with at most the currency's decimals.",
            field="price",
        )
    for key, value in variant.options.items():
        if not key or any(c in key + value for c in ";="):
            raise CatalogError(
                f"Option {key!r} of {variant.sku} may not contain ';' or '='.", field="options"
            )


def validate(data: ProductInput, currency: str) -> None:
    """Every check that needs no database; raises CatalogError on the first problem."""
    check_slug(data.slug)
    if not data.name or not data.name.strip() or len(data.name) > 200:
        raise CatalogError("A product needs a name of at most 200 characters.", field="name")
    check_grade(data.grade)
    data.selling_model_settings = check_selling_model(
        data.selling_model, data.selling_model_settings
    )
    check_hs_code(data.hs_code)
    data.origin_country = check_country(data.origin_country)
    if data.material not in MATERIALS:
        raise CatalogError(
            f"Unknown material {data.material!r}; expected one of: {', '.join(MATERIALS)}.",
            field="material",
        )
    for name in ("weight_grams", "length_mm", "width_mm", "height_mm"):
        _check_positive(getattr(data, name), name)
    if not data.variants:
        raise CatalogError(
            "A product needs at least one variant (SKU and price).", field="variants"
        )
    skus = [v.sku for v in data.variants]
    if len(set(skus)) != len(skus):
        raise CatalogError("The same SKU appears twice in one product.", field="sku")
    for variant in data.variants:
        check_variant(variant, currency)
    data.texts = {k: t for k, t in check_texts(data.texts).items() if t is not None}


def lookup_tables() -> tuple[dict[str, Brand], dict[str, Category]]:
    brands = {b.slug: b for b in db.session.scalars(select(Brand))}
    categories = {c.slug: c for c in db.session.scalars(select(Category))}
    return brands, categories


def create_product(
    data: ProductInput,
    currency: str,
    *,
    brands: dict[str, Brand] | None = None,
    categories: dict[str, Category] | None = None,
    taken_skus: set[str] | None = None,
    taken_slugs: set[str] | None = None,
) -> Product:
    """Validate and add one product with its variants; flushes nothing itself.

    Bulk callers pass the lookup dicts and the taken SKU/slug sets so that a
    10,000-row import runs a handful of queries instead of several per row.
    """
    validate(data, currency)
    if brands is None or categories is None:
        brands, categories = lookup_tables()
    brand = brands.get(data.brand)
    if brand is None or brand.is_archived:
        raise CatalogError(f"Unknown brand {data.brand!r}.", field="brand")
    category = categories.get(data.category)
    if category is None or category.is_archived:
        raise CatalogError(f"Unknown category {data.category!r}.", field="category")
    skus = [v.sku for v in data.variants]
    if taken_slugs is None:
        taken_slugs = set(db.session.scalars(select(Product.slug).where(Product.slug == data.slug)))
    if data.slug in taken_slugs:
        raise CatalogError(f"A product with slug {data.slug!r} exists already.", field="slug")
    if taken_skus is None:
        taken_skus = set(db.session.scalars(select(Variant.sku).where(Variant.sku.in_(skus))))
    clash = [s for s in skus if s in taken_skus]
    if clash:
        raise CatalogError(f"SKU {clash[0]} is already used by another product.", field="sku")

    product = Product(
        slug=data.slug,
        name=data.name.strip(),
        description=data.description.strip(),
        brand=brand,
        category=category,
        hs_code=data.hs_code,
        origin_country=data.origin_country,
        material=data.material,
        weight_grams=data.weight_grams,
        length_mm=data.length_mm,
        width_mm=data.width_mm,
        height_mm=data.height_mm,
        grade=data.grade,
        qc_status=data.qc_status,
        selling_model=data.selling_model,
        selling_model_settings=data.selling_model_settings,
        price_currency=currency,
        from_price_amount=min(v.price.amount for v in data.variants),
        variants=[
            Variant(
                sku=v.sku,
                price_amount=v.price.amount,
                price_currency=v.price.currency,
                options_text=";".join(f"{k}={val}" for k, val in v.options.items()),
            )
            for v in data.variants
        ],
        texts=[
            ProductText(locale=loc, name=n, description=d) for loc, (n, d) in data.texts.items()
        ],
        images=[
            ProductImage(filename=f, alt=a, position=i) for i, (f, a) in enumerate(data.images)
        ],
    )
    db.session.add(product)
    taken_slugs.add(data.slug)
    taken_skus.update(skus)
    return product


@dataclass
class ProductChanges:
    """What the back-office form and the admin API's PATCH may change."""

    name: str
    description: str
    hs_code: str
    origin_country: str
    material: str
    grade: str
    is_published: bool
    prices: dict[str, Decimal] = field(default_factory=dict)  # sku -> base price
    weight_grams: int | None = None  # None: unchanged, for these and the two slugs
    length_mm: int | None = None
    width_mm: int | None = None
    height_mm: int | None = None
    qc_status: str | None = None  # "" clears it
    brand: str | None = None  # slug
    category: str | None = None  # slug


def check_qc_status(status: str | None) -> str | None:
    status = (status or "").strip()
    if len(status) > 60:
        raise CatalogError("The QC status has at most 60 characters.", field="qc_status")
    return status or None


def _changed_taxonomy(product: Product, changes: ProductChanges) -> tuple[Brand, Category]:
    """The brand and category named (archived ones refused, unless the product has it)."""
    brand, category = product.brand, product.category
    if changes.brand is not None and changes.brand != brand.slug:
        brand = db.session.scalar(select(Brand).where(Brand.slug == changes.brand))
        if brand is None or brand.is_archived:
            raise CatalogError(f"Unknown brand {changes.brand!r}.", field="brand")
    if changes.category is not None and changes.category != category.slug:
        category = db.session.scalar(select(Category).where(Category.slug == changes.category))
        if category is None or category.is_archived:
            raise CatalogError(f"Unknown category {changes.category!r}.", field="category")
    return brand, category


def update_product(product: Product, changes: ProductChanges) -> Product:
    if not changes.name.strip() or len(changes.name.strip()) > 200:
        raise CatalogError("A product needs a name of at most 200 characters.", field="name")
    check_grade(changes.grade)
    check_hs_code(changes.hs_code)
    origin = check_country(changes.origin_country)
    if changes.material not in MATERIALS:
        raise CatalogError(f"Unknown material {changes.material!r}.", field="material")
    sizes = {}
    for name in ("weight_grams", "length_mm", "width_mm", "height_mm"):
        value = getattr(changes, name)
        sizes[name] = getattr(product, name) if value is None else _check_positive(value, name)
    qc_status = (
        product.qc_status if changes.qc_status is None else check_qc_status(changes.qc_status)
    )
    brand, category = _changed_taxonomy(product, changes)
    by_sku = {v.sku: v for v in product.variants}
    for sku, amount in changes.prices.items():
        if sku not in by_sku:
            raise CatalogError(f"{sku} is not a variant of this product.", field="prices")
        try:
            price = Money(amount, product.price_currency)
        except InvalidMoney as exc:
            raise CatalogError(str(exc), field="prices") from None
        check_variant(VariantInput(sku=sku, price=price), product.price_currency)
    for sku, amount in changes.prices.items():
        by_sku[sku].price_amount = amount
    product.name = changes.name.strip()
    product.description = changes.description.strip()
    product.hs_code = changes.hs_code
    product.origin_country = origin
    product.material = changes.material
    product.grade = changes.grade
    product.is_published = changes.is_published
    for name, value in sizes.items():
        setattr(product, name, value)
    product.qc_status = qc_status
    product.brand, product.category = brand, category
    product.from_price_amount = min(v.price_amount for v in product.live_variants)
    db.session.flush()
    return product


def switch_selling_model(
    product: Product, code: str, settings: dict | None, changed_by: int | None
) -> bool:
    """Put the product under another model (or new settings) for new orders; placed
    orders keep the model and settings they were sold under. Returns whether it changed."""
    cleaned = check_selling_model(code, settings)
    before = (product.selling_model, dict(product.selling_model_settings or {}))
    if before == (code, cleaned):
        return False
    db.session.add(
        SellingModelChange(
            product_id=product.id,
            changed_by=changed_by,
            from_code=before[0],
            from_settings=before[1],
            to_code=code,
            to_settings=cleaned,
        )
    )
    product.selling_model = code
    product.selling_model_settings = cleaned
    db.session.flush()
    return True


def check_texts(texts: dict[str, tuple[str, str]]) -> dict[str, tuple[str, str] | None]:
    """Name and description per locale of the shop's other languages, trimmed; None for a
    locale left blank (its buyers read the default language's)."""
    checked: dict[str, tuple[str, str] | None] = {}
    for locale, (name, description) in texts.items():
        if locale not in SUPPORTED_LOCALES[1:]:
            raise CatalogError(
                f"{locale!r} is not one of the shop's other languages "
                f"({', '.join(SUPPORTED_LOCALES[1:])}).",
                field=f"texts.{locale}",
            )
        name, description = (name or "").strip(), (description or "").strip()
        if (name or description) and (not name or len(name) > 200):
            raise CatalogError(
                f"The {locale} text needs a name of at most 200 characters.",
                field=f"texts.{locale}.name",
            )
        checked[locale] = (name, description) if name else None
    return checked


def set_texts(product: Product, texts: dict[str, tuple[str, str]]) -> Product:
    """Change the product's texts in the locales given (a blank one is removed); the other
    locales keep theirs."""
    by_locale = {t.locale: t for t in product.texts}
    for locale, text in check_texts(texts).items():
        row = by_locale.get(locale)
        if text is None:
            if row is not None:
                product.texts.remove(row)
        elif row is None:
            product.texts.append(ProductText(locale=locale, name=text[0], description=text[1]))
        else:
            row.name, row.description = text
    db.session.flush()
    return product
