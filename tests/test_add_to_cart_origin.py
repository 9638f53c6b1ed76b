"""The add-to-cart form of a product page shared by anonymous visitors carries no CSRF token
(it would start a session): the browser's own word that the post comes from the shop's
pages (Fetch Metadata, else Origin) lets it in; a post from anywhere else is refused as a
missing token always was, and puts nothing in a cart. Every other form still needs its
token."""

import re

import pytest
from sqlalchemy import func, select

from storefront import page_cache
from storefront.cart.tables import Cart
from storefront.db import db

FROM_THE_SHOP = [
    {"Sec-Fetch-Site": "same-origin"},
    {"Sec-Fetch-Site": "same-origin", "Origin": "http://localhost"},
    {"Origin": "http://localhost"},  # a browser without Fetch Metadata
    {"Origin": "HTTP://LOCALHOST"},
]
FROM_ELSEWHERE = [
    {},  # neither header nor token: a script, an old client
    {"Sec-Fetch-Site": "cross-site", "Origin": "https://evil.example"},
    {"Sec-Fetch-Site": "same-site", "Origin": "http://blog.localhost"},  # a sibling host
    {"Sec-Fetch-Site": "none"},
    # Fetch Metadata wins: a browser that says cross-site is not let in by a matching Origin.
    {"Sec-Fetch-Site": "cross-site", "Origin": "http://localhost"},
    {"Origin": "https://evil.example"},
    {"Origin": "null"},  # a sandboxed frame, a data: page
    {"Origin": "https://localhost"},  # another scheme is another origin
    {"Origin": "http://localhost:8080"},  # and another port
]


@pytest.fixture
def shop(app, make_channel, make_product, monkeypatch):
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    monkeypatch.setitem(app.config, "LISTING_CACHE_SECONDS", 5)
    monkeypatch.setattr(page_cache.time, "monotonic", lambda: 1000.0)
    app.extensions["page_cache"].clear()
    make_channel("us")
    make_channel("eu")
    slug = make_product(name="Signet")
    yield slug
    app.extensions["page_cache"].clear()


def carts(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(Cart))


def add_form(page: str) -> dict[str, str]:
    form = re.search(r'<form[^>]+action="/cart/add"(.*?)</form>', page, re.DOTALL).group(1)
    fields = dict(re.findall(r'<input type="hidden" name="([a-z_]+)" value="([^"]*)"', form))
    sku = re.search(r'<option value="([^"]+)"', form).group(1)
    return {**fields, "sku": sku, "quantity": "1"}


@pytest.mark.parametrize("headers", FROM_THE_SHOP)
def test_the_cached_pages_form_adds_to_the_cart_from_the_shops_own_pages(
    app, client, shop, headers
):
    client.get(f"/p/{shop}")
    page = client.get(f"/p/{shop}")  # the page cache's copy, as a CDN would serve it
    assert page.cache_control.public and "Set-Cookie" not in page.headers
    form = add_form(page.get_data(as_text=True))
    assert "csrf_token" not in form
    added = client.post("/cart/add", data=form, headers=headers)
    assert added.status_code == 303 and added.headers["Location"] == f"/p/{shop}"
    after = client.get(added.headers["Location"]).get_data(as_text=True)
    assert "Added to your cart." in after and '<span class="cart-count">1</span>' in after
    assert carts(app) == 1


@pytest.mark.parametrize("headers", FROM_ELSEWHERE)
def test_a_post_from_elsewhere_is_refused_as_a_missing_token_and_adds_nothing(
    app, client, shop, headers
):
    client.set_cookie("locale", "de")
    form = add_form(client.get(f"/p/{shop}").get_data(as_text=True))
    refused = client.post("/cart/add", data=form, headers=headers)
    assert refused.status_code == 400
    page = refused.get_data(as_text=True)
    assert "<h1>Ungültige Anfrage</h1>" in page  # the shop's error page, in German
    assert "The CSRF token is missing." in page  # as before: Flask-WTF's own words
    assert "Set-Cookie" not in refused.headers  # no session, no cart
    assert carts(app) == 0
    assert '<span class="cart-count">0</span>' in client.get("/").get_data(as_text=True)


def test_a_forged_token_from_elsewhere_is_refused_as_before(app, client, shop):
    form = add_form(client.get(f"/p/{shop}").get_data(as_text=True))
    forged = client.post(
        "/cart/add",
        data={**form, "csrf_token": "forged"},
        headers={"Origin": "https://evil.example"},
    )
    assert forged.status_code == 400 and "The CSRF session token is missing." in forged.text
    assert carts(app) == 0


def test_the_public_url_is_the_shops_origin_too(app, client, shop, monkeypatch):
    """Behind a proxy that does not pass the scheme on, the browser's Origin is PUBLIC_URL's."""
    monkeypatch.setitem(app.config, "PUBLIC_URL", "https://shop.example/")
    form = add_form(client.get(f"/p/{shop}").get_data(as_text=True))
    origin = {"Origin": "https://shop.example"}
    assert client.post("/cart/add", data=form, headers=origin).status_code == 303
    other = {"Origin": "https://shop.example.evil.example"}
    assert client.post("/cart/add", data=form, headers=other).status_code == 400
    assert carts(app) == 1


def test_a_visitor_with_a_session_posts_the_forms_token(app, client, shop):
    client.get("/preferences?country=JP&next=/")  # not delivered there: a notice, a session
    page = client.get(f"/p/{shop}")
    assert page.cache_control.private and page.cache_control.no_store
    form = add_form(page.get_data(as_text=True))
    assert form.get("csrf_token")
    assert client.post("/cart/add", data=form).status_code == 303  # no headers: the token
    assert carts(app) == 1
    # The session's token, not another's.
    other = app.test_client()
    other.get("/preferences?country=JP&next=/")
    assert other.post("/cart/add", data=form).status_code == 400
    assert carts(app) == 1


def test_the_other_forms_still_need_their_token(app, client, shop):
    form = add_form(client.get(f"/p/{shop}").get_data(as_text=True))
    same_origin = {"Sec-Fetch-Site": "same-origin", "Origin": "http://localhost"}
    assert client.post("/cart/add", data=form, headers=same_origin).status_code == 303
    cart = client.get("/cart").get_data(as_text=True)
    line = re.search(r'name="line" value="([^"]+)"', cart).group(1)
    for path, data in [
        ("/cart/change", {"line": line, "quantity": "3"}),
        ("/cart/remove", {"line": line}),
        ("/checkout", {"email": "a@b.example"}),
    ]:
        refused = client.post(path, data=data, headers=same_origin)
        assert refused.status_code == 400, path
        assert "The CSRF token is missing." in refused.get_data(as_text=True), path
    assert '<span class="cart-count">1</span>' in client.get("/cart").get_data(as_text=True)
