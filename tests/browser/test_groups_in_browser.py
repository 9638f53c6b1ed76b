"""A buyer in Germany with one piece of each selling model sees four shipments."""

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_mixed_cart_shows_four_shipments_with_their_own_eta(page, four_models, screenshot):
    page.goto("/preferences?country=DE&next=/")
    for sku in four_models.values():
        page.goto(f"/p/{sku.removesuffix('-0').lower()}")
        page.get_by_role("button", name="Add to cart").click()
        expect(page.get_by_role("status")).to_have_text("Added to your cart.")
    page.get_by_test_id("cart-link").click()
    groups = page.get_by_test_id("group")
    expect(groups).to_have_count(4)
    expect(groups.filter(has_text="Atelier cuff")).to_contain_text("Ships from Portugal")
    expect(groups.filter(has_text="Atelier cuff").get_by_test_id("eta")).to_have_text(
        "arrives in 7–15 days"
    )
    expect(groups.filter(has_text="Rope chain")).to_contain_text("Ships from China")
    expect(groups.filter(has_text="Stock ring")).to_contain_text("Ships from Germany")
    expect(groups.filter(has_text="Milano hoops")).to_contain_text("Ships from Italy")
    expect(page.locator(".cart-count")).to_have_text("4")
    screenshot(page, "cart-four-groups")
