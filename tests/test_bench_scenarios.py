"""bench/pages.py's buyer is made through the shop's own pages and API: a session with a
chosen country and a 3-line cart, and an API cart of 5 lines in 3 fulfilment groups."""

import re

import pytest

from bench import scenarios
from bench.profile_pages import buyer_client


@pytest.fixture
def as_deployed(app, monkeypatch):
    """Forms checked and the page cache on, as in production: the buyer's first product page
    is the anonymous, cached one, without a form token."""
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    monkeypatch.setitem(app.config, "LISTING_CACHE_SECONDS", 5)
    app.extensions["page_cache"].clear()
    yield
    app.extensions["page_cache"].clear()


def test_the_buyer_session_holds_a_cart_and_a_country(app, live_server, four_models, as_deployed):
    paths = [f"/p/{sku.removesuffix('-0').lower()}" for sku in four_models.values()]
    buyer = scenarios.buyer_session(live_server, paths, "DE")
    assert buyer.lines == 3
    assert "country=DE" in buyer.cookie and "session=" in buyer.cookie
    client = app.test_client()
    for part in buyer.cookie.split("; "):
        name, value = part.split("=", 1)
        client.set_cookie(name, value)
    page = client.get("/c/rings").get_data(as_text=True)
    assert '<span class="cart-count">3</span>' in page and "€" in page


def test_the_api_cart_has_five_lines_in_three_groups(app, live_server, four_models, make_product):
    made = {"selling_model": "self_produced"}
    made["selling_model_settings"] = {"maker": "atelier", "production_min": 5, "production_max": 10}
    make_product(name="Atelier ring", **made)
    make_product(name="Atelier band", **made)
    cart = scenarios.api_cart(live_server, "DE")
    assert (cart.lines, cart.groups) == (5, 3)
    client = app.test_client()
    answer = client.get(cart.path, headers={"Authorization": f"Bearer {cart.token}"})
    assert answer.status_code == 200
    assert len(answer.get_json()["lines"]) == 5 and len(answer.get_json()["groups"]) == 3


def test_the_profiled_buyer_fills_its_cart(app, four_models, as_deployed):
    client, _product = buyer_client(app, "DE", lines=2)
    home = client.get("/").get_data(as_text=True)
    assert re.search(r'<span class="cart-count">2</span>', home)
