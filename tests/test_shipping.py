"""Shipping: zones, weight bands with volumetric weight, a choice per shipment, free shipping."""

import datetime
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import select

from channels import shipping
from channels.fx import RateSet
from channels.money import Money
from orders_helpers import load, place
from storefront.db import db
from storefront.markets.tables import Channel
from storefront.shipping.tables import ShippingMethod

RATES = RateSet(datetime.date(2026, 11, 20), {"USD": Decimal("1.25"), "JPY": Decimal("160")})
EUR = "EUR"


def eur(amount: str) -> Money:
    return Money(Decimal(amount), EUR)


def method(id_, name, bands, position=0):
    return shipping.Method(
        id_, name, tuple(shipping.Band(g, eur(p)) for g, p in bands.items()), position
    )


# the arithmetic ---------------------------------------------------------------------


def test_a_light_ring_is_billed_by_weight_and_a_boxed_set_by_its_size():
    ring = shipping.Item(weight_grams=6, length_mm=22, width_mm=22, height_mm=4, quantity=2)
    assert shipping.chargeable_grams([ring]) == 12
    # 200 x 150 x 100 mm = 3,000,000 mm3 = 600 g volumetric, though it weighs 250 g
    boxed = shipping.Item(weight_grams=250, length_mm=200, width_mm=150, height_mm=100)
    assert shipping.chargeable_grams([boxed]) == 600
    assert shipping.chargeable_grams([boxed, ring]) == 601  # ceil(3,003,872 / 5,000)


@given(
    st.lists(
        st.builds(
            shipping.Item,
            st.integers(0, 5000),
            st.integers(1, 400),
            st.integers(1, 400),
            st.integers(1, 400),
            st.integers(1, 20),
        ),
        min_size=1,
        max_size=8,
    )
)
def test_the_billed_weight_is_never_below_either_weight(items):
    billed = shipping.chargeable_grams(items)
    assert billed >= sum(i.weight_grams * i.quantity for i in items)
    volume = sum(i.length_mm * i.width_mm * i.height_mm * i.quantity for i in items)
    assert billed * shipping.VOLUMETRIC_DIVISOR >= volume
    assert shipping.chargeable_grams([*items, items[0]]) >= billed


def test_a_band_covers_its_upper_weight_and_a_heavier_parcel_has_no_price():
    standard = method(1, "Standard", {2000: "9.90", 500: "4.90"})
    assert standard.price_for(1) == eur("4.90")
    assert standard.price_for(500) == eur("4.90")
    assert standard.price_for(501) == eur("9.90")
    assert standard.price_for(2001) is None


def test_a_named_zone_wins_over_the_rest_of_the_world():
    eu = shipping.Zone("EU", frozenset({"DE", "FR"}), (), position=1)
    world = shipping.Zone("World", frozenset({"*"}), (), position=0)
    assert shipping.zone_for([world, eu], "DE") is eu
    assert shipping.zone_for([world, eu], "JP") is world
    assert shipping.zone_for([eu], "JP") is None


def test_options_are_converted_rounded_once_and_cheapest_first():
    zone = shipping.Zone(
        "World",
        frozenset({"*"}),
        (method(1, "Express", {1000: "19.00"}), method(2, "Standard", {1000: "4.97"})),
    )
    options = shipping.options([zone], "JP", 300, "JPY", RATES)
    # 4.97 EUR x 160 = 795.2 JPY -> 795; 19.00 x 160 = 3,040
    assert [(o.name, o.price) for o in options] == [
        ("Standard", Money(Decimal("795"), "JPY")),
        ("Express", Money(Decimal("3040"), "JPY")),
    ]
    free = shipping.options([zone], "JP", 300, "JPY", RATES, free_cheapest=True)
    assert [(o.name, o.price.amount, o.free) for o in free] == [
        ("Standard", 0, True),
        ("Express", 3040, False),
    ]
    assert shipping.options([zone], "JP", 1001, "JPY", RATES) == []


def test_a_method_refuses_two_bands_ending_at_one_weight():
    with pytest.raises(ValueError, match="same weight"):
        shipping.Method(1, "Standard", (shipping.Band(500, eur("1")), shipping.Band(500, eur("2"))))


# the shop -------------------------------------------------------------------------------

ADDRESS = {
    "name": "Lena Vogel",
    "street_address": "Torstraße 1",
    "city": "Berlin",
    "postal_code": "10119",
}


@pytest.fixture
def eu_rates(four_models, make_shipping):
    """Germany and France by standard (EUR bands) or express; the rest of the world free."""
    standard = make_shipping(
        "eu", "DE FR", {500: "4.90", 2000: "9.90"}, EUR, "standard", position=1
    )
    express = make_shipping("eu", "DE FR", {2000: "19.00"}, EUR, "express", position=1)
    return {"skus": four_models, "standard": standard, "express": express}


def api_cart(client, lines: dict, channel="eu", country="DE"):
    cart = client.post("/api/v1/carts", json={"channel": channel, "country": country}).get_json()
    auth = {"Authorization": f"Bearer {cart['token']}"}
    for sku, quantity in lines.items():
        added = client.post(
            f"/api/v1/carts/{cart['id']}/lines",
            json={"sku": sku, "quantity": quantity},
            headers=auth,
        )
        assert added.status_code == 201, added.get_json()
    return cart["id"], auth


def cart_body(client, cart_id, auth):
    return client.get(f"/api/v1/carts/{cart_id}", headers=auth).get_json()


def test_each_shipment_is_charged_its_cheapest_method_and_the_total_includes_it(client, eu_rates):
    skus = eu_rates["skus"]
    cart_id, auth = api_cart(client, {skus["drop"]: 1, skus["agent"]: 1})
    body = cart_body(client, cart_id, auth)
    assert len(body["groups"]) == 2
    for group in body["groups"]:
        assert group["shipping"] == {"amount": "4.90", "currency": "EUR"}
        assert group["shipping_method"]["name"] == "Standard"
        assert [o["name"] for o in group["shipping_options"]] == ["Standard", "Express"]
    totals = body["totals"]
    assert totals["shipping"] == {"amount": "9.80", "currency": "EUR"}
    assert Decimal(totals["total"]["amount"]) == sum(
        Decimal(totals[k]["amount"]) for k in ("subtotal", "shipping", "tax", "duty", "fees")
    )


def test_the_buyer_chooses_express_for_one_shipment(client, eu_rates):
    skus = eu_rates["skus"]
    cart_id, auth = api_cart(client, {skus["drop"]: 1, skus["agent"]: 1})
    chosen = client.put(
        f"/api/v1/carts/{cart_id}/shipping",
        json={"group": "g1", "method": eu_rates["express"]},
        headers=auth,
    )
    assert chosen.status_code == 200, chosen.get_json()
    groups = chosen.get_json()["groups"]
    assert [g["shipping"]["amount"] for g in groups] == ["19.00", "4.90"]
    assert chosen.get_json()["totals"]["shipping"]["amount"] == "23.90"
    # it stays chosen
    assert cart_body(client, cart_id, auth)["groups"][0]["shipping_method"]["name"] == "Express"


@pytest.mark.parametrize(
    "body, code",
    [
        ({"group": "g9", "method": 1}, "unknown_group"),
        ({"group": "g1", "method": "express"}, "unknown_shipping_method"),
        ({"group": "g1", "method": 999_999}, "unknown_shipping_method"),
        ({"method": 1}, "invalid_group"),
    ],
)
def test_a_method_not_offered_is_refused_and_nothing_changes(client, eu_rates, body, code):
    cart_id, auth = api_cart(client, {eu_rates["skus"]["drop"]: 1})
    answer = client.put(f"/api/v1/carts/{cart_id}/shipping", json=body, headers=auth)
    assert answer.status_code == 400
    assert answer.get_json()["error"]["code"] == code
    assert cart_body(client, cart_id, auth)["groups"][0]["shipping"]["amount"] == "4.90"


def test_a_bulky_parcel_falls_into_a_heavier_band(client, eu_rates, make_product, make_supplier):
    make_product(
        slug="gift-box",
        name="Gift box set",
        category="necklaces",
        weight_grams=250,
        length_mm=200,
        width_mm=150,
        height_mm=100,
        selling_model="oem_dropship",
        selling_model_settings={"supplier": "shenzhen-silver"},
    )
    cart_id, auth = api_cart(client, {"GIFT-BOX-0": 1})
    group = cart_body(client, cart_id, auth)["groups"][0]
    assert group["shipping"]["amount"] == "9.90"  # 600 g volumetric, over the 500 g band


def test_a_parcel_no_method_can_carry_stops_checkout(client, eu_rates):
    # 400 rings of 6 g = 2,400 g: over every EU band
    cart_id, auth = api_cart(client, {eu_rates["skus"]["drop"]: 400})
    body = cart_body(client, cart_id, auth)
    assert body["groups"][0]["shipping_method"] is None
    assert "no_shipping_method" in [p["code"] for p in body["problems"]]
    client.put(
        f"/api/v1/carts/{cart_id}/address",
        headers=auth,
        json={"address": ADDRESS, "email": "lena@example.de", "phone": "+49 30 1234567"},
    )
    refused = client.post(
        f"/api/v1/carts/{cart_id}/checkout", json={"idempotency_key": "too-heavy"}, headers=auth
    )
    assert refused.status_code == 409
    assert "shipping method" in refused.get_json()["error"]["message"]


def test_without_a_zone_for_the_country_nobody_can_check_out(
    client, app, make_channel, rates, make_product
):
    make_channel("us", shipping=False)
    rates()
    sku = make_product().upper() + "-0"
    cart_id, auth = api_cart(client, {sku: 1}, channel="us", country="US")
    problems = cart_body(client, cart_id, auth)["problems"]
    assert [p["code"] for p in problems if p["code"] == "no_shipping_method"] == [
        "no_shipping_method"
    ]


def set_free_over(app, code, amount):
    with app.app_context():
        channel = db.session.scalar(select(Channel).where(Channel.code == code))
        channel.free_shipping_over = Decimal(amount)
        db.session.commit()


def test_over_the_channels_threshold_the_cheapest_method_is_free(client, app, eu_rates):
    skus = eu_rates["skus"]
    set_free_over(app, "eu", "79.98")
    cart_id, auth = api_cart(client, {skus["drop"]: 1})  # 39.99: under
    assert cart_body(client, cart_id, auth)["totals"]["shipping"]["amount"] == "4.90"
    client.post(f"/api/v1/carts/{cart_id}/lines", json={"sku": skus["drop"]}, headers=auth)
    body = cart_body(client, cart_id, auth)  # 79.98: at the threshold
    (group,) = body["groups"]
    assert [(o["name"], o["price"]["amount"]) for o in group["shipping_options"]] == [
        ("Standard", "0.00"),
        ("Express", "19.00"),
    ]
    assert body["totals"]["shipping"]["amount"] == "0.00"


def test_import_vat_collected_at_checkout_counts_the_shipping(client, app, eu_rates):
    app.config["TAX_REGISTRATIONS"] = ("eu_ioss",)
    try:
        cart_id, auth = api_cart(client, {eu_rates["skus"]["drop"]: 1})
        charges = cart_body(client, cart_id, auth)["groups"][0]["import"]
    finally:
        app.config["TAX_REGISTRATIONS"] = ()
    assert charges["regime"] == "eu_ioss"
    # the EU shows prices with VAT: 19/119 of (39.99 + 4.90) = 7.167
    assert charges["vat"]["amount"] == "7.17"


def test_the_order_keeps_each_shipments_method_and_price(app, eu_rates):
    skus = eu_rates["skus"]
    order_id = place(app, {skus["drop"]: 1, skus["agent"]: 1}, "ship-1")
    with app.app_context():
        order = load(order_id)
        assert [(g.shipping_method, g.shipping_amount) for g in order.groups] == [
            ("Standard", Decimal("4.90")),
            ("Standard", Decimal("4.90")),
        ]
        assert order.total_amount == order.subtotal_amount + Decimal("9.80")
        # a later price change leaves the placed order alone
        db.session.get(ShippingMethod, eu_rates["standard"]).bands[0].amount = Decimal("6.00")
        db.session.commit()
        assert load(order_id).total_amount == order.subtotal_amount + Decimal("9.80")


# the web pages ------------------------------------------------------------------------------


def test_the_buyer_picks_express_on_the_review_page_and_the_order_shows_it(client, eu_rates):
    client.get("/preferences?country=DE&next=/")
    client.post("/cart/add", data={"sku": eu_rates["skus"]["drop"], "quantity": "1"})
    client.post("/checkout", data={**ADDRESS, "email": "lena@example.de", "phone": "030 1234567"})
    page = client.get("/checkout/review").get_data(as_text=True)
    assert "Standard: €4.90" in " ".join(page.split())
    assert "Express: €19.00" in " ".join(page.split())
    shipper = "supplier:shenzhen-silver"
    moved = client.post(
        "/cart/shipping",
        data={"shipper": shipper, "method": str(eu_rates["express"]), "next": "/checkout/review"},
    )
    assert moved.status_code == 303 and moved.headers["Location"].endswith("/checkout/review")
    page = client.get("/checkout/review").get_data(as_text=True)
    assert 'data-testid="total-shipping">€19.00' in page
    key = page.split('name="idempotency_key" value="')[1].split('"')[0]
    placed = client.post(
        "/checkout/place", data={"idempotency_key": key, "accept_terms_version": "0"}
    )
    number = placed.headers["Location"].rsplit("/", 1)[1]
    order_page = " ".join(client.get(f"/orders/{number}").get_data(as_text=True).split())
    assert "<bdi>Express</bdi> · €19.00" in order_page


def test_the_cart_says_how_much_more_ships_free(client, app, eu_rates):
    set_free_over(app, "eu", "100")
    client.get("/preferences?country=DE&next=/")
    client.post("/cart/add", data={"sku": eu_rates["skus"]["drop"], "quantity": "1"})
    page = " ".join(client.get("/cart").get_data(as_text=True).split())
    assert "Add €60.01 more for free shipping." in page


# the back office ---------------------------------------------------------------------------


def test_staff_set_up_a_zone_and_a_method(logged_in, app):
    client = logged_in("staff")
    saved = client.post(
        "/admin/shipping/zones", data={"code": "eu", "name": "Europe", "countries": "de, fr at"}
    )
    assert saved.status_code == 303
    saved = client.post(
        "/admin/shipping/methods",
        data={
            "zone": "eu",
            "code": "standard",
            "name": "Standard",
            "currency": "EUR",
            "bands": "2000 9.90\n500g: 4.90",
            "active": "1",
        },
    )
    assert saved.status_code == 303
    page = client.get("/admin/shipping/").get_data(as_text=True)
    assert "DE FR AT" in page
    assert "500 g: €4.90<br>2000 g: €9.90" in page, page[page.find("Standard") :][:400]


@pytest.mark.parametrize(
    "bands, message",
    [
        ("500 4.90\nabout a kilo 9", "Line 2"),
        ("500 4.905", "more decimals"),
        ("500 4.90\n500 5.90", "same weight"),
        ("", "at least one"),
    ],
)
def test_a_bad_band_is_refused_and_nothing_is_saved(logged_in, app, bands, message):
    client = logged_in("staff")
    client.post("/admin/shipping/zones", data={"code": "eu", "name": "Europe", "countries": "DE"})
    refused = client.post(
        "/admin/shipping/methods",
        data={
            "zone": "eu",
            "code": "standard",
            "name": "Standard",
            "currency": "EUR",
            "bands": bands,
        },
    )
    assert refused.status_code == 422
    assert message in refused.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalars(select(ShippingMethod)).all() == []


def test_an_unknown_country_is_refused(logged_in):
    client = logged_in("staff")
    refused = client.post(
        "/admin/shipping/zones", data={"code": "eu", "name": "Europe", "countries": "DE XX"}
    )
    assert refused.status_code == 422
    assert "Not ISO 3166-1 country codes: XX." in refused.get_data(as_text=True)


def test_staff_set_a_free_shipping_threshold(logged_in, app, make_channel):
    make_channel("jp")
    client = logged_in("owner")
    bad = client.post("/admin/shipping/channels/jp/free-over", data={"amount": "15000.5"})
    assert bad.status_code == 422
    assert (
        client.post("/admin/shipping/channels/jp/free-over", data={"amount": "15000"}).status_code
        == 303
    )
    with app.app_context():
        channel = db.session.scalar(select(Channel).where(Channel.code == "jp"))
        assert channel.free_shipping_over == Decimal("15000")


def test_agents_cannot_touch_the_shipping_rates(logged_in):
    client = logged_in("agent")
    assert client.get("/admin/shipping/").status_code == 403
    assert (
        client.post(
            "/admin/shipping/zones", data={"code": "x", "name": "X", "countries": "*"}
        ).status_code
        == 403
    )


def test_staff_delete_a_method_then_its_zone(logged_in, app, make_shipping):
    from storefront.shipping.tables import ShippingZone

    method_id = make_shipping("eu", "DE", {500: "4.90"}, EUR)
    client = logged_in("staff")
    sure = {"confirm": "yes"}
    with app.app_context():
        zone_id = db.session.scalar(select(ShippingZone.id).where(ShippingZone.code == "eu"))
    # without the confirming box nothing goes
    client.post(f"/admin/shipping/zones/{zone_id}/delete")
    with app.app_context():
        assert db.session.get(ShippingMethod, method_id) is not None
    assert client.post(f"/admin/shipping/methods/{method_id}/delete", data=sure).status_code == 303
    assert client.post(f"/admin/shipping/methods/{method_id}/delete", data=sure).status_code == 404
    with app.app_context():
        assert db.session.get(ShippingMethod, method_id) is None
    assert client.post(f"/admin/shipping/zones/{zone_id}/delete", data=sure).status_code == 303
    with app.app_context():
        assert db.session.get(ShippingZone, zone_id) is None


def test_without_a_rate_for_the_buyers_currency_checkout_waits_instead_of_failing(
    client, app, make_channel, rates, make_product
):
    from storefront.catalog.tables import Variant
    from storefront.markets.tables import ChannelPrice

    gulf = make_channel("gulf")
    rates()  # the ECB publishes no KWD, and the merchant has not entered one
    sku = make_product().upper() + "-0"
    with app.app_context():
        variant_id = db.session.scalar(select(Variant.id).where(Variant.sku == sku))
        db.session.add(ChannelPrice(variant_id=variant_id, channel_id=gulf, amount=Decimal("15")))
        db.session.commit()
    cart_id, auth = api_cart(client, {sku: 1}, channel="gulf", country="KW")
    answer = client.get(f"/api/v1/carts/{cart_id}", headers=auth)
    assert answer.status_code == 200
    problems = answer.get_json()["problems"]
    assert "no_exchange_rate" in [p["code"] for p in problems]
