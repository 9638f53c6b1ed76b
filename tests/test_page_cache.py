"""Anonymous listing pages come from a short-lived cache; personal pages never do."""

import pytest

from storefront import page_cache
from storefront.catalog.tables import Product
from storefront.db import db


@pytest.fixture
def cache_on(app, monkeypatch):
    clock = [1000.0]
    monkeypatch.setattr(page_cache.time, "monotonic", lambda: clock[0])
    app.config["LISTING_CACHE_SECONDS"] = 5
    app.extensions["page_cache"].clear()
    yield clock
    app.config["LISTING_CACHE_SECONDS"] = 0
    app.extensions["page_cache"].clear()


def rename(app, slug: str, name: str) -> None:
    with app.app_context():
        db.session.query(Product).filter_by(slug=slug).update({"name": name})
        db.session.commit()


def test_anonymous_listing_is_cached_until_it_expires(app, client, make_product, cache_on):
    slug = make_product(name="Old name")
    assert "Old name" in client.get("/c/rings").get_data(as_text=True)
    rename(app, slug, "New name")
    assert "Old name" in client.get("/c/rings").get_data(as_text=True)
    cache_on[0] += 6
    assert "New name" in client.get("/c/rings").get_data(as_text=True)


def test_cache_keys_on_the_url(app, client, make_product, cache_on):
    make_product(name="Silver band", material="sterling silver")
    make_product(name="Gold band", material="14k gold")
    everything = client.get("/c/rings").get_data(as_text=True)
    gold = client.get("/c/rings?material=14k+gold").get_data(as_text=True)
    assert "Silver band" in everything and "Silver band" not in gold


def test_a_buyer_with_a_cart_always_gets_a_fresh_page(
    app, client, make_product, make_channel, cache_on
):
    make_channel("us")
    slug = make_product(name="Old name")
    client.get("/c/rings")
    client.post("/cart/add", data={"sku": f"{slug.upper()}-0", "quantity": "1"})
    rename(app, slug, "New name")
    page = client.get("/c/rings").get_data(as_text=True)
    assert "New name" in page
    assert '<span class="cart-count">1</span>' in page


def test_least_recently_used_pages_leave_first():
    cache = page_cache.PageCache(max_pages=2)
    cache.put(("a",), b"A", 60)
    cache.put(("b",), b"B", 60)
    assert cache.get(("a",))[0] == b"A"
    cache.put(("c",), b"C", 60)
    assert cache.get(("b",)) is None and cache.get(("a",))[0] == b"A"


def test_a_visitors_country_cookie_never_reaches_a_cookieless_visitor(
    app, make_product, make_channel, rates, cache_on
):
    make_channel("us")
    make_channel("jp")
    rates()
    make_product(name="Signet")
    japan = app.test_client()
    japan.set_cookie("country", "JP")
    assert "¥" in japan.get("/c/rings").get_data(as_text=True)
    page = app.test_client().get("/c/rings").get_data(as_text=True)
    assert "¥" not in page and "$" in page
