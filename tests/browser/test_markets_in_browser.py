"""Prices and pages as buyers in Germany, Japan and Kuwait see them, in Chromium."""

from decimal import Decimal

import pytest
from playwright.sync_api import expect

from storefront.db import db
from storefront.markets.tables import ChannelPrice

pytestmark = pytest.mark.browser


@pytest.fixture
def shop(app, make_product, make_channel, rates):
    ids = {code: make_channel(code) for code in ("us", "eu", "jp", "gulf")}
    rates(KWD="0.35")
    slug = make_product(name="Pavé cocktail ring", prices=["1600.00"])
    with app.app_context():
        from storefront.catalog.tables import Variant

        sku = db.session.query(Variant.id).filter(Variant.sku == f"{slug.upper()}-0").scalar()
        db.session.add(
            ChannelPrice(variant_id=sku, channel_id=ids["eu"], amount=Decimal("1234.56"))
        )
        db.session.commit()
    return slug


def test_a_german_buyer_reads_euro_prices_the_german_way(page, shop, screenshot):
    page.goto(f"/p/{shop}")
    page.get_by_test_id("country").select_option("DE")
    page.get_by_test_id("language").select_option("de")
    page.get_by_role("button", name="Change").click()
    expect(page).to_have_url(f"{page.url.split('/p/')[0]}/p/{shop}")  # still on the product
    expect(page.locator("html")).to_have_attribute("lang", "de")
    expect(page.get_by_test_id("price")).to_have_text("1.234,56\u00a0€")
    expect(page.get_by_role("button", name="In den Warenkorb")).to_be_visible()
    screenshot(page, "product-de")


def test_a_japanese_buyer_sees_yen_without_decimals(page, shop, screenshot):
    page.goto(f"/p/{shop}?locale=ja&channel=jp")
    # 1600 USD / 1.25 * 160 = 204,800 JPY, already a whole ten
    expect(page.get_by_test_id("price")).to_have_text("￥204,800")
    expect(page.locator("html")).to_have_attribute("lang", "ja")
    screenshot(page, "product-ja")


def test_a_buyer_in_kuwait_sees_three_decimals_on_a_right_to_left_page(page, shop, screenshot):
    page.goto("/c/rings?locale=ar&channel=gulf")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    # 1600 USD / 1.25 * 0.35 = 448.000 KWD
    expect(page.locator(".product-card .price")).to_have_text("\u200f448.000\u00a0د.ك.\u200f")
    # right to left: the logo sits at the right edge, the cart link at the left
    logo = page.locator(".logo").bounding_box()
    cart = page.get_by_test_id("cart-link").bounding_box()
    assert logo["x"] > cart["x"]
    screenshot(page, "category-ar")
