"""What happens when returned goods arrive, per selling model: the shop's own stock is
restocked or written off, a workshop's piece restocked, reworked or relisted as surplus, an
agent's commission on it clawed back, a supplier told of each step and owing the shop for
the goods; a supplier may refund without a return, and a model may answer "refund only"."""

from __future__ import annotations

import datetime
import json
import re
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import func, select

from channels.money import Money
from models_ import Registry, ReturnRoute
from models_.wholesale_retail import WholesaleRetail
from storefront import clock
from storefront.catalog.tables import Product, Variant
from storefront.db import db
from storefront.fulfilment.tables import (
    AgentCompany,
    StockLevel,
    StockMovement,
    Supplier,
    SupplierCost,
    Warehouse,
)
from storefront.orders.tables import Order
from storefront.payments import stripe_gateway as gateway
from storefront.payments.tables import Payment
from storefront.returns.records import ReturnOutcome, SupplierCredit
from storefront.returns.tables import ReturnRequest
from storefront.settlements.clawbacks import clawback
from storefront.settlements.statement import Statement, settlement
from storefront.settlements.tables import AgentPayout
from storefront.webhooks import operations as webhooks
from storefront.webhooks.worker import DeliveryWorker
from test_after_payment import api_key, api_order, pay
from test_returns import (  # noqa: F401  (fixtures)
    SHIPPERS,
    FakeStripe,
    bought,
    card_paid,
    check,
    delivered_on,
    moment,
    unit_price,
)
from test_webhooks import FakeClock, receiver  # noqa: F401  (the supplier's endpoint)


@pytest.fixture
def delivered(bought):  # noqa: F811
    """test_returns' paid order of one item per selling model, delivered."""
    return bought


@pytest.fixture
def paid(card_paid):  # noqa: F811
    """The same, paid by card in full."""
    return card_paid


@pytest.fixture
def delivery_day(moment):  # noqa: F811
    return moment


@pytest.fixture
def schema(check):  # noqa: F811
    """`schema(name, body)` checks the body against the OpenAPI document's schema."""
    return check


@pytest.fixture
def endpoint(receiver):  # noqa: F811
    """The supplier's webhook receiver, verifying with `standardwebhooks`."""
    return receiver


@pytest.fixture
def staff(app, make_user):
    return api_key(app, make_user, "returns@shop.example", "staff")


@pytest.fixture
def stripe(monkeypatch):
    fake = FakeStripe()
    monkeypatch.setattr(gateway, "create_refund", fake.create_refund)
    return fake


@pytest.fixture
def steps(client, staff):
    """`step(rma, name, who=staff, **body)` posts a decision in the admin API."""

    def step(rma: str, name: str, who: dict | None = None, **body):
        return client.post(
            f"/api/v1/admin/returns/{rma}/{name}", json=body or None, headers=who or staff
        )

    return step


def received_return(delivered, steps, kind: str) -> str:
    rma = delivered["ask"]({delivered["skus"][kind]: 1}).get_json()["rma"]
    assert steps(rma, "approve").status_code == 200
    assert steps(rma, "received").status_code == 200
    return rma


def on_hand(app, warehouse: str, sku: str) -> int:
    with app.app_context():
        return db.session.scalar(
            select(StockLevel.on_hand)
            .join(Warehouse, Warehouse.id == StockLevel.warehouse_id)
            .join(Variant, Variant.id == StockLevel.variant_id)
            .where(Warehouse.code == warehouse, Variant.sku == sku)
        )


def kept(app, table) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(table))


# own stock -----------------------------------------------------------------------------------


def test_a_restocked_return_is_back_on_hand_where_it_was_shipped_from_and_then_refunded(
    app,
    paid,
    steps,
    stripe,
):
    sku = paid["skus"]["stock"]
    before = on_hand(app, "berlin", sku)
    rma = received_return(paid, steps, "stock")
    inspected = steps(rma, "inspect", lines=[{"sku": sku, "outcome": "restock"}])
    assert inspected.status_code == 200, inspected.get_json()
    assert inspected.get_json()["status"] == "inspected"
    assert on_hand(app, "berlin", sku) == before + 1
    with app.app_context():
        movement = db.session.scalar(select(StockMovement).order_by(StockMovement.id.desc()))
        assert (movement.quantity, movement.reason, movement.reference) == (1, "returned", rma)
        assert rma in movement.note
    # an inspected return is refunded as a received one is
    refunded = steps(rma, "refund")
    assert refunded.get_json()["status"] == "refunded"
    assert stripe.calls == [("pi_returns", int(Decimal(unit_price(paid, sku)["amount"]) * 100))]


def test_a_written_off_return_leaves_stock_as_it_was_and_says_why(app, delivered, steps):
    sku = delivered["skus"]["stock"]
    before = on_hand(app, "berlin", sku)
    movements = kept(app, StockMovement)
    rma = received_return(delivered, steps, "stock")
    unexplained = steps(rma, "inspect", lines=[{"sku": sku, "outcome": "write_off"}])
    assert unexplained.status_code == 422
    assert unexplained.get_json()["error"]["field"] == "lines[0].note"
    written_off = steps(
        rma, "inspect", lines=[{"sku": sku, "outcome": "write_off"}], note="Scratched stone"
    )
    assert written_off.get_json()["status"] == "inspected"
    assert "write_off" in written_off.get_json()["timeline"][-1]["note"]
    assert on_hand(app, "berlin", sku) == before
    assert kept(app, StockMovement) == movements
    with app.app_context():
        outcome = db.session.scalar(select(ReturnOutcome))
        assert (outcome.outcome, outcome.quantity, outcome.note, outcome.warehouse) == (
            "write_off",
            1,
            "Scratched stone",
            "",
        )


@pytest.mark.parametrize(
    ("line", "status", "field", "code"),
    [
        ({"outcome": "melt_down"}, 422, "lines[0].outcome", "unknown_outcome"),
        ({"outcome": "relist"}, 422, "lines[0].outcome", "unknown_outcome"),  # not own stock's
        ({"sku": "NOT-IN-IT", "outcome": "restock"}, 422, "lines[0].sku", "unknown_sku"),
        ({"outcome": "restock", "warehouse": "atlantis"}, 422, "lines[0].warehouse",
         "unknown_warehouse"),
    ],
)  # fmt: skip
def test_an_outcome_the_model_does_not_offer_is_refused_and_nothing_is_saved(
    app,
    delivered,
    steps,
    line,
    status,
    field,
    code,
):
    sku = delivered["skus"]["stock"]
    before = on_hand(app, "berlin", sku)
    rma = received_return(delivered, steps, "stock")
    refused = steps(rma, "inspect", lines=[{"sku": sku, **line}])
    assert refused.status_code == status
    assert (refused.get_json()["error"]["field"], refused.get_json()["error"]["code"]) == (
        field,
        code,
    )
    assert steps(rma, "inspect", lines=[]).get_json()["error"]["field"] == "lines"
    after = steps(rma, "received", who=None)  # a step out of turn: still received
    assert after.status_code == 409
    assert on_hand(app, "berlin", sku) == before
    assert kept(app, ReturnOutcome) == 0
    with app.app_context():
        assert db.session.scalar(select(ReturnRequest.status)) == "received"


def test_a_return_is_inspected_only_once_received(app, delivered, steps):
    sku = delivered["skus"]["stock"]
    rma = delivered["ask"]({sku: 1}).get_json()["rma"]
    early = steps(rma, "inspect", lines=[{"sku": sku, "outcome": "restock"}])
    assert (early.status_code, early.get_json()["error"]["code"]) == (409, "invalid_return_status")
    steps(rma, "approve")
    assert steps(rma, "inspect", lines=[{"sku": sku, "outcome": "restock"}]).status_code == 409
    assert kept(app, ReturnOutcome) == 0


# self-produced -------------------------------------------------------------------------------


def test_a_workshops_returned_piece_is_relisted_as_surplus(app, client, delivered, steps):
    sku = delivered["skus"]["made"]
    products = kept(app, Product)
    rma = received_return(delivered, steps, "made")
    relisted = steps(rma, "inspect", lines=[{"sku": sku, "outcome": "relist"}])
    assert relisted.status_code == 200, relisted.get_json()
    assert kept(app, Product) == products + 1
    with app.app_context():
        outcome = db.session.scalar(select(ReturnOutcome))
        surplus = db.session.scalar(select(Variant).where(Variant.sku == outcome.surplus_sku))
        assert outcome.surplus_sku.startswith(f"{sku}-S")
        assert surplus.product.grade == "original_order"
        assert surplus.product.selling_model == "wholesale_retail"
        assert not surplus.product.is_published  # staff check it before buyers see it


def test_a_workshops_returned_piece_is_restocked_into_the_warehouse_staff_choose(
    app,
    delivered,
    steps,
):
    sku = delivered["skus"]["made"]
    rma = received_return(delivered, steps, "made")
    # own stock's write-off is not the workshop's to choose
    refused = steps(rma, "inspect", lines=[{"sku": sku, "outcome": "write_off"}], note="x")
    assert refused.get_json()["error"]["code"] == "unknown_outcome"
    restocked = steps(rma, "inspect", lines=[{"sku": sku, "outcome": "restock", "warehouse": "sz"}])
    assert restocked.status_code == 200, restocked.get_json()
    assert on_hand(app, "sz", sku) == 1


def test_a_reworked_piece_is_recorded_and_moves_no_stock(app, delivered, steps):
    sku = delivered["skus"]["made"]
    rma = received_return(delivered, steps, "made")
    movements = kept(app, StockMovement)
    reworked = steps(
        rma, "inspect", lines=[{"sku": sku, "outcome": "rework", "note": "Re-polish the clasp"}]
    )
    assert reworked.get_json()["status"] == "inspected"
    assert kept(app, StockMovement) == movements
    with app.app_context():
        assert db.session.scalar(select(ReturnOutcome.note)) == "Re-polish the clasp"


# supplier ------------------------------------------------------------------------------------


@pytest.fixture
def supplier_key(app, make_user):
    return api_key(app, make_user, "ops@shenzhen.example", "supplier")


def test_the_supplier_is_told_of_receipt_and_refund_and_owes_its_cost(
    app,
    client,
    paid,
    steps,
    stripe,
    supplier_key,
    endpoint,
    staff,
    logged_in,
    schema,
):
    sku = paid["skus"]["drop"]
    with app.app_context():
        supplier = db.session.scalar(select(Supplier).where(Supplier.code == "shenzhen-silver"))
        variant = db.session.scalar(select(Variant).where(Variant.sku == sku))
        db.session.add(
            SupplierCost(
                supplier_id=supplier.id, variant_id=variant.id, amount=Decimal("8.25"),
                currency="EUR",
            )
        )  # fmt: skip
        _endpoint, secret = webhooks.add_endpoint(
            "shenzhen-silver", endpoint.url, ["return.received", "return.refunded"]
        )
        db.session.commit()
    endpoint.secrets.append(secret)
    rma = paid["ask"]({sku: 1}).get_json()["rma"]
    address = "Shenzhen Silver Returns\n88 Bao'an Rd\n518000 Shenzhen"
    approved = client.post(
        f"/api/v1/supplier/returns/{rma}/approve",
        json={"return_address": address},
        headers={**supplier_key, "Idempotency-Key": "approve-1"},
    )
    assert approved.status_code == 200, approved.get_json()
    assert approved.get_json()["ship_to"] == {"shipper": SHIPPERS["drop"], "address": address}
    received = client.post(
        f"/api/v1/supplier/returns/{rma}/received",
        headers={**supplier_key, "Idempotency-Key": "received-1"},
    )
    assert received.get_json()["status"] == "received"
    # the supplier's outcome is its own: it accepted the goods back
    accepted = steps(rma, "inspect", who=supplier_key, lines=[{"sku": sku, "outcome": "accepted"}])
    assert accepted.get_json()["status"] == "inspected"
    refunded = steps(rma, "refund")
    assert refunded.status_code == 200, refunded.get_json()
    price = unit_price(paid, sku)

    worker = DeliveryWorker("returns-effects", clock=FakeClock(), timeout=5)
    with worker, app.app_context():
        assert worker.run_once().delivered == 2
    sent = [json.loads(request["body"]) for request in endpoint.requests]
    assert all(request["verified"] == {secret: True} for request in endpoint.requests)
    assert [event["type"] for event in sent] == ["return.received", "return.refunded"]
    assert {event["data"]["rma"] for event in sent} == {rma}
    assert sent[0]["data"]["lines"] == [{"sku": sku, "quantity": 1}]
    assert sent[1]["data"]["amount"] == price

    with app.app_context():
        credit = db.session.scalar(select(SupplierCredit))
        assert (credit.amount, credit.currency) == (Decimal("8.25"), "EUR")
        assert credit.request.rma == rma
    # staff read it in the admin API and on the supplier's page; the supplier does not
    url = "/api/v1/admin/suppliers/shenzhen-silver/credits"
    credits = client.get(url, headers=staff).get_json()
    schema("SupplierCreditList", credits)
    assert [(c["rma"], c["amount"]) for c in credits["items"]] == [
        (rma, {"amount": "8.25", "currency": "EUR"})
    ]
    assert credits["totals"] == [{"amount": "8.25", "currency": "EUR"}]
    assert client.get(url, headers=supplier_key).status_code == 403
    assert client.get(url.replace("shenzhen-silver", "nobody"), headers=staff).status_code == 404
    page = logged_in("staff").get("/admin/partners/suppliers/shenzhen-silver")
    table = page.get_data(as_text=True).split('data-testid="supplier-credits"')[1]
    assert rma in table and "€8.25" in table.split("</table>")[0]


def test_a_supplier_may_refund_without_a_return_the_buyer_keeps_the_goods(
    app,
    client,
    paid,
    steps,
    stripe,
    supplier_key,
):
    sku = paid["skus"]["drop"]
    rma = paid["ask"]({sku: 1}).get_json()["rma"]
    url = f"/api/v1/supplier/returns/{rma}/approve"
    both = client.post(
        url, json={"refund_without_return": True, "return_address": "Here"}, headers=supplier_key
    )
    assert (both.status_code, both.get_json()["error"]["field"]) == (422, "return_address")
    wrong = client.post(url, json={"refund_without_return": "yes"}, headers=supplier_key)
    assert wrong.get_json()["error"]["field"] == "refund_without_return"
    with app.app_context():
        assert db.session.scalar(select(ReturnRequest.status)) == "requested"
    approved = client.post(url, json={"refund_without_return": True}, headers=supplier_key)
    assert approved.status_code == 200, approved.get_json()
    body = approved.get_json()
    assert (body["status"], body["ship_to"]) == ("approved", None)
    # nothing comes back: nothing to receive, the refund at once
    assert steps(rma, "received", who=supplier_key).status_code == 409
    refunded = steps(rma, "refund")
    assert refunded.get_json()["status"] == "refunded"
    price = unit_price(paid, sku)
    assert stripe.calls == [("pi_returns", int(Decimal(price["amount"]) * 100))]
    with app.app_context():
        credit = db.session.scalar(select(SupplierCredit))
        # no cost known: the supplier owes the goods' price
        assert (str(credit.amount.normalize()), credit.currency) == (
            str(Decimal(price["amount"]).normalize()),
            price["currency"],
        )


# a model answering "refund only" -------------------------------------------------------------


class Trinkets(WholesaleRetail):
    """A plug-in model for low-value goods from stock: not worth shipping back."""

    code = "trinkets"
    label = "Low-value trinkets"
    return_outcomes = ()

    def route_return(self, group, context):
        return ReturnRoute(None, "Keep it: it is refunded without a return.")


def test_a_model_answering_refund_only_is_refunded_once_approved_nothing_comes_back(
    app, client, make_product, make_warehouse, four_models, delivery_day, steps, stripe, monkeypatch
):
    installed = app.extensions["selling_models"]
    registry = Registry([installed.get(code) for code in installed.codes()] + [Trinkets()])
    monkeypatch.setitem(app.extensions, "selling_models", registry)
    sku = make_product(name="Charm", selling_model="trinkets").upper() + "-0"
    make_warehouse("hamburg", "DE", {sku: 5}, serves="DE")
    answer = api_order(client, [sku], locale="en", key="trinket")
    number, token = answer["order_id"], answer["order_token"]
    pay(app, number)
    delivered_on(app, number, delivery_day)
    with app.app_context():
        order = db.session.scalar(select(Order).where(Order.number == number))
        minor = int(order.total_amount * 100)
        db.session.add(
            Payment(order_id=order.id, provider="stripe", attempt_key=f"{order.id}:1",
                    intent_id="pi_trinket", amount_minor=minor, currency="EUR",
                    status="succeeded", captured_minor=minor, refunded_minor=0)
        )  # fmt: skip
        db.session.commit()
    with clock.frozen(delivery_day + datetime.timedelta(days=2)):
        asked = client.post(
            f"/api/v1/orders/{number}/returns",
            json={"lines": [{"sku": sku}], "reason": "damaged", "resolution": "refund"},
            headers={"Authorization": f"Bearer {token}"},
        )
    assert asked.status_code == 201, asked.get_json()
    rma = asked.get_json()["rma"]
    assert asked.get_json()["ship_to"] is None
    assert steps(rma, "refund").status_code == 409  # not approved yet
    assert steps(rma, "approve").get_json()["status"] == "approved"
    assert steps(rma, "received").status_code == 409  # nothing comes back
    refunded = steps(rma, "refund")
    assert refunded.get_json()["status"] == "refunded"
    price = next(ln for g in answer["order"]["groups"] for ln in g["lines"])["unit_price"]
    assert stripe.calls == [("pi_trinket", int(Decimal(price["amount"]) * 100))]
    assert [s["to_status"] for s in refunded.get_json()["timeline"]] == [
        "requested",
        "approved",
        "refunded",
    ]
    assert on_hand(app, "hamburg", sku) == 4  # the sold unit stays with the buyer


# agent ---------------------------------------------------------------------------------------


def test_an_agents_refunded_return_claws_its_commission_back_and_payouts_are_netted(
    app, client, paid, steps, stripe, staff, make_user, logged_in, schema
):
    sku = paid["skus"]["agent"]
    rma = received_return(paid, steps, "agent")
    assert steps(rma, "refund").get_json()["status"] == "refunded"
    price = Money(Decimal(unit_price(paid, sku)["amount"]), "EUR")
    today = clock.today()
    period = {"from": (today - datetime.timedelta(days=1)).isoformat(), "to": today.isoformat()}

    # staff record a payout in the admin API; an agent may not, a bad amount names its field
    url = "/api/v1/admin/agents/milano-agency/payouts"
    agent = api_key(app, make_user, "ops@milano.example", "agent", agent="milano-agency")
    body = {"amount": "1.50", "currency": "EUR", **period, "note": "bank transfer 0042"}
    assert client.post(url, json=body, headers=agent).status_code == 403
    wrong = client.post(url, json={**body, "amount": "-3"}, headers=staff)
    assert (wrong.status_code, wrong.get_json()["error"]["field"]) == (422, "amount")
    recorded = client.post(url, json=body, headers=staff)
    assert recorded.status_code == 201, recorded.get_json()
    schema("AgentPayout", recorded.get_json())
    assert recorded.get_json()["amount"] == {"amount": "1.50", "currency": "EUR"}
    assert kept(app, AgentPayout) == 1

    with app.app_context():
        milano = db.session.scalar(select(AgentCompany).where(AgentCompany.code == "milano-agency"))
        statement = settlement(milano, today - datetime.timedelta(days=1), today)
        [row] = statement.rows
        [line] = statement.clawbacks
        [total] = statement.totals
    clawed = (price * row.rate).rounded()
    assert (line.rma, line.refunded, line.commission) == (rma, price, -clawed)
    assert total.commission == row.commission - clawed  # netted
    assert total.refunds == row.refunds + price
    assert total.paid == Money(Decimal("1.50"), "EUR")
    assert total.balance == row.commission - clawed - Money(Decimal("1.50"), "EUR")

    # staff see the negative line, the payout and what is still owed on the page, and
    # record another payout there
    page = logged_in("staff")
    shown = page.get("/admin/settlements", query_string={"agent": "milano-agency", **period})
    text = shown.get_data(as_text=True)
    assert f"returned {rma}" in text and "bank transfer 0042" in text
    assert f"-€{clawed.amount}" in text  # the clawed-back commission, negative
    form = {
        "csrf_token": re.search(r'name="csrf_token" value="([^"]+)"', text).group(1),
        "agent": "milano-agency", "amount": "2", "currency": "EUR", "note": "cash", **period,
    }  # fmt: skip
    assert page.post("/admin/settlements/payouts", data=form).status_code == 303
    refused = page.post("/admin/settlements/payouts", data={**form, "currency": "euros"})
    assert refused.status_code == 303
    assert kept(app, AgentPayout) == 2
    csv_rows = page.get(
        "/admin/settlements.csv", query_string={"agent": "milano-agency", **period}
    ).get_data(as_text=True)
    assert f"returned {rma}" in csv_rows

    # once the whole order is refunded its lines count as refunds, never twice
    with app.app_context():
        order = db.session.scalar(select(Order).where(Order.number == paid["number"]))
        order.status = "refunded"
        db.session.commit()
        milano = db.session.scalar(select(AgentCompany).where(AgentCompany.code == "milano-agency"))
        statement = settlement(milano, today - datetime.timedelta(days=1), today)
        assert statement.clawbacks == []
        [row] = statement.rows
        assert row.refunds == row.gross == price


# money properties ----------------------------------------------------------------------------

_currencies = st.sampled_from(["EUR", "USD", "JPY", "KWD"])
_rates = st.decimals(min_value=0, max_value=1, places=4)
_goods = st.decimals(min_value=0, max_value=100_000, places=3)


@given(_currencies, _rates, _goods)
def test_a_clawback_splits_the_refunded_goods_exactly_and_rounds_once(currency, rate, amount):
    line = clawback("RMA-X", "Milano", rate, Money(amount, currency), datetime.date(2026, 12, 5))
    exact = line.refunded * rate
    # the agent's part and the manufacturer's add up to the refund to the minor unit
    assert -(line.commission + line.payable) == line.refunded
    # rounded once, half-up: at most half a minor unit from the exact commission
    half_minor = Decimal(10) ** line.commission.amount.as_tuple().exponent / 2
    assert abs(-line.commission.amount - exact.amount) <= half_minor


@given(st.lists(st.tuples(_currencies, _rates, _goods), max_size=6))
def test_statement_totals_net_clawbacks_per_currency_never_across(lines):
    agent = AgentCompany(code="a", name="A", country="IT", commission_rate=Decimal("0.1"))
    day = datetime.date(2026, 12, 5)
    statement = Statement(
        agent,
        day,
        day,
        rows=[],
        clawbacks=[
            clawback(f"RMA-{i}", "B", r, Money(a, c), day) for i, (c, r, a) in enumerate(lines)
        ],
    )
    assert [t.currency for t in statement.totals] == sorted({c for c, _r, _a in lines})
    for total in statement.totals:
        mine = [line for line in statement.clawbacks if line.currency == total.currency]
        assert total.clawed_back == sum(
            (line.commission for line in mine), Money.zero(total.currency)
        )
        # gross 0: what is netted is exactly the refunded goods, split in two
        assert total.payable + total.commission == -total.refunds
        assert total.balance == total.commission
