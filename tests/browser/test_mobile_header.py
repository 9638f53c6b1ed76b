"""The header on a phone (390x844) in Chromium: a compact row (logo, menu, cart) under
80 px, left to right and right to left, that covers no more than that while the buyer
scrolls; the country, currency and language switch still works from its menu."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
MOST = 80  # px of the screen the header may take


@pytest.fixture
def phone(browser, app, live_server):
    context = browser.new_context(
        base_url=live_server, viewport=PHONE, locale="en-US", is_mobile=True, has_touch=True
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    refused: list[str] = []
    page.on(
        "console",
        lambda message: "Content Security Policy" in message.text and refused.append(message.text),
    )
    yield page
    context.close()
    assert not refused, refused


@pytest.fixture
def long_listing(make_product, make_category, make_channel, rates):
    make_channel("us")
    make_channel("eu")
    make_channel("jp")
    make_channel("gulf")
    rates(KWD="0.35")
    for position, slug in enumerate(("rings", "earrings", "necklaces", "bracelets", "brooches")):
        make_category(slug, slug.title(), position=position)
    for n in range(12):
        make_product(name=f"Hammered band {n}", prices=["39.00"])
    return "/c/rings"


def covered(page) -> float:
    """How many px of the screen the header covers now."""
    box = page.locator(".site-header").bounding_box()
    return max(0.0, min(box["y"] + box["height"], PHONE["height"]) - max(box["y"], 0.0))


@pytest.mark.parametrize("locale", ["en", "ar"])
def test_the_header_stays_small_on_a_phone_while_scrolling(phone, long_listing, locale, screenshot):
    phone.goto(f"{long_listing}?locale={locale}")
    header = phone.locator(".site-header")
    assert header.bounding_box()["height"] <= MOST
    # The row keeps what a buyer needs at hand: the shop's name, the menu and the cart.
    for part in (
        phone.locator(".logo"),
        phone.locator(".menu-button"),
        phone.get_by_test_id("cart-link"),
    ):
        expect(part).to_be_visible()
        box = part.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
    logo, cart = (
        phone.locator(".logo").bounding_box(),
        phone.get_by_test_id("cart-link").bounding_box(),
    )
    assert (logo["x"] < cart["x"]) == (locale == "en")  # mirrored right to left
    expect(phone.get_by_test_id("country")).to_be_hidden()
    screenshot(phone, f"mobile-header-{locale}")

    for target in ("900", "document.body.scrollHeight"):
        scrolled = phone.evaluate(f"() => {{ window.scrollTo(0, {target}); return scrollY; }}")
        assert scrolled >= 600  # the page did move under the header
        assert covered(phone) <= MOST


@pytest.mark.parametrize(("locale", "menu"), [("en", "Menu"), ("ar", None)])
def test_the_menu_still_switches_country_currency_and_language_on_a_phone(
    phone, long_listing, locale, menu, screenshot
):
    phone.goto(f"{long_listing}?locale={locale}")
    button = phone.locator(".menu-button")
    if menu:
        expect(button).to_have_text(menu)
    button.click()
    country = phone.get_by_test_id("country")
    expect(country).to_be_visible()
    # The open menu lies over the page, inside the screen; the header itself stays small.
    tools = phone.locator(".header-tools").bounding_box()
    assert tools["x"] >= 0 and tools["x"] + tools["width"] <= PHONE["width"] + 0.5
    assert phone.locator(".site-header").bounding_box()["height"] <= MOST
    expect(phone.get_by_role("navigation").get_by_role("link").first).to_be_visible()
    screenshot(phone, f"mobile-menu-{locale}")

    country.select_option("JP")
    phone.get_by_test_id("language").select_option("ja")
    phone.locator(".market-control button[type=submit]").click()
    expect(phone.locator("html")).to_have_attribute("lang", "ja")
    expect(phone.locator(".product-card .price").first).to_have_text("￥4,990")
    expect(phone.get_by_test_id("country")).to_be_hidden()  # the menu is folded again


def test_on_a_wide_screen_the_menu_is_simply_open(page, long_listing):
    page.goto(long_listing)
    expect(page.locator(".menu-button")).to_be_hidden()
    expect(page.get_by_test_id("country")).to_be_visible()
    expect(page.get_by_role("search")).to_be_visible()
    expect(page.get_by_role("navigation", name="Categories")).to_be_visible()
