"""bench/checkout.py places whole 20-line orders through the Store API, each from its own
client address, with the card payment started at Stripe (localstripe), and records what
it measured in bench/RESULTS.md's style."""

from __future__ import annotations

from sqlalchemy import func, select

from bench import checkout
from localstripe_server import app_paying_through, running_localstripe
from storefront.db import db
from storefront.orders.tables import Order, OrderLine
from storefront.payments.tables import Payment


def test_the_checkouts_place_20_line_orders_and_start_their_payments(
    app, make_product, make_channel, rates, make_warehouse
):
    make_channel("eu")
    rates()
    skus = [f"{make_product(name=f'Ring {n}').upper()}-0" for n in range(22)]
    make_warehouse("berlin", "DE", {sku: 10 for sku in skus})
    settings = checkout.parse_args(["--orders", "2", "--warmup", "1", "--pool", "22"])
    with running_localstripe() as base_url, app_paying_through(app, base_url):
        timings = checkout.run_checkouts(app, settings, progress=lambda message: None)

    assert len(timings.place) == len(timings.whole) == len(timings.stripe) == 2
    assert all(whole > place > 0 for whole, place in zip(timings.whole, timings.place, strict=True))
    with app.app_context():
        orders = db.session.scalars(select(Order).order_by(Order.id)).all()
        assert len(orders) == 3  # the warm-up's and the two measured
        assert len({order.client_key for order in orders}) == 3
        for order in orders:
            lines = db.session.scalar(
                select(func.count()).select_from(OrderLine).where(OrderLine.order_id == order.id)
            )
            assert lines == 20
            assert order.status == "pending_payment" and order.terms_version is not None
            payment = db.session.scalar(select(Payment).where(Payment.order_id == order.id))
            assert payment is not None and payment.intent_id


def test_record_appends_a_dated_section(tmp_path, monkeypatch):
    results = tmp_path / "RESULTS.md"
    monkeypatch.setattr(checkout, "RESULTS", results)
    timings = checkout.Timings(
        place=[20.0, 30.0, 40.0], stripe=[3.0, 3.0, 4.0], whole=[200.0, 300.0, 400.0]
    )
    timings.groups = [3, 4, 4]
    settings = checkout.parse_args(["--orders", "3", "--label", "AFTER"])
    checkout.record(settings, timings, 10_044, ("0.50, 0.40, 0.30", "0.60, 0.40, 0.30"))

    text = results.read_text()
    assert text.startswith("# Page-speed results")
    section = text[text.index("\n## ") :]
    assert section.splitlines()[1].endswith(" checkout AFTER")
    assert "10,044 products" in section and "3-4 fulfilment groups" in section
    assert "| place the order (`POST /carts/{id}/checkout`) | 30.0 | 40.0 | 40.0 |" in section
    assert "0.50, 0.40, 0.30 before, 0.60, 0.40, 0.30 after" in section
    assert "NOT met (30.0 ms)" in section
