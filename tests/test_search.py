"""Search finds pieces in the buyer's language: translated names, common inflections and
German compounds, Japanese words inside longer ones; on the page and in the API, ranked,
kept current as texts change, rebuilt by `flask catalog reindex`, and never broken by
what a buyer types."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

import pytest
from alembic.migration import MigrationContext
from alembic.operations import Operations
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from sqlalchemy import delete, select

from storefront.catalog.operations import set_texts
from storefront.catalog.tables import Brand, Product, ProductSearchText
from storefront.db import MIGRATIONS, db

GERMAN = {"Accept-Language": "de-DE,de;q=0.9"}
ENGLISH = {"Accept-Language": "en-GB,en;q=0.9"}

PEARLS = {
    # slug: (English name, German name, Japanese name)
    "bypass-ring": ("Pearl bypass ring", "Süßwasserperlen-Bypassring", "淡水パールリング"),
    "pearl-strand": ("Freshwater pearl strand", "Süßwasserperlenkette", "淡水真珠のネックレス"),
    "baroque": ("Baroque pearl pendant", "Anhänger mit Barockperle", "バロック真珠のペンダント"),
    "pearl-studs": ("Pearl studs", "Perlenstecker", "淡水真珠のイヤリング"),
    "seed-bracelet": ("Seed pearls bracelet", "Perlen-Armband", "ケシパールのブレスレット"),
}  # fmt: skip


@pytest.fixture
def pearl_catalog(make_product):
    for slug, (english, german, japanese) in PEARLS.items():
        make_product(
            slug=slug,
            name=english,
            material="pearl",
            description="Hand-knotted on silk.",
            texts={"de": (german, "Handgeknüpft."), "ja": (japanese, "")},
        )
    make_product(slug="rope-ring", name="Rope ring", texts={"de": ("Kordelring", "")})
    return PEARLS


def api_slugs(client, query: str, headers=None) -> set[str]:
    body = client.get("/api/v1/products", query_string={"q": query}, headers=headers).get_json()
    return {item["slug"] for item in body["items"]}


def page_slugs(client, query: str, headers=None) -> list[str]:
    response = client.get("/search", query_string={"q": query}, headers=headers)
    assert response.status_code == 200
    return re.findall(r'href="/p/([a-z0-9-]+)"', response.get_data(as_text=True))


@pytest.mark.parametrize("query", ["Perle", "Perlen", "perlen"])
def test_a_german_buyer_finds_every_piece_whose_german_name_has_pearl(client, pearl_catalog, query):
    assert api_slugs(client, query, GERMAN) == set(PEARLS)
    assert set(page_slugs(client, query, GERMAN)) == set(PEARLS)


def test_an_english_buyer_finds_pearl_pieces_by_the_plural(client, pearl_catalog):
    assert api_slugs(client, "pearls", ENGLISH) == set(PEARLS)
    assert set(page_slugs(client, "Pearls", ENGLISH)) == set(PEARLS)
    assert api_slugs(client, "pearl studs", ENGLISH) == {"pearl-studs"}
    assert api_slugs(client, "rope", ENGLISH) == {"rope-ring"}


def test_little_words_do_not_narrow_a_search(client, pearl_catalog):
    assert api_slugs(client, "the pearl studs", ENGLISH) == {"pearl-studs"}
    assert api_slugs(client, "Anhänger mit Perle", GERMAN) == {"baroque"}
    assert api_slugs(client, "les pearl", {"Accept-Language": "fr"}) == set(PEARLS)


def test_the_api_locale_parameter_chooses_the_language(client, pearl_catalog):
    assert api_slugs(client, "Perlenkette", {"Accept-Language": "de"}) == {"pearl-strand"}
    assert client.get("/api/v1/products?q=Perlenkette&locale=de").get_json()["items"]
    assert api_slugs(client, "Perlenkette&locale=en") == set()


def test_a_japanese_buyer_finds_a_word_inside_a_longer_one(client, pearl_catalog):
    japanese = {"Accept-Language": "ja"}
    found = {"pearl-strand", "baroque", "pearl-studs"}
    assert api_slugs(client, "真珠", japanese) == found
    assert set(page_slugs(client, "真珠", japanese)) == found
    assert api_slugs(client, "パール", japanese) == {"bypass-ring", "seed-bracelet"}


def test_the_best_match_comes_first(client, make_product):
    make_product(slug="a-ring", name="Silver band", description="Goes with a pearl pendant.")
    make_product(slug="b-pearl", name="Pearl pearl ring", description="A pearl on a pearl.")
    assert page_slugs(client, "pearl", ENGLISH)[0] == "b-pearl"


def test_search_follows_a_changed_translation_and_brand(app, client, make_product):
    make_product(slug="drop", name="Drop earrings", texts={"de": ("Kordelgehänge", "")})
    assert api_slugs(client, "Perlen", GERMAN) == set()
    with app.app_context():
        product = db.session.scalar(select(Product).where(Product.slug == "drop"))
        set_texts(product, {"de": ("Perlentropfen", "")})
        db.session.commit()
    assert api_slugs(client, "Perlen", GERMAN) == {"drop"}
    assert api_slugs(client, "Kordel", GERMAN) == set()
    with app.app_context():
        brand = db.session.scalar(select(Brand))
        brand.names = {"de": "Nordlicht"}
        db.session.commit()
    assert api_slugs(client, "Nordlicht", GERMAN) == {"drop"}


def test_reindex_rebuilds_what_was_lost(app, client, runner, pearl_catalog):
    with app.app_context():
        db.session.execute(delete(ProductSearchText))
        db.session.commit()
    assert api_slugs(client, "pearls", ENGLISH) == set()
    result = runner.invoke(args=["catalog", "reindex"])
    assert result.exit_code == 0, result.output
    assert "6 products indexed" in result.output
    assert api_slugs(client, "pearls", ENGLISH) == set(PEARLS)
    assert api_slugs(client, "Perlen", GERMAN) == set(PEARLS)


def _search_migration():
    path = Path(MIGRATIONS) / "versions" / "0038_product_search.py"
    spec = importlib.util.spec_from_file_location("product_search", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_upgrading_a_shop_makes_its_products_searchable(app, client, pearl_catalog):
    """The migration writes documents for the products a shop already had."""
    with app.app_context():
        db.session.execute(delete(ProductSearchText))
        db.session.commit()
        connection = db.session.connection()
        with Operations.context(MigrationContext.configure(connection)):
            _search_migration().backfill()
        db.session.commit()
    assert api_slugs(client, "pearls", ENGLISH) == set(PEARLS)
    assert api_slugs(client, "Perlen", GERMAN) == set(PEARLS)
    assert api_slugs(client, "真珠", {"Accept-Language": "ja"}) == {
        "pearl-strand",
        "baroque",
        "pearl-studs",
    }


def test_punctuation_alone_finds_nothing(client, pearl_catalog):
    assert api_slugs(client, '"*-') == set()
    assert page_slugs(client, "---") == []


@hypothesis_settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    query=st.lists(
        st.sampled_from(['"', "*", "NEAR", "-", "(", ")", "^", ":", "AND", "OR", "NOT", "'", "%",
                         "_", "\\", "perle", "真珠", "{", "+", "&", "|", "!", " ", "x"]),
        max_size=12,
    ).map("".join)
    | st.text(max_size=40),
    locale=st.sampled_from(["en", "de", "fr", "ja", "ar"]),
)  # fmt: skip
def test_no_query_breaks_search(client, pearl_catalog, query, locale):
    expected = 400 if "\x00" in query else 200  # the shop refuses NUL in any request
    response = client.get("/api/v1/products", query_string={"q": query, "locale": locale})
    assert response.status_code == expected, response.get_data(as_text=True)
    page = client.get("/search", query_string={"q": query}, headers={"Accept-Language": locale})
    assert page.status_code == expected


def test_the_demo_shop_finds_its_pearl_pieces_in_german_and_english(runner, app, client):
    assert runner.invoke(args=["shop", "seed-demo"]).exit_code == 0
    with app.app_context():
        products = list(db.session.scalars(select(Product).where(Product.is_published)))
        german = {
            p.slug
            for p in products
            for t in p.texts
            if t.locale == "de" and "perl" in t.name.lower()
        }
        english = {p.slug for p in products if "pearl" in p.name.lower()}
    assert len(german) >= 5 and len(english) >= 5
    assert german <= api_slugs(client, "Perle", GERMAN)
    assert german <= api_slugs(client, "Perlen", GERMAN)
    assert english <= api_slugs(client, "pearls", ENGLISH)
