"""Product search in the buyer's language.

Each product has a document per locale (its name, brand, category and description there,
and its default-language name), written whenever a flush touches those texts and rebuilt by
`flask catalog reindex`. PostgreSQL matches the document's lexemes (`terms`, GIN-indexed)
in the locale's text search configuration; SQLite matches the FTS5 tables the migration
keeps in step (Porter stems for English, word prefixes with light stemming for the others).
Every word of the query must match, as a prefix of a stemmed word, so "Perlen" finds
"Perle" and "Perlenkette". Chinese and Japanese are written without spaces, which neither
database splits into words: a query in those scripts matches as a substring.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable

from sqlalchemy import (
    Float,
    Integer,
    bindparam,
    cast,
    delete,
    event,
    func,
    insert,
    literal,
    or_,
    select,
    text,
)
from sqlalchemy import inspect as orm_inspect
from sqlalchemy.dialects.postgresql import REGCONFIG
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session

from i18n import SUPPORTED_LOCALES, translated

from ..db import db
from .tables import Brand, Category, Product, ProductSearchText, ProductText

DEFAULT_LOCALE = SUPPORTED_LOCALES[0]
# PostgreSQL's text search configuration per locale; "simple" lower-cases without stemming.
TEXT_SEARCH_CONFIG = {
    "en": "english",
    "de": "german",
    "fr": "french",
    "es": "spanish",
    "ja": "simple",
    "zh_Hans": "simple",
    "ar": "simple",
}
# Common inflections stripped from a query word before its prefix is matched (SQLite has
# no stemmer for these languages): "Perlen" -> "perl", "bagues" -> "bagu".
_ENDINGS = {
    "de": ("ern", "en", "er", "es", "em", "e", "n", "s"),
    "fr": ("es", "e", "s", "x"),
    "es": ("es", "s", "a", "o"),
}
# Words too common to narrow a search (PostgreSQL's configurations drop them from queries
# too; SQLite's FTS5 would require them).
_LITTLE_WORDS = {
    "en": "a an and the of in on with for to by from or",
    "de": "der die das den dem des ein eine einen einem und mit aus für von zu im in",
    "fr": "le la les l un une des du de d et en à au aux avec pour",
    "es": "el la los las un una unos unas de del y con en para por",
}
_SHORTEST_STEM = 3
COMPOUNDING_LOCALES = frozenset({"de"})
_WORD = re.compile(r"\w+")
_UNSPACED = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
MAX_WORDS = 8


def search_locale(locale: str) -> str:
    """The locale whose documents a buyer in `locale` searches (de for de_AT)."""
    for candidate in (locale, locale.split("_")[0]):
        if candidate in SUPPORTED_LOCALES:
            return candidate
    return DEFAULT_LOCALE


def query_words(query: str, locale: str = DEFAULT_LOCALE) -> list[str]:
    """The query's words, lower-cased: quotes, operators and punctuation are dropped, so
    nothing a buyer types is read as search syntax, and so are little words ("the", "mit")
    unless there is nothing else."""
    words = [w.lower() for w in _WORD.findall(query)][:MAX_WORDS]
    stop = _LITTLE_WORDS.get(locale, "").split()
    return [w for w in words if w not in stop] or words


def _stem(word: str, locale: str) -> str:
    for ending in _ENDINGS.get(locale, ()):
        if word.endswith(ending) and len(word) - len(ending) >= _SHORTEST_STEM:
            return word[: -len(ending)]
    return word


def _like_pattern(word: str) -> str:
    escaped = word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _sqlite_match(locale: str, name: str):
    """Ids of the documents FTS5 matches the phrase bound to `name` with (each word a quoted
    prefix, so NEAR, AND, "-" or "*" are only words), and the documents matching the phrase
    bound to `name`_any with their score (bm25, higher is better), as (id, score) rows: read
    in one pass, to be joined (asked per matched document, the score cost a full-text
    match per row: seconds for a common word in a large catalog)."""
    table = "shop_fts_product_en" if locale == DEFAULT_LOCALE else "shop_fts_product_intl"
    ids = text(f"SELECT rowid FROM {table} WHERE {table} MATCH :{name}")  # a fixed name
    scores = text(
        f"SELECT rowid AS id, -rank AS score FROM {table} WHERE {table} MATCH :{name}_any"
    )
    return ids, scores


def matches(query: str, locale: str, dialect: str, *, ranked: bool = True):
    """A subquery of the products matching every word of `query` in `locale`:
    (product_id, score), a higher score ranking first (0 for all when not `ranked`: a
    count); None when the query has no words."""
    locale = search_locale(locale)
    words = query_words(query, locale)
    if not words:
        return None
    doc = ProductSearchText
    unspaced = _UNSPACED.search(query) is not None
    # Words a language glues together ("Süßwasserperlenkette") or never spaces (真珠) are
    # also found inside longer words.
    inside = unspaced or locale in COMPOUNDING_LOCALES
    conditions = []
    source = doc.__table__
    if dialect == "postgresql":
        config = cast(literal(TEXT_SEARCH_CONFIG[locale]), REGCONFIG)
        for word in words:
            tsquery = func.to_tsquery(config, f"'{word}':*")
            # A word the configuration drops (a stop word it knows) leaves no lexeme.
            conditions.append([func.numnode(tsquery) == 0, doc.terms.op("@@")(tsquery)])
        any_word = func.to_tsquery(config, " | ".join(f"'{w}':*" for w in words))
        score = func.ts_rank(doc.terms, any_word) if ranked else literal(0.0)
    else:
        stems = [w if locale == DEFAULT_LOCALE else _stem(w, locale) for w in words]
        for n, stem in enumerate(stems):
            ids, _ = _sqlite_match(locale, f"word{n}")
            matched = ids.bindparams(**{f"word{n}": f'"{stem}"*'}).columns(rowid=Integer)
            conditions.append([doc.id.in_(matched)])
        score = literal(0.0)
        if ranked:  # a count needs no ranking
            _, best = _sqlite_match(locale, "words")
            best = best.bindparams(words_any=" OR ".join(f'"{s}"*' for s in stems))
            scores = best.columns(id=Integer, score=Float).subquery("ranked")
            source = source.outerjoin(scores, scores.c.id == doc.id)
            score = func.coalesce(scores.c.score, 0.0)
    for word, alternatives in zip(words, conditions, strict=True):
        if inside:
            pattern = _like_pattern(_stem(word, locale))
            alternatives.append(func.lower(doc.content).like(pattern, escape="\\"))
    return (
        select(doc.product_id, score.label("score"))
        .select_from(source)
        .where(doc.locale == locale, *(or_(*alternatives) for alternatives in conditions))
        .subquery("matched")
    )


def _documents(connection: Connection, product_ids: Collection[int]) -> list[dict]:
    products = connection.execute(
        select(
            Product.id,
            Product.name,
            Product.description,
            Brand.name,
            Brand.names,
            Category.name,
            Category.names,
        )
        .join(Brand, Brand.id == Product.brand_id)
        .join(Category, Category.id == Product.category_id)
        .where(Product.id.in_(product_ids))
    ).all()
    texts: dict[int, dict[str, tuple[str, str]]] = {}
    for product_id, locale, name, description in connection.execute(
        select(
            ProductText.product_id, ProductText.locale, ProductText.name, ProductText.description
        ).where(ProductText.product_id.in_(product_ids))
    ):
        texts.setdefault(product_id, {})[locale] = (name, description)
    documents = []
    for product_id, name, description, brand, brands, category, categories in products:
        own = texts.get(product_id, {})
        names = {loc: text[0] for loc, text in own.items()}
        descriptions = {loc: text[1] for loc, text in own.items()}
        for locale in SUPPORTED_LOCALES:
            local_name = translated(names, name, locale)
            parts = [
                local_name,
                translated(brands, brand, locale),
                translated(categories, category, locale),
                translated(descriptions, description, locale),
            ]
            if local_name != name:  # buyers also type the name they saw elsewhere
                parts.append(name)
            documents.append(
                {
                    "product": product_id,
                    "locale": locale,
                    "text": "\n".join(p for p in parts if p),
                    "config": TEXT_SEARCH_CONFIG[locale],
                }
            )
    return documents


def reindex(connection: Connection, product_ids: Collection[int]) -> None:
    """Rewrite the search documents of these products (a product no longer there loses its)."""
    if not product_ids:
        return
    product_ids = sorted(product_ids)
    documents = _documents(connection, product_ids)
    table = ProductSearchText.__table__
    connection.execute(delete(table).where(table.c.product_id.in_(product_ids)))
    if not documents:
        return
    values = {
        "product_id": bindparam("product"),
        "locale": bindparam("locale"),
        "content": bindparam("text"),
    }
    if connection.dialect.name == "postgresql":
        values["terms"] = func.to_tsvector(
            cast(bindparam("config"), REGCONFIG), cast(bindparam("text"), table.c.content.type)
        )
    connection.execute(insert(table).values(values), documents)


def product_ids(connection: Connection) -> list[int]:
    return list(connection.scalars(select(Product.id).order_by(Product.id)))


def _changed(instance, *names: str) -> bool:
    state = orm_inspect(instance)
    return any(state.attrs[name].history.has_changes() for name in names)


def _touched_products(session: Session) -> tuple[set[int], set[int], set[int]]:
    """Products, brands and categories whose searchable text this flush changed."""
    products: set[int] = set()
    brands: set[int] = set()
    categories: set[int] = set()
    written: Iterable = list(session.new) + list(session.dirty)
    for instance in written:
        if isinstance(instance, Product):
            if instance in session.new or _changed(
                instance, "name", "description", "brand_id", "category_id"
            ):
                products.add(instance.id)
        elif isinstance(instance, ProductText):
            products.add(instance.product_id)
        elif (
            isinstance(instance, Brand | Category)
            and instance not in session.new
            and _changed(instance, "name", "names")
        ):
            (brands if isinstance(instance, Brand) else categories).add(instance.id)
    for instance in session.deleted:
        if isinstance(instance, ProductText):
            products.add(instance.product_id)
    return products, brands, categories


def _after_flush(session: Session, flush_context) -> None:
    products, brands, categories = _touched_products(session)
    if not (products or brands or categories):
        return
    connection = session.connection()
    if brands or categories:
        products.update(
            connection.scalars(
                select(Product.id).where(
                    Product.brand_id.in_(brands) | Product.category_id.in_(categories)
                )
            )
        )
    reindex(connection, {p for p in products if p is not None})


def keep_current() -> None:
    """Rewrite the documents of what each flush changed, in the flush's own transaction."""
    sessions = db.session.session_factory
    if not event.contains(sessions, "after_flush", _after_flush):
        event.listen(sessions, "after_flush", _after_flush)
