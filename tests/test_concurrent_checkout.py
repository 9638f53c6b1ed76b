"""No oversell, ever: real concurrent checkouts on PostgreSQL."""

import threading

import pytest
from sqlalchemy import func, select

from orders_helpers import priced_cart
from storefront.db import db
from storefront.fulfilment.tables import StockLevel
from storefront.orders import operations
from storefront.orders.tables import Order

BUYERS = 50
UNITS = 5


def test_fifty_buyers_five_units(
    app, is_postgres, make_product, make_channel, rates, make_warehouse
):
    if not is_postgres:
        pytest.skip("real concurrency needs PostgreSQL (SQLite serialises writers)")
    make_channel("eu")
    rates()
    sku = f"{make_product(name='Last rings').upper()}-0"
    make_warehouse("berlin", "DE", {sku: UNITS})

    # every buyer has a cart already; they all press "pay" at once
    carts = []
    with app.app_context():
        for _ in range(BUYERS):
            carts.append(priced_cart("eu", "DE", {sku: 1}).cart.id)
        db.session.commit()

    # Released together before touching the database: the pool lends 15 connections, so
    # a buyer holding one while waiting at the barrier would starve the others.
    start = threading.Barrier(BUYERS, timeout=30)
    outcomes: list[str] = []
    lock = threading.Lock()

    def buyer(n: int, cart_id: str) -> None:
        from storefront.cart import operations as carts_ops
        from storefront.markets.pricing import Pricer

        start.wait()
        with app.app_context():
            cart = carts_ops.load_cart(cart_id)
            priced = carts_ops.price_cart(cart, Pricer(cart.channel))
            try:
                operations.place_order(priced, f"buyer-{n}")
                db.session.commit()
                outcome = "order"
            except operations.CheckoutRefused as refused:
                db.session.rollback()
                outcome = refused.problems[0]["message"]
            finally:
                db.session.remove()
        with lock:
            outcomes.append(outcome)

    threads = [threading.Thread(target=buyer, args=(n, c)) for n, c in enumerate(carts)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert outcomes.count("order") == UNITS
    assert outcomes.count(f"{sku} is out of stock.") == BUYERS - UNITS
    with app.app_context():
        assert db.session.scalar(select(func.count(Order.id))) == UNITS
        on_hand, reserved = db.session.execute(
            select(StockLevel.on_hand, StockLevel.reserved)
        ).one()
        assert (on_hand, reserved) == (UNITS, UNITS)  # all held, none below zero
