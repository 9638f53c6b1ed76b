"""A buyer returns a delivered ring from the order page in headless Chromium: the form,
the review with the refund and the address, the return's page; in Arabic it reads RTL."""

import datetime
import re

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from storefront import clock
from storefront.db import db
from storefront.orders.links import order_key
from storefront.orders.tables import Order
from storefront.returns.addresses import PARTIES
from test_after_payment import api_order, pay
from test_returns import delivered_on

pytestmark = pytest.mark.browser


def test_a_buyer_returns_a_ring_from_the_order_page(app, client, page, four_models, screenshot):
    number = api_order(client, [four_models["stock"]], locale="en")["order_id"]
    pay(app, number)
    delivered_on(app, number, clock.now() - datetime.timedelta(days=2))
    with app.app_context():
        warehouse = PARTIES["warehouse"]
        db.session.scalar(
            select(warehouse).where(warehouse.code == "berlin")
        ).return_address = "Lumen Returns\nLagerstr. 5\n10115 Berlin"
        key = order_key(db.session.scalar(select(Order).where(Order.number == number)))
        db.session.commit()

    page.goto(f"/orders/{number}?key={key}")
    page.get_by_test_id("return-items").click()
    expect(page.locator("h1")).to_have_text(f"Return items of order {number}")
    page.get_by_label(re.compile("Stock ring")).fill("1")
    page.get_by_label("Why do you return them?").select_option("wrong_size")
    screenshot(page, "return-form")
    page.get_by_role("button", name="Review the return").click()

    expect(page.locator("h1")).to_have_text("Check your return")
    expect(page.get_by_test_id("refund-total")).to_have_text(re.compile(r"€\s?39\.99|39\.99"))
    expect(page.get_by_test_id("send-to")).to_contain_text("Lagerstr. 5")
    screenshot(page, "return-review")
    page.get_by_role("button", name="Confirm the return").click()

    expect(page.locator("h1")).to_have_text(re.compile(r"^Return RMA-"))
    expect(page.get_by_test_id("return-lines")).to_contain_text("Stock ring")
    expect(page.get_by_test_id("return-status")).to_have_text("Requested")
    expect(page.get_by_test_id("return-address")).to_contain_text("10115 Berlin")
    rma_url = page.url

    page.goto("/preferences?locale=ar&next=/")
    page.goto(rma_url)
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    expect(page.get_by_test_id("return-status")).to_have_text("تم الطلب")
    screenshot(page, "return-page-ar")
    page.get_by_role("link", name="العودة إلى الطلب").click()
    expect(page.get_by_test_id("returns")).to_contain_text("RMA-")
    screenshot(page, "order-with-return-ar")
