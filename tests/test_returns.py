"""Returns, first slice: the buyer asks to return delivered items, each selling model
routes them back to whoever shipped them (the supplier hears of it by webhook), the rules
refuse what they must in the buyer's language, and staff, the agent or the supplier decide
on their own returns only."""

from __future__ import annotations

import datetime
import json
import re
from decimal import Decimal

import pytest
from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from sqlalchemy import func, select

from localstripe_server import (
    CardHolder,
    app_paying_through,
    deliver,
    running_localstripe,
    stripe_event,
)
from storefront import clock
from storefront.db import db
from storefront.delivery import operations as delivery
from storefront.markets.tables import Channel
from storefront.orders.tables import Order
from storefront.payments import stripe_gateway as gateway
from storefront.payments.tables import Payment
from storefront.returns.addresses import PARTIES
from storefront.returns.eligibility import window_days
from storefront.returns.tables import ReturnRequest
from storefront.webhooks import operations as webhooks
from storefront.webhooks.tables import OutboxEvent
from storefront.webhooks.worker import DeliveryWorker
from test_after_payment import api_key, api_order, pay
from test_webhooks import FakeClock, receiver  # noqa: F401  (the supplier's endpoint)

STAFF = delivery.Actor("staff:warehouse@shop.example")
SHIPPERS = {
    "stock": "warehouse:berlin",
    "made": "maker:atelier",
    "agent": "agent:milano-agency",
    "drop": "supplier:shenzhen-silver",
}


def delivered_on(app, number: str, at: datetime.datetime) -> None:
    """Every group of the paid order goes through its own steps and arrives at `at`."""
    with app.app_context(), clock.frozen(at):
        order = db.session.scalar(select(Order).where(Order.number == number))
        for group in order.groups:
            if group.status == "picking":
                delivery.picked(group, STAFF)
                delivery.packed(group, STAFF)
            elif group.status == "in_production":
                delivery.inspect(group, STAFF, passed=True, inspector="qc")
            elif group.status == "awaiting_shipper":
                delivery.accept(group, STAFF)
            delivery.ship(group, STAFF, carrier="DHL", tracking_number=f"JD{group.id:08d}")
            delivery.deliver(group, STAFF)
        db.session.commit()


@pytest.fixture
def moment():
    return datetime.datetime(2026, 11, 2, 10, 0, tzinfo=datetime.UTC)


@pytest.fixture
def bought(app, client, four_models, moment):
    """A German consumer's paid order of one item per selling model, all delivered at
    `moment`; `ask(..)` requests a return of it some days after."""
    skus = [four_models[k] for k in ("stock", "made", "agent", "drop")]
    answer = api_order(client, skus, locale="en")
    number, token = answer["order_id"], answer["order_token"]
    pay(app, number)
    delivered_on(app, number, moment)

    def ask(lines: dict[str, int], days: float = 3, locale: str = "en", **body):
        body = {"reason": "wrong_size", "resolution": "refund", **body}
        body["lines"] = [{"sku": sku, "quantity": n} for sku, n in lines.items()]
        with clock.frozen(moment + datetime.timedelta(days=days)):
            return client.post(
                f"/api/v1/orders/{number}/returns",
                json=body,
                headers={"Authorization": f"Bearer {token}", "Accept-Language": locale},
            )

    return {"number": number, "token": token, "skus": four_models, "ask": ask, "order": answer}


@pytest.fixture
def check(client):
    doc = client.get("/api/openapi.json").get_json()
    registry = Registry().with_resource("urn:api", Resource.opaque(doc))

    def against(name: str, body: dict) -> None:
        validator = Draft202012Validator(
            {"$ref": f"urn:api#/components/schemas/{name}"}, registry=registry
        )
        assert not list(validator.iter_errors(body)), body

    return against


def returns_kept(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count(ReturnRequest.id)))


def unit_price(bought, sku: str) -> dict:
    order = bought["order"]["order"]
    line = next(ln for g in order["groups"] for ln in g["lines"] if ln["sku"] == sku)
    return line["unit_price"]


def test_a_delivered_item_of_each_model_goes_back_to_whoever_shipped_it(app, client, bought, check):
    skus = bought["skus"]
    addresses = {
        "stock": "Lumen Returns\nLagerstr. 5\n10115 Berlin\nGermany",
        "drop": "Shenzhen Silver Returns\n88 Bao'an Rd\n518000 Shenzhen\nChina",
    }
    with app.app_context():
        for kind, address in addresses.items():
            table = PARTIES[SHIPPERS[kind].split(":")[0]]
            party = db.session.scalar(
                select(table).where(table.code == SHIPPERS[kind].split(":")[1])
            )
            party.return_address = address
        db.session.commit()
    answers = {}
    for kind in SHIPPERS:
        answer = bought["ask"]({skus[kind]: 1})
        assert answer.status_code == 201, answer.get_json()
        answers[kind] = body = answer.get_json()
        check("Return", body)
        assert body["status"] == "requested" and body["rma"].startswith("RMA-")
        # the postal address to send it to, where the shop gave the shipper one
        assert body["ship_to"] == {
            "shipper": SHIPPERS[kind],
            "address": addresses.get(kind, ""),
        }
        assert body["instructions"]
        assert body["refund"] == unit_price(bought, skus[kind])
    assert len({a["rma"] for a in answers.values()}) == 4

    # only the supplier's return is sent to it, with what comes back and why
    with app.app_context():
        events = db.session.scalars(
            select(OutboxEvent).where(OutboxEvent.event_type == "return.requested")
        ).all()
        assert [(e.target, e.payload["rma"]) for e in events] == [
            ("supplier:shenzhen-silver", answers["drop"]["rma"])
        ]
        assert events[0].payload["lines"] == [{"sku": skus["drop"], "quantity": 1}]
        assert events[0].payload["reason"] == "wrong_size"

    # the buyer follows it with the order's token; nobody else finds it
    rma = answers["stock"]["rma"]
    url = f"/api/v1/orders/{bought['number']}/returns/{rma}"
    seen = client.get(url, headers={"Authorization": f"Bearer {bought['token']}"})
    assert seen.status_code == 200
    assert [step["to_status"] for step in seen.get_json()["timeline"]] == ["requested"]
    assert client.get(url, headers={"Authorization": "Bearer wrong"}).status_code == 404


def test_the_refund_is_line_exact_for_several_units(app, client, make_product, bought):
    sku = bought["skus"]["stock"]
    with app.app_context():
        order = db.session.scalar(select(Order).where(Order.number == bought["number"]))
        line = next(ln for ln in order.lines if ln.sku == sku)
        line.quantity, line.unit_amount = 3, Decimal("19.995")
        db.session.commit()
    answer = bought["ask"]({sku: 3}).get_json()
    # 3 x 19.995 = 59.985, rounded once half-up to the cent
    assert answer["refund"] == {"amount": "59.99", "currency": "EUR"}


@pytest.mark.parametrize(
    ("lines", "days", "code"),
    [
        ({"stock": 1}, 15, "outside_return_window"),
        ({"stock": 2}, 3, "more_than_bought"),
        ({"stock": 1, "drop": 1}, 3, "several_parcels"),
    ],
)
def test_a_return_the_rules_refuse_is_answered_and_nothing_is_kept(app, bought, lines, days, code):
    answer = bought["ask"]({bought["skus"][k]: n for k, n in lines.items()}, days=days)
    assert answer.status_code == 422
    assert answer.get_json()["error"]["code"] == code
    assert answer.get_json()["error"]["field"] == "lines"
    assert returns_kept(app) == 0


def test_an_undelivered_group_cannot_be_returned(app, client, four_models):
    answer = api_order(client, [four_models["stock"]], key="not-yet")
    pay(app, answer["order_id"])
    refused = client.post(
        f"/api/v1/orders/{answer['order_id']}/returns",
        json={"lines": [{"sku": four_models["stock"]}], "reason": "damaged",
              "resolution": "refund"},
        headers={"Authorization": f"Bearer {answer['order_token']}"},
    )  # fmt: skip
    assert refused.status_code == 422
    assert refused.get_json()["error"]["code"] == "not_delivered"
    assert returns_kept(app) == 0


def test_the_same_units_cannot_be_returned_twice_unless_the_first_was_refused(
    app, client, make_user, bought
):
    sku = bought["skus"]["stock"]
    first = bought["ask"]({sku: 1}).get_json()
    again = bought["ask"]({sku: 1}, days=4)
    assert again.status_code == 422
    assert again.get_json()["error"]["code"] == "already_returned"
    staff = api_key(app, make_user, "returns@shop.example", "staff")
    refused = client.post(
        f"/api/v1/admin/returns/{first['rma']}/refuse", json={"reason": "Worn"}, headers=staff
    )
    assert refused.get_json()["status"] == "refused"
    assert bought["ask"]({sku: 1}, days=5).status_code == 201


def test_eu_consumers_keep_14_days_whatever_the_channel_says_trade_buyers_do_not(app, bought):
    with app.app_context():
        db.session.scalar(select(Channel).where(Channel.code == "eu")).return_days = 3
        db.session.commit()
    sku = bought["skus"]["stock"]
    assert bought["ask"]({sku: 1}, days=10).status_code == 201
    with app.app_context():
        order = db.session.scalar(select(Order).where(Order.number == bought["number"]))
        assert window_days(order) == 14
        order.wholesale = True  # a trade buyer follows the shop's terms
        assert window_days(order) == 3
        order.country = "US"
        order.wholesale = False
        assert window_days(order) == 3  # outside the EU and the UK: the channel's setting
        db.session.rollback()


def test_a_surplus_pieces_note_does_not_take_the_eu_consumers_right_away(app, client, bought):
    """A surplus grade tells the buyer what the piece is (the shop's note on its page), and
    the shop gives no returns on this channel: an EU consumer still has 14 days."""
    from storefront.catalog.tables import Grade, Product, Variant

    sku = bought["skus"]["stock"]
    with app.app_context():
        db.session.scalar(select(Channel).where(Channel.code == "eu")).return_days = 0
        product = db.session.scalar(
            select(Product)
            .join(Variant, Variant.product_id == Product.id)
            .where(Variant.sku == sku)
        )
        product.grade = Grade.SKIP_ORDER
        slug = product.slug
        db.session.commit()
    assert "quality inspection" in client.get(f"/p/{slug}").text
    assert bought["ask"]({sku: 1}, days=13).status_code == 201
    assert bought["ask"]({bought["skus"]["made"]: 1}, days=15).status_code == 422


def test_a_longer_channel_window_is_kept(app, bought):
    with app.app_context():
        db.session.scalar(select(Channel).where(Channel.code == "eu")).return_days = 30
        db.session.commit()
    assert bought["ask"]({bought["skus"]["made"]: 1}, days=29).status_code == 201
    assert bought["ask"]({bought["skus"]["agent"]: 1}, days=31).status_code == 422


@pytest.mark.parametrize(
    ("body", "field", "code"),
    [
        ({"reason": "bored"}, "reason", "invalid_reason"),
        ({"reason": "other"}, "note", "note_required"),
        ({"resolution": "credit"}, "resolution", "invalid_resolution"),
        ({"resolution": "exchange", "exchange_sku": "NOPE"}, "exchange_sku",
         "invalid_exchange_sku"),
        ({"lines": []}, "lines", "invalid_lines"),
    ],
)  # fmt: skip
def test_a_request_in_an_unusable_shape_names_its_field(app, client, bought, body, field, code):
    lines = {bought["skus"]["stock"]: 1}
    answer = bought["ask"](lines, **body) if "lines" not in body else None
    if answer is None:
        answer = client.post(
            f"/api/v1/orders/{bought['number']}/returns",
            json={"reason": "damaged", "resolution": "refund", **body},
            headers={"Authorization": f"Bearer {bought['token']}"},
        )
    assert answer.status_code == 422
    assert answer.get_json()["error"] | {"message": ""} == {
        "code": code,
        "field": field,
        "message": "",
    }
    assert returns_kept(app) == 0


def test_refusals_are_in_the_buyers_language(bought):
    refused = bought["ask"]({bought["skus"]["stock"]: 1}, days=20, locale="de")
    message = refused.get_json()["error"]["message"]
    assert "Tage" in message and "return window" not in message


def test_staff_decide_and_an_agent_or_supplier_only_on_its_own_groups_returns(
    app, client, make_user, bought
):
    skus = bought["skus"]
    rma = {kind: bought["ask"]({skus[kind]: 1}).get_json()["rma"] for kind in SHIPPERS}
    agent = api_key(app, make_user, "ops@milano.example", "agent", agent="milano-agency")
    supplier = api_key(app, make_user, "ops@shenzhen.example", "supplier")
    staff = api_key(app, make_user, "returns@shop.example", "staff")

    def post(who, kind, step, **body):
        return client.post(f"/api/v1/admin/returns/{rma[kind]}/{step}", json=body, headers=who)

    # neither sees another shipper's return
    assert post(agent, "stock", "approve").status_code == 404
    assert post(supplier, "agent", "approve").status_code == 404
    assert client.get(f"/api/v1/admin/returns/{rma['drop']}", headers=agent).status_code == 404
    # each decides on its own
    seen = client.get(f"/api/v1/admin/returns/{rma['drop']}", headers=supplier)
    assert seen.status_code == 200 and seen.get_json()["lines"][0]["sku"] == skus["drop"]
    assert post(agent, "agent", "approve").get_json()["status"] == "approved"
    # a supplier also through its own API, idempotent as the rest of it
    once = {**supplier, "Idempotency-Key": "refuse-1"}
    url = f"/api/v1/supplier/returns/{rma['drop']}/refuse"
    refused = client.post(url, json={"reason": "Not ours"}, headers=once)
    assert refused.status_code == 200 and refused.get_json()["refusal_reason"] == "Not ours"
    assert client.post(url, json={"reason": "Not ours"}, headers=once).get_json() == (
        refused.get_json()
    )
    assert client.get(f"/api/v1/supplier/returns/{rma['drop']}", headers=supplier).status_code == (
        200
    )
    other = f"/api/v1/supplier/returns/{rma['agent']}"
    assert client.post(f"{other}/approve", headers=supplier).status_code == 404
    assert client.get(other, headers=supplier).status_code == 404
    # staff decide on any; a step out of turn says why
    assert post(staff, "stock", "received").status_code == 409
    assert post(staff, "made", "refuse").get_json()["error"]["field"] == "reason"
    assert post(staff, "stock", "approve").status_code == 200
    received = post(staff, "stock", "received").get_json()
    assert received["status"] == "received"
    assert [(s["to_status"], s["actor"]) for s in received["timeline"]] == [
        ("requested", "buyer"),
        ("approved", "staff:returns@shop.example"),
        ("received", "staff:returns@shop.example"),
    ]
    # the buyer reads the staff's refusal
    refused = client.get(
        f"/api/v1/orders/{bought['number']}/returns/{rma['drop']}",
        headers={"Authorization": f"Bearer {bought['token']}"},
    ).get_json()
    assert (refused["status"], refused["refusal_reason"]) == ("refused", "Not ours")


def test_staff_set_a_channels_return_window_in_the_api_and_on_its_page(
    app, client, make_user, logged_in, make_channel
):
    make_channel("eu")
    staff = api_key(app, make_user, "channels@shop.example", "staff")
    longer = client.patch("/api/v1/admin/channels/eu", json={"return_days": 30}, headers=staff)
    assert longer.status_code == 200 and longer.get_json()["return_days"] == 30
    wrong = client.patch("/api/v1/admin/channels/eu", json={"return_days": -1}, headers=staff)
    assert wrong.status_code == 400 and wrong.get_json()["error"]["field"] == "return_days"
    page = logged_in("staff")
    form = page.get("/admin/channels/eu").get_data(as_text=True)
    assert 'name="return_days" value="30"' in form
    fields = {
        "csrf_token": re.search(r'name="csrf_token" value="([^"]+)"', form).group(1),
        "code": "eu", "name": "European Union", "currency": "EUR", "countries": "DE FR",
        "locales": "en de", "tax_display": "gross", "duty_policy": "ddp",
        "rounding_rule": "precision", "free_shipping_over": "", "position": "1",
    }  # fmt: skip
    assert page.post("/admin/channels/eu", data={**fields, "return_days": "21"}).status_code == 303
    with app.app_context():
        assert db.session.scalar(select(Channel).where(Channel.code == "eu")).return_days == 21


def test_the_supplier_gets_the_return_signed_at_its_endpoint(app, bought, receiver):  # noqa: F811
    with app.app_context():
        _endpoint, secret = webhooks.add_endpoint(
            "shenzhen-silver", receiver.url, ["return.requested"]
        )
        db.session.commit()
    receiver.secrets.append(secret)
    rma = bought["ask"]({bought["skus"]["drop"]: 1}, reason="damaged").get_json()["rma"]
    bought["ask"]({bought["skus"]["stock"]: 1})  # the shop's own: no event
    worker = DeliveryWorker("returns-test", clock=FakeClock(), timeout=5)
    with worker, app.app_context():
        assert worker.run_once().delivered == 1
    [request] = receiver.requests
    assert request["verified"] == {secret: True}
    sent = json.loads(request["body"])
    assert sent["type"] == "return.requested"
    assert (sent["data"]["rma"], sent["data"]["reason"]) == (rma, "damaged")
    assert sent["data"]["lines"] == [{"sku": bought["skus"]["drop"], "quantity": 1}]


class FakeStripe:
    """Stripe's refunds as the gateway sees them: each call recorded, or refused."""

    def __init__(self, refuse: bool = False):
        self.refuse = refuse
        self.calls: list[tuple[str, int]] = []

    def create_refund(self, intent_id: str, amount: int, key: str) -> gateway.Refund:
        self.calls.append((intent_id, amount))
        if self.refuse:
            raise gateway.GatewayError("Stripe is down")
        return gateway.Refund(id=f"re_{len(self.calls)}", amount=amount, status="succeeded")


@pytest.fixture
def card_paid(app, bought):
    """The order's card payment, captured in full."""
    with app.app_context():
        order = db.session.scalar(select(Order).where(Order.number == bought["number"]))
        minor = int(order.total_amount * 100)
        db.session.add(
            Payment(order_id=order.id, provider="stripe", attempt_key=f"{order.id}:1",
                    intent_id="pi_returns", amount_minor=minor, currency="EUR",
                    status="succeeded", captured_minor=minor, refunded_minor=0)
        )  # fmt: skip
        db.session.commit()
    return bought


@pytest.mark.parametrize("refuse", [False, True])
def test_a_received_return_is_refunded_line_exact_once(
    app, client, make_user, card_paid, monkeypatch, refuse
):
    stripe = FakeStripe(refuse=refuse)
    monkeypatch.setattr(gateway, "create_refund", stripe.create_refund)
    sku = card_paid["skus"]["stock"]
    rma = card_paid["ask"]({sku: 1}).get_json()["rma"]
    staff = api_key(app, make_user, "returns@shop.example", "staff")

    def step(name):
        return client.post(f"/api/v1/admin/returns/{rma}/{name}", headers=staff)

    step("approve")
    assert step("refund").status_code == 409  # the goods have not come back yet
    step("received")
    refunded = step("refund")
    price = unit_price(card_paid, sku)
    minor = int(Decimal(price["amount"]) * 100)
    assert stripe.calls == [("pi_returns", minor)]
    with app.app_context():
        payment = db.session.scalar(select(Payment))
        order = db.session.get(Order, payment.order_id)
        if refuse:  # nothing given back, nothing changed: staff try again later
            assert refunded.status_code == 502
            assert refunded.get_json()["error"]["code"] == "refund_unavailable"
            assert (payment.refunded_minor, payment.status, order.status) == (
                0,
                "succeeded",
                "delivered",
            )
            again = client.get(f"/api/v1/admin/returns/{rma}", headers=staff).get_json()
            assert again["status"] == "received"
            return
        assert refunded.status_code == 200, refunded.get_json()
        assert refunded.get_json()["status"] == "refunded"
        assert refunded.get_json()["refund"] == price
        assert (payment.refunded_minor, payment.status) == (minor, "partially_refunded")
    assert step("refund").status_code == 409
    assert len(stripe.calls) == 1


def test_an_order_without_a_card_payment_is_not_refunded_and_the_return_stays(
    app, client, make_user, bought
):
    rma = bought["ask"]({bought["skus"]["made"]: 1}).get_json()["rma"]
    staff = api_key(app, make_user, "returns@shop.example", "staff")
    for step in ("approve", "received"):
        client.post(f"/api/v1/admin/returns/{rma}/{step}", headers=staff)
    refused = client.post(f"/api/v1/admin/returns/{rma}/refund", headers=staff)
    assert (refused.status_code, refused.get_json()["error"]["code"]) == (409, "nothing_to_refund")
    after = client.get(f"/api/v1/admin/returns/{rma}", headers=staff).get_json()
    assert after["status"] == "received" and len(after["timeline"]) == 3


def test_a_card_paid_return_shows_as_the_exact_partial_refund_in_stripe(
    app, client, make_user, four_models, moment
):
    """Paid through Stripe (localstripe), delivered, one piece sent back: Stripe holds one
    refund of exactly that piece's price, to the minor unit, and the order keeps the rest."""
    with running_localstripe() as base_url, app_paying_through(app, base_url):
        holder = CardHolder(base_url)
        stock, drop = four_models["stock"], four_models["drop"]
        answer = api_order(client, [stock, drop], locale="en", key="stripe-return")
        number, token = answer["order_id"], answer["order_token"]
        intent_id = answer["payment"]["client_secret"].split("_secret_")[0]
        assert holder.pays(intent_id)["status"] == "succeeded"
        paid = deliver(client, stripe_event("payment_intent.succeeded", holder.intent(intent_id)))
        assert paid.get_json()["outcome"] == "paid"
        delivered_on(app, number, moment)
        with clock.frozen(moment + datetime.timedelta(days=3)):
            asked = client.post(
                f"/api/v1/orders/{number}/returns",
                json={"lines": [{"sku": stock, "quantity": 1}], "reason": "damaged",
                      "resolution": "refund"},
                headers={"Authorization": f"Bearer {token}"},
            )  # fmt: skip
        assert asked.status_code == 201, asked.get_json()
        rma = asked.get_json()["rma"]
        staff = api_key(app, make_user, "returns@shop.example", "staff")
        for step in ("approve", "received", "refund"):
            done = client.post(f"/api/v1/admin/returns/{rma}/{step}", headers=staff)
            assert done.status_code == 200, (step, done.get_json())
        price = Decimal(unit_price({"order": answer}, stock)["amount"])
        assert holder.refunded(intent_id) == [int(price * 100)]
        # the rest of the order stays paid: the payment is partly refunded, the order kept
        with app.app_context():
            payment = db.session.scalar(select(Payment).where(Payment.intent_id == intent_id))
            assert payment.status == "partially_refunded"
            assert payment.captured_minor - payment.refunded_minor == (
                holder.intent(intent_id)["amount"] - int(price * 100)
            )
