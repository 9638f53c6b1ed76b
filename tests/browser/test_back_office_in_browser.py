"""A merchant sets up what it sells without code, in Chromium: a category, a brand, a
warehouse and its stock, a product; a buyer then finds it and puts it in the cart."""

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_a_merchant_sets_up_a_product_and_a_buyer_carts_it(
    page, make_user, make_channel, screenshot
):
    make_channel("us")
    make_user(email="owner@shop.example", password="correct horse battery", role="owner")

    page.goto("/login")
    page.locator("form:has(input[name=password]) input[name=email]").fill("owner@shop.example")
    page.locator("input[name=password]").fill("correct horse battery")
    page.locator("form:has(input[name=password]) button[type=submit]").click()

    page.goto("/admin/categories")
    form = page.get_by_test_id("taxonomy-form")
    form.locator("input[name=slug]").fill("anklets")
    form.locator("input[name=name]").fill("Anklets")
    form.get_by_role("button", name="Save").click()
    expect(page.get_by_role("status")).to_contain_text("Anklets saved.")

    page.goto("/admin/brands")
    form = page.get_by_test_id("taxonomy-form")
    form.locator("input[name=slug]").fill("sole-mio")
    form.locator("input[name=name]").fill("Sole Mio")
    form.locator("input[name=country]").fill("IT")
    form.get_by_role("button", name="Save").click()
    expect(page.get_by_test_id("brands")).to_contain_text("sole-mio")

    page.goto("/admin/warehouses/new")
    page.locator("input[name=code]").fill("milan")
    page.locator("input[name=name]").fill("Milan depot")
    page.locator("input[name=country]").fill("IT")
    page.locator("input[name=serves]").fill("*")
    page.get_by_role("button", name="Create").click()

    page.goto("/admin/products/new")
    page.locator("input[name=slug]").fill("sun-anklet")
    page.locator("input[name=name]").fill("Sun anklet")
    page.locator("select[name=brand]").select_option("sole-mio")
    page.locator("select[name=category]").select_option("anklets")
    page.locator("select[name=selling_model]").select_option("wholesale_retail")
    page.locator("input[name=hs_code]").fill("7113.11")
    page.locator("input[name=origin_country]").fill("IT")
    for name, value in (("weight_grams", "8"), ("length_mm", "250"), ("width_mm", "10"),
                        ("height_mm", "5")):  # fmt: skip
        page.locator(f"input[name={name}]").fill(value)
    page.locator("input[name=sku-0]").fill("SUN-ANKLET")
    page.locator("input[name=price-0]").fill("45.00")
    screenshot(page, "back-office-new-product")
    page.get_by_role("button", name="Create").click()
    expect(page.get_by_role("status")).to_contain_text("Sun anklet created.")

    page.goto("/admin/warehouses/milan")
    movement = page.get_by_test_id("movement-form")
    movement.locator("input[name=sku]").fill("SUN-ANKLET")
    movement.locator("input[name=quantity]").fill("6")
    movement.locator("select[name=reason]").select_option("received")
    movement.get_by_role("button").click()
    expect(page.get_by_test_id("movements")).to_contain_text("SUN-ANKLET")

    # a buyer (another browser session) finds it in its category and puts it in the cart
    buyer = page.context.browser.new_context(
        base_url=page.url.split("/admin")[0], viewport={"width": 1280, "height": 900}
    ).new_page()
    buyer.goto("/")
    buyer.get_by_role("navigation", name="Categories").get_by_role("link", name="Anklets").click()
    buyer.get_by_role("link", name="Sun anklet").click()
    expect(buyer.get_by_test_id("price")).to_contain_text("$45.00")
    buyer.get_by_role("button", name="Add to cart").click()
    expect(buyer.locator(".cart-count")).to_have_text("1")
    screenshot(buyer, "buyer-carts-the-new-product")
    buyer.context.close()
