"""A first visit's country: guessed from the browser's language region and a trusted CDN
header, chosen in the header and on the checkout's address form, re-pricing the cart."""

from __future__ import annotations

import re

import pytest

BERLIN = {
    "name": "Erika Mustermann",
    "street_address": "Torstraße 1",
    "city": "Berlin",
    "postal_code": "10119",
    "country_area": "",
    "email": "erika@example.de",
    "phone": "030 1234567",
}


@pytest.fixture
def markets(app, four_models, make_channel):
    """Channels for the US (first, today's default), the EU (Austria listed first, as in the
    demo) and Japan; `four_models` sells in all of them."""
    make_channel("us", position=0)
    make_channel("jp", position=2)
    from storefront.db import db
    from storefront.markets.tables import Channel

    with app.app_context():
        db.session.query(Channel).filter_by(code="eu").update(
            {"countries_text": "AT DE FR IT ES NL", "position": 1}
        )
        db.session.commit()
    return four_models


@pytest.fixture
def header_trusted(app, monkeypatch):
    monkeypatch.setitem(app.config, "COUNTRY_HEADER", "CF-IPCountry")


def visitor(app, accept_language: str, **headers):
    client = app.test_client()
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = accept_language
    for name, value in headers.items():
        client.environ_base[f"HTTP_{name.upper().replace('-', '_')}"] = value
    return client


def header_choice(page: str) -> tuple[str, str]:
    """The header's selected country and the currency its option shows."""
    found = re.search(
        r'data-testid="country">.*?<option value="(\w+)" selected>[^<]* — (\w+)</option>',
        page,
        re.S,
    )
    return found[1], found[2]


def selected_country(page: str) -> str:
    return header_choice(page)[0]


@pytest.mark.parametrize(
    ("accept_language", "country", "currency"),
    [
        ("de-DE,de;q=0.9,en;q=0.8", "DE", "EUR"),
        ("en-US,en;q=0.9", "US", "USD"),
        ("ja-JP", "JP", "JPY"),
        ("de", "DE", "EUR"),  # a bare language: its home country
        ("pt-BR", "US", "USD"),  # a country no channel sells to: the shop's first channel
    ],
)
def test_the_first_visit_guesses_the_country_from_the_language_region(
    app, markets, accept_language, country, currency
):
    page = visitor(app, accept_language).get("/").text
    assert header_choice(page) == (country, currency)


def test_a_german_first_visit_checks_out_to_berlin(app, markets):
    client = visitor(app, "de-DE,de;q=0.9")
    assert client.post("/cart/add", data={"sku": markets["stock"]}).status_code == 303
    form = client.get("/checkout").text
    assert '<option value="DE" selected>Deutschland — EUR</option>' in form
    answer = client.post("/checkout", data={**BERLIN, "country": "DE"})
    assert answer.status_code == 303 and answer.headers["Location"] == "/checkout/review"
    review = client.get("/checkout/review")
    assert review.status_code == 200 and "€" in review.text and "Berlin" in review.text


def test_a_trusted_country_header_wins_over_the_language(app, markets, header_trusted):
    page = visitor(app, "de-DE", **{"CF-IPCountry": "JP"}).get("/").text
    assert selected_country(page) == "JP" and "¥" in page


def test_a_country_header_is_ignored_unless_configured(app, markets):
    page = visitor(app, "de-DE", **{"CF-IPCountry": "JP"}).get("/").text
    assert selected_country(page) == "DE"


def test_the_buyers_choice_wins_over_the_guess(app, markets, header_trusted):
    client = visitor(app, "de-DE", **{"CF-IPCountry": "JP"})
    client.get("/preferences?country=FR&next=/")
    assert selected_country(client.get("/").text) == "FR"


def test_first_visits_in_other_languages_get_their_own_cached_page(app, markets, monkeypatch):
    monkeypatch.setitem(app.config, "LISTING_CACHE_SECONDS", 60)
    app.extensions["page_cache"].clear()
    try:
        german = visitor(app, "de-DE").get("/c/rings").text
        austrian = visitor(app, "de-AT").get("/c/rings").text
        american = visitor(app, "en-US").get("/c/rings").text
    finally:
        app.extensions["page_cache"].clear()
    assert selected_country(german) == "DE" and selected_country(austrian) == "AT"
    assert selected_country(american) == "US" and "$" in american and "$" not in german


def test_the_header_lists_each_country_with_its_currency(app, markets):
    page = visitor(app, "en-US").get("/").text
    assert "Germany — EUR</option>" in page
    assert "Japan — JPY</option>" in page and "United States — USD</option>" in page


def test_changing_the_checkout_country_reprices_the_cart_and_the_form(app, markets):
    client = visitor(app, "de-DE")
    client.post("/cart/add", data={"sku": markets["stock"]})
    assert "€" in client.get("/cart").text
    moved = client.post("/checkout", data={**BERLIN, "country": "JP", "change_country": "1"})
    assert moved.status_code == 303 and moved.headers["Location"] == "/checkout"
    form = client.get("/checkout").text
    assert '<option value="JP" selected>' in form
    assert "Lieferung nach Japan: Preise jetzt in JPY." in form
    assert 'name="country_area"' in form  # Japan's form asks for the prefecture
    cart = client.get("/cart").text
    assert "¥" in cart and "€" not in cart
    assert selected_country(client.get("/").text) == "JP"  # the header follows


def test_a_country_nobody_delivers_to_is_refused_on_the_form(app, markets):
    client = visitor(app, "en-US")
    client.post("/cart/add", data={"sku": markets["stock"]})
    refused = client.post("/checkout", data={"country": "BR"}, follow_redirects=True)
    assert "Sorry, we do not deliver to Brazil yet." in refused.text
    assert '<option value="US" selected>' in refused.text


def test_moving_the_checkout_to_a_country_the_cart_cannot_reach_says_why(
    app, markets, make_channel
):
    make_channel("gulf", position=3)  # KWD: no rate stored, nothing is for sale there yet
    client = visitor(app, "en-US")
    client.post("/cart/add", data={"sku": markets["stock"]})
    moved = client.post("/checkout", data={"country": "KW"}, follow_redirects=True)
    assert "Some items in your cart cannot be delivered to Kuwait:" in moved.text
    assert f"{markets['stock']} is not for sale in KWD yet." in moved.text
    assert '<option value="KW" selected>Kuwait — KWD</option>' in moved.text


def test_the_api_prices_in_the_market_of_the_language_region(app, markets):
    german = visitor(app, "de-DE").get("/api/v1/products").json["items"]
    american = visitor(app, "en-US").get("/api/v1/products").json["items"]
    assert {item["price"]["currency"] for item in german} == {"EUR"}
    assert {item["price"]["currency"] for item in american} == {"USD"}


def test_a_guessed_page_tells_shared_caches_what_it_varies_on(app, markets, header_trusted):
    guessed = visitor(app, "de-DE", **{"CF-IPCountry": "DE"}).get("/")
    assert {"Accept-Language", "CF-IPCountry"} <= set(guessed.vary)
