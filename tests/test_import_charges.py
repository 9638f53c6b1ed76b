"""Import VAT, duty and fees per shipment: in the cart, the totals, and the order."""

import pytest

from orders_helpers import load, place

ADDRESS = {
    "name": "Lena Vogel",
    "street_address": "Torstraße 1",
    "city": "Berlin",
    "postal_code": "10119",
}


@pytest.fixture
def ioss(app):
    app.config["TAX_REGISTRATIONS"] = ("eu_ioss",)
    yield
    app.config["TAX_REGISTRATIONS"] = ()


def api_cart(client, lines, channel="eu", country="DE"):
    cart = client.post("/api/v1/carts", json={"channel": channel, "country": country}).get_json()
    auth = {"Authorization": f"Bearer {cart['token']}"}
    for sku in lines:
        client.post(f"/api/v1/carts/{cart['id']}/lines", json={"sku": sku}, headers=auth)
    return cart["id"], auth


def test_a_shipment_from_china_pays_import_vat_at_checkout_under_ioss(client, four_models, ioss):
    cart_id, auth = api_cart(client, [four_models["drop"], four_models["stock"]])
    body = client.get(f"/api/v1/carts/{cart_id}", headers=auth).get_json()
    groups = {g["ship_from"]: g for g in body["groups"]}
    # from Berlin to Berlin: no import at all
    assert groups["DE"]["import"]["regime"] == "domestic"
    china = groups["CN"]["import"]
    assert china["regime"] == "eu_ioss" and china["collected_at_checkout"] is True
    assert china["vat"] == {"amount": "7.60", "currency": "EUR"}  # 19% of 39.99
    assert china["estimated_due_on_delivery"]["amount"] == "0.00"
    totals = body["totals"]
    charged = sum(float(totals[k]["amount"]) for k in ("tax", "duty", "fees"))
    assert totals["tax"]["amount"] == "7.60"
    assert abs(float(totals["total"]["amount"]) - (79.98 + charged)) < 0.001


def test_without_the_registration_the_buyer_is_told_what_is_due_at_the_door(client, four_models):
    cart_id, auth = api_cart(client, [four_models["drop"]])
    body = client.get(f"/api/v1/carts/{cart_id}", headers=auth).get_json()
    charges = body["groups"][0]["import"]
    assert charges["regime"] == "dap" and charges["collected_at_checkout"] is False
    assert charges["estimated_due_on_delivery"]["amount"] != "0.00"
    assert body["totals"]["total"] == body["totals"]["subtotal"]


def test_the_order_keeps_the_charges_it_was_quoted(app, four_models, ioss):
    order_id = place(app, {four_models["drop"]: 1}, "ioss-1")
    with app.app_context():
        order = load(order_id)
        (group,) = order.groups
        assert group.import_charges["regime"] == "eu_ioss"
        assert group.import_charges["vat"] == {"amount": "7.60", "currency": "EUR"}
        assert order.total_amount > order.subtotal_amount


def test_a_blocked_region_stops_checkout(client, four_models, make_channel):
    make_channel("us", name="Rest of world", countries_text="UA US")
    cart_id, auth = api_cart(client, [four_models["drop"]], channel="us", country="UA")
    crimea = {
        "name": "A",
        "street_address": "vul. Pushkinska 1",
        "city": "Simferopol",
        "postal_code": "95000",
        "country_area": "UA-43",
    }
    put = client.put(
        f"/api/v1/carts/{cart_id}/address",
        headers=auth,
        json={"address": crimea, "email": "a@b.ua", "phone": "+380 44 123 4567"},
    )
    assert put.status_code == 200, put.get_json()
    body = put.get_json()
    assert "destination_blocked" in [p["code"] for p in body["problems"]]
    refused = client.post(
        f"/api/v1/carts/{cart_id}/checkout", json={"idempotency_key": "c-1"}, headers=auth
    )
    assert refused.status_code == 409
    assert refused.get_json()["problems"][0]["code"] == "destination_blocked"


def test_a_merchant_corrects_a_rule_without_a_code_change(
    app, runner, client, four_models, tmp_path
):
    import json
    from decimal import ROUND_HALF_UP, Decimal

    folder = tmp_path / "rules"
    assert runner.invoke(args=["rules", "export", str(folder)]).exit_code == 0
    vat = json.loads((folder / "vat.json").read_text())
    for rule in vat["rules"]:
        if rule["id"] == "vat-de":
            rule["rate"] = "7"  # say a reduced rate applied to jewelry
    (folder / "vat.json").write_text(json.dumps(vat))
    checked = runner.invoke(args=["rules", "check", str(folder)])
    assert checked.exit_code == 0 and "all valid" in checked.output

    app.config["COUNTRY_RULES_DIR"] = str(folder)
    try:
        cart_id, auth = api_cart(client, [four_models["drop"]])
        charges = client.get(f"/api/v1/carts/{cart_id}", headers=auth).get_json()
        # the door estimate: the corrected 7% of goods and duty
        charged = charges["groups"][0]["import"]
        base = Decimal("39.99") + Decimal(charged["duty"]["amount"])
        expected = (base * Decimal("0.07")).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
        assert Decimal(charged["vat"]["amount"]) == expected
    finally:
        app.config["COUNTRY_RULES_DIR"] = None

    (folder / "vat.json").write_text('[{"oops": 1}]')
    refused = runner.invoke(args=["rules", "check", str(folder)])
    assert refused.exit_code == 1 and "vat.json" in refused.output
