"""The back office's page of a product's channel prices and trade tiers: what is saved
there is what a buyer in that channel pays; refused input is marked per field and
nothing of the form is saved."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import select

from storefront.catalog.tables import Variant
from storefront.db import db
from storefront.markets.tables import ChannelPrice, PriceTier


@pytest.fixture
def moon(app, make_channel, rates, make_product):
    """A product sold in a yen channel (converted from the base price until told otherwise)."""
    make_channel("jp")
    rates()
    slug = make_product(name="Moon ring", prices=["40.00"])
    return slug, f"{slug.upper()}-0"


def jp_unit_price(client, sku: str) -> dict:
    cart = client.post("/api/v1/carts", json={"channel": "jp", "country": "JP"}).get_json()
    auth = {"Authorization": f"Bearer {cart['token']}"}
    added = client.post(f"/api/v1/carts/{cart['id']}/lines", json={"sku": sku}, headers=auth)
    assert added.status_code == 201, added.get_json()
    answer = client.get(f"/api/v1/carts/{cart['id']}", headers=auth).get_json()
    return answer["totals"]["subtotal"]


def saved_terms(app, sku: str) -> tuple:
    with app.app_context():
        variant = db.session.scalar(select(Variant).where(Variant.sku == sku))
        price = db.session.scalar(
            select(ChannelPrice.amount).where(ChannelPrice.variant_id == variant.id)
        )
        tiers = db.session.execute(
            select(PriceTier.channel_id.is_(None), PriceTier.min_quantity, PriceTier.amount)
            .where(PriceTier.variant_id == variant.id)
            .order_by(PriceTier.channel_id.is_(None), PriceTier.min_quantity)
        ).all()
        return (
            price,
            variant.wholesale_min_quantity,
            variant.wholesale_step,
            [(bool(base), q, Decimal(a).normalize()) for base, q, a in tiers],
        )


def test_a_price_saved_on_the_page_is_what_a_buyer_in_that_channel_pays(
    app, client, logged_in, moon
):
    slug, sku = moon
    converted = jp_unit_price(client, sku)
    assert converted["currency"] == "JPY" and converted["amount"] != "5990"

    staff = logged_in("staff")
    page = staff.get(f"/admin/products/{slug}/prices")
    assert page.status_code == 200 and f'name="price-{sku}-jp"' in page.get_data(as_text=True)
    assert f"/admin/products/{slug}/prices" in staff.get(f"/admin/products/{slug}").get_data(
        as_text=True
    )
    form = {
        f"min-{sku}": "2",
        f"step-{sku}": "2",
        f"breaks-{sku}-base": "10=35.00",
        f"price-{sku}-jp": "5990",
        f"breaks-{sku}-jp": "10=5200, 50=4800",
    }
    saved = staff.post(f"/admin/products/{slug}/prices", data=form)
    assert saved.status_code == 303, saved.get_data(as_text=True)
    assert saved_terms(app, sku) == (
        Decimal("5990"),
        2,
        2,
        [(False, 10, Decimal("5200")), (False, 50, Decimal("4800")), (True, 10, Decimal("35"))],
    )
    assert jp_unit_price(client, sku) == {"amount": "5990", "currency": "JPY"}
    shown = staff.get(f"/admin/products/{slug}/prices").get_data(as_text=True)
    assert 'value="10=5200, 50=4800"' in shown

    # blank: the channel converts the base price again
    assert staff.post(f"/admin/products/{slug}/prices", data={**form, f"price-{sku}-jp": ""})
    assert jp_unit_price(client, sku) == converted


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"price-{sku}-jp": "5990.5"}, "price-{sku}-jp", "fewer decimals"),
        ({"price-{sku}-jp": "-5"}, "price-{sku}-jp", "more than zero"),
        ({"price-{sku}-jp": "cheap"}, "price-{sku}-jp", "Enter a price in JPY"),
        ({"breaks-{sku}-jp": "10=5200, 20=5500"}, "breaks-{sku}-jp", "cheaper than the one"),
        ({"breaks-{sku}-jp": "ten=5200"}, "breaks-{sku}-jp", "quantity=unit price"),
        ({"breaks-{sku}-jp": "1=5200"}, "breaks-{sku}-jp", "at least 2"),
        ({"breaks-{sku}-base": "10=45.00"}, "breaks-{sku}-base", "own price"),
        ({"min-{sku}": "0"}, "min-{sku}", "at least 1"),
        ({"step-{sku}": "x"}, "min-{sku}", "whole numbers"),
    ],
)
def test_refused_terms_are_marked_and_nothing_is_saved(
    app, logged_in, moon, change, field, message
):
    slug, sku = moon
    staff = logged_in("staff")
    form = {f"min-{sku}": "1", f"step-{sku}": "1", f"breaks-{sku}-base": "",
            f"price-{sku}-jp": "5990", f"breaks-{sku}-jp": ""}  # fmt: skip
    form.update({name.format(sku=sku): value for name, value in change.items()})
    refused = staff.post(f"/admin/products/{slug}/prices", data=form)
    text = refused.get_data(as_text=True)
    assert refused.status_code == 422
    marked = text.split(f'data-field="{field.format(sku=sku)}">', 1)
    assert len(marked) == 2 and message in marked[1].split("</span>", 1)[0], text
    assert saved_terms(app, sku) == (None, 1, 1, [])  # the good parts were not saved either
