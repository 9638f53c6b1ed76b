"""One checkout for the web and the API: an idempotency key places one order, also
when the retries race each other."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import func, select

from storefront.cart import operations as carts
from storefront.checkout import operations as checkout
from storefront.db import db
from storefront.fulfilment.tables import StockLevel
from storefront.orders.tables import Order
from test_api_carts import api_cart, deliver_to_berlin  # noqa: F401 (fixture)


def _orders(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(Order))


def _reserved(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.sum(StockLevel.reserved)))


@pytest.fixture
def ready_cart(client, api_cart):  # noqa: F811
    """An API cart of two stock rings with its delivery details: it can check out."""
    cart_id, auth, skus = api_cart
    client.post(
        f"/api/v1/carts/{cart_id}/lines", json={"sku": skus["stock"], "quantity": 2}, headers=auth
    )
    deliver_to_berlin(client, cart_id, auth)
    return cart_id, auth


def test_a_retry_returns_the_first_order_and_holds_stock_once(app, ready_cart):
    cart_id, _auth = ready_cart
    with app.app_context():
        first = checkout.check_out(carts.load_cart(cart_id), "retry-key")
        db.session.commit()
        again = checkout.check_out(carts.load_cart(cart_id), "retry-key")
        db.session.commit()
        assert (first.repeated, again.repeated) == (False, True)
        assert again.order.id == first.order.id
        assert first.token and again.token is None  # the access token is handed out once
    assert _orders(app) == 1
    assert _reserved(app) == 2


def test_another_carts_key_is_refused_by_the_api(app, client, ready_cart, four_models):
    cart_id, auth = ready_cart
    placed = client.post(
        f"/api/v1/carts/{cart_id}/checkout", json={"idempotency_key": "mine"}, headers=auth
    )
    assert placed.status_code == 201
    other = client.post("/api/v1/carts", json={"channel": "eu", "country": "DE"}).get_json()
    other_auth = {"Authorization": f"Bearer {other['token']}"}
    client.post(
        f"/api/v1/carts/{other['id']}/lines", json={"sku": four_models["stock"]}, headers=other_auth
    )
    deliver_to_berlin(client, other["id"], other_auth)
    taken = client.post(
        f"/api/v1/carts/{other['id']}/checkout",
        json={"idempotency_key": "mine"},
        headers=other_auth,
    )
    assert taken.status_code == 409
    assert taken.get_json()["error"]["code"] == "idempotency_key_reused"
    assert _orders(app) == 1


RETRIES = 8


@pytest.mark.postgres_only
def test_retries_racing_with_one_key_all_get_the_first_order(app, is_postgres, ready_cart):
    if not is_postgres:
        pytest.skip("real concurrency needs PostgreSQL (SQLite serialises writers)")
    cart_id, auth = ready_cart
    start = threading.Barrier(RETRIES, timeout=30)

    def post(_) -> tuple[int, dict]:
        client = app.test_client()
        start.wait()
        answer = client.post(
            f"/api/v1/carts/{cart_id}/checkout", json={"idempotency_key": "racing"}, headers=auth
        )
        return answer.status_code, answer.get_json()

    with ThreadPoolExecutor(RETRIES) as pool:
        answers = list(pool.map(post, range(RETRIES)))

    statuses = sorted(status for status, _ in answers)
    assert statuses == [200] * (RETRIES - 1) + [201], answers
    assert len({body["order_id"] for _, body in answers}) == 1
    assert [bool(body["order_token"]) for _, body in answers].count(True) == 1
    assert _orders(app) == 1
    assert _reserved(app) == 2  # the stock is held for one order only
