"""A German buyer's first visit, in Chromium: the shop guesses Germany from the browser's
language (de-DE), not the EU channel's first country, and checks out to Berlin."""

import re

import pytest
from playwright.sync_api import expect

from storefront.db import db
from storefront.markets.tables import Channel

pytestmark = pytest.mark.browser


@pytest.fixture
def german_browser(page_in):
    with page_in("de-DE") as page:
        yield page


@pytest.fixture
def shop(app, four_models, make_channel):
    """The US channel first (today's default), the EU channel listing Austria first."""
    make_channel("us", position=0)
    with app.app_context():
        db.session.query(Channel).filter_by(code="eu").update(
            {"countries_text": "AT DE FR IT ES NL", "position": 1}
        )
        db.session.commit()
    return four_models


def test_a_german_first_visit_checks_out_to_berlin(german_browser, shop, screenshot):
    page = german_browser
    page.goto(f"/p/{shop['stock'].removesuffix('-0').lower()}")
    expect(page.locator("html")).to_have_attribute("lang", "de")
    expect(page.get_by_test_id("country").locator("option:checked")).to_have_text(
        "Deutschland — EUR"
    )
    expect(page.get_by_test_id("price")).to_contain_text("€")
    page.get_by_role("button", name="In den Warenkorb").click()
    page.get_by_test_id("cart-link").click()
    page.get_by_test_id("checkout").click()

    expect(page.get_by_test_id("checkout-country").locator("option:checked")).to_have_text(
        "Deutschland — EUR"
    )
    page.locator("#f-name").fill("Erika Mustermann")
    page.locator("#f-street_address").fill("Torstraße 1")
    page.locator("#f-city").fill("Berlin")
    page.locator("#f-postal_code").fill("10119")
    page.locator("#f-email").fill("erika@example.de")
    page.locator("#f-phone").fill("030 1234567")
    screenshot(page, "first-visit-de-details")
    page.locator(".checkout-form button.primary").click()

    expect(page).to_have_url(re.compile(r"/checkout/review$"))
    expect(page.get_by_test_id("place")).to_be_visible()
    expect(page.locator("main")).to_contain_text("Berlin")
    expect(page.get_by_test_id("total")).to_contain_text("€")
    screenshot(page, "first-visit-de-review")
