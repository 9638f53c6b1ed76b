"""What caches in front of the shop (a CDN, a reverse proxy) are told: anonymous pages are
public for a few seconds, keyed on what changes them, revalidated by ETag; a visitor's own
pages are kept by nobody."""

import re

import pytest

from test_page_cache import cache_on as cache_on  # the page cache on, its clock stopped


@pytest.fixture
def shop(make_channel, make_product):
    make_channel("us")
    return make_product(name="Signet")


def personal(response) -> bool:
    cc = response.cache_control
    return cc.private and cc.no_store and not cc.public and cc.s_maxage is None


@pytest.mark.parametrize("path", ["/", "/c/rings", "/search?q=signet"])
def test_anonymous_pages_are_public_briefly_and_vary_on_the_visitor(client, shop, cache_on, path):
    fresh = client.get(path)
    cached = client.get(path)
    for response in (fresh, cached):
        assert response.status_code == 200
        assert response.cache_control.public and response.cache_control.s_maxage == 5
        assert not response.cache_control.private and not response.cache_control.no_store
        assert {"Cookie", "Accept-Language"} <= set(response.vary)
    assert "Signet" in fresh.get_data(as_text=True)
    # The cached copy is the same page, so a proxy holding either may revalidate it.
    assert fresh.get_data() == cached.get_data()
    assert fresh.headers["ETag"] == cached.headers["ETag"]


def test_an_unchanged_page_is_answered_304_without_a_body(client, shop, cache_on):
    first = client.get("/c/rings")
    etag = first.headers["ETag"]
    again = client.get("/c/rings", headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert again.get_data() == b""
    assert again.headers["ETag"] == etag
    stale = client.get("/c/rings", headers={"If-None-Match": '"something-else"'})
    assert stale.status_code == 200 and stale.get_data() == first.get_data()


def test_the_etag_follows_the_page(app, client, make_channel, make_product, cache_on):
    make_channel("us")
    make_product(name="Signet")
    before = client.get("/c/rings").headers["ETag"]
    make_product(name="Band")
    cache_on[0] += 6  # the page cache's copy expires
    after = client.get("/c/rings")
    assert "Band" in after.get_data(as_text=True)
    assert after.headers["ETag"] != before
    assert client.get("/c/rings", headers={"If-None-Match": before}).status_code == 200


def test_without_the_page_cache_anonymous_pages_are_revalidated_each_time(client, shop):
    response = client.get("/c/rings")
    assert response.cache_control.public and response.cache_control.no_cache
    assert response.cache_control.s_maxage is None
    etag = response.headers["ETag"]
    assert client.get("/c/rings", headers={"If-None-Match": etag}).status_code == 304


def test_a_buyer_with_a_cart_gets_private_pages(client, shop, cache_on):
    client.post("/cart/add", data={"sku": f"{shop.upper()}-0", "quantity": "1"})
    for path in ("/", "/c/rings", "/search?q=signet", f"/p/{shop}", "/cart"):
        response = client.get(path)
        assert response.status_code == 200, path
        assert personal(response), (path, response.headers.get("Cache-Control"))
        assert "ETag" not in response.headers, path


def test_a_signed_in_buyer_gets_private_pages(client, shop, logged_in, cache_on):
    logged_in("customer")
    for path in ("/", "/c/rings", "/account"):
        response = client.get(path)
        assert response.status_code == 200, path
        assert personal(response), (path, response.headers.get("Cache-Control"))


def test_staff_pages_are_private(client, shop, logged_in):
    logged_in("owner")
    response = client.get("/admin/")
    assert response.status_code == 200
    assert personal(response)


@pytest.mark.parametrize("path", ["/cart", "/checkout", "/account/sign-in", "/login"])
def test_a_visitors_own_pages_are_private_even_on_the_first_visit(client, shop, path):
    response = client.get(path)
    assert response.mimetype == "text/html"
    assert personal(response), (path, response.status_code, response.headers)


@pytest.fixture
def forms_checked(app, monkeypatch):
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)


def test_an_anonymous_product_page_is_public_and_starts_no_session(
    client, shop, cache_on, forms_checked
):
    fresh = client.get(f"/p/{shop}")
    cached = client.get(f"/p/{shop}")
    for response in (fresh, cached):
        assert response.status_code == 200
        assert response.cache_control.public and response.cache_control.s_maxage == 5
        assert not response.cache_control.private and not response.cache_control.no_store
        assert {"Cookie", "Accept-Language"} <= set(response.vary)
        assert "Set-Cookie" not in response.headers  # no session, no token in the form
    page = fresh.get_data(as_text=True)
    assert "Signet" in page and "Add to cart" in page and 'name="csrf_token"' not in page
    assert fresh.get_data() == cached.get_data()
    etag = fresh.headers["ETag"]
    assert cached.headers["ETag"] == etag
    again = client.get(f"/p/{shop}", headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.get_data() == b""


def test_without_the_page_cache_a_product_page_is_revalidated_by_its_etag(client, shop):
    # Two renders of the same request are the same bytes (no per-response nonce in them),
    # so a cache in front gets its 304.
    first = client.get(f"/p/{shop}")
    assert first.cache_control.public and first.cache_control.no_cache
    again = client.get(f"/p/{shop}", headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304


def test_a_visitor_with_a_session_gets_the_form_token_on_a_private_product_page(
    client, shop, cache_on, forms_checked
):
    client.get("/preferences?country=FR&next=/")  # not delivered there: a notice, a session
    response = client.get(f"/p/{shop}")
    assert personal(response) and "ETag" not in response.headers
    token = re.search(r'name="csrf_token" value="([^"]+)"', response.get_data(as_text=True))
    assert token, "a visitor with a session posts the form's token"
    added = client.post(
        "/cart/add", data={"csrf_token": token.group(1), "sku": f"{shop.upper()}-0"}
    )
    assert added.status_code == 303
    assert '<span class="cart-count">1</span>' in client.get("/cart").get_data(as_text=True)


def test_json_and_files_keep_their_own_headers(client, shop):
    channels = client.get("/api/v1/channels")
    assert channels.status_code == 200
    assert not channels.cache_control.public and not channels.cache_control.no_store


def test_the_apis_product_list_is_public_like_the_listing_it_shows(app, client, shop, cache_on):
    """GET /api/v1/products is the same for every caller of one market and language: kept
    a few seconds, public with its Vary, an ETag and 304; a caller with an Authorization
    header (a trade buyer's key, a cart token) is answered fresh."""
    from storefront.catalog.tables import Product
    from storefront.db import db

    first = client.get("/api/v1/products?channel=us", headers={"Accept-Language": "de"})
    assert first.status_code == 200 and first.mimetype == "application/json"
    assert first.cache_control.public and first.cache_control.s_maxage == 5
    assert {"Cookie", "Accept-Language"} <= set(first.vary)
    assert [item["name"] for item in first.get_json()["items"]] == ["Signet"]
    with app.app_context():
        db.session.query(Product).update({"name": "Signet ring"})
        db.session.commit()
    again = client.get("/api/v1/products?channel=us", headers={"Accept-Language": "de"})
    assert again.get_data() == first.get_data() and again.mimetype == "application/json"
    unchanged = client.get(
        "/api/v1/products?channel=us",
        headers={"Accept-Language": "de", "If-None-Match": first.headers["ETag"]},
    )
    assert unchanged.status_code == 304
    keyed = client.get("/api/v1/products?channel=us", headers={"Authorization": "Bearer x"})
    assert not keyed.cache_control.public
    assert [item["name"] for item in keyed.get_json()["items"]] == ["Signet ring"]
    cache_on[0] += 6
    fresh = client.get("/api/v1/products?channel=us", headers={"Accept-Language": "de"})
    assert [item["name"] for item in fresh.get_json()["items"]] == ["Signet ring"]
    refused = client.get("/api/v1/products?material=plastic")
    assert refused.status_code == 400 and not refused.cache_control.public
