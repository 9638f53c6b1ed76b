"""Explicit channel prices and trade breaks set through the admin API; buyers in that
channel pay exactly them."""

from __future__ import annotations

from test_after_payment import api_key


def test_a_yen_price_and_trade_breaks_set_by_api_are_what_buyers_pay(
    app, client, make_user, make_channel, rates, make_product
):
    make_channel("jp")
    rates()
    sku = f"{make_product(name='Moon ring', prices=['40.00']).upper()}-0"
    staff = api_key(app, make_user, "staff@shop.example", "staff")

    too_fine = client.put(
        "/api/v1/admin/channel-prices",
        json={"channel": "jp", "sku": sku, "price": "5990.5"},
        headers=staff,
    )
    assert too_fine.status_code == 400 and too_fine.get_json()["error"]["field"] == "price"
    dearer_break = client.put(
        "/api/v1/admin/channel-prices",
        json={"channel": "jp", "sku": sku, "price": "5990",
              "breaks": [{"min_quantity": 10, "price": "5000"},
                         {"min_quantity": 20, "price": "5500"}]},
        headers=staff,
    )  # fmt: skip
    assert dearer_break.status_code == 400
    assert dearer_break.get_json()["error"]["field"] == "breaks[1]"
    saved = client.put(
        "/api/v1/admin/channel-prices",
        json={"channel": "jp", "sku": sku, "price": "5990", "min_quantity": 2,
              "breaks": [{"min_quantity": 10, "price": "5200"}]},
        headers=staff,
    )  # fmt: skip
    assert saved.status_code == 200, saved.get_json()
    assert saved.get_json()["price"] == {"amount": "5990", "currency": "JPY"}
    assert saved.get_json()["breaks"] == [
        {"min_quantity": 10, "price": {"amount": "5200", "currency": "JPY"}}
    ]
    listed = client.get("/api/v1/admin/channel-prices?channel=jp", headers=staff).get_json()
    assert [item["sku"] for item in listed["items"]] == [sku]

    cart = client.post("/api/v1/carts", json={"channel": "jp", "country": "JP"}).get_json()
    auth = {"Authorization": f"Bearer {cart['token']}"}
    line = client.post(f"/api/v1/carts/{cart['id']}/lines", json={"sku": sku}, headers=auth)
    assert line.get_json()["lines"][0]["unit_price"] == {"amount": "5990", "currency": "JPY"}

    removed = client.put(
        "/api/v1/admin/channel-prices", json={"channel": "jp", "sku": sku, "price": None},
        headers=staff,
    )  # fmt: skip
    assert removed.get_json()["price"] is None
    unknown = client.put(
        "/api/v1/admin/channel-prices", json={"channel": "xx", "sku": sku, "price": "1"},
        headers=staff,
    )  # fmt: skip
    assert unknown.status_code == 400 and unknown.get_json()["error"]["field"] == "channel"
