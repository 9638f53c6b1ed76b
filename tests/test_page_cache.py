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


def test_a_buyer_who_just_added_to_the_cart_sees_it_counted_on_a_fresh_page(
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


# --- the whole answer, kept in front of Flask (page_cache.AnonymousPages) ----------------


def test_a_kept_page_is_answered_whole_as_the_app_answered_it(
    app, client, make_product, make_channel, cache_on, monkeypatch
):
    """The second anonymous request is answered before Flask's request handling (no view,
    no hook runs) with the first answer's status, headers and body; its ETag gets a 304."""
    make_channel("us")
    make_product(name="Signet")
    first = client.get("/c/rings", headers={"Accept-Language": "de"})
    ran = dispatched(app, monkeypatch)
    second = client.get("/c/rings", headers={"Accept-Language": "de"})
    assert ran == [] and second.status_code == 200
    assert second.get_data() == first.get_data() and "Signet" in second.get_data(as_text=True)
    assert sorted(second.headers.items()) == sorted(first.headers.items())
    assert "public" in second.headers["Cache-Control"]
    assert "Content-Security-Policy" in second.headers and "Vary" in second.headers
    again = client.get(
        "/c/rings", headers={"Accept-Language": "de", "If-None-Match": first.headers["ETag"]}
    )
    assert again.status_code == 304 and again.get_data() == b"" and ran == []
    assert again.headers["ETag"] == first.headers["ETag"]
    # Another language, another address, another cookie: the app answers.
    client.get("/c/rings", headers={"Accept-Language": "ja"})
    client.get("/c/rings?page=1", headers={"Accept-Language": "de"})
    client.set_cookie("country", "US")
    client.get("/c/rings", headers={"Accept-Language": "de"})
    assert len(ran) == 3


def dispatched(app, monkeypatch) -> list[str]:
    """The paths Flask dispatches from now on (a request answered in front of it: none)."""
    paths: list[str] = []
    dispatch = app.full_dispatch_request

    def counted():
        from flask import request

        paths.append(request.path)
        return dispatch()

    monkeypatch.setattr(app, "full_dispatch_request", counted)
    return paths


def test_a_visitor_with_a_session_or_a_remember_cookie_is_never_answered_from_it(
    app, make_product, make_channel, cache_on, monkeypatch
):
    make_channel("us")
    slug = make_product(name="Old name")
    app.test_client().get("/c/rings")  # kept
    rename(app, slug, "New name")
    ran = dispatched(app, monkeypatch)
    buyer = app.test_client()
    buyer.post("/cart/add", data={"sku": f"{slug.upper()}-0", "quantity": "1"})
    assert "New name" in buyer.get("/c/rings").get_data(as_text=True)
    remembered = app.test_client()
    remembered.set_cookie("remember_token", "1|signature")
    remembered.get("/c/rings")
    assert ran == ["/cart/add", "/c/rings", "/c/rings"]
    assert "Old name" in app.test_client().get("/c/rings").get_data(as_text=True)
    cache_on[0] += 6  # and every kept answer expires with the page cache's seconds
    assert "New name" in app.test_client().get("/c/rings").get_data(as_text=True)


def test_only_pages_the_app_keeps_are_kept_and_nothing_when_the_cache_is_off(
    app, client, make_product, cache_on
):
    slug = make_product(name="Old name")
    client.get("/pages/terms")  # not a cached page
    client.get("/c/no-such-category")  # 404
    assert not any(key[0] == "whole" for key in app.extensions["page_cache"]._pages)
    app.config["LISTING_CACHE_SECONDS"] = 0
    client.get("/c/rings")
    rename(app, slug, "New name")
    assert "New name" in client.get("/c/rings").get_data(as_text=True)


# --- a guest with a cart: the market's page with their own cart count ---------------------


def guest_with(app, slug: str, quantity: int):
    guest = app.test_client()
    guest.set_cookie("country", "US")
    guest.post("/cart/add", data={"sku": f"{slug.upper()}-0", "quantity": str(quantity)})
    return guest


def test_guests_with_carts_share_the_markets_page_each_with_their_own_cart_count(
    app, make_product, make_channel, cache_on, monkeypatch
):
    make_channel("us")
    slug = make_product(name="Old name")
    one, three = guest_with(app, slug, 1), guest_with(app, slug, 3)
    first = one.get("/c/rings")  # shows "Added to your cart.": rendered, not kept
    assert "Added to your cart" in first.get_data(as_text=True)
    kept = one.get("/c/rings")
    assert "Added to your cart" not in kept.get_data(as_text=True)
    assert kept.cache_control.private and kept.cache_control.no_store
    three.get("/c/rings")  # its message
    rename(app, slug, "New name")
    ran = dispatched(app, monkeypatch)
    pages = {n: c.get("/c/rings").get_data(as_text=True) for n, c in ((1, one), (3, three))}
    assert ran == ["/c/rings", "/c/rings"]  # Flask runs (a session), the view renders nothing
    for count, page in pages.items():
        assert "Old name" in page and f'<span class="cart-count">{count}</span>' in page
        assert page.count('class="cart-count"') == 1 and "\x00" not in page
    anonymous = app.test_client()
    anonymous.set_cookie("country", "US")
    assert "New name" in anonymous.get("/c/rings").get_data(as_text=True)  # kept apart
    cache_on[0] += 6
    assert "New name" in one.get("/c/rings").get_data(as_text=True)


def test_a_signed_in_buyer_never_gets_a_shared_page(app, make_product, make_channel, cache_on):
    from test_customers import register

    make_channel("us")
    slug = make_product(name="Old name")
    guest = guest_with(app, slug, 1)
    guest.get("/c/rings"), guest.get("/c/rings")  # kept for guests of this market
    rename(app, slug, "New name")
    signed_in = guest_with(app, slug, 1)
    assert register(signed_in).status_code == 303
    signed_in.get("/c/rings")  # any message shown
    page = signed_in.get("/c/rings").get_data(as_text=True)
    assert "New name" in page and 'data-testid="account-link"' in page
    assert "Old name" in guest.get("/c/rings").get_data(as_text=True)


def test_guests_share_a_product_page_each_with_their_own_form_token(
    app, make_product, make_channel, cache_on
):
    """The add-to-cart form of a kept product page carries each guest's own CSRF token:
    with the form check on, each adds with theirs; another guest's token is refused."""
    import re

    make_channel("us")
    slug = make_product(name="Old name")
    one, two = guest_with(app, slug, 1), guest_with(app, slug, 2)
    one.get(f"/p/{slug}")  # its message
    first = one.get(f"/p/{slug}").get_data(as_text=True)  # kept
    rename(app, slug, "New name")
    two.get(f"/p/{slug}")  # its message
    second = two.get(f"/p/{slug}").get_data(as_text=True)
    assert "Old name" in second and '<span class="cart-count">2</span>' in second
    (token_one,) = re.findall(r'name="csrf_token" value="([^"]+)"', first)
    (token_two,) = re.findall(r'name="csrf_token" value="([^"]+)"', second)
    assert token_one != token_two and "\x00" not in second
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        form = {"sku": f"{slug.upper()}-0", "quantity": "1"}
        assert two.post("/cart/add", data={**form, "csrf_token": token_one}).status_code == 400
        assert two.post("/cart/add", data={**form, "csrf_token": token_two}).status_code == 303
    finally:
        app.config["WTF_CSRF_ENABLED"] = False
    assert '<span class="cart-count">3</span>' in two.get(f"/p/{slug}").get_data(as_text=True)
