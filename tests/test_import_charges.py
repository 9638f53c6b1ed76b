"""Import VAT, duty and fees per shipment: in the cart, the totals, and the order."""

from decimal import Decimal

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
    # the EU channel shows prices with VAT: 19/119 of 39.99 is in the price, not added
    assert china["vat"] == {"amount": "6.38", "currency": "EUR"}
    assert china["vat_included"] is True
    assert china["estimated_due_on_delivery"]["amount"] == "0.00"
    totals = body["totals"]
    assert totals["tax"]["amount"] == "6.38"
    added = sum(Decimal(totals[k]["amount"]) for k in ("duty", "fees"))
    assert Decimal(totals["total"]["amount"]) == Decimal("79.98") + added


def test_a_channel_showing_prices_without_tax_adds_the_vat(client, four_models, ioss, make_channel):
    make_channel("us", name="EU trade", countries_text="FR", tax_display="net", currency="EUR")
    cart_id, auth = api_cart(client, [four_models["drop"]], channel="us", country="FR")
    body = client.get(f"/api/v1/carts/{cart_id}", headers=auth).get_json()
    charges = body["groups"][0]["import"]
    assert (charges["regime"], charges["vat_included"]) == ("eu_ioss", False)
    assert charges["vat"]["amount"] == "7.84"  # French VAT, 20% of 39.20, added
    assert body["prices_include_tax"] is False


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
        assert group.import_charges["vat"] == {"amount": "6.38", "currency": "EUR"}
        assert group.import_charges["vat_included"] is True
        # the VAT is in the price; only duty and fees are added
        added = sum(Decimal(group.import_charges[k]["amount"]) for k in ("duty", "fees"))
        assert order.total_amount == order.subtotal_amount + added


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


def _review_page(client, sku: str, country="DE") -> str:
    client.get(f"/preferences?country={country}&next=/")
    client.post("/cart/add", data={"sku": sku})
    client.post("/checkout", data={**ADDRESS, "email": "lena@example.de", "phone": "030 1234567"})
    return " ".join(client.get("/checkout/review").get_data(as_text=True).split())


def test_the_review_page_shows_the_vat_inside_the_prices_on_a_gross_channel(
    client, four_models, ioss
):
    page = _review_page(client, four_models["drop"])
    assert 'Import VAT (included in the prices): <span data-testid="vat">€6.38</span>' in page
    # the total is the price, shipping, duty and fees; the VAT is shown as included after it
    assert 'Included import VAT</th><td data-testid="total-tax">€6.38' in page
    assert page.index("Total to pay now") < page.index("Included import VAT")
    assert 'data-testid="total">€42.99<' in page  # 39.99 + EU flat duty 3.00 (from July 2026)


def test_the_product_page_says_prices_include_vat_only_where_the_channel_shows_them_so(
    client, four_models, make_channel
):
    make_channel("us")
    slug = four_models["drop"].removesuffix("-0").lower()
    client.get("/preferences?country=DE&next=/")
    german = client.get(f"/p/{slug}").get_data(as_text=True)
    assert "Prices include VAT where we collect it at checkout." in german
    client.get("/preferences?country=US&next=/")
    american = client.get(f"/p/{slug}").get_data(as_text=True)
    assert "Prices include VAT" not in american
    assert "Shipping, import VAT and duties are calculated at checkout" in american
