"""Card payments against localstripe on 127.0.0.1: PaymentIntents in Stripe's minor
units, signed webhooks acted on once, refunds never above what was captured."""

from __future__ import annotations

import json
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal

import pytest
import stripe
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import func, select

from channels.money import Money
from localstripe_server import (
    CardHolder,
    app_paying_through,
    deliver,
    running_localstripe,
    sending_webhooks_to,
    sign,
    stripe_event,
)
from orders_helpers import load, place
from storefront.db import db
from storefront.dispatch.operations import cancel_order
from storefront.mail.tables import MailMessage
from storefront.orders.tables import GroupStatusChange, Order
from storefront.payments import attempts, refunds
from storefront.payments import operations as pay
from storefront.payments.tables import Payment, PaymentRefund, ProcessedStripeEvent
from storefront.webhooks.tables import OutboxEvent


@pytest.fixture(scope="module")
def localstripe():
    with running_localstripe() as base_url:
        yield base_url


@pytest.fixture(scope="module")
def _payments_app(_app, localstripe):
    with app_paying_through(_app, localstripe) as paying_app:
        yield paying_app


@pytest.fixture
def pay_app(app, _payments_app):
    return _payments_app  # `app` empties the tables after each test


@pytest.fixture
def pay_client(pay_app):
    return pay_app.test_client()


@pytest.fixture
def buyer(localstripe):
    return CardHolder(localstripe)


@pytest.fixture
def markets(make_channel, rates, four_models):
    """The EU channel of four_models, Japan (JPY) and the Gulf (KWD)."""
    rates(KWD="0.35")
    make_channel("jp")
    make_channel("gulf")
    return four_models


def _start(pay_app, order_id: int, attempt: str = "attempt-1") -> tuple[dict, Payment]:
    with pay_app.app_context():
        answer = attempts.start_payment(load(order_id), attempt)
        db.session.commit()
        payment = db.session.scalar(select(Payment).where(Payment.order_id == order_id))
        db.session.expunge(payment)
        return answer, payment


def _order(app, pay_app, lines: dict, **where) -> tuple[int, Payment]:
    order_id = place(app, lines, "key-1", **where)
    return order_id, _start(pay_app, order_id)[1]


def _status(pay_app, order_id: int) -> str:
    with pay_app.app_context():
        return load(order_id).status


def _count(pay_app, table) -> int:
    with pay_app.app_context():
        return db.session.scalar(select(func.count()).select_from(table))


# the amount Stripe is asked for -----------------------------------------------------


@pytest.mark.parametrize(
    ("channel", "country", "amount", "minor"),
    [
        ("eu", "DE", "39.99", 3999),  # two decimals: x 100
        ("jp", "JP", "6270", 6270),  # zero-decimal: whole yen
        ("gulf", "KW", "13.720", 13720),  # three decimals, last one 0: x 1000
    ],
)
def test_intent_is_in_stripe_minor_units(
    app, pay_app, buyer, markets, channel, country, amount, minor
):
    order_id = place(app, {markets["stock"]: 1}, f"key-{channel}", channel=channel, country=country)
    answer, payment = _start(pay_app, order_id)

    with pay_app.app_context():
        order = load(order_id)
        assert Money(order.total_amount, order.currency).as_string() == amount
        number, currency = order.number, order.currency
    intent = buyer.intent(payment.intent_id)
    assert (intent["amount"], intent["currency"]) == (minor, currency.lower())
    assert intent["metadata"] == {"order_id": number}
    assert answer == {
        "provider": "stripe",
        "client_secret": intent["client_secret"],
        "status": "requires_payment_method",  # no card yet
        "amount": {"amount": amount, "currency": currency},
        "publishable_key": "pk_test_storefront",
        "js_url": pay_app.config["STRIPE_JS_URL"],
    }
    assert (payment.amount_minor, payment.currency, payment.status) == (minor, currency, "pending")


def test_the_same_attempt_gives_the_same_intent(app, pay_app, four_models):
    order_id = place(app, {four_models["stock"]: 1}, "key-1")
    first, _ = _start(pay_app, order_id, "try-1")
    again, _ = _start(pay_app, order_id, "try-1")
    other, _ = _start(pay_app, order_id, "try-2")
    assert again == first
    assert other["client_secret"] != first["client_secret"]
    assert _count(pay_app, Payment) == 2


def test_a_kwd_total_stripe_cannot_charge_is_refused(app, pay_app, markets):
    order_id = place(app, {markets["stock"]: 1}, "key-kw", channel="gulf", country="KW")
    with pay_app.app_context():
        order = load(order_id)
        order.total_amount = Decimal("13.725")
        with pytest.raises(pay.PaymentError, match=r"13\.730") as refused:
            attempts.start_payment(order, "attempt-1")
        assert refused.value.code == "amount_not_chargeable"
        db.session.rollback()
    assert _count(pay_app, Payment) == 0


@given(thousandths=st.integers(min_value=1, max_value=10**9))
def test_kwd_minor_units_end_in_zero_or_are_refused(thousandths):
    order = Order(number="X", currency="KWD", total_amount=Decimal(thousandths).scaleb(-3))
    if thousandths % 10:
        with pytest.raises(pay.PaymentError):
            pay.stripe_amount(order)
    else:
        total, minor = pay.stripe_amount(order)
        assert minor == thousandths and Money.from_minor_units(minor, "KWD") == total


# paying: only on Stripe's word ------------------------------------------------------


@pytest.fixture
def webhook_url(pay_app, localstripe):
    events = ["payment_intent.succeeded", "payment_intent.payment_failed"]
    with sending_webhooks_to(pay_app, localstripe, events) as url:
        yield url


def test_localstripe_signs_and_sends_the_event_that_pays(
    app, pay_app, four_models, buyer, webhook_url
):
    order_id, payment = _order(app, pay_app, {four_models["drop"]: 1})
    assert buyer.pays(payment.intent_id)["status"] == "succeeded"
    assert _status(pay_app, order_id) == "pending_payment"  # the buyer's word is not enough

    deadline = time.monotonic() + 15  # localstripe waits a second before sending
    while _status(pay_app, order_id) != "paid" and time.monotonic() < deadline:
        time.sleep(0.1)
    assert _status(pay_app, order_id) == "paid"
    with pay_app.app_context():
        processed = db.session.scalars(select(ProcessedStripeEvent)).one()
        assert (processed.event_type, processed.outcome) == ("payment_intent.succeeded", "paid")
        payment = db.session.get(Payment, payment.id)
        assert (payment.status, payment.captured_minor) == ("succeeded", 3999)
        assert [g.status for g in load(order_id).groups] == ["awaiting_shipper"]


def test_the_same_event_a_hundred_times_changes_the_order_once(
    app, pay_app, pay_client, four_models, buyer
):
    order_id, payment = _order(app, pay_app, {four_models["drop"]: 1, four_models["made"]: 1})
    buyer.pays(payment.intent_id)
    event = stripe_event("payment_intent.succeeded", buyer.intent(payment.intent_id))

    first = deliver(pay_client, event)
    assert (first.status_code, first.json["outcome"]) == (200, "paid")
    changes, outbox = _count(pay_app, GroupStatusChange), _count(pay_app, OutboxEvent)
    for _ in range(99):
        again = deliver(pay_client, event)
        assert (again.status_code, again.json["outcome"]) == (200, "duplicate")

    assert _status(pay_app, order_id) == "paid"
    assert _count(pay_app, GroupStatusChange) == changes > 0
    assert _count(pay_app, OutboxEvent) == outbox > 0
    assert _count(pay_app, ProcessedStripeEvent) == 1


def test_the_same_event_delivered_at_once_acts_once(app, is_postgres, pay_app, four_models, buyer):
    if not is_postgres:
        pytest.skip("real concurrency needs PostgreSQL (SQLite serialises writers)")
    order_id, payment = _order(app, pay_app, {four_models["drop"]: 1, four_models["made"]: 1})
    buyer.pays(payment.intent_id)
    event = stripe_event("payment_intent.succeeded", buyer.intent(payment.intent_id))

    deliveries = 10
    start = threading.Barrier(deliveries, timeout=30)

    def post(_) -> tuple[int, str]:
        client = pay_app.test_client()
        start.wait()
        answer = deliver(client, event)
        return answer.status_code, answer.json["outcome"]

    with ThreadPoolExecutor(deliveries) as pool:
        answers = list(pool.map(post, range(deliveries)))

    assert sorted(answers) == [(200, "duplicate")] * (deliveries - 1) + [(200, "paid")]
    assert _status(pay_app, order_id) == "paid"
    assert _count(pay_app, ProcessedStripeEvent) == 1
    assert _count(pay_app, OutboxEvent) == 1  # the supplier hears of the order once


def test_money_taken_for_a_cancelled_order_is_given_back(
    app, pay_app, pay_client, four_models, buyer
):
    order_id, payment = _order(app, pay_app, {four_models["stock"]: 1})
    with pay_app.app_context():
        cancel_order(load(order_id), "stock hold expired")
        db.session.commit()
    buyer.pays(payment.intent_id)
    answer = deliver(
        pay_client, stripe_event("payment_intent.succeeded", buyer.intent(payment.intent_id))
    )
    assert answer.json["outcome"] == "refunded_cancelled_order"
    assert _status(pay_app, order_id) == "cancelled"
    with pay_app.app_context():
        settled = db.session.get(Payment, payment.id)
        assert (settled.captured_minor, settled.refunded_minor) == (3999, 3999)
        assert settled.status == "refunded"
    assert buyer.refunded(payment.intent_id) == [3999]  # Stripe (localstripe) gave it back
    # the same event again gives nothing more back
    again = deliver(
        pay_client, stripe_event("payment_intent.succeeded", buyer.intent(payment.intent_id))
    )
    assert again.json["outcome"] in ("duplicate", "refunded_cancelled_order")
    assert buyer.refunded(payment.intent_id) == [3999]


TAMPERED = {
    "wrong-secret": lambda body: (body, sign(body, "whsec_someone_else")),
    "older-than-5-minutes": lambda body: (body, sign(body, timestamp=int(time.time()) - 301)),
    "unsigned": lambda body: (body, ""),
    "altered": lambda body: (body.replace('"amount": 3999', '"amount": 1'), sign(body)),
}


@pytest.mark.parametrize("tamper", TAMPERED.values(), ids=TAMPERED.keys())
def test_a_bad_or_stale_signature_is_refused(app, pay_app, pay_client, four_models, buyer, tamper):
    order_id, payment = _order(app, pay_app, {four_models["stock"]: 1})
    buyer.pays(payment.intent_id)
    event = stripe_event("payment_intent.succeeded", buyer.intent(payment.intent_id))
    body, header = tamper(json.dumps(event))

    refused = pay_client.post("/webhooks/stripe", data=body, headers={"Stripe-Signature": header})
    assert refused.status_code == 400
    assert refused.json["error"]["code"] == "invalid_event"
    assert _status(pay_app, order_id) == "pending_payment"
    assert _count(pay_app, ProcessedStripeEvent) == 0


def test_an_event_for_another_amount_or_intent_does_not_pay(
    app, pay_app, pay_client, four_models, buyer
):
    order_id, payment = _order(app, pay_app, {four_models["stock"]: 1})
    buyer.pays(payment.intent_id)
    intent = buyer.intent(payment.intent_id)
    outcomes = [
        deliver(pay_client, stripe_event("payment_intent.succeeded", {**intent, **change}, n)).json
        for n, change in {"a": {"amount": 1}, "b": {"currency": "jpy"}, "c": {"id": "x"}}.items()
    ]
    assert [o["outcome"] for o in outcomes] == ["amount_mismatch"] * 2 + ["unknown_payment"]
    assert _status(pay_app, order_id) == "pending_payment"


def test_confirm_from_stripe_pays_only_once_stripe_took_the_money(app, pay_app, four_models, buyer):
    order_id, payment = _order(app, pay_app, {four_models["stock"]: 1})
    with pay_app.app_context():
        assert pay.confirm_from_stripe(load(order_id)) is False
        db.session.commit()
    buyer.pays(payment.intent_id)
    with pay_app.app_context():
        assert pay.confirm_from_stripe(load(order_id)) is True
        db.session.commit()
        assert pay.confirm_from_stripe(load(order_id)) is True  # a second look changes nothing
        db.session.commit()
    assert _status(pay_app, order_id) == "paid"


def test_a_failed_card_leaves_the_order_waiting(app, pay_app, pay_client, four_models, buyer):
    order_id, payment = _order(app, pay_app, {four_models["stock"]: 1})
    with pytest.raises(stripe.CardError):
        buyer.pays(payment.intent_id, card="pm_card_chargeCustomerFail")
    intent = buyer.intent(payment.intent_id)
    assert intent["status"] == "requires_payment_method"

    answer = deliver(pay_client, stripe_event("payment_intent.payment_failed", intent))
    assert answer.json["outcome"] == "payment_failed"
    with pay_app.app_context():
        assert db.session.get(Payment, payment.id).status == "failed"
    assert _status(pay_app, order_id) == "pending_payment"


def test_a_canceled_intent_cancels_the_unpaid_order(app, pay_app, pay_client, four_models, buyer):
    order_id, payment = _order(app, pay_app, {four_models["stock"]: 1})
    canceled = buyer.client.v1.payment_intents.cancel(payment.intent_id).to_dict()
    assert canceled["status"] == "canceled"

    # localstripe never sends payment_intent.canceled: signed here as Stripe would
    answer = deliver(pay_client, stripe_event("payment_intent.canceled", canceled))
    assert answer.json["outcome"] == "order_cancelled"
    assert _status(pay_app, order_id) == "cancelled"


# refunds -------------------------------------------------------------------------


def _paid(app, pay_app, buyer, sku: str, **where) -> tuple[int, str]:
    order_id, payment = _order(app, pay_app, {sku: 1}, **where)
    buyer.pays(payment.intent_id)
    with pay_app.app_context():
        assert pay.confirm_from_stripe(load(order_id))
        db.session.commit()
    return order_id, payment.intent_id


def test_a_partial_then_a_full_refund(app, pay_app, four_models, buyer):
    order_id, intent_id = _paid(app, pay_app, buyer, four_models["stock"])
    with pay_app.app_context():
        load(order_id).email = "buyer@example.com"
        db.session.commit()
        refunds.refund(load(order_id), Money("10.00", "EUR"), "scratched clasp")
        db.session.commit()
        # the buyer is told, in the same transaction as the refund's record
        mail = db.session.scalar(select(MailMessage).where(MailMessage.kind == "refund_issued"))
        assert mail.to_address == "buyer@example.com"
        assert "€10.00" in mail.text_body and "scratched clasp" in mail.text_body
        payment = db.session.scalar(select(Payment))
        assert (payment.status, payment.refunded_minor) == ("partially_refunded", 1000)
        assert load(order_id).status == "partially_refunded"

        refunds.refund(load(order_id))  # the rest
        db.session.commit()
        payment = db.session.scalar(select(Payment))
        assert (payment.status, payment.refunded_minor) == ("refunded", 3999)
        assert load(order_id).status == "refunded"
        assert [r.amount_minor for r in payment.refunds] == [1000, 2999]
    assert buyer.refunded(intent_id) == [1000, 2999]


def test_refunding_more_than_was_captured_is_refused(app, pay_app, markets, buyer):
    order_id, intent_id = _paid(app, pay_app, buyer, markets["stock"], channel="gulf", country="KW")
    with pay_app.app_context():
        refunds.refund(load(order_id), Money("13.000", "KWD"))
        db.session.commit()
        for too_much in (Money("0.730", "KWD"), Money("1", "KWD")):
            with pytest.raises(pay.PaymentError, match=r"0\.720") as refused:
                refunds.refund(load(order_id), too_much)
            assert refused.value.code == "refund_exceeds_captured"
        with pytest.raises(pay.PaymentError) as wrong_currency:
            refunds.refund(load(order_id), Money("0.10", "EUR"))
        assert wrong_currency.value.code == "invalid_refund_amount"
        db.session.rollback()
        assert db.session.scalar(select(Payment.refunded_minor)) == 13000
    assert buyer.refunded(intent_id) == [13000]


def test_charge_refunded_events_record_stripes_total_never_above_captured(
    app, pay_app, pay_client, markets, buyer
):
    order_id, intent_id = _paid(app, pay_app, buyer, markets["stock"], channel="jp", country="JP")
    charge = buyer.intent(intent_id)["latest_charge"]

    # localstripe never sends charge.refunded: signed here as Stripe would
    part = deliver(
        pay_client, stripe_event("charge.refunded", {**charge, "amount_refunded": 1000}, "e1")
    )
    assert part.json["outcome"] == "partially_refunded"
    assert _status(pay_app, order_id) == "partially_refunded"
    over = deliver(
        pay_client, stripe_event("charge.refunded", {**charge, "amount_refunded": 9999}, "e2")
    )
    assert over.json["outcome"] == "refunded"
    with pay_app.app_context():
        payment = db.session.scalar(select(Payment))
        assert (payment.refunded_minor, payment.captured_minor) == (6270, 6270)
    assert _status(pay_app, order_id) == "refunded"
    assert _count(pay_app, PaymentRefund) == 0  # refunds made in Stripe's dashboard: totals only


def test_staff_refund_from_the_order_page(app, pay_app, four_models, buyer, make_user):
    order_id, intent_id = _paid(app, pay_app, buyer, four_models["stock"])
    with pay_app.app_context():
        number = load(order_id).number
    make_user(email="staff@shop.example", role="staff")
    staff = pay_app.test_client()
    staff.post("/login", data={"email": "staff@shop.example", "password": "correct horse battery"})
    page = staff.get(f"/admin/orders/{number}").get_data(as_text=True)
    assert 'data-testid="refund"' in page

    too_much = staff.post(
        f"/admin/orders/{number}/refund", data={"amount": "50.00"}, follow_redirects=True
    ).get_data(as_text=True)
    assert "at most the 39.99 EUR still refundable" in too_much
    nonsense = staff.post(
        f"/admin/orders/{number}/refund", data={"amount": "ten"}, follow_redirects=True
    ).get_data(as_text=True)
    assert "Enter the amount to refund like 12.50" in nonsense
    partial = staff.post(
        f"/admin/orders/{number}/refund",
        data={"amount": "9.99", "reason": "scratched clasp"},
        follow_redirects=True,
    ).get_data(as_text=True)
    assert "Refunded €9.99." in partial
    staff.post(f"/admin/orders/{number}/refund", data={"amount": ""})
    assert buyer.refunded(intent_id) == [999, 3000]
    with pay_app.app_context():
        assert load(order_id).status == "refunded"


def test_a_card_asking_for_3d_secure_pays_nothing_until_the_bank_confirms(
    app, pay_app, four_models, buyer, localstripe
):
    import urllib.request

    order_id, payment = _order(app, pay_app, {four_models["stock"]: 1})
    card = {"number": "4000002760003184", "exp_month": 12, "exp_year": 2030, "cvc": "123"}
    token = buyer.client.v1.tokens.create(params={"card": card}).id
    with pay_app.app_context():
        answer = attempts.pay_with_card_token(load(order_id), "attempt-1", token)
        db.session.commit()
        assert answer == pay.REQUIRES_ACTION
        assert attempts.start_payment(load(order_id), "attempt-1")["status"] == "requires_action"
        assert pay.confirm_from_stripe(load(order_id)) is False  # not before the bank says yes
    assert _status(pay_app, order_id) == "pending_payment"
    # what Stripe.js does when the buyer completes the bank's step (localstripe's stand-in)
    secret = buyer.intent(payment.intent_id)["client_secret"]
    request = urllib.request.Request(
        f"{localstripe}/v1/payment_intents/{payment.intent_id}/_authenticate?success=true",
        data=json.dumps({"key": "pk_test_buyer", "client_secret": secret}).encode(),
        method="POST",
    )
    urllib.request.urlopen(request, timeout=10).close()
    with pay_app.app_context():
        assert pay.confirm_from_stripe(load(order_id)) is True
        db.session.commit()
    assert _status(pay_app, order_id) == "paid"
