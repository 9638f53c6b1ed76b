"""Gulf buyers pay in their own currency: the dollar-pegged ones (SAR, AED, QAR, BHD,
OMR) convert through USD at their peg unless the merchant set a rate of their own, and
three-decimal prices (BHD) are shown with three digits and chargeable by card."""

import datetime
from decimal import Decimal

import pytest

from channels import fx
from channels.money import Money
from orders_helpers import load, place
from storefront.db import db
from storefront.markets import rates as shop_rates
from storefront.payments import operations as pay

# 1 EUR = 1.25 USD in the `rates` fixture; the base prices are in USD.
RING_USD = "49.99"


@pytest.fixture
def ring(make_product, rates):
    rates()
    slug = make_product(name="Gulf ring", prices=[RING_USD])
    return f"{slug.upper()}-0"


def cart_in(client, channel: str, country: str, sku: str) -> dict:
    created = client.post("/api/v1/carts", json={"channel": channel, "country": country})
    assert created.status_code == 201, created.get_json()
    body = created.get_json()
    auth = {"Authorization": f"Bearer {body['token']}"}
    added = client.post(f"/api/v1/carts/{body['id']}/lines", json={"sku": sku}, headers=auth)
    assert added.status_code == 201, added.get_json()
    return client.get(f"/api/v1/carts/{body['id']}", headers=auth).get_json()


@pytest.mark.parametrize(
    ("channel", "country", "price"),
    [
        ("sa", "SA", {"amount": "187.46", "currency": "SAR"}),  # 49.99 x 3.75 = 187.4625
        ("ae", "AE", {"amount": "183.59", "currency": "AED"}),  # 49.99 x 3.6725 = 183.588...
        # 49.99 x 0.376 = 18.79624: three decimals, the last 0 so a card can pay it
        ("bh", "BH", {"amount": "18.800", "currency": "BHD"}),
    ],
)
def test_a_gulf_cart_is_priced_in_its_own_currency_at_the_dollar_peg(
    client, make_channel, ring, channel, country, price
):
    make_channel(channel)
    cart = cart_in(client, channel, country, ring)
    assert cart["currency"] == price["currency"]
    assert cart["lines"][0]["unit_price"] == price
    assert cart["totals"]["subtotal"] == price


def test_euro_to_riyal_goes_through_the_dollar_at_the_peg(app, rates):
    rates()  # 1 EUR = 1.25 USD
    with app.app_context():
        current = shop_rates.current_rates()
        assert current.sources["SAR"] == "peg"
        assert current.dates["SAR"] == current.dates["USD"] == datetime.date(2026, 11, 20)
        assert fx.cross_rate(current.rateset, "EUR", "SAR") == Decimal("4.6875")  # 1.25 x 3.75
        assert fx.cross_rate(current.rateset, "USD", "OMR") == Decimal("0.3845")
        assert fx.convert(Money("100", "EUR"), "QAR", current.rateset).rounded() == Money(
            "455.00", "QAR"
        )  # 100 x 1.25 x 3.64
        assert "KWD" not in current.rateset.rates  # a basket, not a peg: the merchant's rate


def test_a_merchants_own_rate_wins_over_the_peg(app, client, make_channel, ring):
    make_channel("sa")
    with app.app_context():
        shop_rates.set_manual_rate("SAR", Decimal("5.00"), datetime.date(2026, 11, 21))
        db.session.commit()
        assert shop_rates.current_rates().sources["SAR"] == "manual"
    cart = cart_in(client, "sa", "SA", ring)
    # 49.99 USD / 1.25 x 5.00 = 199.96 SAR (the peg would give 187.46)
    assert cart["lines"][0]["unit_price"] == {"amount": "199.96", "currency": "SAR"}


def test_a_bahraini_total_is_sent_to_stripe_in_tens_of_fils(
    app, make_channel, make_warehouse, ring
):
    make_channel("bh")
    make_warehouse("dubai", "AE", {ring: 10})
    order_id = place(app, {ring: 3}, "key-bh", channel="bh", country="BH")
    with app.app_context():
        total, minor = pay.stripe_amount(load(order_id))
    assert total.as_string() == "56.400"  # 3 x 18.800
    assert minor == 56400 and minor % 10 == 0


def test_a_bahraini_price_a_card_cannot_pay_is_refused_where_the_merchant_enters_it(
    app, client, make_user, make_channel, ring
):
    from test_after_payment import api_key

    make_channel("bh")
    staff = api_key(app, make_user, "staff@shop.example", "staff")
    refused = client.put(
        "/api/v1/admin/channel-prices",
        json={"channel": "bh", "sku": ring, "price": "12.345"},
        headers=staff,
    )
    assert refused.status_code == 400
    assert refused.get_json()["error"]["field"] == "price"
    assert "12.350" in refused.get_json()["error"]["message"]
    saved = client.put(
        "/api/v1/admin/channel-prices",
        json={"channel": "bh", "sku": ring, "price": "12.340"},
        headers=staff,
    )
    assert saved.status_code == 200, saved.get_json()
    cart = cart_in(client, "bh", "BH", ring)
    assert cart["lines"][0]["unit_price"] == {"amount": "12.340", "currency": "BHD"}
