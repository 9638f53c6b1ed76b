"""Trade terms of a variant, set through one service: a minimum, a step, quantity breaks
that get cheaper with quantity; the demo's trade buyer gets them from the seed."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import select

from storefront.catalog.tables import Variant
from storefront.catalog.trade import PriceBreak, TradeTermsError, set_trade_terms
from storefront.db import db
from storefront.markets.pricing import Pricer
from storefront.markets.tables import Channel, PriceTier


def test_terms_are_saved_and_price_a_trade_buyers_quantities(
    app, make_product, make_channel, rates
):
    make_channel("eu")
    rates()
    sku = f"{make_product(name='Trade ring', prices=['40.00']).upper()}-0"
    with app.app_context():
        variant = db.session.scalar(select(Variant).where(Variant.sku == sku))
        set_trade_terms(
            variant,
            min_quantity=5,
            step=5,
            breaks=[PriceBreak(50, Decimal("30.00")), PriceBreak(10, Decimal("35.00"))],
        )
        db.session.commit()
        pricer = Pricer(db.session.scalar(select(Channel).where(Channel.code == "eu")))
        quote = lambda n: pricer.quote_variants([variant], {variant.id: n}, wholesale=True)  # noqa: E731
        retail = pricer.quote_variants([variant], {variant.id: 10}, wholesale=False)
        assert quote(10)[variant.id].unit_price < quote(5)[variant.id].unit_price
        assert quote(50)[variant.id].unit_price < quote(10)[variant.id].unit_price
        # retail never gets a break
        assert retail[variant.id].unit_price == quote(5)[variant.id].unit_price
        # replaced, not added to
        set_trade_terms(variant, breaks=[PriceBreak(20, Decimal("36.00"))])
        db.session.commit()
        assert [t.min_quantity for t in db.session.scalars(select(PriceTier))] == [20]
        assert (variant.wholesale_min_quantity, variant.wholesale_step) == (1, 1)


@pytest.mark.parametrize(
    ("terms", "field"),
    [
        ({"min_quantity": 0}, "min_quantity"),
        ({"step": True}, "step"),
        ({"breaks": [PriceBreak(1, Decimal("30"))]}, "breaks[0].min_quantity"),
        ({"breaks": [PriceBreak(10, Decimal("0"))]}, "breaks[0]"),
        ({"breaks": [PriceBreak(10, Decimal("45"))]}, "breaks[0]"),  # dearer than the price
        (
            {"breaks": [PriceBreak(10, Decimal("30")), PriceBreak(20, Decimal("31"))]},
            "breaks[1]",
        ),
    ],
)
def test_terms_the_shop_cannot_use_are_refused_and_nothing_changes(app, make_product, terms, field):
    sku = f"{make_product(name='Trade ring', prices=['40.00']).upper()}-0"
    with app.app_context():
        variant = db.session.scalar(select(Variant).where(Variant.sku == sku))
        with pytest.raises(TradeTermsError) as refused:
            set_trade_terms(variant, **terms)
        assert refused.value.field == field
        db.session.rollback()
        variant = db.session.scalar(select(Variant).where(Variant.sku == sku))
        assert (variant.wholesale_min_quantity, variant.wholesale_step) == (1, 1)
        assert db.session.scalars(select(PriceTier)).all() == []


def test_the_demo_gives_its_trade_buyer_minimums_and_breaks(runner, app, monkeypatch):
    monkeypatch.setitem(app.config, "DEMO", True)
    result = runner.invoke(args=["shop", "seed-demo"])
    assert result.exit_code == 0, result.output
    assert "trade minimums and quantity breaks on" in result.output
    with app.app_context():
        with_terms = db.session.scalars(
            select(Variant).where(Variant.wholesale_min_quantity == 2)
        ).all()
        assert with_terms
        tiers = db.session.scalars(select(PriceTier)).all()
        assert len(tiers) == 2 * len(with_terms)
