"""Shipping zones and methods set through the admin API price the buyers' parcels."""

from __future__ import annotations

from test_after_payment import api_key


def test_a_zone_and_its_method_set_by_api_price_a_cart(
    app, client, make_user, make_channel, rates, make_product
):
    make_channel("eu", shipping=False)
    rates()
    sku = f"{make_product(name='Moon ring', prices=['40.00']).upper()}-0"
    staff = api_key(app, make_user, "staff@shop.example", "staff")
    zone = client.put(
        "/api/v1/admin/shipping-zones/europe",
        json={"name": "Europe", "countries": ["DE", "AT"]},
        headers=staff,
    )
    assert zone.status_code == 200, zone.get_json()
    bad = client.put(
        "/api/v1/admin/shipping-zones/europe/methods/standard",
        json={"name": "Standard", "currency": "EUR",
              "bands": [{"up_to_grams": 500, "price": "-1"}]},
        headers=staff,
    )  # fmt: skip
    assert bad.status_code == 400 and bad.get_json()["error"]["field"] == "bands"
    method = client.put(
        "/api/v1/admin/shipping-zones/europe/methods/standard",
        json={"name": "Standard", "currency": "EUR",
              "bands": [{"up_to_grams": 500, "price": "4.90"},
                        {"up_to_grams": 2000, "price": "9.90"}]},
        headers=staff,
    )  # fmt: skip
    assert method.status_code == 200, method.get_json()
    listed = client.get("/api/v1/admin/shipping-zones", headers=staff).get_json()["items"]
    assert listed[0]["methods"][0]["bands"][0]["price"] == {"amount": "4.90", "currency": "EUR"}

    cart = client.post("/api/v1/carts", json={"channel": "eu", "country": "DE"}).get_json()
    auth = {"Authorization": f"Bearer {cart['token']}"}
    priced = client.post(
        f"/api/v1/carts/{cart['id']}/lines", json={"sku": sku}, headers=auth
    ).get_json()
    assert priced["groups"][0]["shipping"] == {"amount": "4.90", "currency": "EUR"}

    assert client.delete("/api/v1/admin/shipping-zones/europe", headers=staff).status_code == 204
    assert client.get("/api/v1/admin/shipping-zones", headers=staff).get_json()["items"] == []
    agent = api_key(app, make_user, "agent@shop.example", "agent")
    assert client.get("/api/v1/admin/shipping-zones", headers=agent).status_code == 403
