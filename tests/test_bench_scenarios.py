"""bench/pages.py's buyer is made through the shop's own pages and API: a session with a
chosen country and a 3-line cart, and an API cart of 5 lines in 3 fulfilment groups."""

from bench import scenarios


def test_the_buyer_session_holds_a_cart_and_a_country(app, live_server, four_models):
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
