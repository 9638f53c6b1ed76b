"""A declined card, then another card: the buyer pays on the same pay page. The declined
card's PaymentIntent is canceled at Stripe (no card can pay it later) and the next card
pays a new one, so Stripe takes the order's total exactly once."""

from __future__ import annotations

import pytest
import stripe
from sqlalchemy import select

from channels.money import Money
from localstripe_server import (
    CardHolder,
    app_paying_through,
    deliver,
    running_localstripe,
    stripe_event,
)
from storefront.db import db
from storefront.orders.tables import Order
from storefront.payments.tables import Payment
from test_checkout import _placed

VISA = {"number": "4242424242424242", "exp_month": 12, "exp_year": 2030, "cvc": "123"}
DECLINED = {**VISA, "number": "4000000000000341"}  # attaches, then Stripe declines the charge


@pytest.fixture
def holder(app):
    """The shop paying through localstripe; the buyer's Stripe.js stand-in."""
    with running_localstripe() as base_url, app_paying_through(app, base_url):
        yield CardHolder(base_url)


def _order(app, number: str) -> tuple[str, int, list[tuple[str, str, int]]]:
    """The order's status, total in minor units and its payments (intent, status, amount)."""
    with app.app_context():
        order = db.session.scalar(select(Order).where(Order.number == number))
        payments = db.session.scalars(
            select(Payment).where(Payment.order_id == order.id).order_by(Payment.id)
        )
        minor = Money(order.total_amount, order.currency).to_minor_units(stripe=True)
        return order.status, minor, [(p.intent_id, p.status, p.amount_minor) for p in payments]


def _pays_with(client, holder, number: str, card: dict):
    token = holder.client.v1.tokens.create(params={"card": card}).id
    return client.post(f"/checkout/pay/{number}", data={"token": token}, follow_redirects=True)


def test_a_declined_card_then_a_good_one_pays_the_order_once(app, client, four_models, holder):
    number = _placed(client, four_models)

    declined = _pays_with(client, holder, number, DECLINED)
    text = declined.get_data(as_text=True)
    assert "Your card was not charged" in text
    assert 'data-testid="card-element"' in text  # the buyer may try another card
    status, total, payments = _order(app, number)
    assert status == "pending_payment"
    [(first, first_status, _)] = payments
    assert first_status == "canceled"
    assert holder.intent(first)["status"] == "canceled"
    with pytest.raises(stripe.StripeError):  # no card can pay it any more
        holder.pays(first)
    # Stripe's word that it is canceled cancels no order: the buyer is still paying
    told = deliver(client, stripe_event("payment_intent.canceled", holder.intent(first)))
    assert told.get_json()["outcome"] == "ignored"
    assert _order(app, number)[0] == "pending_payment"

    paid = _pays_with(client, holder, number, VISA)
    assert paid.request.path == f"/orders/{number}"
    status, total, payments = _order(app, number)
    assert status == "paid"
    assert [p[1:] for p in payments] == [("canceled", total), ("succeeded", total)]
    second = payments[1][0]
    assert second != first
    taken = [holder.intent(i)["latest_charge"] for i in (first, second)]
    assert [c["status"] for c in taken] == ["failed", "succeeded"]
    assert taken[1]["amount"] == total and taken[1]["captured"]


def test_two_declines_then_a_good_card_still_pays(app, client, four_models, holder):
    number = _placed(client, four_models)
    for _ in range(2):
        assert "Your card was not charged" in _pays_with(client, holder, number, DECLINED).text
    assert _pays_with(client, holder, number, VISA).request.path == f"/orders/{number}"
    status, _total, payments = _order(app, number)
    assert status == "paid"
    assert [p[1] for p in payments] == ["canceled", "canceled", "succeeded"]
    assert [holder.intent(p[0])["status"] for p in payments] == [
        "canceled",
        "canceled",
        "succeeded",
    ]
