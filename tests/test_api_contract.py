"""The API's answers match the OpenAPI document clients generate their code from."""

import datetime
from decimal import Decimal

import pytest
from jsonschema import Draft202012Validator
from referencing import Registry, Resource

BERLIN = {
    "name": "Lena Vogel",
    "street_address": "Torstraße 1",
    "city": "Berlin",
    "postal_code": "10119",
}


@pytest.fixture
def check(client):
    doc = client.get("/api/openapi.json").get_json()
    registry = Registry().with_resource("urn:api", Resource.opaque(doc))

    def against(name: str, body: dict) -> None:
        schema = {"$ref": f"urn:api#/components/schemas/{name}"}
        validator = Draft202012Validator(schema, registry=registry)
        errors = sorted(validator.iter_errors(body), key=lambda e: list(e.path))
        assert not errors, [f"{list(e.path)}: {e.message}" for e in errors[:5]]

    return against


def test_a_priced_cart_its_shipping_choice_and_the_order_match_the_document(
    client, app, four_models, make_shipping, check
):
    make_shipping("eu", "DE", {2000: "4.90"}, "EUR", "standard")
    express = make_shipping("eu", "DE", {2000: "12.00"}, "EUR", "express")
    app.config["TAX_REGISTRATIONS"] = ("eu_ioss",)
    try:
        created = client.post("/api/v1/carts", json={"channel": "eu", "country": "DE"})
        check("CartCreated", created.get_json())
        cart = created.get_json()
        auth = {"Authorization": f"Bearer {cart['token']}"}
        for sku in (four_models["drop"], four_models["stock"]):
            added = client.post(
                f"/api/v1/carts/{cart['id']}/lines", json={"sku": sku}, headers=auth
            )
            check("Cart", added.get_json())
        chosen = client.put(
            f"/api/v1/carts/{cart['id']}/shipping",
            json={"group": "g1", "method": express},
            headers=auth,
        )
        check("Cart", chosen.get_json())
        delivered = client.put(
            f"/api/v1/carts/{cart['id']}/address",
            json={"address": BERLIN, "email": "lena@example.de", "phone": "030 1234567"},
            headers=auth,
        )
        check("Cart", delivered.get_json())
        placed = client.post(
            f"/api/v1/carts/{cart['id']}/checkout",
            json={"idempotency_key": "contract"},
            headers=auth,
        )
        assert placed.status_code == 201, placed.get_json()
        check("CheckoutResult", placed.get_json())
        order = placed.get_json()["order"]
        check("Order", order)
        totals = {k: Decimal(v["amount"]) for k, v in order["totals"].items()}
        assert totals["shipping"] == Decimal("16.90")
        # the EU shows prices with VAT: the rows without the included VAT add up to the total
        assert order["prices_include_tax"] is True and totals["tax"] > 0
        assert totals["total"] == sum(totals[k] for k in ("subtotal", "shipping", "duty", "fees"))
    finally:
        app.config["TAX_REGISTRATIONS"] = ()


def test_shipping_work_answers_match_the_document(app, client, make_user, four_models, check):
    from test_after_payment import api_key, api_order, groups_by_model, pay

    number = api_order(client, [four_models["stock"], four_models["made"]])["order_id"]
    pay(app, number)
    staff = api_key(app, make_user, "staff@shop.example", "staff")
    groups = groups_by_model(app, number)
    check("ShippingGroupList", client.get("/api/v1/admin/groups", headers=staff).get_json())
    stock = f"/api/v1/admin/orders/{number}/groups/{groups['wholesale_retail']}"
    check("ShippingGroup", client.post(f"{stock}/picked", headers=staff).get_json())
    check("ShippingGroup", client.post(f"{stock}/packed", headers=staff).get_json())
    shipped = client.post(
        f"{stock}/shipments", json={"carrier": "usps", "tracking_number": "9400"}, headers=staff
    )
    assert shipped.status_code == 201
    check("ShipmentResult", shipped.get_json())
    tracked = client.post(
        f"{stock}/shipments/{shipped.get_json()['id']}/tracking",
        json={"status": "in_transit", "occurred_at": "2026-12-04T08:00:00+00:00"},
        headers=staff,
    )
    check("TrackingResult", tracked.get_json())
    check("ShippingGroup", client.post(f"{stock}/delivered", json={}, headers=staff).get_json())
    made = f"/api/v1/admin/orders/{number}/groups/{groups['self_produced']}"
    inspected = client.post(f"{made}/qc", json={"passed": True, "inspector": "Rui"}, headers=staff)
    check("QcResult", inspected.get_json())
    cancelled = client.post(f"/api/v1/admin/orders/{number}/cancel", json={}, headers=staff)
    assert cancelled.status_code == 409  # goods have left: refund or return them instead
    check("Error", cancelled.get_json())
    order = client.get(f"/api/v1/orders/{number}", headers={})
    assert order.status_code == 404  # neither token nor key: not found


def test_what_creates_answers_201_and_the_document_says_so(app, client, four_models, make_user):
    from test_after_payment import api_key, api_order

    doc = client.get("/api/openapi.json").get_json()["paths"]
    created = client.post("/api/v1/carts", json={"channel": "eu", "country": "DE"})
    assert created.status_code == 201
    assert "201" in doc["/api/v1/carts"]["post"]["responses"]
    assert "200" not in doc["/api/v1/carts"]["post"]["responses"]
    cart = created.get_json()
    added = client.post(
        f"/api/v1/carts/{cart['id']}/lines",
        json={"sku": four_models["stock"]},
        headers={"Authorization": f"Bearer {cart['token']}"},
    )
    assert added.status_code == 201
    assert "201" in doc["/api/v1/carts/{cart_id}/lines"]["post"]["responses"]
    # checkout: 201 places the order, 200 answers a repeat of the same key
    assert {"200", "201"} <= set(doc["/api/v1/carts/{cart_id}/checkout"]["post"]["responses"])
    shipments = "/api/v1/supplier/groups/{group_id}/shipments"
    assert "201" in doc[shipments]["post"]["responses"]
    assert doc[shipments]["post"]["parameters"][0]["schema"]["type"] == "integer"
    # every moment the API answers carries its UTC offset: a valid date-time
    number = api_order(client, [four_models["stock"]])["order_id"]
    staff = api_key(app, make_user, "staff@shop.example", "staff")
    orders = client.get("/api/v1/admin/orders", headers=staff).get_json()["items"]
    moment = datetime.datetime.fromisoformat(
        next(o["created_at"] for o in orders if o["number"] == number)
    )
    assert moment.utcoffset() == datetime.timedelta(0)
