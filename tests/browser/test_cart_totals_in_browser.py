"""A buyer in Germany reads the delivery estimate on the product page, then picks express
in the cart: the cart shows its price, the shipping total and a total that adds up."""

from decimal import Decimal

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from storefront.db import db
from storefront.markets.tables import Channel

pytestmark = pytest.mark.browser


@pytest.fixture
def german_shipping(app, four_models, make_shipping):
    make_shipping("eu", "DE FR", {500: "4.90", 2000: "9.90"}, "EUR", "standard")
    make_shipping("eu", "DE FR", {2000: "19.00"}, "EUR", "express", position=1)
    with app.app_context():
        db.session.scalar(select(Channel).where(Channel.code == "eu")).free_shipping_over = Decimal(
            "79.98"
        )
        db.session.commit()
    return four_models


def test_express_costs_its_price_in_the_cart_and_standard_ships_free(
    page, german_shipping, screenshot
):
    page.goto("/preferences?country=DE&next=/")
    page.goto("/p/silver-ring-2")  # the atelier's cuff, made to order in Portugal
    expect(page.get_by_test_id("delivery-estimate")).to_have_text(
        "Delivered to Germany in 7–15 days"
    )
    page.goto("/p/silver-ring-4")  # the rope chain, 39.99, sent by the supplier in China
    page.get_by_label("Quantity").fill("2")
    page.get_by_role("button", name="Add to cart").click()
    page.get_by_test_id("cart-link").click()

    expect(page.get_by_test_id("total-shipping")).to_have_text("Free")
    expect(page.get_by_test_id("free-shipping")).to_have_text("Your order ships free.")

    page.get_by_label("Express: €19.00").check()
    page.get_by_role("button", name="Update").last.click()
    expect(page.get_by_test_id("group-shipping")).to_have_text("Shipping: Express · €19.00")
    expect(page.get_by_test_id("total-shipping")).to_have_text("€19.00")
    expect(page.get_by_test_id("total")).to_have_text("€98.98")
    expect(page.get_by_test_id("free-shipping")).not_to_have_text("Your order ships free.")
    screenshot(page, "cart-express-shipping-total")
