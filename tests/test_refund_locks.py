"""Refunds ask Stripe with no row lock held: the claim is committed first, so another
connection can lock the order and the payment while Stripe answers, and two refunds
racing give the money back once."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import OperationalError

from localstripe_server import WEBHOOK_SECRET, deliver, stripe_event
from orders_helpers import load, place
from storefront.db import db
from storefront.dispatch.operations import cancel_order
from storefront.orders.tables import Order
from storefront.payments import operations as pay
from storefront.payments import refunds
from storefront.payments import stripe_gateway as gateway
from storefront.payments.tables import Payment, PaymentRefund, ProcessedStripeEvent

TOTAL = 3999  # one stock ring in the EU channel, in cents


class FakeStripe:
    """create_refund as Stripe would answer it, trying meanwhile, from another
    connection, to lock the order and its payment without waiting."""

    def __init__(self, order_id: int, *, refuse: bool = False, pause: float = 0.0):
        self.order_id = order_id
        self.refuse = refuse
        self.pause = pause
        self.calls: list[tuple[str, int, str]] = []
        self.could_lock: list[bool] = []
        self._guard = threading.Lock()

    def _try_locks(self) -> bool:
        if db.engine.dialect.name != "postgresql":
            return True  # SQLite has no row locks
        with db.engine.connect() as other:
            try:
                other.execute(
                    select(Order.id).where(Order.id == self.order_id).with_for_update(nowait=True)
                )
                other.execute(
                    select(Payment.id)
                    .where(Payment.order_id == self.order_id)
                    .with_for_update(nowait=True)
                )
                return True
            except OperationalError:  # LockNotAvailable
                return False
            finally:
                other.rollback()

    def create_refund(self, intent_id: str, amount: int, key: str) -> gateway.Refund:
        with self._guard:
            self.calls.append((intent_id, amount, key))
            n = len(self.calls)
        self.could_lock.append(self._try_locks())
        time.sleep(self.pause)
        if self.refuse:
            raise gateway.GatewayError("Stripe refused the refund: try later")
        return gateway.Refund(id=f"re_fake_{n}", amount=amount, status="succeeded")


def _with_payment(app, order_id: int, status: str, captured: int) -> str:
    intent_id = f"pi_fake_{order_id}"
    with app.app_context():
        db.session.add(
            Payment(
                order_id=order_id,
                provider="stripe",
                attempt_key=f"{order_id}:attempt",
                intent_id=intent_id,
                amount_minor=TOTAL,
                currency="EUR",
                status=status,
                captured_minor=captured,
                refunded_minor=0,
            )
        )
        db.session.commit()
    return intent_id


@pytest.fixture
def paid_order(app, four_models):
    order_id = place(app, {four_models["stock"]: 1}, "key-1", paid=True)
    _with_payment(app, order_id, "succeeded", TOTAL)
    return order_id


@pytest.fixture
def cancelled_order(app, four_models, monkeypatch):
    """An order cancelled before Stripe's word that its card payment succeeded came."""
    monkeypatch.setitem(app.config, "STRIPE_WEBHOOK_SECRET", WEBHOOK_SECRET)
    order_id = place(app, {four_models["stock"]: 1}, "key-1")
    intent_id = _with_payment(app, order_id, "pending", 0)
    with app.app_context():
        cancel_order(load(order_id), "stock hold expired")
        db.session.commit()
    succeeded = {"id": intent_id, "amount": TOTAL, "currency": "eur", "amount_received": TOTAL}
    return order_id, stripe_event("payment_intent.succeeded", succeeded)


def _payment(app) -> tuple[str, int, int]:
    with app.app_context():
        payment = db.session.scalar(select(Payment))
        refunds = db.session.scalar(select(func.count()).select_from(PaymentRefund))
        return payment.status, payment.refunded_minor, refunds


@pytest.mark.postgres_only
def test_a_staff_refund_holds_no_lock_while_stripe_answers(
    app, is_postgres, paid_order, monkeypatch
):
    if not is_postgres:
        pytest.skip("row locks need PostgreSQL")
    stripe = FakeStripe(paid_order)
    monkeypatch.setattr(gateway, "create_refund", stripe.create_refund)
    with app.app_context():
        refunds.refund(load(paid_order), None, "changed mind")
        db.session.commit()
        assert load(paid_order).status == "refunded"
    assert stripe.could_lock == [True]
    assert _payment(app) == ("refunded", TOTAL, 1)


@pytest.mark.postgres_only
def test_a_cancelled_orders_payment_is_refunded_after_the_event_commits(
    app, client, is_postgres, cancelled_order, monkeypatch
):
    if not is_postgres:
        pytest.skip("row locks need PostgreSQL")
    order_id, event = cancelled_order
    stripe = FakeStripe(order_id)
    monkeypatch.setattr(gateway, "create_refund", stripe.create_refund)
    answer = deliver(client, event)
    assert answer.json["outcome"] == "refunded_cancelled_order"
    assert stripe.could_lock == [True]
    assert _payment(app) == ("refunded", TOTAL, 1)


@pytest.mark.postgres_only
def test_two_refunds_racing_give_the_money_back_once(app, is_postgres, paid_order, monkeypatch):
    if not is_postgres:
        pytest.skip("real concurrency needs PostgreSQL (SQLite serialises writers)")
    stripe = FakeStripe(paid_order, pause=0.3)
    monkeypatch.setattr(gateway, "create_refund", stripe.create_refund)
    start = threading.Barrier(2, timeout=30)

    def staff(_) -> str:
        start.wait()
        with app.app_context():
            try:
                refunds.refund(load(paid_order))
                db.session.commit()
                return "refunded"
            except pay.PaymentError as refused:
                db.session.rollback()
                return refused.code
            finally:
                db.session.remove()

    with ThreadPoolExecutor(2) as pool:
        outcomes = sorted(pool.map(staff, range(2)))
    assert outcomes == ["refund_exceeds_captured", "refunded"]
    assert [amount for _, amount, _ in stripe.calls] == [TOTAL]
    assert _payment(app) == ("refunded", TOTAL, 1)


def test_a_refund_stripe_refuses_is_given_back(app, paid_order, monkeypatch):
    refusing = FakeStripe(paid_order, refuse=True)
    monkeypatch.setattr(gateway, "create_refund", refusing.create_refund)
    with app.app_context(), pytest.raises(gateway.GatewayError):
        refunds.refund(load(paid_order))
    assert _payment(app) == ("succeeded", 0, 0)  # nothing counted as given back

    stripe = FakeStripe(paid_order)
    monkeypatch.setattr(gateway, "create_refund", stripe.create_refund)
    with app.app_context():
        refunds.refund(load(paid_order))
        db.session.commit()
    assert refusing.calls[0][2] == stripe.calls[0][2]  # the same Stripe idempotency key
    assert _payment(app) == ("refunded", TOTAL, 1)


def test_a_refund_stripe_refuses_leaves_the_event_to_be_resent(
    app, client, cancelled_order, monkeypatch
):
    order_id, event = cancelled_order
    monkeypatch.setattr(gateway, "create_refund", FakeStripe(order_id, refuse=True).create_refund)
    with pytest.raises(gateway.GatewayError):
        deliver(client, event)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(ProcessedStripeEvent)) == 0
    assert _payment(app) == ("succeeded", 0, 0)

    stripe = FakeStripe(order_id)
    monkeypatch.setattr(gateway, "create_refund", stripe.create_refund)
    resent = deliver(client, event)
    assert resent.json["outcome"] == "refunded_cancelled_order"
    assert [amount for _, amount, _ in stripe.calls] == [TOTAL]
    assert _payment(app) == ("refunded", TOTAL, 1)
    assert deliver(client, event).json["outcome"] == "duplicate"
    assert len(stripe.calls) == 1
