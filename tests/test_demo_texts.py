"""The demo shop speaks every shop language: its pieces, categories, brands and shipping."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from sqlalchemy import select

from i18n import SUPPORTED_LOCALES
from storefront.catalog.queries import localized_text
from storefront.catalog.tables import Product
from storefront.db import db
from storefront.shop.demo import SHIPPING
from storefront.shop.demo_catalog import BRANDS, CATEGORIES, DEMO_PRODUCTS
from storefront.shop.demo_texts import (
    BRAND_NAMES,
    CATEGORY_NAMES,
    PRODUCT_TEXTS,
    SHIPPING_METHOD_NAMES,
)

LANGUAGES = {locale for locale in SUPPORTED_LOCALES if locale != "en"}
NUMBER = re.compile(r"\d+(?:[.,]\d+)?")
METHOD_NAMES = {name for *_, methods in SHIPPING for _code, name, *_ in methods}


def numbers(text: str) -> set[Decimal]:
    return {Decimal(n.replace(",", ".")) for n in NUMBER.findall(text)}


@pytest.mark.parametrize("piece", DEMO_PRODUCTS, ids=lambda piece: piece.slug)
def test_every_piece_reads_in_every_shop_language(piece):
    texts = PRODUCT_TEXTS[piece.slug]

    assert set(texts) == LANGUAGES
    for locale, (name, description) in texts.items():
        assert name.strip() and description.strip(), locale
        assert name != piece.name and description != piece.description, locale
        # 925 silver, 6 mm stones, 18k gold: a translation keeps every figure the English gives
        assert numbers(piece.description) <= numbers(description), locale


def test_the_texts_name_only_what_the_demo_has():
    assert set(PRODUCT_TEXTS) == {piece.slug for piece in DEMO_PRODUCTS}
    assert set(CATEGORY_NAMES) == {slug for slug, _ in CATEGORIES}
    assert set(SHIPPING_METHOD_NAMES) == METHOD_NAMES
    assert set(BRAND_NAMES) <= {slug for slug, *_ in BRANDS}
    assert all(set(names) <= LANGUAGES for names in BRAND_NAMES.values())


@pytest.mark.parametrize(
    "names", [*CATEGORY_NAMES.values(), *SHIPPING_METHOD_NAMES.values(), *BRAND_NAMES.values()]
)
def test_category_brand_and_shipping_names_are_never_blank(names):
    assert all(name.strip() for name in names.values())


def test_categories_and_shipping_methods_have_every_shop_language():
    for names in [*CATEGORY_NAMES.values(), *SHIPPING_METHOD_NAMES.values()]:
        assert set(names) == LANGUAGES


def test_the_seeded_shop_shows_a_piece_in_the_buyers_language(runner, app, client):
    assert runner.invoke(args=["shop", "seed-demo"]).exit_code == 0

    with app.app_context():
        products = list(db.session.scalars(select(Product).where(Product.slug.in_(PRODUCT_TEXTS))))
        assert len(products) == len(DEMO_PRODUCTS)
        assert all({t.locale for t in p.texts} == LANGUAGES for p in products)
        ring = next(p for p in products if p.slug == "classic-solitaire-ring")
        assert localized_text(ring, "de") == PRODUCT_TEXTS["classic-solitaire-ring"]["de"]
        assert localized_text(ring, "de_AT") == PRODUCT_TEXTS["classic-solitaire-ring"]["de"]
        assert localized_text(ring, "en") == (ring.name, ring.description)

    page = client.get("/c/rings?channel=jp&locale=ja").get_data(as_text=True)
    assert PRODUCT_TEXTS["classic-solitaire-ring"]["ja"][0] in page
    assert "Classic Solitaire Ring" not in page
    # the category, the brand and the shipping methods in Japanese too
    assert CATEGORY_NAMES["rings"]["ja"] in page
    assert BRAND_NAMES["silverline-shenzhen"]["ja"] in page
    product = client.get("/api/v1/products/classic-solitaire-ring?channel=jp&locale=ja").get_json()
    assert product["category_name"] == CATEGORY_NAMES["rings"]["ja"]
    created = client.post("/api/v1/carts", json={"channel": "jp", "country": "JP"}).get_json()
    auth = {"Authorization": f"Bearer {created['token']}"}
    sku = next(v["sku"] for v in product["variants"] if v["available"])
    client.post(f"/api/v1/carts/{created['id']}/lines", json={"sku": sku}, headers=auth)
    cart = client.get(f"/api/v1/carts/{created['id']}?locale=ja", headers=auth).get_json()
    offered = {option["name"] for group in cart["groups"] for option in group["shipping_options"]}
    assert SHIPPING_METHOD_NAMES["Tracked airmail"]["ja"] in offered, offered
