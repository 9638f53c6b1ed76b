"""The trade buyer's account page lists their quotes in their language (number, status,
expired once the validity date has passed, valid until, total, a link to the quote), and
the back office's order page of a company's order links to the company."""

from __future__ import annotations

import datetime
import re

from sqlalchemy import select

import quotes_helpers
from quotes_helpers import fob_body, in_days
from storefront import clock
from storefront.companies import operations as companies
from storefront.companies.operations import CompanyInput
from storefront.db import db
from storefront.orders.tables import Order

trade_shop = quotes_helpers.trade_shop  # the fixture, used here by name
PASSWORD = "correct horse battery"


def _quote(client, shop, send: bool = True, **overrides) -> dict:
    made = client.post(
        "/api/v1/admin/quotes", json=fob_body(shop["sku"], **overrides), headers=shop["staff"]
    )
    assert made.status_code == 201, made.json
    if send:
        client.post(f"/api/v1/admin/quotes/{made.json['id']}/send", headers=shop["staff"])
    return made.json


def _rows(page: str) -> dict[str, str]:
    return dict(re.findall(r'<tr data-testid="quote" data-number="([^"]+)">(.*?)</tr>', page, re.S))


def test_the_buyer_sees_their_quotes_listed_in_their_language(client, app, trade_shop):
    shop = trade_shop
    with app.app_context():
        long = _quote(client, shop, valid_until=in_days(30))
        short = _quote(client, shop, valid_until=in_days(2))
    assert client.post(
        "/account/sign-in", data={"email": "buyer@boutique.example", "password": PASSWORD}
    ).status_code in (302, 303)

    page = client.get("/account", headers={"Accept-Language": "de"}).get_data(as_text=True)
    assert "Meine Angebote" in page
    rows = _rows(page)
    assert set(rows) == {long["number"], short["number"]}
    assert f'href="/quotes/{long["id"]}"' in rows[long["number"]]
    assert "Wartet auf Ihre Annahme" in rows[long["number"]]
    assert "3.700,00" in rows[long["number"]]  # 200 x 18.50 EUR, German digits

    later = datetime.datetime.now(datetime.UTC) + datetime.timedelta(days=5)
    with clock.frozen(later):
        page = client.get("/account", headers={"Accept-Language": "fr"}).get_data(as_text=True)
    rows = _rows(page)
    assert 'data-status="expired"' in rows[short["number"]]
    assert "Expiré" in rows[short["number"]]
    assert 'data-status="sent"' in rows[long["number"]]
    assert client.get(f"/quotes/{long['id']}").status_code == 200  # the link opens


def test_another_buyer_sees_none_of_them(client, app, trade_shop, make_user):
    with app.app_context():
        _quote(client, trade_shop)
    make_user(email="other@trade.example", role="wholesale")
    client.post("/account/sign-in", data={"email": "other@trade.example", "password": PASSWORD})
    page = client.get("/account").get_data(as_text=True)
    assert client.get("/account").status_code == 200
    assert 'data-testid="quotes"' not in page and "Q-" not in page


def test_the_back_office_order_of_a_company_links_to_the_company(client, app, trade_shop):
    shop = trade_shop
    with app.app_context():
        company = companies.save_company(
            CompanyInput(code="schmidt", legal_name="Boutique Schmidt GmbH", country="DE",
                         vat_number="DE136695976")
        )  # fmt: skip
        companies.add_buyer(company, "buyer@boutique.example")
        db.session.commit()
        quote = _quote(client, shop, company="schmidt")
    accepted = client.post(
        f"/api/v1/quotes/{quote['id']}/accept", json={"version": 1}, headers=shop["buyer_key"]
    )
    assert accepted.status_code == 201, accepted.json
    with app.app_context():
        number = db.session.scalar(select(Order.number))
    client.post("/login", data={"email": "staff@example.com", "password": PASSWORD})
    order_page = client.get(f"/admin/orders/{number}").get_data(as_text=True)
    link = re.search(r'<a href="([^"]+)" data-testid="order-company">Boutique Schmidt GmbH</a>',
                     order_page)  # fmt: skip
    assert link, order_page
    opened = client.get(link.group(1))
    assert opened.status_code == 303 and opened.headers["Location"].endswith(
        "/admin/companies/schmidt"
    )
    assert "Boutique Schmidt GmbH" in client.get(opened.headers["Location"]).get_data(as_text=True)
