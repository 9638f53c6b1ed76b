"""The proforma invoice of a quote version: a real PDF (WeasyPrint) whose text, read back
with pypdf, carries the exact numbers, the Incoterm and the version, in the buyer's language."""

from __future__ import annotations

import io

from pypdf import PdfReader

import quotes_helpers
from quotes_helpers import fob_body
from storefront.compliance.tables import ComplianceProfile
from storefront.db import db

trade_shop = quotes_helpers.trade_shop  # the fixture, used here by name
EORI = "DE123456789012345"


def _text(pdf: bytes) -> str:
    assert pdf.startswith(b"%PDF-")
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def _seller_eori(app):
    with app.app_context():
        db.session.add(ComplianceProfile(id=1, eori=EORI))
        db.session.commit()


def test_the_proforma_has_the_numbers_incoterm_and_version(client, app, trade_shop):
    _seller_eori(app)
    body = fob_body(
        trade_shop["sku"],
        incoterm="CIF",
        place="Hamburg",
        freight="300.00",
        insurance="41.10",
        locale="en",
    )
    quote = client.post("/api/v1/admin/quotes", json=body, headers=trade_shop["staff"]).json
    client.patch(
        f"/api/v1/admin/quotes/{quote['id']}",
        json={
            **body,
            "lines": [
                {
                    "sku": trade_shop["sku"],
                    "quantity": 250,
                    "unit_price": "17.90",
                    "reason": "repeat order",
                }
            ],
        },
        headers=trade_shop["staff"],
    )
    answer = client.get(
        f"/api/v1/admin/quotes/{quote['id']}/proforma.pdf", headers=trade_shop["staff"]
    )
    assert answer.status_code == 200 and answer.mimetype == "application/pdf"
    text = _text(answer.data)
    assert quote["number"] in text
    assert "Version 2" in text
    assert "CIF Hamburg" in text
    assert f"EORI: {EORI}" in text
    assert "Boutique Schmidt GmbH" in text
    assert trade_shop["sku"] in text and "7113" in text and "CN" in text
    assert "€17.90" in text and "€4,475.00" in text  # unit price, goods
    assert "€300.00" in text and "€41.10" in text  # freight, insurance
    assert "€4,816.10" in text  # the total
    assert "Payment in full" not in text and "30% deposit on acceptance" in text
    assert body["valid_until"] in text

    first = client.get(
        f"/api/v1/admin/quotes/{quote['id']}/proforma.pdf?version=1", headers=trade_shop["staff"]
    )
    first_text = _text(first.data)
    assert "Version 1" in first_text and "€18.50" in first_text and "€17.90" not in first_text


def test_a_japanese_buyer_gets_japanese_headings(client, app, trade_shop):
    body = fob_body(trade_shop["sku"], locale="ja", payment_terms="net60")
    quote = client.post("/api/v1/admin/quotes", json=body, headers=trade_shop["staff"]).json
    text = _text(
        client.get(
            f"/api/v1/admin/quotes/{quote['id']}/proforma.pdf", headers=trade_shop["staff"]
        ).data
    )
    for heading in ("見積送り状", "売主", "買主", "支払条件", "有効期限", "お届け予定", "単価"):
        assert heading in text, heading
    assert "請求書日付から60日以内" in text  # net 60, in words
    assert "FOB Shenzhen" in text and quote["number"] in text
    assert "3,700.00" in text


def test_the_proforma_needs_a_staff_key(client, app, trade_shop):
    quote = client.post(
        "/api/v1/admin/quotes", json=fob_body(trade_shop["sku"]), headers=trade_shop["staff"]
    ).json
    assert client.get(f"/api/v1/admin/quotes/{quote['id']}/proforma.pdf").status_code == 401
    answer = client.get(
        f"/api/v1/admin/quotes/{quote['id']}/proforma.pdf", headers=trade_shop["buyer_key"]
    )
    assert answer.status_code == 403
