"""A GET writes nothing: the pay page starts no PaymentIntent, the cart page saves no
move to another market. The POST that follows does the writing."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from localstripe_server import CardHolder, app_paying_through, running_localstripe
from storefront.cart.tables import Cart
from storefront.db import db
from storefront.markets.tables import Channel
from storefront.orders.tables import Order
from storefront.payments.tables import Payment
from test_checkout import BERLIN, _placed

WRITES = re.compile(r"^\s*(INSERT|UPDATE|DELETE)\b", re.IGNORECASE)


def _writes(counted) -> list[str]:
    return [s for s in counted.statements if WRITES.match(s)]


@pytest.fixture(scope="module")
def localstripe():
    with running_localstripe() as base_url:
        yield base_url


@pytest.fixture
def paying_app(app, localstripe):
    with app_paying_through(app, localstripe) as paying:
        yield paying


def _count(app, table) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(table))


def test_the_pay_page_starts_no_payment_until_the_buyer_pays(
    paying_app, four_models, count_queries, localstripe
):
    client = paying_app.test_client()
    number = _placed(client, four_models)
    with count_queries() as counted:
        for _ in range(3):  # a reload is no new attempt either
            page = client.get(f"/checkout/pay/{number}")
            assert page.status_code == 200
    assert 'data-testid="pay"' in page.text and "pk_test_storefront" in page.text
    assert _writes(counted) == []
    assert _count(paying_app, Payment) == 0  # and no PaymentIntent at Stripe for it

    card = {"number": "4242424242424242", "exp_month": 12, "exp_year": 2030, "cvc": "123"}
    token = CardHolder(localstripe).client.v1.tokens.create(params={"card": card}).id
    paid = client.post(f"/checkout/pay/{number}", data={"token": token})
    assert paid.headers["Location"] == f"/orders/{number}"
    assert _count(paying_app, Payment) == 1
    with paying_app.app_context():
        assert db.session.scalar(select(Order.status)) == "paid"


def test_checkout_pages_write_nothing(app, client, four_models, count_queries):
    number = _placed(client, four_models)
    client.post("/cart/add", data={"sku": four_models["drop"]})  # a new cart's first line
    client.post("/checkout", data=BERLIN)
    with count_queries() as counted:
        for path in ("/cart", "/checkout", "/checkout/review", f"/checkout/pay/{number}"):
            assert client.get(path).status_code == 200, path
        assert client.get(f"/orders/{number}").status_code == 200
    assert _writes(counted) == []


def test_the_cart_page_shows_a_new_market_and_the_next_change_saves_it(
    app, client, make_product, make_channel, rates, count_queries
):
    make_channel("us")
    make_channel("jp")
    rates()
    sku = f"{make_product(name='Plain band').upper()}-0"
    client.post("/cart/add", data={"sku": sku})
    client.get("/preferences?currency=JPY&next=/cart")

    with count_queries() as counted:
        page = client.get("/cart").text
        again = client.get("/cart").text
    assert "¥6,270" in page and "¥6,270" in again
    assert _writes(counted) == []
    with app.app_context():
        saved = db.session.scalar(select(Channel.code).join(Cart, Cart.channel_id == Channel.id))
        assert saved == "us"  # shown in yen, not yet moved

    line = re.search(r'name="line" value="(\d+)"', page).group(1)
    client.post("/cart/change", data={"line": line, "quantity": "2"})
    with app.app_context():
        saved = db.session.scalar(select(Channel.code).join(Cart, Cart.channel_id == Channel.id))
        assert saved == "jp"
    assert "¥12,540" in client.get("/cart").text
