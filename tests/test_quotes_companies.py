"""A quote names the buyer's company record: its code finds the buyer, the proforma prints
its legal name and VAT number, and the accepted order keeps the company as it was."""

from __future__ import annotations

import io

from pypdf import PdfReader
from sqlalchemy import select

import quotes_helpers
from quotes_helpers import fob_body
from storefront.companies import operations as companies
from storefront.companies.operations import CompanyInput
from storefront.db import db
from storefront.orders.tables import Order

trade_shop = quotes_helpers.trade_shop


def _company(app) -> None:
    with app.app_context():
        company = companies.save_company(
            CompanyInput(
                code="schmidt",
                legal_name="Boutique Schmidt GmbH",
                country="DE",
                vat_number="DE 136 695 976",
                eori="DE1234567",
                payment_terms="net30",
                billing_address={
                    "street_address": "Torstraße 1",
                    "city": "Berlin",
                    "postal_code": "10119",
                },
            )
        )
        companies.add_buyer(company, "buyer@boutique.example")
        db.session.commit()


def test_a_company_code_names_the_buyer_and_its_numbers_reach_the_proforma_and_order(
    client, app, trade_shop
):
    shop = trade_shop
    _company(app)
    created = client.post(
        "/api/v1/admin/quotes",
        json=fob_body(shop["sku"], company="schmidt"),
        headers=shop["staff"],
    )
    assert created.status_code == 201, created.json
    quote = created.json
    assert quote["current"]["company"]["legal_name"] == "Boutique Schmidt GmbH"

    proforma = client.get(f"/api/v1/admin/quotes/{quote['id']}/proforma.pdf", headers=shop["staff"])
    assert proforma.status_code == 200
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(proforma.data)).pages)
    assert "DE136695976" in text and "DE1234567" in text

    sent = client.post(f"/api/v1/admin/quotes/{quote['id']}/send", headers=shop["staff"])
    assert sent.status_code == 200, sent.json
    accepted = client.post(
        f"/api/v1/quotes/{quote['id']}/accept", json={"version": 1}, headers=shop["buyer_key"]
    )
    assert accepted.status_code == 201, accepted.json
    assert accepted.json["order"]["total"] == {"amount": "3700.00", "currency": "EUR"}
    with app.app_context():
        order = db.session.scalar(select(Order))
        assert (order.company_name, order.company_vat_number, order.company_eori) == (
            "Boutique Schmidt GmbH",
            "DE136695976",
            "DE1234567",
        )


def test_an_unknown_company_code_is_refused(client, trade_shop):
    shop = trade_shop
    refused = client.post(
        "/api/v1/admin/quotes", json=fob_body(shop["sku"], company="nobody"), headers=shop["staff"]
    )
    assert refused.status_code in (404, 422)
    assert refused.json["error"]["field"] == "company"
