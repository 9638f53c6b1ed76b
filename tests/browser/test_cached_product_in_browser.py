"""The product page as a first visit gets it, forms checked and the page cache on: no form
token in it, and Chromium's own headers let its add-to-cart post in; the same form on
another site is refused and adds nothing."""

import threading

import pytest
from playwright.sync_api import expect
from sqlalchemy import func, select
from werkzeug.serving import make_server
from werkzeug.wrappers import Request, Response

from storefront.cart.tables import Cart
from storefront.db import db

pytestmark = pytest.mark.browser


@pytest.fixture
def as_deployed(app, monkeypatch):
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    monkeypatch.setitem(app.config, "LISTING_CACHE_SECONDS", 5)
    app.extensions["page_cache"].clear()
    yield
    app.extensions["page_cache"].clear()


@pytest.fixture
def ring(make_channel, make_product):
    make_channel("us")
    return make_product(name="Hammered silver band", prices=["39.00"])


def carts(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(Cart))


def test_chromium_adds_to_the_cart_from_the_cached_product_page(
    app, page, live_server, ring, as_deployed
):
    posts = []
    page.on("request", lambda request: request.method == "POST" and posts.append(request))
    first = page.goto(f"/p/{ring}")
    assert "public" in first.all_headers()["cache-control"]
    assert "set-cookie" not in first.all_headers()
    page.goto("/")
    page.goto(f"/p/{ring}")  # now the page cache's copy
    expect(page.locator("form.add-form")).to_be_visible()
    expect(page.locator('form.add-form input[name="csrf_token"]')).to_have_count(0)

    page.get_by_role("button", name="Add to cart").click()
    expect(page.get_by_role("status")).to_have_text("Added to your cart.")
    expect(page.locator(".cart-count")).to_have_text("1")
    sent = posts[0].all_headers()
    assert sent["sec-fetch-site"] == "same-origin" and sent["origin"] == live_server
    assert carts(app) == 1
    # Now with a session: the form carries the token, and posts it.
    expect(page.locator('form.add-form input[name="csrf_token"]')).to_have_count(1)
    page.get_by_role("button", name="Add to cart").click()
    expect(page.locator(".cart-count")).to_have_text("2")


@pytest.fixture
def elsewhere(live_server, ring):
    """A page on another site (localhost is not 127.0.0.1) whose form posts to the shop."""
    form = f"""<!doctype html><title>Win a ring</title>
<form method="post" action="{live_server}/cart/add">
<input type="hidden" name="sku" value="{ring.upper()}-0">
<input type="hidden" name="quantity" value="1">
<button type="submit">Claim</button></form>"""

    @Request.application
    def serve(request: Request) -> Response:
        return Response(form, mimetype="text/html")

    server = make_server("127.0.0.1", 0, serve, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://localhost:{server.server_port}/"
    server.shutdown()


def test_a_form_on_another_site_is_refused_in_chromium(app, page, elsewhere, as_deployed):
    posts = []
    page.on("request", lambda request: request.method == "POST" and posts.append(request))
    page.goto(elsewhere)
    with page.expect_navigation() as navigation:
        page.get_by_role("button", name="Claim").click()
    assert navigation.value.status == 400
    expect(page.locator("h1")).to_have_text("Bad request")
    assert posts[0].all_headers()["sec-fetch-site"] == "cross-site"
    assert carts(app) == 0
