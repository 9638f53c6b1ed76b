"""Read-side catalog queries for buyer pages and the API.

The listing is built from plain columns in one statement (plus one count), so
its cost does not grow with the number of products shown or stored.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

from sqlalchemy import and_, false, func, literal, select
from sqlalchemy.orm import aliased, selectinload

from channels.money import Money
from i18n import translated

from ..db import db
from ..markets.tables import ChannelPrice
from . import search
from .tables import Brand, Category, Product, ProductImage, ProductText, Variant


@dataclass(frozen=True)
class ProductCard:
    id: int
    slug: str
    name: str
    brand: str
    category: str
    grade: str
    selling_model: str
    material: str
    image: str | None
    image_sizes: dict | None  # an upload's sizes (catalog.images), None for a drawing
    # Lowest base price among variants without an explicit price in the channel, and the
    # lowest explicit price; markets.pricing turns them into `price`.
    base_from: Money | None
    explicit_from: Decimal | None
    price: Money | None = None


@dataclass(frozen=True)
class Filters:
    category: str | None = None
    material: str | None = None
    grade: str | None = None
    q: str | None = None


@dataclass(frozen=True)
class Page:
    items: list[ProductCard]
    total: int
    number: int
    per_page: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))

    @property
    def has_next(self) -> bool:
        return self.number < self.pages


def categories() -> list[Category]:
    """The categories in the shop's navigation (archived ones are not)."""
    return list(
        db.session.scalars(
            select(Category)
            .where(Category.is_archived.is_(False))
            .order_by(Category.position, Category.name)
        )
    )


def _conditions(filters: Filters):
    conditions = [Product.is_published.is_(True)]
    if filters.category:
        conditions.append(Category.slug == filters.category)
    if filters.material:
        conditions.append(Product.material == filters.material)
    if filters.grade:
        conditions.append(Product.grade == filters.grade)
    return conditions


def _searched(statement, filters: Filters, locale: str, *, ranked: bool = True):
    """The statement narrowed to the products matching the query (catalog.search), and the
    score to rank them by; (statement, None) without a query."""
    if not filters.q:
        return statement, None
    dialect = db.session.get_bind().dialect.name
    matched = search.matches(filters.q, locale, dialect, ranked=ranked)
    if matched is None:  # nothing but punctuation or search syntax: nothing matches
        return statement.where(false()), None
    return statement.join(matched, matched.c.product_id == Product.id), matched.c.score


@lru_cache(maxsize=256)
def _card_statement(locale: str, channel_id: int | None):
    """The cards' columns for one locale and channel, built once per process (a Select is
    immutable: each request narrows a copy); SQLAlchemy caches its compiled SQL too."""
    text = aliased(ProductText)
    has_explicit = (
        select(ChannelPrice.id)
        .where(ChannelPrice.variant_id == Variant.id, ChannelPrice.channel_id == channel_id)
        .exists()
    )
    base_from = (
        select(func.min(Variant.price_amount))
        .where(Variant.product_id == Product.id, Variant.is_archived.is_(False), ~has_explicit)
        .correlate(Product)
        .scalar_subquery()
    )
    explicit_from = (
        select(func.min(ChannelPrice.amount))
        .join(Variant, Variant.id == ChannelPrice.variant_id)
        .where(
            Variant.product_id == Product.id,
            Variant.is_archived.is_(False),
            ChannelPrice.channel_id == channel_id,
        )
        .correlate(Product)
        .scalar_subquery()
    )
    first_image, first_image_sizes = (
        select(column)
        .where(ProductImage.product_id == Product.id)
        .order_by(ProductImage.position, ProductImage.id)
        .limit(1)
        .correlate(Product)
        .scalar_subquery()
        for column in (ProductImage.filename, ProductImage.sizes)
    )
    statement = (
        select(
            Product.id,
            Product.slug,
            func.coalesce(text.name, Product.name),
            Brand.name,
            Category.name,
            Product.price_currency,
            Product.grade,
            Product.selling_model,
            Product.material,
            first_image,
            base_from,
            explicit_from,
            first_image_sizes,
            Brand.names,
            Category.names,
        )
        .join(Brand, Brand.id == Product.brand_id)
        .join(Category, Category.id == Product.category_id)
        .outerjoin(text, and_(text.product_id == Product.id, text.locale == locale))
    )
    return statement


def _card(row, locale: str) -> ProductCard:
    return ProductCard(
        id=row[0],
        slug=row[1],
        name=row[2],
        brand=translated(row[13], row[3], locale),
        category=translated(row[14], row[4], locale),
        grade=row[6],
        selling_model=row[7],
        material=row[8],
        image=row[9],
        image_sizes=row[12],
        base_from=Money(Decimal(row[10]), row[5]) if row[10] is not None else None,
        explicit_from=Decimal(row[11]) if row[11] is not None else None,
    )


# Every product has its brand (a required foreign key), so the count leaves the brand out:
# it then reads only the listing index (category, published), ten times faster at 100,000;
# count(*) reads no column of it (a third faster than count(id) on SQLite).
_COUNT = (
    select(func.count()).select_from(Product).join(Category, Category.id == Product.category_id)
)


_RANKED = select(Product.id).join(Category, Category.id == Product.category_id)


def listing(
    filters: Filters,
    locale: str,
    channel_id: int | None,
    page: int = 1,
    per_page: int = 24,
    *,
    counted: bool = True,
) -> Page:
    """A page of cards; `counted=False` skips counting every match (a page without page
    links: its total is then the cards shown)."""
    conditions = _conditions(filters)
    total = None
    if counted:
        count_statement, _ = _searched(_COUNT, filters, locale, ranked=False)
        total = db.session.scalar(count_statement.where(*conditions))
    page = max(1, page)
    offset = (page - 1) * per_page
    cards = _card_statement(locale, channel_id)
    if not filters.q:  # newest first: the listing index gives the page in order
        statement = cards.where(*conditions).order_by(Product.id.desc())
        rows = db.session.execute(statement.limit(per_page).offset(offset))
    else:
        # Ranked: the page's ids first, then their cards. Sorting the cards themselves would
        # work out every match's prices and image (a common word: thousands) for 24 shown.
        ids, score = _searched(_RANKED, filters, locale)
        if score is None:  # no words to search for: nothing matches
            score = literal(0.0)
        best = (
            ids.add_columns(score.label("score"))
            .where(*conditions)
            .order_by(score.desc(), Product.id.desc())
            .limit(per_page)
            .offset(offset)
            .subquery("page")
        )
        statement = cards.join(best, best.c.id == Product.id)
        rows = db.session.execute(statement.order_by(best.c.score.desc(), Product.id.desc()))
    items = [_card(r, locale) for r in rows]
    return Page(
        items=items, total=len(items) if total is None else total, number=page, per_page=per_page
    )


def cards_after(
    filters: Filters, locale: str, channel_id: int | None, after_id: int | None, limit: int
) -> list[ProductCard]:
    """Keyset page for the API: newest first, strictly older than `after_id`."""
    # Newest first even when searching: the cursor is a product id.
    statement, _ = _searched(_card_statement(locale, channel_id), filters, locale)
    conditions = _conditions(filters)
    if after_id is not None:
        conditions.append(Product.id < after_id)
    rows = db.session.execute(statement.where(*conditions).order_by(Product.id.desc()).limit(limit))
    return [_card(r, locale) for r in rows]


def product_by_slug(slug: str, *, published_only: bool = True) -> Product | None:
    statement = (
        select(Product)
        .where(Product.slug == slug)
        .options(
            selectinload(Product.variants),
            selectinload(Product.images),
            selectinload(Product.texts),
        )
    )
    if published_only:
        statement = statement.where(Product.is_published.is_(True))
    return db.session.scalar(statement)


def localized_text(product: Product, locale: str) -> tuple[str, str]:
    """Name and description in `locale`, falling back to the language, then the default."""
    names = {t.locale: t.name for t in product.texts}
    descriptions = {t.locale: t.description for t in product.texts}
    return (
        translated(names, product.name, locale),
        translated(descriptions, product.description, locale),
    )


def local_names(products: Iterable[Product], locale: str) -> dict[int, str]:
    """Each product's name in `locale` (with the same fallback), read in one query."""
    products = {p.id: p for p in products}
    rows = db.session.execute(
        select(ProductText.product_id, ProductText.locale, ProductText.name).where(
            ProductText.product_id.in_(products),
            ProductText.locale.in_({locale, locale.split("_")[0]}),
        )
    )
    names: dict[int, dict[str, str]] = {}
    for product_id, text_locale, name in rows:
        names.setdefault(product_id, {})[text_locale] = name
    return {
        product_id: translated(names.get(product_id), product.name, locale)
        for product_id, product in products.items()
    }
