"""Channels and exchange rates without code: a channel made, edited and archived in the
back office and the admin API, with the markets' rules; manual rates entered the same way
as `flask fx set`; a buyer then shops in the new channel's currency."""

from __future__ import annotations

import re
from decimal import Decimal

from sqlalchemy import select

from storefront.catalog.tables import Variant
from storefront.db import db
from storefront.markets.tables import Channel, ChannelPrice, ExchangeRate
from test_after_payment import api_key
from test_api_contract import check  # noqa: F401 - the fixture

QATAR = {
    "code": "qatar",
    "name": "Qatar",
    "currency": "QAR",
    "countries": ["QA"],
    "locales": ["ar", "en"],
    "tax_display": "gross",
    "rounding_rule": "precision",
    "free_shipping_over": "500.00",
}


def csrf(page: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)


def test_a_new_channel_and_its_rate_price_a_buyers_cart(
    app,
    client,
    make_user,
    four_models,
    check,  # noqa: F811
):
    staff = api_key(app, make_user, "staff@shop.example", "staff")
    made = client.post("/api/v1/admin/channels", json=QATAR, headers=staff)
    assert made.status_code == 201, made.get_json()
    assert made.get_json()["countries"] == ["QA"] and made.get_json()["is_active"] is True
    check("AdminChannel", made.get_json())
    check("AdminChannelPage", client.get("/api/v1/admin/channels", headers=staff).get_json())
    rate = client.post(
        "/api/v1/admin/fx-rates",
        json={"currency": "qar", "rate": "4.00", "date": "2026-11-20"},
        headers=staff,
    )
    assert rate.status_code == 201 and rate.get_json()["source"] == "manual"
    check("FxRate", rate.get_json())
    listed = client.get("/api/v1/admin/fx-rates", headers=staff).get_json()
    check("FxRateList", listed)
    listed = listed["items"]
    qar = next(r for r in listed if r["currency"] == "QAR")
    assert (qar["rate"], qar["date"], qar["source"]) == ("4", "2026-11-20", "manual")
    cart = client.post("/api/v1/carts", json={"channel": "qatar", "country": "QA"})
    assert cart.status_code == 201, cart.get_json()
    body = cart.get_json()
    auth = {"Authorization": f"Bearer {body['token']}"}
    priced = client.post(
        f"/api/v1/carts/{body['id']}/lines",
        json={"sku": four_models["drop"], "quantity": 1},
        headers=auth,
    ).get_json()
    # 49.00 USD at 1 EUR = 1.25 USD = 4 QAR
    assert priced["currency"] == "QAR"
    assert priced["lines"][0]["unit_price"]["currency"] == "QAR"
    assert priced["lines"][0]["unit_price"]["amount"] == "156.80"


def test_channel_validation_answers_with_the_field(
    app, client, make_user, make_channel, make_product
):
    eu = make_channel("eu")
    sku = f"{make_product(name='Euro ring').upper()}-0"
    staff = api_key(app, make_user, "staff@shop.example", "staff")

    def refused(changes: dict, method="post", path="/api/v1/admin/channels"):
        response = getattr(client, method)(path, json={**QATAR, **changes}, headers=staff)
        assert response.status_code == 400, response.get_json()
        return response.get_json()["error"]["field"]

    assert refused({"code": "Qatar Shop!"}) == "code"
    assert refused({"currency": "QQQ"}) == "currency"
    assert refused({"countries": ["QA", "XX"]}) == "countries"
    assert refused({"countries": ["QA", "DE"]}) == "countries"  # DE is the eu channel's
    assert refused({"countries": "QA"}) == "countries"
    assert refused({"locales": ["tlh"]}) == "locales"
    assert refused({"tax_display": "both"}) == "tax_display"
    assert refused({"duty_policy": "maybe"}) == "duty_policy"
    assert refused({"rounding_rule": "ending:0.999"}) == "rounding_rule"
    assert refused({"currency": "JPY", "rounding_rule": "step:0.5"}) == "rounding_rule"
    assert refused({"free_shipping_over": "-1"}) == "free_shipping_over"
    assert refused({"free_shipping_over": 12.5}) == "free_shipping_over"
    assert refused({"position": "first"}) == "position"
    assert client.post("/api/v1/admin/channels", data="x", headers=staff).status_code == 400
    assert refused({"code": "eu"}) == "code"
    assert refused({"code": "other"}, "patch", "/api/v1/admin/channels/eu") == "code"
    with app.app_context():
        assert db.session.scalar(select(Channel).where(Channel.code == "qatar")) is None
        variant_id = db.session.scalar(select(Variant.id).where(Variant.sku == sku))
        db.session.add(ChannelPrice(variant_id=variant_id, channel_id=eu, amount=Decimal("45")))
        db.session.commit()
    # its own prices are euros: the eu channel's currency stays
    assert refused({"code": "eu", "currency": "USD"}, "patch", "/api/v1/admin/channels/eu") == (
        "currency"
    )
    for bad, field in (
        ({"currency": "EUR", "rate": "1.1"}, "currency"),
        ({"currency": "QAR", "rate": "-2"}, "rate"),
        ({"currency": "QAR", "rate": 4.5}, "rate"), ({"currency": "QAR", "rate": "x"}, "rate"),
        ({"currency": "QAR", "rate": "4", "date": "yesterday"}, "date"),
    ):  # fmt: skip
        answer = client.post("/api/v1/admin/fx-rates", json=bad, headers=staff)
        assert answer.status_code == 400 and answer.get_json()["error"]["field"] == field
    with app.app_context():
        assert db.session.scalar(select(ExchangeRate).where(ExchangeRate.currency == "QAR")) is None


def test_archive_frees_the_countries_and_keeps_old_carts(app, client, make_user, make_channel):
    make_channel("eu")
    make_channel("ch")
    staff = api_key(app, make_user, "staff@shop.example", "staff")
    cart = client.post("/api/v1/carts", json={"channel": "ch", "country": "CH"}).get_json()
    archived = client.post("/api/v1/admin/channels/ch/archive", headers=staff)
    assert archived.status_code == 200 and archived.get_json()["is_active"] is False
    offered = [c["code"] for c in client.get("/api/v1/channels").get_json()]
    assert offered == ["eu"]
    refused = client.post("/api/v1/carts", json={"channel": "ch", "country": "CH"})
    assert refused.get_json()["error"]["code"] == "unknown_channel"
    old = client.get(
        f"/api/v1/carts/{cart['id']}", headers={"Authorization": f"Bearer {cart['token']}"}
    )
    assert old.status_code == 200 and old.get_json()["channel"] == "ch"
    # CH is free for another channel now
    moved = client.patch(
        "/api/v1/admin/channels/eu", json={"countries": ["DE", "FR", "CH"]}, headers=staff
    )
    assert moved.status_code == 200 and moved.get_json()["countries"] == ["DE", "FR", "CH"]
    assert moved.get_json()["name"] == "Europe"  # what was not given stays
    listed = client.get("/api/v1/admin/channels?archived=1", headers=staff).get_json()
    assert [c["code"] for c in listed["items"]] == ["ch"] and listed["next"] is None
    last = client.post("/api/v1/admin/channels/eu/archive", headers=staff)
    assert last.status_code == 400  # the shop keeps one active channel
    assert client.get("/api/v1/admin/channels/nope", headers=staff).status_code == 404
    agent = api_key(app, make_user, "agent@shop.example", "agent")
    for path in ("/api/v1/admin/channels", "/api/v1/admin/channels/eu", "/api/v1/admin/fx-rates"):
        assert client.get(path, headers=agent).status_code == 403
    assert client.post("/api/v1/admin/channels", json=QATAR, headers=agent).status_code == 403
    spec = client.get("/api/openapi.json").get_json()
    assert "/api/v1/admin/channels/{code}/archive" in spec["paths"]
    assert "post" in spec["paths"]["/api/v1/admin/fx-rates"]


def test_staff_make_edit_and_archive_a_channel_on_the_pages(app, logged_in, make_channel):
    make_channel("eu")
    client = logged_in("staff")
    token = csrf(client.get("/admin/channels").get_data(as_text=True))
    form = {
        "csrf_token": token, "code": "nordics", "name": "Nordics", "currency": "NOK",
        "countries": "NO, IS", "locales": "en", "tax_display": "gross", "duty_policy": "ddp",
        "rounding_rule": "step:1", "free_shipping_over": "", "position": "3",
    }  # fmt: skip
    overlap = client.post("/admin/channels", data={**form, "countries": "NO FR"})
    assert overlap.status_code == 422 and "already belong to the channel eu" in overlap.get_data(
        as_text=True
    )
    made = client.post("/admin/channels", data=form)
    assert made.status_code == 303
    assert 'data-code="nordics"' in client.get("/admin/channels?q=nord").get_data(as_text=True)
    edited = client.post("/admin/channels/nordics", data={**form, "free_shipping_over": "990"})
    assert edited.status_code == 303
    unconfirmed = client.post("/admin/channels/nordics/archive", data={"csrf_token": token})
    assert unconfirmed.status_code == 303
    with app.app_context():
        assert db.session.scalar(select(Channel).where(Channel.code == "nordics")).is_active
    client.post("/admin/channels/nordics/archive", data={"csrf_token": token, "confirm": "yes"})
    with app.app_context():
        channel = db.session.scalar(select(Channel).where(Channel.code == "nordics"))
        assert (channel.countries, channel.free_shipping_over, channel.is_active) == (
            ["NO", "IS"],
            990,
            False,
        )
    assert "nordics" not in app.test_client().get("/api/v1/channels").get_data(as_text=True)
    client.post("/admin/channels/nordics/archive", data={"csrf_token": token, "restore": "1"})
    assert "nordics" in app.test_client().get("/api/v1/channels").get_data(as_text=True)
    # rates: the list and a dated manual rate
    page = client.get("/admin/fx-rates").get_data(as_text=True)
    assert 'data-currency="NOK"' in page
    wrong = client.post(
        "/admin/fx-rates", data={"csrf_token": token, "currency": "EUR", "rate": "1"}
    )
    assert wrong.status_code == 422 and "EUR is the base" in wrong.get_data(as_text=True)
    saved = client.post(
        "/admin/fx-rates",
        data={"csrf_token": token, "currency": "kwd", "rate": "0.33", "date": "2026-11-30"},
    )
    assert saved.status_code == 303
    listed = client.get("/admin/fx-rates").get_data(as_text=True)
    assert re.search(r'data-currency="KWD".*?0\.33.*?2026-11-30.*?manual', listed, re.S)
    assert logged_in("agent", email="a@example.com").get("/admin/channels").status_code == 403
