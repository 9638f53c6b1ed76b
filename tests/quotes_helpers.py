"""A shop ready for trade quotes: the EU channel, rates, a product made in China in stock at
Shenzhen, a staff API key and a trade buyer in Berlin."""

from __future__ import annotations

import datetime

import pytest

from storefront import clock
from storefront.accounts.api_keys import issue_api_key
from storefront.accounts.operations import create_user
from storefront.accounts.tables import User
from storefront.customers.tables import SavedAddress
from storefront.db import db

BERLIN = {
    "name": "Anna Schmidt",
    "company_name": "Boutique Schmidt GmbH",
    "street_address": "Torstraße 1",
    "city": "Berlin",
    "postal_code": "10119",
    "country_code": "DE",
}


def in_days(n: int) -> str:
    return (clock.today() + datetime.timedelta(days=n)).isoformat()


@pytest.fixture
def trade_shop(app, make_product, make_channel, rates, make_warehouse):
    """{sku, staff, buyer_key, buyer_id}: headers of a staff key and of the buyer's key."""
    make_channel("eu")
    rates()
    sku = f"{make_product(name='Trade ring', prices=['40.00']).upper()}-0"
    make_warehouse("sz", "CN", {sku: 500})
    with app.app_context():
        staff = create_user("staff@example.com", "correct horse battery", "staff")
        buyer = create_user("buyer@boutique.example", "correct horse battery", "wholesale")
        buyer.name = "Anna Schmidt"
        db.session.add(
            SavedAddress(user_id=buyer.id, country="DE", address=BERLIN, is_default=True)
        )
        _k, staff_raw = issue_api_key(staff)
        _k, buyer_raw = issue_api_key(buyer)
        db.session.commit()
        buyer_id = buyer.id
    return {
        "sku": sku,
        "staff": {"Authorization": f"Bearer {staff_raw}"},
        "buyer_key": {"Authorization": f"Bearer {buyer_raw}"},
        "buyer_id": buyer_id,
    }


def fob_body(sku: str, **overrides) -> dict:
    body = {
        "company": "buyer@boutique.example",
        "lines": [{"sku": sku, "quantity": 200, "unit_price": "18.50", "reason": "200 pcs deal"}],
        "incoterm": "FOB",
        "place": "Shenzhen",
        "payment_terms": "deposit:30",
        "valid_until": in_days(30),
    }
    body.update(overrides)
    return body


def buyer(app) -> User:
    return db.session.scalar(db.select(User).where(User.email == "buyer@boutique.example"))
