"""The web checkout without a browser: delivery form, review, placing, who may see it."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from storefront.db import db
from storefront.orders.tables import Order

BERLIN = {
    "name": "Erika Mustermann",
    "street_address": "Torstraße 1",
    "city": "Berlin",
    "postal_code": "10119",
    "country_area": "",
    "email": "erika@example.de",
    "phone": "030 1234567",
}
CRIMEA = {
    "name": "A",
    "street_address": "vul. Pushkinska 1",
    "city": "Simferopol",
    "postal_code": "95000",
    "country_area": "UA-43",
    "email": "a@b.ua",
    "phone": "+380 44 123 4567",
}


def _shop(client, country: str, skus) -> None:
    client.get(f"/preferences?country={country}&next=/")
    for sku in skus:
        assert client.post("/cart/add", data={"sku": sku}).status_code == 303


def _review_key(client) -> str:
    page = client.get("/checkout/review")
    assert page.status_code == 200
    return re.search(r'name="idempotency_key" value="([^"]+)"', page.text).group(1)


def _orders(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(Order))


def _placed(client, four_models) -> str:
    _shop(client, "DE", [four_models["stock"]])
    assert client.post("/checkout", data=BERLIN).status_code == 303
    placed = client.post(
        "/checkout/place",
        data={"idempotency_key": _review_key(client), "accept_terms_version": "0"},
    )
    return placed.headers["Location"].rsplit("/", 1)[1]


def test_the_cart_page_leads_to_checkout(client, four_models):
    _shop(client, "DE", [four_models["stock"]])
    assert 'href="/checkout"' in client.get("/cart").text


def test_form_errors_are_shown_per_field_in_german(client, four_models):
    _shop(client, "DE", [four_models["stock"]])
    bad = {**BERLIN, "name": "", "postal_code": "1011", "email": "erika", "phone": "12"}
    answer = client.post("/checkout?locale=de", data=bad)
    assert answer.status_code == 400
    text = answer.text
    assert 'data-testid="error-name">Bitte füllen Sie dieses Feld aus.' in text
    assert 'data-testid="error-email"' in text and 'data-testid="error-phone"' in text
    assert "Lieferdaten" in text  # the page itself is German too
    assert 'value="Torstraße 1"' in text  # what was typed is kept
    postal = client.post("/checkout?locale=de", data={**BERLIN, "postal_code": "1011"})
    assert postal.status_code == 400
    assert 'data-testid="error-postal_code">Geben Sie eine Postleitzahl wie' in postal.text


def test_good_details_are_saved_and_lead_to_review(client, four_models):
    _shop(client, "DE", [four_models["stock"]])
    answer = client.post("/checkout", data={**BERLIN, "country_area": "DE-BE"})
    assert answer.status_code == 303 and answer.headers["Location"] == "/checkout/review"
    review = client.get("/checkout/review")
    assert "+49301234567" in review.text and 'data-testid="place">' in review.text


def test_review_without_details_goes_back_to_the_form(client, four_models):
    _shop(client, "DE", [four_models["stock"]])
    assert client.get("/checkout/review").headers["Location"] == "/checkout"


def test_a_double_submit_places_one_order(app, client, four_models):
    _shop(client, "DE", [four_models["stock"]])
    client.post("/checkout", data=BERLIN)
    key = _review_key(client)
    first = client.post(
        "/checkout/place", data={"idempotency_key": key, "accept_terms_version": "0"}
    )
    second = client.post(
        "/checkout/place", data={"idempotency_key": key, "accept_terms_version": "0"}
    )
    assert first.status_code == second.status_code == 303
    assert first.headers["Location"] == second.headers["Location"]
    assert first.headers["Location"].startswith("/checkout/pay/")
    assert _orders(app) == 1
    # a new visit to the review page is a new checkout
    client.post(
        "/checkout/place",
        data={"idempotency_key": _review_key(client), "accept_terms_version": "0"},
    )
    assert _orders(app) == 2


def test_the_buyer_sees_the_order_and_another_visitor_gets_404(app, client, four_models):
    number = _placed(client, four_models)
    assert client.get(f"/checkout/pay/{number}").status_code == 200
    mine = client.get(f"/orders/{number}")
    assert mine.status_code == 200 and number in mine.text and "waiting for payment" in mine.text

    stranger = app.test_client()
    assert stranger.get(f"/checkout/pay/{number}").status_code == 404
    assert stranger.post(f"/checkout/pay/{number}", data={"token": "tok_x"}).status_code == 404
    assert stranger.get(f"/orders/{number}").status_code == 404
    assert stranger.get("/orders/NO-SUCH").status_code == 404


def test_another_visitor_cannot_take_over_a_checkout_key(app, client, four_models):
    _shop(client, "DE", [four_models["stock"]])
    client.post("/checkout", data=BERLIN)
    key = _review_key(client)
    client.post("/checkout/place", data={"idempotency_key": key, "accept_terms_version": "0"})
    stranger = app.test_client()
    _shop(stranger, "DE", [four_models["stock"]])
    stranger.post("/checkout", data=BERLIN)
    assert (
        stranger.post(
            "/checkout/place", data={"idempotency_key": key, "accept_terms_version": "0"}
        ).status_code
        == 404
    )


@pytest.fixture
def ukraine(four_models, make_channel):
    make_channel("us", name="Rest of world", countries_text="UA US")
    return four_models


def test_a_blocked_region_disables_paying(app, client, ukraine):
    _shop(client, "UA", [ukraine["drop"]])
    assert client.post("/checkout", data=CRIMEA).status_code == 303
    review = client.get("/checkout/review")
    assert 'data-testid="problems"' in review.text
    assert "We cannot deliver to this destination" in review.text
    assert re.search(r'data-testid="place" disabled', review.text)
    key = re.search(r'name="idempotency_key" value="([^"]+)"', review.text).group(1)
    refused = client.post(
        "/checkout/place", data={"idempotency_key": key, "accept_terms_version": "0"}
    )
    assert refused.headers["Location"] == "/checkout/review"
    assert _orders(app) == 0


def test_a_region_list_comes_from_iso_3166_2(client, ukraine):
    _shop(client, "UA", [ukraine["drop"]])
    form = client.get("/checkout").text
    assert 'value="UA-43"' in form and 'value="UA-05"' in form


def test_an_empty_cart_cannot_check_out(client, four_models):
    assert client.get("/checkout").headers["Location"] == "/cart"
    assert (
        client.post(
            "/checkout/place", data={"idempotency_key": "k", "accept_terms_version": "0"}
        ).status_code
        == 303
    )


def test_import_charges_due_on_delivery_are_labelled_an_estimate(app, client, four_models):
    saved = app.config["TAX_REGISTRATIONS"]
    app.config["TAX_REGISTRATIONS"] = ()  # no IOSS: the shop cannot collect the VAT
    try:
        _shop(client, "DE", [four_models["drop"]])
        client.post("/checkout", data=BERLIN)
        review = client.get("/checkout/review?locale=de").text
    finally:
        app.config["TAX_REGISTRATIONS"] = saved
    assert 'data-regime="dap"' in review
    assert "Geschätzt bei Zustellung fällig:" in review and "Dies ist eine Schätzung." in review
    assert 'data-testid="total-tax">0,00\xa0€' in review  # nothing collected now


def test_the_forms_carry_a_csrf_token(app, client, four_models):
    _shop(client, "DE", [four_models["stock"]])
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        form = client.get("/checkout").text
        token = re.search(r'name="csrf_token" value="([^"]+)"', form).group(1)
        assert client.post("/checkout", data=BERLIN).status_code == 400
        saved = client.post("/checkout", data={**BERLIN, "csrf_token": token})
        assert saved.status_code == 303
        review = client.get("/checkout/review").text
        assert re.search(r'name="csrf_token" value="[^"]+"', review)
    finally:
        app.config["WTF_CSRF_ENABLED"] = False
