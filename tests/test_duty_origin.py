"""Duty is owed by where the goods were made (the product's origin), not by where the parcel
leaves from: the US surcharges on goods of Chinese origin follow a Chinese-made piece out of
a German warehouse, and stay off an Italian-made piece shipped from a Chinese one. Where
the parcel leaves from still decides whether there is an import at all."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from channels.fx import RateSet
from channels.landed_cost import Consignment, GoodsLine, landed_cost
from channels.money import Money
from orders_helpers import load, place
from storefront import clock
from storefront.db import db

NOVEMBER = datetime.date(2026, 11, 25)  # the temporary surcharge ended on 2026-07-24
RATES = RateSet(NOVEMBER, {"USD": Decimal("1.25"), "AUD": Decimal("1.6")})
IMITATION = "7117199000"  # US line 7117.19.90: 11%
SURCHARGES = ["us-71171990", "us-cn-301-list-4a"]  # + 7.5% on goods of Chinese origin


def usd(amount: str) -> Money:
    return Money(Decimal(amount), "USD")


def to_us(ship_from: str, *lines: GoodsLine, day=NOVEMBER):
    parcel = Consignment(ship_from, "US", day, lines, usd("0"))
    return landed_cost(parcel, frozenset(), RATES, "USD")


def test_an_italian_piece_from_a_chinese_warehouse_pays_no_china_surcharge():
    result = to_us("CN", GoodsLine(IMITATION, usd("100"), origin="IT"))
    assert result.duty == usd("11.00")
    assert result.duty_rules == ("us-71171990",)


def test_a_chinese_piece_from_a_german_warehouse_pays_the_china_surcharge():
    result = to_us("DE", GoodsLine(IMITATION, usd("100"), origin="CN"))
    assert result.duty == usd("18.50")  # 11% + 7.5% Section 301
    assert list(result.duty_rules) == SURCHARGES


def test_each_line_of_one_parcel_pays_by_its_own_origin():
    result = to_us(
        "CN",
        GoodsLine(IMITATION, usd("100"), origin="IT"),
        GoodsLine(IMITATION, usd("100"), origin="CN"),
    )
    assert result.duty == usd("29.50")  # 11.00 + 18.50


def test_a_preference_for_an_origin_follows_the_goods_too():
    # ChAFTA: Chinese-made jewelry enters Australia free, from wherever it is sent
    def to_australia(ship_from: str, origin: str):
        line = GoodsLine("711311", usd("2000"), origin=origin)  # over the AUD 1000 relief
        parcel = Consignment(ship_from, "AU", NOVEMBER, (line,), usd("0"))
        return landed_cost(parcel, frozenset(), RATES, "USD")

    assert to_australia("DE", "CN").duty_rules == ("au-7113-chafta",)
    assert to_australia("DE", "CN").duty == usd("0.00")
    assert to_australia("CN", "IT").duty_rules == ("au-7113",)
    assert to_australia("CN", "IT").duty > usd("0")


def test_a_line_without_an_origin_is_taken_to_come_from_the_ship_from():
    assert to_us("CN", GoodsLine(IMITATION, usd("100"))).duty == usd("18.50")


def test_chinese_goods_inside_the_us_are_no_import():
    result = to_us("US", GoodsLine(IMITATION, usd("100"), origin="CN"))
    assert result.regime == "domestic" and result.duty == usd("0.00")


@pytest.mark.parametrize("origin", ["cn", "CHN", "", 86])
def test_an_origin_that_is_not_a_country_code_is_refused(origin):
    with pytest.raises(ValueError, match="origin"):
        GoodsLine(IMITATION, usd("1"), origin=origin)


# through the shop: the product's origin reaches the engine ------------------------------


@pytest.fixture
def two_origins(make_channel, rates, make_product, make_warehouse):
    """An Italian-made chain stocked in Shenzhen and Chinese-made hoops stocked in Berlin."""
    make_channel("us")  # USD, prices without tax: the base prices as they are
    rates()
    italian = make_product(name="Vicenza chain", hs_code="7117.19.90", origin_country="IT")
    chinese = make_product(name="Shenzhen hoops", hs_code="7117.19.90", origin_country="CN")
    skus = {"IT": f"{italian.upper()}-0", "CN": f"{chinese.upper()}-0"}
    make_warehouse("sz", "CN", {skus["IT"]: 5})
    make_warehouse("berlin", "DE", {skus["CN"]: 5})
    return skus


def test_the_cart_shows_the_duty_rule_of_each_pieces_origin(client, two_origins):
    with clock.frozen(datetime.datetime(2026, 11, 25, 12, tzinfo=datetime.UTC)):
        cart = client.post("/api/v1/carts", json={"channel": "us", "country": "US"}).get_json()
        auth = {"Authorization": f"Bearer {cart['token']}"}
        for sku in two_origins.values():
            added = client.post(
                f"/api/v1/carts/{cart['id']}/lines", json={"sku": sku}, headers=auth
            )
            assert added.status_code == 201, added.get_json()
        body = client.get(f"/api/v1/carts/{cart['id']}", headers=auth).get_json()
    by_ship_from = {g["ship_from"]: g["import"] for g in body["groups"]}
    # made in Italy, sent from Shenzhen: 11% of 49.00, no China surcharge
    assert by_ship_from["CN"]["duty"] == {"amount": "5.39", "currency": "USD"}
    assert by_ship_from["CN"]["duty_rules"] == ["us-71171990"]
    # made in China, sent from Berlin: 18.5% of 49.00 = 9.065
    assert by_ship_from["DE"]["duty"] == {"amount": "9.07", "currency": "USD"}
    assert by_ship_from["DE"]["duty_rules"] == SURCHARGES


def test_the_order_keeps_the_duty_the_cart_showed(app, two_origins):
    with clock.frozen(datetime.datetime(2026, 11, 25, 12, tzinfo=datetime.UTC)):
        order_id = place(app, dict.fromkeys(two_origins.values(), 1), "origin-1", "us", "US")
    with app.app_context():
        order = load(order_id)
        duty = {g.ship_from: g.import_duty_amount for g in order.groups}
        assert duty == {"CN": Decimal("5.39"), "DE": Decimal("9.07")}
        db.session.rollback()
