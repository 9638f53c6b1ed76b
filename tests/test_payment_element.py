"""Paying with Stripe's Payment Element (STRIPE_CHECKOUT = "payment_element", the default
against Stripe's own API): the page mounts it with the intent's client secret, the intent
takes the methods the account enables, and the return URL pays the order only on Stripe's
word about the order's own intent. The card-token path stays for localstripe."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

import test_payments
from channels.money import Money
from localstripe_server import CardHolder
from storefront.db import db
from storefront.orders.tables import Order
from storefront.payments import attempts, charges
from storefront.payments import stripe_gateway as gateway
from storefront.payments.tables import Payment

# test_payments' localstripe and the app paying through it, used here by name
localstripe, _payments_app, pay_app = (
    test_payments.localstripe,
    test_payments._payments_app,
    test_payments.pay_app,
)

BERLIN = {
    "name": "Erika Mustermann",
    "street_address": "Torstraße 1",
    "city": "Berlin",
    "postal_code": "10119",
    "country_area": "",
    "email": "erika@example.de",
    "phone": "030 1234567",
}


@pytest.fixture
def buyer(localstripe):
    return CardHolder(localstripe)


class FakeStripe:
    """Stripe's PaymentIntent API as the shop calls it, recording each create's parameters."""

    def __init__(self):
        self.created: list[dict] = []
        self.intents: dict[str, dict] = {}
        self.v1 = self
        self.payment_intents = self

    def create(self, params: dict, options: dict) -> dict:
        self.created.append({"params": params, "options": options})
        number = len(self.created)
        intent = {
            "id": f"pi_fake_{number}",
            "status": "requires_payment_method",
            "amount": params["amount"],
            "currency": params["currency"],
            "client_secret": f"pi_fake_{number}_secret_abc",
        }
        self.intents[intent["id"]] = intent
        return intent

    def retrieve(self, intent_id: str, params: dict | None = None) -> dict:
        return self.intents[intent_id]


@pytest.fixture
def fake_stripe(monkeypatch):
    fake = FakeStripe()
    monkeypatch.setattr(gateway, "_client", lambda: fake)
    return fake


def _mode(monkeypatch, app, checkout: str | None, base: str | None = None) -> None:
    config = app.extensions["storefront"].settings
    monkeypatch.setitem(config, "STRIPE_CHECKOUT", checkout)
    if base is not None:
        monkeypatch.setitem(config, "STRIPE_API_BASE", base)


def _placed(client, four_models) -> str:
    client.get("/preferences?country=DE&next=/")
    assert client.post("/cart/add", data={"sku": four_models["stock"]}).status_code == 303
    assert client.post("/checkout", data=BERLIN).status_code == 303
    review = client.get("/checkout/review").text
    key = re.search(r'name="idempotency_key" value="([^"]+)"', review).group(1)
    placed = client.post(
        "/checkout/place", data={"idempotency_key": key, "accept_terms_version": "0"}
    )
    return placed.headers["Location"].rsplit("/", 1)[1]


def _intent_of(app, number: str) -> str:
    """The order's PaymentIntent, made as the pay button makes it (card-token path)."""
    with app.app_context():
        order = db.session.scalar(select(Order).where(Order.number == number))
        attempts.start_payment(order, order.idempotency_key)
        db.session.commit()
        return db.session.scalar(select(Payment.intent_id).where(Payment.order_id == order.id))


def _status(app, number: str) -> str:
    with app.app_context():
        return db.session.scalar(select(Order.status).where(Order.number == number))


def test_the_pay_page_mounts_the_payment_element_with_the_intents_secret(
    pay_app, four_models, fake_stripe, monkeypatch
):
    _mode(monkeypatch, pay_app, "payment_element")
    client = pay_app.test_client()
    number = _placed(client, four_models)

    page = client.get(f"/checkout/pay/{number}")

    assert page.status_code == 200
    assert 'data-testid="payment-element"' in page.text
    assert 'data-testid="card-element"' not in page.text  # not the card-only form
    assert 'data-secret="pi_fake_1_secret_abc"' in page.text
    assert 'data-key="pk_test_storefront"' in page.text
    assert f'data-return="http://localhost/checkout/pay/{number}/return"' in page.text
    nonce = re.search(r"script-src [^;]*'nonce-([^']+)'", page.headers["Content-Security-Policy"])
    assert f'<script nonce="{nonce.group(1)}">' in page.text
    # one intent, however often the page is shown
    client.get(f"/checkout/pay/{number}")
    assert len(fake_stripe.created) == 1


@pytest.mark.parametrize(
    ("checkout", "base", "methods"),
    [
        (None, "", {"automatic_payment_methods": {"enabled": True}}),  # Stripe's own API
        (None, "https://api.stripe.com", {"automatic_payment_methods": {"enabled": True}}),
        (None, "http://127.0.0.1:8420", {"payment_method_types": ["card"]}),  # a stand-in
        (
            "payment_element",
            "http://127.0.0.1:8420",
            {"automatic_payment_methods": {"enabled": True}},
        ),
        ("card_token", "", {"payment_method_types": ["card"]}),
    ],
)
def test_the_intent_takes_the_methods_of_the_checkout_in_use(
    pay_app, four_models, fake_stripe, monkeypatch, checkout, base, methods
):
    _mode(monkeypatch, pay_app, checkout, base)
    client = pay_app.test_client()
    number = _placed(client, four_models)

    _intent_of(pay_app, number)

    [call] = fake_stripe.created
    params = {
        k: v
        for k, v in call["params"].items()
        if k in ("automatic_payment_methods", "payment_method_types")
    }
    assert params == methods
    assert call["params"]["metadata"] == {"order_id": number}
    assert call["options"]["idempotency_key"].startswith(f"pi:{number}:")


def test_a_bad_checkout_setting_shows_that_cards_are_off(pay_app, four_models, monkeypatch):
    _mode(monkeypatch, pay_app, "elements")
    client = pay_app.test_client()
    number = _placed(client, four_models)

    page = client.get(f"/checkout/pay/{number}", headers={"Accept-Language": "en"})

    assert page.status_code == 200
    assert "Card payments are not available right now" in page.text
    assert 'data-testid="pay"' not in page.text


def test_back_from_stripe_with_a_succeeded_intent_pays_the_order(pay_app, four_models, buyer):
    client = pay_app.test_client()
    number = _placed(client, four_models)
    intent_id = _intent_of(pay_app, number)
    buyer.pays(intent_id)

    back = client.get(
        f"/checkout/pay/{number}/return?payment_intent={intent_id}"
        f"&payment_intent_client_secret=x&redirect_status=succeeded"
    )

    assert back.status_code == 303
    assert back.headers["Location"] == f"/orders/{number}"
    assert _status(pay_app, number) == "paid"


def test_back_from_stripe_the_query_alone_pays_nothing(pay_app, four_models, buyer):
    client = pay_app.test_client()
    number = _placed(client, four_models)
    intent_id = _intent_of(pay_app, number)  # not paid at Stripe

    back = client.get(
        f"/checkout/pay/{number}/return?payment_intent={intent_id}&redirect_status=succeeded",
        headers={"Accept-Language": "en"},
    )

    assert back.status_code == 303
    assert back.headers["Location"] == f"/checkout/pay/{number}"
    assert _status(pay_app, number) == "pending_payment"
    page = client.get(back.headers["Location"], headers={"Accept-Language": "en"})
    assert "Your payment did not go through" in page.text


def test_back_from_stripe_with_another_orders_intent_is_refused(pay_app, four_models, buyer):
    client, stranger = pay_app.test_client(), pay_app.test_client()
    number = _placed(client, four_models)
    _intent_of(pay_app, number)
    other = _placed(stranger, four_models)
    foreign = _intent_of(pay_app, other)
    buyer.pays(foreign)  # the other buyer paid theirs

    for query in (f"payment_intent={foreign}", "payment_intent=pi_unknown", ""):
        back = client.get(f"/checkout/pay/{number}/return?{query}")
        assert back.status_code == 404
    assert stranger.get(f"/checkout/pay/{other}/return?payment_intent={foreign}").status_code == 303
    assert _status(pay_app, number) == "pending_payment"  # the foreign intent paid nothing here
    assert _status(pay_app, other) == "paid"


def test_back_from_stripe_while_the_bank_still_works_shows_the_order_unpaid(
    pay_app, four_models, fake_stripe, monkeypatch
):
    _mode(monkeypatch, pay_app, "payment_element")
    client = pay_app.test_client()
    number = _placed(client, four_models)
    intent_id = _intent_of(pay_app, number)
    fake_stripe.intents[intent_id]["status"] = "processing"  # a bank debit, a voucher

    german = {"Accept-Language": "de"}
    back = client.get(f"/checkout/pay/{number}/return?payment_intent={intent_id}", headers=german)

    assert back.status_code == 303
    assert back.headers["Location"] == f"/orders/{number}"
    page = client.get(back.headers["Location"], headers=german)
    assert "Ihre Zahlung wird bearbeitet" in page.text
    assert _status(pay_app, number) == "pending_payment"  # the webhook pays it later


def test_a_charge_beyond_the_total_takes_cards_only_as_its_page_has_the_card_form(
    pay_app, four_models, fake_stripe, monkeypatch
):
    _mode(monkeypatch, pay_app, "payment_element")
    number = _placed(pay_app.test_client(), four_models)
    with pay_app.app_context():
        order = db.session.scalar(select(Order).where(Order.number == number))
        charges.start_charge(order, "return:RMA-1", Money("5.00", order.currency))
        db.session.commit()

    [call] = fake_stripe.created
    assert call["params"]["payment_method_types"] == ["card"]
    assert "automatic_payment_methods" not in call["params"]


@pytest.mark.parametrize(("status", "paid"), [("processing", False), ("succeeded", True)])
def test_the_pay_page_of_an_intent_stripe_took_shows_no_second_form(
    pay_app, four_models, fake_stripe, monkeypatch, status, paid
):
    _mode(monkeypatch, pay_app, "payment_element")
    client = pay_app.test_client()
    number = _placed(client, four_models)
    client.get(f"/checkout/pay/{number}")
    [intent] = fake_stripe.intents.values()
    intent["status"] = status  # the buyer paid, then came back to the pay page

    again = client.get(f"/checkout/pay/{number}")

    assert again.status_code == 303
    assert again.headers["Location"] == f"/orders/{number}"
    assert _status(pay_app, number) == ("paid" if paid else "pending_payment")
    assert len(fake_stripe.created) == 1
