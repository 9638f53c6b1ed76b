"""Buyers type their address in the checkout's form, in headless Chromium: a Tokyo buyer's
ward (千代田区) typed as the city, the postal code and the prefecture's name (東京都, never
JP-13) are what the review and the order page show; a Hong Kong buyer chooses the post's
own area (no ISO code) and can check out."""

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
    expect(page.get_by_test_id("address")).to_contain_text("丸の内1-1-1, Tokyo, 千代田区, 100-0005")
    page.get_by_test_id("accept-terms").check()
    page.get_by_test_id("place").click()
    expect(page).to_have_url(re.compile(r"/checkout/pay/"))
    number = page.url.rsplit("/", 1)[1]

    page.goto(f"/preferences?locale=ja&next=/orders/{number}")
    lines = page.get_by_test_id("delivery-address").get_by_test_id("address-line")
    expect(lines).to_have_text(
        ["〒100-0005", "東京都", "千代田区", "丸の内1-1-1", "山田 花子", "日本"]
    )
    expect(page.get_by_test_id("delivery-address")).not_to_contain_text("JP-13")
    screenshot(page, "order-japan")


def test_a_hong_kong_buyer_chooses_the_posts_area_and_checks_out(
    page, four_models, make_channel, screenshot
):
    make_channel("us", name="Asia", countries_text="HK")
    page.goto("/preferences?country=HK&next=/")
    page.goto(f"/p/{four_models['made'].removesuffix('-0').lower()}")
    page.get_by_role("button", name="Add to cart").click()
    expect(page.get_by_role("status")).to_have_text("Added to your cart.")
    page.goto("/checkout")

    page.get_by_label("Full name").fill("Chan Tai Man")
    page.get_by_label("Street and number").fill("2 Connaught Place")
    page.get_by_label("City").fill("Central")
    page.get_by_label("Region").select_option(label="Hong Kong Island")
    page.get_by_label("E-mail").fill("taiman@example.hk")
    page.get_by_label("Phone").fill("2123 4567")
    screenshot(page, "checkout-details-hong-kong")
    page.get_by_role("button", name="Continue to review").click()

    expect(page.locator("h1")).to_have_text("Review your order")
    expect(page.get_by_test_id("address")).to_contain_text("Central, Hong Kong Island")
    page.get_by_test_id("accept-terms").check()
    page.get_by_test_id("place").click()
    expect(page).to_have_url(re.compile(r"/checkout/pay/"))
    number = page.url.rsplit("/", 1)[1]

    page.goto(f"/orders/{number}")
    lines = page.get_by_test_id("delivery-address").get_by_test_id("address-line")
    expect(lines).to_have_text(
        ["Chan Tai Man", "2 Connaught Place", "Central", "Hong Kong Island", "Hong Kong SAR China"]
    )
    screenshot(page, "order-hong-kong")
