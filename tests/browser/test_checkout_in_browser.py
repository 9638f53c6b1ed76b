"""A buyer in Germany checks out a mixed cart and pays by card through localstripe's
Stripe.js stand-in, in headless Chromium."""

import pytest
from playwright.sync_api import expect

from localstripe_server import app_paying_through, running_localstripe

pytestmark = pytest.mark.browser


@pytest.fixture
def paying_app(app):
    saved = app.config["TAX_REGISTRATIONS"]
    app.config["TAX_REGISTRATIONS"] = ("eu_ioss",)
    try:
        with running_localstripe() as base_url, app_paying_through(app, base_url):
            yield app
    finally:
        app.config["TAX_REGISTRATIONS"] = saved


def test_a_buyer_in_germany_pays_a_mixed_cart_by_card(
    page, paying_app, four_models, make_shipping, screenshot
):
    make_shipping("eu", "DE", {2000: "4.90"}, "EUR", "standard")
    make_shipping("eu", "DE", {2000: "12.00"}, "EUR", "express")
    page.goto("/preferences?country=DE&next=/")
    for sku in (four_models["drop"], four_models["stock"]):
        page.goto(f"/p/{sku.removesuffix('-0').lower()}")
        page.get_by_role("button", name="Add to cart").click()
        expect(page.get_by_role("status")).to_have_text("Added to your cart.")
    page.get_by_test_id("cart-link").click()
    page.get_by_test_id("checkout").click()

    expect(page.locator("h1")).to_have_text("Delivery details")
    page.get_by_label("Full name").fill("Erika Mustermann")
    page.get_by_label("Street and number").fill("Torstraße 1")
    page.get_by_label("City").fill("Berlin")
    page.get_by_label("Postal code").fill("1011")  # one digit short
    page.get_by_label("E-mail").fill("erika@example.de")
    page.get_by_label("Phone").fill("030 1234567")
    page.get_by_role("button", name="Continue to review").click()
    expect(page.get_by_test_id("error-postal_code")).to_contain_text("postal code")
    page.get_by_label("Postal code").fill("10119")
    page.get_by_label("Region (optional)").select_option("DE-BE")
    screenshot(page, "checkout-details")
    page.get_by_role("button", name="Continue to review").click()

    expect(page.locator("h1")).to_have_text("Review your order")
    groups = page.get_by_test_id("group")
    expect(groups).to_have_count(2)
    china = groups.filter(has_text="Ships from China")
    expect(china).to_contain_text("Rope chain")
    expect(page.get_by_test_id("total-shipping")).to_have_text("€9.80")
    china.get_by_label("Express: €12.00").check()
    china.get_by_role("button", name="Update").click()
    expect(page.get_by_test_id("total-shipping")).to_have_text("€16.90")
    china = page.get_by_test_id("group").filter(has_text="Ships from China")
    expect(china.get_by_test_id("import")).to_have_attribute("data-regime", "eu_ioss")
    # the EU shows prices with VAT: 19/119 of goods and shipping (39.99 + 12.00)
    expect(china.get_by_test_id("vat")).to_have_text("€8.30")
    germany = groups.filter(has_text="Ships from Germany")
    expect(germany).to_contain_text("Stock ring")
    expect(germany.get_by_test_id("import")).to_have_attribute("data-regime", "domestic")
    expect(page.get_by_test_id("total-tax")).to_have_text("€8.30")
    duty = china.get_by_test_id("duty").inner_text()
    expect(page.get_by_test_id("total-duty")).to_have_text(duty)
    total = page.get_by_test_id("total").inner_text()
    assert total == "€99.88"  # 79.98 goods + 16.90 shipping + 3.00 EU duty; VAT inside
    expect(page.get_by_test_id("place")).to_be_enabled()
    screenshot(page, "checkout-review")
    page.get_by_test_id("accept-terms").check()
    page.get_by_test_id("place").click()

    expect(page.locator("h1")).to_have_text("Pay by card")
    expect(page.get_by_test_id("total")).to_have_text(total)
    card = page.get_by_test_id("card-element")
    card.get_by_placeholder("number").fill("4242424242424242")
    card.get_by_placeholder("exp_month").fill("12")
    card.get_by_placeholder("exp_year").fill("30")
    card.get_by_placeholder("cvc").fill("123")
    card.get_by_placeholder("postal_code").fill("10119")
    screenshot(page, "checkout-pay")
    page.get_by_test_id("pay").click()

    expect(page.get_by_test_id("status")).to_have_attribute("data-status", "paid", timeout=15_000)
    expect(page.get_by_test_id("status")).to_have_text("paid")
    expect(page.locator("h1")).to_contain_text("Order ")
    groups = page.get_by_test_id("group")
    expect(groups).to_have_count(2)
    china = groups.filter(has_text="Ships from China")
    expect(china.get_by_test_id("vat")).to_have_text("€8.30")
    expect(china.get_by_test_id("shipping")).to_contain_text("Express · €12.00")
    expect(china.get_by_test_id("duty")).to_have_text(duty)
    expect(groups.filter(has_text="Ships from Germany")).to_contain_text("No import charges")
    expect(page.get_by_test_id("total")).to_have_text(total)
    # the rows add up to the total: goods, shipping, duty; the VAT shown as included
    expect(page.get_by_test_id("total-shipping")).to_have_text("€16.90")
    expect(page.get_by_test_id("total-duty")).to_have_text(duty)
    expect(page.get_by_test_id("total-tax")).to_have_text("€8.30")
    expect(page.locator(".cart-count")).to_have_text("0")
    screenshot(page, "checkout-paid")


def _to_payment(page, sku: str) -> None:
    page.goto("/preferences?country=DE&next=/")
    page.goto(f"/p/{sku.removesuffix('-0').lower()}")
    page.get_by_role("button", name="Add to cart").click()
    page.goto("/checkout")
    page.get_by_label("Full name").fill("Erika Mustermann")
    page.get_by_label("Street and number").fill("Torstraße 1")
    page.get_by_label("City").fill("Berlin")
    page.get_by_label("Postal code").fill("10119")
    page.get_by_label("E-mail").fill("erika@example.de")
    page.get_by_label("Phone").fill("030 1234567")
    page.get_by_role("button", name="Continue to review").click()
    page.get_by_test_id("accept-terms").check()
    page.get_by_test_id("place").click()
    expect(page.locator("h1")).to_have_text("Pay by card")


def _pay_with(page, number: str) -> None:
    card = page.get_by_test_id("card-element")
    card.get_by_placeholder("number").fill(number)
    card.get_by_placeholder("exp_month").fill("12")
    card.get_by_placeholder("exp_year").fill("30")
    card.get_by_placeholder("cvc").fill("123")
    card.get_by_placeholder("postal_code").fill("10119")
    page.get_by_test_id("pay").click()


def test_a_card_whose_bank_asks_for_3d_secure_is_confirmed_then_charged(
    page, paying_app, four_models, screenshot
):
    _to_payment(page, four_models["stock"])
    _pay_with(page, "4000002760003184")  # Stripe's test card that always asks for 3-D Secure
    expect(page.get_by_test_id("authenticate")).to_contain_text(
        "Your bank asks you to confirm this payment."
    )
    screenshot(page, "checkout-3ds")
    page.get_by_role("button", name="Complete authentication").click()
    expect(page.get_by_test_id("status")).to_have_attribute("data-status", "paid", timeout=15_000)


def test_a_failed_3d_secure_charges_nothing_and_another_card_can_pay(page, paying_app, four_models):
    _to_payment(page, four_models["stock"])
    _pay_with(page, "4000002760003184")
    page.get_by_role("button", name="Fail authentication").click()
    expect(page.get_by_role("alert").first).to_contain_text("Your bank did not confirm the payment")
    _pay_with(page, "4242424242424242")
    expect(page.get_by_test_id("status")).to_have_attribute("data-status", "paid", timeout=15_000)


def test_a_declined_card_then_another_card_pays(page, paying_app, four_models, screenshot):
    _to_payment(page, four_models["stock"])
    _pay_with(page, "4000000000000341")  # Stripe's test card whose charge is declined
    expect(page.get_by_role("alert").first).to_contain_text("Your card was not charged")
    screenshot(page, "checkout-declined")
    _pay_with(page, "4242424242424242")
    expect(page.get_by_test_id("status")).to_have_attribute("data-status", "paid", timeout=15_000)
