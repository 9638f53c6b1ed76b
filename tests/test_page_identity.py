"""Speed never changes a page: the same request gets the same HTML whether it is rendered
fresh, served from the page cache or rendered for a buyer with a session, and the cards show
the prices the product page and the API quote."""

import re

import pytest
from sqlalchemy import select

from storefront import page_cache

PAGES = ["/", "/c/rings", "/c/rings?material=brass", "/search?q=band", "/search?q=band&page=2"]


@pytest.fixture
def shop(app, make_channel, make_product, rates, monkeypatch):
    monkeypatch.setitem(app.config, "PRODUCTS_PER_PAGE", 4)
    make_channel("us")
    make_channel("eu")
    make_channel("jp")
    rates()
    slugs = [
        make_product(name=f"Band {n}", prices=[f"{10 + n}.40", f"{20 + n}.55"]) for n in range(6)
    ]
    make_product(name="Brass band", material="brass", prices=["7.25"])
    return slugs


@pytest.fixture
def clock(app, monkeypatch):
    now = [1000.0]
    monkeypatch.setattr(page_cache.time, "monotonic", lambda: now[0])
    app.extensions["page_cache"].clear()
    yield now
    app.config["LISTING_CACHE_SECONDS"] = 0
    app.extensions["page_cache"].clear()


def visitor(app, **cookies):
    client = app.test_client()
    for name, value in cookies.items():
        client.set_cookie(name, value)
    return client


@pytest.mark.parametrize(
    "cookies",
    [{}, {"country": "DE"}, {"country": "JP", "locale": "ja"}, {"channel": "eu", "locale": "de"}],
)
def test_fresh_cached_and_uncached_renders_are_the_same_page(app, shop, clock, cookies):
    products = [f"/p/{shop[0]}", f"/p/{shop[1]}?locale=fr"]
    app.config["LISTING_CACHE_SECONDS"] = 5
    for path in PAGES + products:
        fresh = visitor(app, **cookies).get(path)
        cached = visitor(app, **cookies).get(path)
        assert fresh.status_code == cached.status_code == 200, path
        assert cached.get_data() == fresh.get_data(), path
        kind = "add-form" if path in products else "product-card"
        assert kind in fresh.get_data(as_text=True), path
    app.config["LISTING_CACHE_SECONDS"] = 0
    app.extensions["page_cache"].clear()
    clock[0] += 10
    for path in PAGES + products:
        uncached = visitor(app, **cookies).get(path).get_data()
        clock[0] -= 10  # the cache held this page at its first render
        app.config["LISTING_CACHE_SECONDS"] = 5
        assert visitor(app, **cookies).get(path).get_data() == uncached, path
        app.config["LISTING_CACHE_SECONDS"] = 0
        clock[0] += 10


def card_prices(html: str) -> dict[str, str]:
    """{product slug: the card's price text} on a listing."""
    return dict(
        re.findall(r'<a href="/p/([^"]+)">.*?<span class="price">([^<]+)</span>', html, re.DOTALL)
    )


@pytest.mark.parametrize("country,channel", [("US", "us"), ("DE", "eu"), ("JP", "jp")])
def test_cards_show_the_prices_the_product_page_and_the_api_quote(app, shop, country, channel):
    client = visitor(app, country=country)
    shown: dict[str, str] = {}
    for page in (1, 2):
        shown.update(card_prices(client.get(f"/c/rings?page={page}").get_data(as_text=True)))
    assert set(shown) >= set(shop)
    api = {
        item["slug"]: item["price"]
        for item in client.get(f"/api/v1/products?channel={channel}").get_json()["items"]
    }
    for slug in shop:
        product_page = client.get(f"/p/{slug}").get_data(as_text=True)
        options = re.findall(r"— ([^<\n]+?)\s*</option>", product_page)
        assert shown[slug] in options, (slug, shown[slug], options)
        assert re.sub(r"\D", "", shown[slug]) == re.sub(r"\D", "", api[slug]["amount"])


@pytest.mark.parametrize("cookies", [{"country": "DE"}, {"country": "JP", "locale": "ja"}])
def test_the_cached_product_page_shows_the_prices_and_delivery_of_the_visitors_market(
    app, shop, clock, cookies
):
    """One product, visitors of several markets in turn: each gets its own prices, currency
    and language from the cache, as a fresh render shows them."""
    app.config["LISTING_CACHE_SECONDS"] = 5
    path = f"/p/{shop[2]}"
    others = [{}, {"country": "DE"}, {"country": "JP", "locale": "ja"}, {"channel": "eu"}]
    for other in others:  # the cache holds this page for every market but the visitor's
        if other != cookies:
            visitor(app, **other).get(path)
    first = visitor(app, **cookies).get(path).get_data()
    assert visitor(app, **cookies).get(path).get_data() == first  # now from the cache
    app.config["LISTING_CACHE_SECONDS"] = 0
    fresh = visitor(app, **cookies).get(path).get_data().decode()
    assert first.decode() == fresh
    select = re.search(r'<select name="sku".*?</select>', fresh, re.DOTALL).group(0)
    symbol = "€" if cookies["country"] == "DE" else "￥"
    assert select.count(symbol) == 2, select
    assert ('<html lang="ja"' in fresh) == (cookies.get("locale") == "ja")


def test_a_buyers_listing_differs_from_the_anonymous_one_only_in_the_header(app, shop, clock):
    """A session (a cart) renders fresh: the cards are the same as the cached page's."""
    app.config["LISTING_CACHE_SECONDS"] = 5
    anonymous = visitor(app, country="DE").get("/c/rings").get_data(as_text=True)
    buyer = visitor(app, country="DE")
    buyer.post("/cart/add", data={"sku": f"{shop[0].upper()}-0", "quantity": "1"})
    buyer.get("/cart")  # shows the "Added" notice
    mine = buyer.get("/c/rings").get_data(as_text=True)

    def main(html: str) -> str:
        return html[html.index("<main") : html.index("</main>")]

    assert '<span class="cart-count">1</span>' in mine
    assert main(mine) == main(anonymous)


def both_pages(client) -> str:
    return "".join(client.get(f"/c/rings?page={n}").get_data(as_text=True) for n in (1, 2))


def test_a_card_changes_the_moment_its_product_does(app, shop):
    """Cards are rendered once and kept (catalog.cards): a change of name, price or grade
    shows on the very next page a buyer with a session opens."""
    from storefront.catalog.tables import Product, Variant
    from storefront.db import db

    buyer = visitor(app, country="US")
    buyer.post("/cart/add", data={"sku": f"{shop[1].upper()}-0", "quantity": "1"})
    before = both_pages(buyer)
    assert card_prices(before)[shop[0]] == "$10.40"
    with app.app_context():
        product = db.session.scalar(select(Product).where(Product.slug == shop[0]))
        product.name = "Band zero, renamed"
        product.grade = "skip_order"
        for variant in db.session.scalars(select(Variant).where(Variant.product == product)):
            variant.price_amount = variant.price_amount + 1
        db.session.commit()
    after = both_pages(buyer)
    assert card_prices(after)[shop[0]] == "$11.40"
    assert "Band zero, renamed" in after and "Band zero, renamed" not in before
    assert "Surplus: skip order" in after
    # The same card in another language and currency is another card.
    german = both_pages(visitor(app, country="DE", locale="de"))
    assert "Überschuss" in german and "€" in card_prices(german)[shop[0]]


def test_the_header_choices_follow_the_channels_and_the_buyer(app, shop):
    """The header's selects are kept too (markets.market_selects): a country a channel
    starts delivering to, or the buyer's new choice, shows on the next page."""
    from storefront.db import db
    from storefront.markets.tables import Channel

    buyer = visitor(app, country="DE")
    header = buyer.get("/").get_data(as_text=True)
    assert '<option value="DE" selected>' in header and 'value="BE"' not in header
    with app.app_context():
        eu = db.session.scalar(select(Channel).where(Channel.code == "eu"))
        eu.countries_text += " BE"
        db.session.commit()
    header = buyer.get("/").get_data(as_text=True)
    assert re.search(r'<option value="BE">Belgium — EUR</option>', header)
    buyer.get("/preferences?country=JP&next=/")
    header = buyer.get("/").get_data(as_text=True)
    assert '<option value="JP" selected>' in header and '<option value="DE">' in header
    assert '<option value="JPY" selected>' in header
