"""Refunds in the three-decimal currencies: a card gives KWD back only in steps of 0.010, so
a return's share of the VAT collected is rounded down to that step (never more than was
paid), and the return that completes the parcel gives back the rest. Paid and refunded
through Stripe (localstripe), as tests/test_returns_per_model.py does."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from sqlalchemy import select

from channels.money import Money
from localstripe_server import (
    CardHolder,
    app_paying_through,
    deliver,
    running_localstripe,
    stripe_event,
)
from storefront import clock
from storefront.db import db
from storefront.orders.tables import Order
from storefront.payments import refunds
from storefront.payments.operations import PaymentError
from storefront.payments.refunds import refundable
from test_after_payment import api_key
from test_returns import delivered_on, moment  # noqa: F401

LONDON = {
    "name": "Amira Haddad",
    "street_address": "10 Downing Street",
    "city": "London",
    "postal_code": "SW1A 2AA",
}


@pytest.fixture
def kwd_to_london(app, make_channel, rates, four_models):
    """A KWD channel that collects UK VAT at checkout (prices without tax), and the stock
    ring sent from Shenzhen: 49.00 USD is 13.720 KWD at 1 EUR = 0.35 KWD."""
    make_channel("gulf", countries_text="KW GB", tax_display="net")
    rates(KWD="0.35")
    app.config["TAX_REGISTRATIONS"] = ("gb_vat",)
    yield four_models["stock"]
    app.config["TAX_REGISTRATIONS"] = ()


def order_three(client, sku: str) -> dict:
    cart = client.post("/api/v1/carts", json={"channel": "gulf", "country": "GB"}).get_json()
    auth = {"Authorization": f"Bearer {cart['token']}"}
    added = client.post(
        f"/api/v1/carts/{cart['id']}/lines", json={"sku": sku, "quantity": 3}, headers=auth
    )
    assert added.status_code == 201, added.get_json()
    details = {"address": LONDON, "email": "amira@example.com", "phone": "+44 20 7946 0000"}
    put = client.put(f"/api/v1/carts/{cart['id']}/address", json=details, headers=auth)
    assert put.status_code == 200, put.get_json()
    [group] = put.get_json()["groups"]
    assert (group["ship_from"], group["import"]["regime"]) == ("CN", "gb_low_value")
    placed = client.post(
        f"/api/v1/carts/{cart['id']}/checkout", json={"idempotency_key": "kwd-1"}, headers=auth
    )
    assert placed.status_code == 201, placed.get_json()
    return placed.get_json()


def test_a_kwd_order_returned_in_parts_is_refunded_in_amounts_stripe_takes(
    app,
    client,
    make_user,
    kwd_to_london,
    moment,  # noqa: F811
):
    sku = kwd_to_london
    with running_localstripe() as base_url, app_paying_through(app, base_url):
        holder = CardHolder(base_url)
        answer = order_three(client, sku)
        number, token = answer["order_id"], answer["order_token"]
        # 3 x 13.720 = 41.160, and 20% UK VAT of it, 8.232, collected as 8.230
        assert answer["payment"]["amount"] == {"amount": "49.390", "currency": "KWD"}
        intent_id = answer["payment"]["client_secret"].split("_secret_")[0]
        assert holder.pays(intent_id)["status"] == "succeeded"
        paid = deliver(client, stripe_event("payment_intent.succeeded", holder.intent(intent_id)))
        assert paid.get_json()["outcome"] == "paid"
        delivered_on(app, number, moment)
        staff = api_key(app, make_user, "returns@shop.example", "staff")

        def send_back(quantity: int, days: int) -> dict:
            with clock.frozen(moment + datetime.timedelta(days=days)):
                asked = client.post(
                    f"/api/v1/orders/{number}/returns",
                    json={"lines": [{"sku": sku, "quantity": quantity}],
                          "reason": "changed_mind", "resolution": "refund"},
                    headers={"Authorization": f"Bearer {token}"},
                )  # fmt: skip
            assert asked.status_code == 201, asked.get_json()
            body = asked.get_json()
            for step, json in (
                ("approve", None),
                ("received", None),
                ("inspect", {"lines": [{"sku": sku, "outcome": "restock"}]}),
                ("refund", None),
            ):
                done = client.post(
                    f"/api/v1/admin/returns/{body['rma']}/{step}", json=json, headers=staff
                )
                assert done.status_code == 200, (step, done.get_json())
            return body

        one = send_back(1, 3)
        parts = {p["kind"]: p["amount"]["amount"] for p in one["refund_parts"]}
        # a third of 8.230 VAT is 2.743: a card can give back 2.740 of it
        assert parts == {"goods": "13.720", "vat": "2.740"}
        assert one["refund"] == {"amount": "16.460", "currency": "KWD"}
        assert holder.refunded(intent_id) == [16460]

        rest = send_back(2, 5)
        parts = {p["kind"]: p["amount"]["amount"] for p in rest["refund_parts"]}
        # the parcel is all back: the rest of the VAT, what the first return left included
        assert parts == {"goods": "27.440", "vat": "5.490"}
        # Stripe gave back all that was paid, in two refunds it could make
        assert holder.refunded(intent_id) == [16460, 32930]
        assert sum(holder.refunded(intent_id)) == holder.intent(intent_id)["amount"] == 49390


def test_any_refund_asked_in_kwd_gives_back_what_stripe_can_refund(app, client, kwd_to_london):
    """A share worked out elsewhere (a rejected parcel's, staff's own figure) is rounded down
    too, by the same rule, instead of being refused by Stripe."""
    with running_localstripe() as base_url, app_paying_through(app, base_url):
        holder = CardHolder(base_url)
        answer = order_three(client, kwd_to_london)
        intent_id = answer["payment"]["client_secret"].split("_secret_")[0]
        holder.pays(intent_id)
        deliver(client, stripe_event("payment_intent.succeeded", holder.intent(intent_id)))
        with app.app_context():
            order = db.session.scalar(select(Order).where(Order.number == answer["order_id"]))
            record = refunds.refund(order, Money(Decimal("16.4637"), "KWD"))
            db.session.commit()
            assert record.amount_minor == 16460
            with pytest.raises(PaymentError) as nothing:
                refunds.refund(order, Money(Decimal("0.009"), "KWD"))
            assert nothing.value.code == "refund_exceeds_captured"  # more than zero, it says
            db.session.rollback()
        assert holder.refunded(intent_id) == [16460]


@pytest.mark.parametrize(
    ("amount", "currency", "back"),
    [
        ("2.743", "KWD", "2.740"),
        ("2.749", "BHD", "2.740"),  # down, never up: never more than was paid
        ("0.009", "OMR", "0.000"),
        ("2.740", "KWD", "2.740"),
        ("12.345", "EUR", "12.34"),
        ("12.34", "EUR", "12.34"),
        ("1234", "JPY", "1234"),
    ],
)
def test_a_refund_is_rounded_down_to_what_stripe_can_give_back(amount, currency, back):
    assert refundable(Money(Decimal(amount), currency)).as_string() == back
