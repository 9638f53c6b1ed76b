"""Markets: prices in the buyer's currency, stored rates, carts that keep their quotes."""

import datetime
import re
from decimal import Decimal

import pytest
from sqlalchemy import select

from channels.money import Money
from channels.pricing import QuantityError
from storefront.catalog.tables import Variant
from storefront.db import db
from storefront.markets import rates as shop_rates
from storefront.markets.pricing import Pricer, wholesale_problems
from storefront.markets.tables import Channel, ChannelPrice, PriceTier


def channel(code: str) -> Channel:
    return db.session.scalar(select(Channel).where(Channel.code == code))


def variant(sku: str) -> Variant:
    return db.session.scalar(select(Variant).where(Variant.sku == sku))


@pytest.fixture
def ring(make_product):
    """A ring at USD 49.00 (size 6) and USD 52.00 (size 7)."""
    slug = make_product(name="Band", prices=["49.00", "52.00"])
    return slug, f"{slug.upper()}-0", f"{slug.upper()}-1"


# pricing ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("us", Money("49.00", "USD")),  # the base currency: no conversion
        ("eu", Money("39.99", "EUR")),  # 49 / 1.25 = 39.20, ends in .99
        ("jp", Money("6270", "JPY")),  # 49 * 160 / 1.25 = 6272, nearest ten
        ("ch", Money("37.25", "CHF")),  # 49 * 0.95 / 1.25 = 37.24, nearest 0.05
        ("gulf", Money("13.720", "KWD")),  # 49 * 0.35 / 1.25 = 13.72, three decimals
    ],
)
def test_converted_price_follows_the_channels_rounding_rule(
    app, ring, make_channel, rates, code, expected
):
    make_channel(code)
    rates(KWD="0.35")
    with app.app_context():
        quote = Pricer(channel(code)).quote_variants([variant(ring[1])])[variant(ring[1]).id]
        assert quote.unit_price == expected
        assert quote.unit_price.is_rounded


def test_explicit_channel_price_wins_over_conversion(app, ring, make_channel, rates):
    eu = make_channel("eu")
    rates()
    with app.app_context():
        db.session.add(
            ChannelPrice(variant_id=variant(ring[1]).id, channel_id=eu, amount=Decimal("45.00"))
        )
        db.session.commit()
        quotes = Pricer(channel("eu")).quote_variants([variant(ring[1]), variant(ring[2])])
        assert quotes[variant(ring[1]).id].unit_price == Money("45.00", "EUR")
        assert quotes[variant(ring[1]).id].source == "explicit"
        assert quotes[variant(ring[2]).id].source == "converted"
        assert quotes[variant(ring[2]).id].rate_date == datetime.date(2026, 11, 20)


def test_wholesale_buyers_get_tiers_minimums_and_steps(app, ring, make_channel, rates):
    eu = make_channel("eu")
    rates()
    with app.app_context():
        v = variant(ring[1])
        v.wholesale_min_quantity, v.wholesale_step = 10, 5
        db.session.add_all(
            [
                PriceTier(
                    variant_id=v.id, channel_id=None, min_quantity=10, amount=Decimal("30.00")
                ),
                PriceTier(
                    variant_id=v.id, channel_id=None, min_quantity=50, amount=Decimal("25.00")
                ),
            ]
        )
        db.session.commit()
        pricer = Pricer(channel("eu"))
        price = lambda qty: pricer.quote_variants([v], {v.id: qty}, wholesale=True)[v.id]  # noqa: E731
        assert price(10).unit_price == Money("24.99", "EUR")  # 30 / 1.25 = 24.00 -> .99
        assert price(45).unit_price == Money("24.99", "EUR")
        assert price(50).unit_price == Money("20.99", "EUR")  # 25 / 1.25 = 20.00
        assert price(5).unit_price == Money("39.99", "EUR")  # below every tier: the retail price
        for refused in (5, 12):
            (problem,) = wholesale_problems([v], {v.id: refused}).values()
            assert isinstance(problem, QuantityError) and (problem.minimum, problem.step) == (10, 5)
        assert wholesale_problems([v], {v.id: 15}) == {}
        db.session.add(
            PriceTier(variant_id=v.id, channel_id=eu, min_quantity=10, amount=Decimal("22.50"))
        )
        db.session.commit()
        assert price(50).unit_price == Money("22.50", "EUR")  # the channel's own tiers win


def test_a_currency_without_rate_is_not_for_sale_rather_than_an_error(
    app, client, ring, make_channel
):
    make_channel("gulf", position=0)  # KWD: not in the ECB feed nor the snapshot
    page = client.get("/c/rings").get_data(as_text=True)
    assert "Not available in KWD yet" in page
    product = client.get(f"/p/{ring[0]}").get_data(as_text=True)
    assert "not available in KWD yet" in product
    response = client.post(
        "/cart/add", data={"sku": ring[1], "quantity": "1"}, follow_redirects=True
    )
    assert "is not for sale in KWD yet" in response.get_data(as_text=True)


# rates -------------------------------------------------------------------------


def test_without_stored_rates_the_shipped_snapshot_prices_everything(app, ring, make_channel):
    make_channel("jp")
    with app.app_context():
        current = shop_rates.current_rates()
        assert current.sources["JPY"] == "snapshot"
        quote = Pricer(channel("jp")).quote_variants([variant(ring[1])])[variant(ring[1]).id]
        assert quote.unit_price.currency == "JPY" and quote.rate_date == current.rateset.date


def test_newest_rate_of_each_currency_is_used_and_manual_rates_fill_gaps(app, rates):
    rates(datetime.date(2026, 11, 19), USD="1.20")
    rates(datetime.date(2026, 11, 20), USD="1.25")
    with app.app_context():
        shop_rates.set_manual_rate("KWD", Decimal("0.3551"), datetime.date(2026, 11, 2))
        db.session.commit()
        current = shop_rates.current_rates()
        assert current.rateset.rates["USD"] == Decimal("1.25")
        assert current.rateset.rates["KWD"] == Decimal("0.3551")
        assert current.sources["KWD"] == "manual"
        stale = current.stale_currencies(datetime.date(2026, 11, 21), 4)
        assert "KWD" in stale and "USD" not in stale


def test_fx_update_keeps_the_feed(app, runner, feed_server, ecb_feed):
    url = feed_server.serve(
        "/daily.xml",
        (
            200,
            ecb_feed("<Cube currency='USD' rate='1.1172'/><Cube currency='JPY' rate='175.68'/>"),
            0,
        ),
    )
    result = runner.invoke(args=["fx", "update", "--url", url])
    assert result.exit_code == 0, result.output
    assert "Stored 2 ECB rates of 2026-11-20" in result.output
    with app.app_context():
        assert shop_rates.current_rates().rateset.rates["JPY"] == Decimal("175.68")


@pytest.mark.parametrize(
    ("response", "reason"),
    [
        ((200, "<Cube><not-xml", 0), "XML"),
        ((500, "down", 0), "500"),
        ((200, "slow", 3), "timed out"),
    ],
)
def test_a_failed_feed_keeps_the_last_good_rates_and_says_why(
    app, runner, rates, feed_server, response, reason
):
    app.config["FX_TIMEOUT_SECONDS"] = 0.5
    rates(USD="1.25")
    url = feed_server.serve("/daily.xml", response)
    result = runner.invoke(args=["fx", "update", "--url", url])
    assert result.exit_code == 1
    assert "Rates not updated" in result.output and reason.lower() in result.output.lower()
    assert "keep using the rates of 2026-11-20" in result.output
    with app.app_context():
        assert shop_rates.current_rates().rateset.rates["USD"] == Decimal("1.25")


def test_fx_status_flags_stale_rates_the_channels_need(app, runner, rates, make_channel):
    make_channel("eu")  # base prices in USD: EUR prices need the USD rate
    rates(datetime.date(2020, 1, 2))
    result = runner.invoke(args=["fx", "status"])
    assert result.exit_code == 1
    assert re.search(r"USD .* STALE", result.output)
    assert "USD older than 4 days" in result.output
    rates(datetime.datetime.now(datetime.UTC).date())
    assert runner.invoke(args=["fx", "status"]).exit_code == 0


def test_fx_set_refuses_nonsense(runner):
    assert "not a number" in runner.invoke(args=["fx", "set", "KWD", "abc"]).output
    assert "positive" in runner.invoke(args=["fx", "set", "KWD", "--", "-1"]).output
    assert runner.invoke(args=["fx", "set", "XYZ", "1.2"]).exit_code == 1


# carts keep their quotes ---------------------------------------------------------


def cart_page(client) -> str:
    return client.get("/cart").get_data(as_text=True)


def set_base_price(app, sku: str, amount: str) -> None:
    with app.app_context():
        variant(sku).price_amount = Decimal(amount)
        db.session.commit()


def test_a_price_change_is_shown_and_must_be_accepted(app, client, ring, make_channel, rates):
    make_channel("eu")
    rates()
    client.post("/cart/add", data={"sku": ring[1], "quantity": "2"})
    assert "€39.99" in cart_page(client)
    set_base_price(app, ring[1], "55.00")  # 55 / 1.25 = 44.00 -> 44.99
    page = cart_page(client)
    assert "Some prices changed" in page and "€44.99" in page and "€39.99" in page
    assert "€89.98" in page  # the subtotal is what the buyer pays now
    client.post("/cart/accept-prices")
    assert "Some prices changed" not in cart_page(client)


def test_a_converted_price_holds_its_rate_while_the_base_price_stands(
    app, client, ring, make_channel, rates
):
    make_channel("eu")
    rates(USD="1.25")
    client.post("/cart/add", data={"sku": ring[1], "quantity": "1"})
    rates(datetime.date(2026, 11, 21), USD="1.10")  # the euro fell: 49 / 1.10 = 44.55
    assert "€39.99" in cart_page(client) and "Some prices changed" not in cart_page(client)
    app.config["QUOTE_HOLD_HOURS"] = 0
    try:
        page = cart_page(client)
        assert "Some prices changed" in page and "€44.99" in page
    finally:
        app.config["QUOTE_HOLD_HOURS"] = 24


def test_switching_currency_requotes_the_cart(app, client, ring, make_channel, rates):
    make_channel("us")
    make_channel("jp")
    rates()
    client.post("/cart/add", data={"sku": ring[1], "quantity": "1"})
    assert "$49.00" in cart_page(client)
    response = client.get("/preferences?currency=JPY&next=/cart")
    assert response.status_code == 303 and response.location == "/cart"
    page = cart_page(client)
    assert "¥6,270" in page and "Some prices changed" not in page


# the header control ------------------------------------------------------------


def test_choosing_a_country_picks_its_channel_and_stays_on_the_page(
    client, ring, make_channel, rates
):
    make_channel("us")
    make_channel("eu")
    rates()
    response = client.get(f"/preferences?country=DE&next=/p/{ring[0]}")
    assert response.location == f"/p/{ring[0]}"
    page = client.get(f"/p/{ring[0]}").get_data(as_text=True)
    assert "€39.99" in page
    assert '<option value="DE" selected>' in page


def test_a_currency_from_another_market_moves_the_country_and_says_so(client, make_channel):
    make_channel("eu")
    make_channel("jp")
    client.get("/preferences?country=FR")
    response = client.get("/preferences?currency=JPY&next=/", follow_redirects=True)
    page = response.get_data(as_text=True)
    assert "Prices in JPY are for deliveries to Japan." in page
    assert '<option value="JP" selected>' in page


def test_a_country_we_do_not_serve_is_explained(client, make_channel):
    make_channel("eu")
    page = client.get("/preferences?country=BR", follow_redirects=True).get_data(as_text=True)
    assert "we do not deliver to Brazil yet" in page


def test_language_choice_is_remembered(client, make_channel, ring):
    make_channel("eu")
    client.get("/preferences?locale=fr&next=/")
    assert 'lang="fr"' in client.get(f"/p/{ring[0]}").get_data(as_text=True)
    assert 'lang="de"' in client.get(f"/p/{ring[0]}?locale=de").get_data(as_text=True)


def test_api_prices_in_the_requested_channel(client, ring, make_channel, rates):
    make_channel("us")
    make_channel("jp")
    rates()
    body = client.get(f"/api/v1/products/{ring[0]}?channel=jp").get_json()
    assert body["price"] == {"amount": "6270", "currency": "JPY"}
    assert [v["price"]["amount"] for v in body["variants"]] == ["6270", "6660"]
    listing = client.get("/api/v1/products?channel=jp").get_json()
    assert listing["items"][0]["price"] == {"amount": "6270", "currency": "JPY"}


def test_a_manual_rate_alone_does_not_hide_the_snapshot(app):
    with app.app_context():
        shop_rates.set_manual_rate("KWD", Decimal("0.3561"), datetime.date(2026, 11, 20))
        current = shop_rates.current_rates()
        assert current.sources["KWD"] == "manual" and current.sources["USD"] == "snapshot"
        assert current.rateset.rates["USD"] > 0


@pytest.fixture
def trade_ring(app, ring, make_channel, rates):
    make_channel("eu")
    rates()
    with app.app_context():
        v = variant(ring[1])
        v.wholesale_min_quantity, v.wholesale_step = 10, 5
        db.session.add(
            PriceTier(variant_id=v.id, channel_id=None, min_quantity=10, amount=Decimal("30.00"))
        )
        db.session.commit()
    return ring[1]


def test_a_trade_buyer_shops_at_tier_prices_in_whole_steps(client, logged_in, trade_ring):
    buyer = logged_in("wholesale", email="buyer@boutique.example")
    buyer.post("/cart/add", data={"sku": trade_ring, "quantity": "5"})
    page = buyer.get("/cart").get_data(as_text=True)
    assert "€39.99" in page  # below the first tier: retail price, and a trade problem
    assert "Trade orders of" in page and "at least 10, in steps of 5" in page
    line = re.search(r'name="line" value="(\d+)"', page).group(1)
    buyer.post("/cart/change", data={"line": line, "quantity": "10"})
    page = buyer.get("/cart").get_data(as_text=True)
    assert "€24.99" in page and "€249.90" in page  # the 10-piece tier, 10 x 24.99
    assert "Trade orders of" not in page and "Some prices changed" not in page


def test_retail_buyers_never_get_tier_prices(client, trade_ring):
    client.post("/cart/add", data={"sku": trade_ring, "quantity": "10"})
    page = client.get("/cart").get_data(as_text=True)
    assert "€399.90" in page and "Trade orders of" not in page  # 10 x 39.99
