"""Import charges in the three-decimal currencies (BHD, KWD, OMR): a card takes them only
in steps of 0.010, so whatever the shop collects at checkout is rounded to that step, the
order's total is the sum of its parts, and Stripe can charge every total."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from channels.money import Money
from orders_helpers import priced_cart
from storefront import clock
from storefront.cart.groups import fulfilment_groups
from storefront.cart.totals import checkout_totals
from storefront.catalog.tables import Variant
from storefront.db import db
from storefront.markets.tables import Channel
from storefront.orders import operations as orders
from storefront.payments.operations import stripe_amount

STEP = Decimal("0.010")
MOMENT = datetime.datetime(2026, 11, 25, 12, tzinfo=datetime.UTC)
# where the shop collects at checkout (its registrations below), and where it does not
DESTINATIONS = ["GB", "DE", "FR", "IT", "CH", "NO", "AU", "KW"]
REGISTRATIONS = ("eu_ioss", "gb_vat", "ch_vat", "no_voec", "au_gst")


@pytest.fixture
def gulf_shop(app, make_shipping, make_channel, rates, make_product, make_warehouse):
    """A KWD channel selling everywhere above, parcels from Shenzhen and London priced in
    USD by weight, and three products whose prices each example sets."""
    make_shipping("world", "*", {100: "4.35", 30_000: "11.17"}, "USD")
    make_channel("gulf", countries_text=" ".join(DESTINATIONS))
    rates(KWD="0.3561", NOK="11.5", AUD="1.6")
    skus = [
        f"{make_product(name=f'Piece {n}', hs_code=hs, origin_country=origin).upper()}-0"
        for n, (hs, origin) in enumerate(
            [("7113.11", "CN"), ("7117.19.90", "IT"), ("7113.19", "TH")]
        )
    ]
    make_warehouse("sz", "CN", dict.fromkeys(skus, 500))
    make_warehouse("london", "GB", {skus[1]: 500}, serves="GB")
    app.config["TAX_REGISTRATIONS"] = REGISTRATIONS
    yield skus
    app.config["TAX_REGISTRATIONS"] = ()


def on_step(money: Money) -> bool:
    return money.amount % STEP == 0


@settings(max_examples=40, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    currency=st.sampled_from(["KWD", "BHD", "OMR"]),
    tax_display=st.sampled_from(["net", "gross"]),
    country=st.sampled_from(DESTINATIONS),
    prices=st.lists(
        st.decimals(min_value="0.50", max_value="400", places=2), min_size=3, max_size=3
    ),
    quantities=st.lists(st.integers(0, 4), min_size=3, max_size=3).filter(any),
)
def test_what_a_gulf_buyer_pays_is_chargeable_and_adds_up(
    app, gulf_shop, currency, tax_display, country, prices, quantities
):
    with app.app_context(), clock.frozen(MOMENT):
        channel = db.session.scalar(select(Channel).where(Channel.code == "gulf"))
        channel.currency, channel.tax_display = currency, tax_display
        for sku, price in zip(gulf_shop, prices, strict=True):
            db.session.scalar(select(Variant).where(Variant.sku == sku)).price_amount = price
        db.session.flush()
        lines = {sku: q for sku, q in zip(gulf_shop, quantities, strict=True) if q}
        priced = priced_cart("gulf", country, lines)
        groups = fulfilment_groups(priced)
        totals = checkout_totals(priced, groups)

        parts = [totals["subtotal"], totals["shipping"], totals["duty"], totals["fees"]]
        if tax_display == "net":  # the VAT is added to the prices, so charged too
            parts.append(totals["tax"])
        per_group = [[g.goods_value, g.shipping, g.charged_at_checkout] for g in groups]
        for amount in parts + [m for group in per_group for m in group]:
            assert amount.currency == currency and on_step(amount), amount
        # the total is the sum of its parts, and of its shipments
        assert totals["total"] == sum(parts, Money.zero(currency))
        assert totals["total"] == sum((m for g in per_group for m in g), Money.zero(currency))

        # the order keeps that total, and Stripe is asked for exactly it
        order, _token = orders.place_order(priced, f"gulf-{currency}-{country}")
        total, minor = stripe_amount(order)
        assert total == totals["total"] and minor == total.amount * 1000
        db.session.rollback()


def test_an_ioss_parcel_in_kwd_collects_an_amount_a_card_can_pay(app, gulf_shop):
    """One case worked by hand (1 USD = 0.28488 KWD at these rates)."""
    with app.app_context(), clock.frozen(MOMENT):
        channel = db.session.scalar(select(Channel).where(Channel.code == "gulf"))
        channel.tax_display = "net"
        variant = db.session.scalar(select(Variant).where(Variant.sku == gulf_shop[0]))
        variant.price_amount = Decimal("43.35")  # 12.349548 KWD, shown as 12.350
        db.session.flush()
        priced = priced_cart("gulf", "DE", {gulf_shop[0]: 3})
        [group] = fulfilment_groups(priced)
        landed = group.landed
        assert (landed.regime, landed.collected_at_checkout) == ("eu_ioss", True)
        assert group.shipping.as_string() == "1.240"  # 4.35 USD
        # 19% of 37.050 + 1.240 is 7.2751: 7.275 could not be paid by card
        assert landed.vat.as_string() == "7.280"
        # EUR 3 for the one tariff subheading is 1.0683 KWD
        assert landed.duty.as_string() == "1.070"
        totals = checkout_totals(priced, [group])
        assert totals["total"].as_string() == "46.640"  # 37.050 + 1.240 + 7.280 + 1.070
        db.session.rollback()
