"""A buyer walks home -> category -> product -> add to cart -> cart in Chromium."""

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_buyer_finds_a_ring_and_puts_two_in_the_cart(
    page, make_product, make_category, make_channel, screenshot
):
    make_channel("us")
    make_category("rings", "Rings", position=1)
    make_category("necklaces", "Necklaces", position=2)
    make_product(name="Hammered silver band", prices=["39.00", "42.00"])
    make_product(
        name="Pearl drop pendant", category="necklaces", material="pearl", prices=["89.00"]
    )
    make_product(name="Skip-order signet", grade="skip_order", prices=["24.00"])

    page.goto("/")
    expect(page.locator("h1")).to_contain_text("Jewelry")
    expect(page.locator(".cart-count")).to_have_text("0")
    screenshot(page, "home")

    page.get_by_role("navigation", name="Categories").get_by_role("link", name="Rings").click()
    expect(page.locator("h1")).to_have_text("Rings")
    expect(page.get_by_test_id("result-count")).to_have_text("2 pieces")
    cards = page.locator(".product-card")
    expect(cards).to_have_count(2)
    expect(cards.filter(has_text="Skip-order signet")).to_contain_text("Surplus: skip order")
    screenshot(page, "category")

    page.get_by_role("link", name="Hammered silver band").click()
    expect(page.locator("h1")).to_have_text("Hammered silver band")
    expect(page.get_by_test_id("price")).to_contain_text("$39.00")
    page.get_by_test_id("variant").select_option(label="Size: 7 — $42.00")
    page.get_by_label("Quantity").fill("2")
    page.get_by_role("button", name="Add to cart").click()
    expect(page.get_by_role("status")).to_have_text("Added to your cart.")
    expect(page.locator(".cart-count")).to_have_text("2")
    screenshot(page, "product")

    page.get_by_test_id("cart-link").click()
    line = page.locator(".cart-line")
    expect(line).to_have_count(1)
    expect(line).to_contain_text("Hammered silver band")
    expect(line).to_contain_text("Size: 7")
    expect(line.locator(".line-total")).to_have_text("$84.00")
    expect(page.get_by_test_id("subtotal")).to_have_text("$84.00")
    screenshot(page, "cart")

    quantity = line.get_by_label("Quantity")
    quantity.fill("0")
    line.get_by_role("button", name="Update").click()
    # the browser refuses it before the server sees it; the server's own message is unit-tested
    assert quantity.evaluate("el => el.validity.rangeUnderflow")
    expect(page.get_by_test_id("subtotal")).to_have_text("$84.00")
    quantity.fill("3")
    line.get_by_role("button", name="Update").click()
    expect(page.get_by_test_id("subtotal")).to_have_text("$126.00")

    page.locator(".cart-line").get_by_role("button", name="Remove").click()
    expect(page.get_by_text("Your cart is empty.")).to_be_visible()


def test_pages_read_well_on_a_phone(browser, app, live_server, make_product, screenshot):
    make_product(name="Hammered silver band")
    context = browser.new_context(
        base_url=live_server,
        viewport={"width": 390, "height": 844},
        device_scale_factor=2,
        is_mobile=True,
    )
    page = context.new_page()
    page.goto("/c/rings")
    # nothing wider than the screen: no sideways scrolling on a phone
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390
    expect(page.locator(".product-card")).to_have_count(1)
    screenshot(page, "category-phone")
    context.close()
