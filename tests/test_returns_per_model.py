"""Returns, end to end for each selling model: a buyer pays by card through Stripe
(localstripe), the parcel is delivered, one piece comes back to whoever shipped it, is
inspected as its model offers and refunded; Stripe holds exactly that partial refund, and
what the model says happens does happen: the warehouse has it back on hand, the workshop's
piece is relisted as surplus, the agent's commission on it is clawed back, the supplier
hears of it with a signed `return.requested` and owes the shop for the goods."""

from __future__ import annotations

import datetime
import json
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from localstripe_server import (
    CardHolder,
    app_paying_through,
    deliver,
    running_localstripe,
    stripe_event,
)
from storefront import clock
from storefront.catalog.tables import Product
from storefront.db import db
from storefront.fulfilment.tables import AgentCompany
from storefront.returns.records import SupplierCredit
from storefront.settlements.statement import settlement
from storefront.webhooks import operations as webhooks
from storefront.webhooks.worker import DeliveryWorker
from test_after_payment import api_key, api_order
from test_returns import SHIPPERS, delivered_on, moment, unit_price  # noqa: F401
from test_returns_effects import on_hand
from test_webhooks import FakeClock, receiver  # noqa: F401  (the supplier's endpoint)

# what the shipper decides when the goods are back, as each model offers
OUTCOME = {"stock": "restock", "made": "relist", "agent": "accepted", "drop": "accepted"}


def products(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count(Product.id)))


@pytest.mark.parametrize("kind", ["stock", "made", "agent", "drop"])
def test_a_card_paid_piece_goes_back_to_its_shipper_and_is_refunded_exactly(
    app,
    client,
    make_user,
    four_models,
    moment,  # noqa: F811
    receiver,  # noqa: F811
    kind,
):
    sku = four_models[kind]
    with app.app_context():
        _endpoint, secret = webhooks.add_endpoint(
            "shenzhen-silver", receiver.url, ["return.requested"]
        )
        db.session.commit()
    receiver.secrets.append(secret)
    before_products = products(app)

    with running_localstripe() as base_url, app_paying_through(app, base_url):
        holder = CardHolder(base_url)
        other = four_models["drop" if kind == "stock" else "stock"]  # the order keeps it
        answer = api_order(client, [sku, other], locale="en", key=f"per-model-{kind}")
        number, token = answer["order_id"], answer["order_token"]
        intent_id = answer["payment"]["client_secret"].split("_secret_")[0]
        assert holder.pays(intent_id)["status"] == "succeeded"
        paid = deliver(client, stripe_event("payment_intent.succeeded", holder.intent(intent_id)))
        assert paid.get_json()["outcome"] == "paid"
        delivered_on(app, number, moment)
        before_stock = on_hand(app, "berlin", sku) if kind == "stock" else None

        with clock.frozen(moment + datetime.timedelta(days=5)):
            asked = client.post(
                f"/api/v1/orders/{number}/returns",
                json={"lines": [{"sku": sku, "quantity": 1}], "reason": "wrong_size",
                      "resolution": "refund"},
                headers={"Authorization": f"Bearer {token}"},
            )  # fmt: skip
        assert asked.status_code == 201, asked.get_json()
        rma = asked.get_json()["rma"]
        # back to whoever shipped it
        assert asked.get_json()["ship_to"]["shipper"] == SHIPPERS[kind]
        price = unit_price({"order": answer}, sku)
        refund = asked.get_json()["refund"]
        goods = {p["kind"]: p["amount"] for p in asked.get_json()["refund_parts"]}["goods"]
        assert goods == price  # and the parcel's shipping, the whole parcel coming back

        staff = api_key(app, make_user, "returns@shop.example", "staff")
        for step, body in (
            ("approve", None),
            ("received", None),
            ("inspect", {"lines": [{"sku": sku, "outcome": OUTCOME[kind]}]}),
            ("refund", None),
        ):
            done = client.post(f"/api/v1/admin/returns/{rma}/{step}", json=body, headers=staff)
            assert done.status_code == 200, (step, done.get_json())
        assert done.get_json()["status"] == "refunded"
        minor = int(Decimal(refund["amount"]) * 100)
        # Stripe holds one partial refund of exactly what the return gives back
        assert holder.refunded(intent_id) == [minor]
        assert holder.intent(intent_id)["amount"] > minor

    # the buyer sees the return and its refund on the order
    seen = client.get(f"/api/v1/orders/{number}", headers={"Authorization": f"Bearer {token}"})
    [shown] = seen.get_json()["returns"]
    assert (shown["rma"], shown["status"], shown["refund"]) == (rma, "refunded", refund)

    if kind == "stock":  # back on hand where it was shipped from
        assert on_hand(app, "berlin", sku) == before_stock + 1
    if kind == "made":  # resold as surplus, as production's relist makes it
        assert products(app) == before_products + 1
    if kind == "agent":  # the commission on it is clawed back in the agent's statement
        with app.app_context():
            milano = db.session.scalar(
                select(AgentCompany).where(AgentCompany.code == "milano-agency")
            )
            today = clock.today()
            statement = settlement(milano, today - datetime.timedelta(days=1), today)
            [line] = statement.clawbacks
            assert line.rma == rma and line.commission.amount < 0
    if kind == "drop":  # the supplier owes the shop for the goods and heard of the return
        with app.app_context():
            [credit] = db.session.scalars(select(SupplierCredit)).all()
            assert credit.request.rma == rma and credit.amount > 0
        worker = DeliveryWorker("returns-per-model", clock=FakeClock(), timeout=5)
        with worker, app.app_context():
            assert worker.run_once().delivered == 1
        [request] = receiver.requests
        assert request["verified"] == {secret: True}  # checked with `standardwebhooks`
        event = json.loads(request["body"])
        assert event["type"] == "return.requested" and event["data"]["rma"] == rma
    else:  # only a supplier's return is told to a supplier
        with app.app_context():
            worker = DeliveryWorker("returns-per-model", clock=FakeClock(), timeout=5)
            with worker:
                assert worker.run_once().delivered == 0
