"""A buyer in Japan types a Tokyo address in the checkout's form, in headless Chromium: the
ward (千代田区) typed as the city is what the review and the order page show."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_a_japanese_address_keeps_its_ward_from_form_to_order(
    page, four_models, make_channel, screenshot
):
    make_channel("jp")
    page.goto("/preferences?country=JP&next=/")
    page.goto(f"/p/{four_models['made'].removesuffix('-0').lower()}")
    page.get_by_role("button", name="Add to cart").click()
    expect(page.get_by_role("status")).to_have_text("Added to your cart.")
    page.goto("/checkout")

    expect(page.locator("h1")).to_have_text("Delivery details")
    page.get_by_label("Full name").fill("山田 花子")
    page.get_by_label("Street and number").fill("丸の内1-1-1")
    page.get_by_label("City").fill("千代田区")
    page.get_by_label("Postal code").fill("100-0005")
    page.get_by_label("Region").select_option("JP-13")
    page.get_by_label("E-mail").fill("hanako@example.jp")
    page.get_by_label("Phone").fill("03-1234-5678")
    screenshot(page, "checkout-details-japan")
    page.get_by_role("button", name="Continue to review").click()

    expect(page.locator("h1")).to_have_text("Review your order")
    expect(page.get_by_test_id("address")).to_contain_text("丸の内1-1-1, 100-0005 千代田区")
    page.get_by_test_id("accept-terms").check()
    page.get_by_test_id("place").click()
    expect(page).to_have_url(re.compile(r"/checkout/pay/"))
    number = page.url.rsplit("/", 1)[1]

    page.goto(f"/orders/{number}")
    address = page.get_by_test_id("delivery-address")
    expect(address).to_contain_text("丸の内1-1-1")
    expect(address).to_contain_text("100-0005 千代田区")
    screenshot(page, "order-japan")
