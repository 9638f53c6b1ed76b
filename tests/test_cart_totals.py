"""The cart page adds up what the buyer will pay: each shipment's chosen shipping method
and its price, a shipping total, the import charges, and a total the review then asks."""

from decimal import Decimal

import pytest
from sqlalchemy import select

from storefront.db import db
from storefront.markets.tables import Channel

ADDRESS = {
    "name": "Lena Vogel",
    "street_address": "Torstraße 1",
    "city": "Berlin",
    "postal_code": "10119",
    "email": "lena@example.de",
    "phone": "030 1234567",
}
DROP = "supplier:shenzhen-silver"  # the rope chain's shipment


@pytest.fixture
def shop(app, four_models, make_shipping):
    """Germany by standard (4.90 up to 500 g) or express (19.00); free from €79.98."""
    standard = make_shipping("eu", "DE FR", {500: "4.90", 2000: "9.90"}, "EUR", "standard")
    express = make_shipping("eu", "DE FR", {2000: "19.00"}, "EUR", "express", position=1)
    with app.app_context():
        db.session.scalar(select(Channel).where(Channel.code == "eu")).free_shipping_over = Decimal(
            "79.98"
        )
        db.session.commit()
    return {"skus": four_models, "standard": standard, "express": express}


def cart_page(client) -> str:
    return " ".join(client.get("/cart").get_data(as_text=True).split())


def shown(page: str, testid: str) -> str:
    return page.split(f'data-testid="{testid}">')[1].split("<")[0].strip()


def add_two_chains(client, shop):
    client.get("/preferences?country=DE&next=/")
    client.post("/cart/add", data={"sku": shop["skus"]["drop"], "quantity": "2"})  # 2 x 39.99


def test_over_the_threshold_the_cheapest_method_ships_free_and_the_cart_says_so(client, shop):
    add_two_chains(client, shop)
    page = cart_page(client)
    assert "Shipping: <bdi>Standard</bdi> · Free" in page
    assert shown(page, "total-shipping") == "Free"
    assert shown(page, "free-shipping") == "Your order ships free."
    assert shown(page, "total") == "€79.98"


def test_express_chosen_the_cart_shows_its_price_and_never_says_it_ships_free(client, shop):
    add_two_chains(client, shop)
    client.post("/cart/shipping", data={"shipper": DROP, "method": str(shop["express"])})
    page = cart_page(client)
    assert "Shipping: <bdi>Express</bdi> · €19.00" in page
    assert shown(page, "total-shipping") == "€19.00"
    assert "Your order ships free." not in page
    assert shown(page, "free-shipping") == "Your order can ship free with our cheapest method."
    assert shown(page, "subtotal") == "€79.98"
    assert shown(page, "total") == "€98.98"


def test_under_the_threshold_the_shipping_is_counted_in_the_total(client, shop):
    client.get("/preferences?country=DE&next=/")
    client.post("/cart/add", data={"sku": shop["skus"]["drop"], "quantity": "1"})
    page = cart_page(client)
    assert shown(page, "total-shipping") == "€4.90"
    assert shown(page, "free-shipping") == "Add €39.99 more for free shipping."
    assert shown(page, "total") == "€44.89"


def test_the_carts_total_is_what_the_review_asks(client, shop, app):
    app.config["TAX_REGISTRATIONS"] = ("eu_ioss",)  # import VAT collected at checkout
    try:
        client.get("/preferences?country=DE&next=/")
        skus = shop["skus"]
        client.post("/cart/add", data={"sku": skus["drop"], "quantity": "1"})
        client.post("/cart/add", data={"sku": skus["agent"], "quantity": "1"})
        client.post("/cart/shipping", data={"shipper": DROP, "method": str(shop["express"])})
        page = cart_page(client)
        client.post("/checkout", data=ADDRESS)
        review = " ".join(client.get("/checkout/review").get_data(as_text=True).split())
    finally:
        app.config["TAX_REGISTRATIONS"] = ()
    assert shown(page, "total-shipping") == shown(review, "total-shipping")
    assert shown(page, "total") == shown(review, "total")
    assert shown(page, "total-tax") == shown(review, "total-tax")  # shown as included


def test_the_cart_page_shows_a_german_buyer_the_shipping_in_german(client, shop):
    client.get("/preferences?country=DE&locale=de&next=/")
    client.post("/cart/add", data={"sku": shop["skus"]["drop"], "quantity": "2"})
    client.post("/cart/shipping", data={"shipper": DROP, "method": str(shop["express"])})
    page = cart_page(client)
    assert shown(page, "free-shipping") == (
        "Mit unserer günstigsten Versandart ist der Versand Ihrer Bestellung kostenlos."
    )
    assert "19,00" in shown(page, "total-shipping")
