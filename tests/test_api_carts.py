"""Store API v1 carts: create, lines, groups, checkout (idempotent), orders."""

import pytest


@pytest.fixture
def api_cart(client, four_models):
    response = client.post("/api/v1/carts", json={"channel": "eu", "country": "DE"})
    assert response.status_code == 201
    body = response.get_json()
    auth = {"Authorization": f"Bearer {body['token']}"}
    return body["id"], auth, four_models


def deliver_to_berlin(client, cart_id, auth):
    address = {
        "name": "Lena Vogel",
        "street_address": "Torstraße 1",
        "city": "Berlin",
        "postal_code": "10119",
    }
    response = client.put(
        f"/api/v1/carts/{cart_id}/address",
        headers=auth,
        json={"address": address, "email": "lena@example.de", "phone": "030 1234567"},
    )
    assert response.status_code == 200


def test_a_cart_with_four_models_has_four_groups(client, api_cart):
    cart_id, auth, skus = api_cart
    for sku in skus.values():
        response = client.post(
            f"/api/v1/carts/{cart_id}/lines", json={"sku": sku, "quantity": 1}, headers=auth
        )
        assert response.status_code == 201
    body = client.get(f"/api/v1/carts/{cart_id}", headers=auth).get_json()
    assert (body["channel"], body["currency"], body["country"]) == ("eu", "EUR", "DE")
    groups = {g["selling_model"]: g for g in body["groups"]}
    assert set(groups) == {"wholesale_retail", "self_produced", "agent_operated", "oem_dropship"}
    assert groups["oem_dropship"]["ship_from"] == "CN"
    assert groups["oem_dropship"]["eta"] == {"min_days": 9, "max_days": 17}
    assert {line["group"] for line in body["lines"]} == {g["id"] for g in body["groups"]}
    assert body["totals"]["subtotal"]["currency"] == "EUR"
    assert [p["code"] for p in body["problems"]] == ["address_missing"]


def test_lines_change_and_go(client, api_cart):
    cart_id, auth, skus = api_cart
    line = client.post(
        f"/api/v1/carts/{cart_id}/lines", json={"sku": skus["drop"]}, headers=auth
    ).get_json()["lines"][0]
    changed = client.patch(
        f"/api/v1/carts/{cart_id}/lines/{line['id']}", json={"quantity": 3}, headers=auth
    ).get_json()
    assert changed["lines"][0]["quantity"] == 3
    assert changed["lines"][0]["total"]["amount"] == "119.97"
    emptied = client.delete(f"/api/v1/carts/{cart_id}/lines/{line['id']}", headers=auth)
    assert emptied.get_json()["lines"] == []


@pytest.mark.parametrize(
    ("method", "path", "body", "code"),
    [
        ("post", "/lines", {"sku": "NOPE"}, "unknown_sku"),
        ("post", "/lines", {"sku": 5}, "invalid_sku"),
        ("post", "/lines", {"sku": "{drop}", "quantity": 0}, "invalid_quantity"),
        ("post", "/lines", {"sku": "{drop}", "quantity": "many"}, "invalid_quantity"),
        ("post", "/lines", ["not", "an", "object"], "invalid_json"),
        ("patch", "/lines/999999", {"quantity": 1}, "unknown_line"),
        ("post", "/checkout", {}, "invalid_idempotency_key"),
    ],
)
def test_bad_input_is_a_400_with_a_stable_code(client, api_cart, method, path, body, code):
    cart_id, auth, skus = api_cart
    if isinstance(body, dict) and body.get("sku") == "{drop}":
        body = {**body, "sku": skus["drop"]}
    response = getattr(client, method)(f"/api/v1/carts/{cart_id}{path}", json=body, headers=auth)
    assert response.status_code == 400, response.get_json()
    assert response.get_json()["error"]["code"] == code


def test_a_cart_needs_its_token(client, api_cart):
    cart_id, _auth, _ = api_cart
    for headers in ({}, {"Authorization": "Bearer wrong"}):
        response = client.get(f"/api/v1/carts/{cart_id}", headers=headers)
        assert response.status_code == 404
        assert response.get_json()["error"]["code"] == "cart_not_found"


def test_a_cart_outside_the_channels_countries_is_refused(client, four_models):
    response = client.post("/api/v1/carts", json={"channel": "eu", "country": "US"})
    assert response.status_code == 400
    assert response.get_json()["error"]["code"] == "country_not_in_channel"
    response = client.post("/api/v1/carts", json={"channel": "mars"})
    assert response.get_json()["error"]["code"] == "unknown_channel"


def test_checkout_is_idempotent_and_the_order_reads_back(client, api_cart):
    cart_id, auth, skus = api_cart
    client.post(
        f"/api/v1/carts/{cart_id}/lines", json={"sku": skus["stock"], "quantity": 2}, headers=auth
    )
    no_address = client.post(
        f"/api/v1/carts/{cart_id}/checkout", json={"idempotency_key": "k-0"}, headers=auth
    )
    assert no_address.status_code == 409
    assert no_address.get_json()["problems"][0]["code"] == "address_missing"
    deliver_to_berlin(client, cart_id, auth)
    first = client.post(
        f"/api/v1/carts/{cart_id}/checkout", json={"idempotency_key": "k-1"}, headers=auth
    )
    again = client.post(
        f"/api/v1/carts/{cart_id}/checkout", json={"idempotency_key": "k-1"}, headers=auth
    )
    assert first.status_code == 201 and again.status_code == 200
    assert first.get_json()["order_id"] == again.get_json()["order_id"]
    order_id, token = first.get_json()["order_id"], first.get_json()["order_token"]
    order = client.get(f"/api/v1/orders/{order_id}?token={token}").get_json()
    assert order["status"] == "pending_payment"
    assert order["groups"][0]["shipper"] == "warehouse:berlin"
    assert order["totals"]["total"] == {"amount": "79.98", "currency": "EUR"}
    assert client.get(f"/api/v1/orders/{order_id}?token=nope").status_code == 404


def test_checkout_out_of_stock_is_a_409_with_the_problem(client, api_cart):
    cart_id, auth, skus = api_cart
    client.post(
        f"/api/v1/carts/{cart_id}/lines", json={"sku": skus["stock"], "quantity": 999}, headers=auth
    )
    deliver_to_berlin(client, cart_id, auth)
    response = client.post(
        f"/api/v1/carts/{cart_id}/checkout", json={"idempotency_key": "k-2"}, headers=auth
    )
    assert response.status_code == 409
    assert response.get_json()["problems"][0]["code"] == "out_of_stock"
