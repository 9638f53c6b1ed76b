"""The whole trade deal, as a wholesaler runs it: a company with a valid VAT number, a quote
under FOB Shenzhen with a 30% deposit, revised and accepted; the deposit by bank transfer,
the balance by card (localstripe), packing, the export documents, shipment. Then a quote
under DDP Berlin, and one under a letter of credit whose latest shipment date passes."""

from __future__ import annotations

import datetime
import io
from decimal import Decimal

import pytest
from pypdf import PdfReader
from sqlalchemy import select

import quotes_helpers
from channels.money import Money
from localstripe_server import CardHolder, app_paying_through, running_localstripe
from quotes_helpers import fob_body, in_days
from storefront import clock
from storefront.companies import operations as companies
from storefront.companies.operations import CompanyInput
from storefront.compliance.tables import ComplianceProfile
from storefront.db import db
from storefront.orders.links import order_key
from storefront.orders.tables import Order

trade_shop = quotes_helpers.trade_shop
SELLER_EORI = "DE987654321000001"
VISA = {"number": "4242424242424242", "exp_month": 12, "exp_year": 2030, "cvc": "123"}


@pytest.fixture
def deal(app, trade_shop):
    """The trade shop, its EORI, and the buyer's company with a valid German VAT number."""
    with app.app_context():
        db.session.add(ComplianceProfile(id=1, eori=SELLER_EORI, seller_address="Hafen 9"))
        company = companies.save_company(
            CompanyInput(
                code="schmidt",
                legal_name="Boutique Schmidt GmbH",
                country="DE",
                vat_number="DE136695976",
                payment_terms="deposit",
                deposit_percent=30,
                billing_address={
                    k: v for k, v in quotes_helpers.BERLIN.items() if k != "country_code"
                },
            )
        )
        companies.add_buyer(company, "buyer@boutique.example")
        db.session.commit()
    return trade_shop


@pytest.fixture
def holder(app):
    with running_localstripe() as base_url, app_paying_through(app, base_url):
        yield CardHolder(base_url)


def _pdf_text(response) -> str:
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    pages = PdfReader(io.BytesIO(response.data)).pages
    return " ".join(" ".join(page.extract_text().split()) for page in pages)


def _accepted(client, shop, body: dict, revise: dict | None = None) -> dict:
    """Quote `body` for the company, revise it once when asked, send, and accept the
    current version as the buyer; the order as the acceptance answers it."""
    created = client.post("/api/v1/admin/quotes", json=body, headers=shop["staff"])
    assert created.status_code == 201, created.get_json()
    quote = created.get_json()
    version = 1
    if revise is not None:
        revised = client.patch(
            f"/api/v1/admin/quotes/{quote['id']}", json={**body, **revise}, headers=shop["staff"]
        )
        assert revised.status_code == 200, revised.get_json()
        version = revised.get_json()["current_version"]
    sent = client.post(f"/api/v1/admin/quotes/{quote['id']}/send", headers=shop["staff"])
    assert sent.status_code == 200, sent.get_json()
    accepted = client.post(
        f"/api/v1/quotes/{quote['id']}/accept", json={"version": version}, headers=shop["buyer_key"]
    )
    assert accepted.status_code == 201, accepted.get_json()
    return accepted.get_json()["order"]


def _order(app, number: str) -> tuple[int, int, str, Money]:
    with app.app_context():
        order = db.session.scalar(select(Order).where(Order.number == number))
        return (
            order.id,
            order.groups[0].id,
            order_key(order),
            Money(order.total_amount, order.currency).rounded(),
        )


def _step(client, shop, number: str, group: int, step: str, **body):
    path = f"/api/v1/admin/orders/{number}/groups/{group}/{step}"
    return client.post(path, json=body, headers=shop["staff"])


def _terms(client, shop, number: str) -> dict:
    answer = client.get(f"/api/v1/admin/orders/{number}/terms", headers=shop["staff"])
    assert answer.status_code == 200, answer.get_json()
    return {part["kind"]: part for part in answer.get_json()["schedule"]}


def test_fob_shenzhen_with_a_deposit_by_transfer_and_the_balance_by_card(app, client, deal, holder):
    shop = deal
    placed = _accepted(
        client,
        shop,
        fob_body(shop["sku"], company="schmidt"),
        revise={
            "lines": [
                {"sku": shop["sku"], "quantity": 250, "unit_price": "17.90", "reason": "250 pcs"}
            ]
        },
    )
    number = placed["number"]
    assert (placed["incoterm"], placed["incoterm_place"]) == ("FOB", "Shenzhen")
    assert placed["total"] == {"amount": "4475.00", "currency": "EUR"}  # 250 x 17.90, FOB
    _id, group, key, total = _order(app, number)

    parts = _terms(client, shop, number)
    deposit = Money(Decimal("1342.50"), "EUR")  # 30% of 4475.00
    assert parts["deposit"]["amount"] == deposit.as_json()
    assert parts["balance"]["amount"] == (total - deposit).as_json()
    transfer = client.post(
        f"/api/v1/admin/orders/{number}/terms/deposit/transfer",
        json={"amount": deposit.as_string(), "reference": "COBADEFF-4711"},
        headers=shop["staff"],
    )
    assert transfer.status_code == 200, transfer.get_json()

    # the deposit set the warehouse to work; two cartons leave it
    assert _step(client, shop, number, group, "picked").status_code == 200
    carton = {"length_mm": 400, "width_mm": 300, "height_mm": 200}
    packed = _step(
        client,
        shop,
        number,
        group,
        "packed",
        parcels=[
            {**carton, "weight_grams": 1200, "lines": [{"sku": shop["sku"], "quantity": 150}]},
            {**carton, "weight_grams": 900, "lines": [{"sku": shop["sku"], "quantity": 100}]},
        ],
    )
    assert packed.status_code == 200, packed.get_json()
    waiting = _step(client, shop, number, group, "shipments", carrier="DHL", tracking_number="1")
    assert waiting.status_code == 409
    assert "balance" in waiting.get_json()["error"]["message"]

    token = holder.client.v1.tokens.create(params={"card": VISA}).id
    paid = client.post(
        f"/orders/{number}/terms/balance/pay?key={key}",
        data={"token": token},
        follow_redirects=True,
    )
    assert 'data-kind="balance" data-status="paid"' in paid.get_data(as_text=True)
    assert _terms(client, shop, number)["balance"]["method"] == "card"

    shipped = _step(
        client, shop, number, group, "shipments", carrier="DHL", tracking_number="JD014600"
    )
    assert shipped.status_code == 201, shipped.get_json()

    docs = f"/api/v1/admin/orders/{number}/groups/{group}/documents"
    invoice = _pdf_text(client.get(f"{docs}/commercial-invoice.pdf", headers=shop["staff"]))
    for expected in (
        "FOB Shenzhen",
        SELLER_EORI,
        "Boutique Schmidt GmbH",
        "DE136695976",
        "7113.11",  # the product's HS code, origin China
        "Total 4475.00 EUR",  # the goods alone: FOB carries no freight
        "Import by a VAT-registered business",  # why no import VAT was collected
    ):
        assert expected in invoice, expected
    assert " CN " in f" {invoice} "
    packing = _pdf_text(client.get(f"{docs}/packing-list.pdf", headers=shop["staff"]))
    assert "400 × 300 × 200" in packing or "400 x 300 x 200" in packing
    assert "1.200" in packing and "0.900" in packing  # gross kg per carton
    postal = client.get(f"{docs}/cn22.pdf", headers=shop["staff"])
    assert postal.status_code == 409  # 4,475 EUR is far over 300 SDR
    assert "cn23" in postal.get_json()["error"]["message"].lower()


def test_ddp_berlin_collects_the_import_charges_and_says_so_on_the_invoice(app, client, deal):
    shop = deal
    placed = _accepted(
        client,
        shop,
        fob_body(
            shop["sku"],
            company="schmidt",
            incoterm="DDP",
            place="Berlin",
            freight="180.00",
            payment_terms="prepay",
        ),
    )
    number = placed["number"]
    _id, group, _key, total = _order(app, number)
    with app.app_context():
        order = db.session.scalar(select(Order).where(Order.number == number))
        (shipment,) = order.groups
        assert shipment.import_collected  # DDP: the shop owes them, the buyer paid them
        assert shipment.import_duty_amount > 0 and shipment.shipping_amount == Decimal("180")
    full = client.post(
        f"/api/v1/admin/orders/{number}/terms/full/transfer",
        json={"amount": total.as_string(), "reference": "COBADEFF-4712"},
        headers=shop["staff"],
    )
    assert full.status_code == 200, full.get_json()
    assert _step(client, shop, number, group, "picked").status_code == 200
    assert _step(client, shop, number, group, "packed").status_code == 200
    docs = f"/api/v1/admin/orders/{number}/groups/{group}/documents"
    invoice = _pdf_text(client.get(f"{docs}/commercial-invoice.pdf", headers=shop["staff"]))
    assert "DDP Berlin" in invoice and "180.00" in invoice


def test_a_letter_of_credit_whose_latest_shipment_date_passes_flags_the_order(app, client, deal):
    shop = deal
    placed = _accepted(
        client, shop, fob_body(shop["sku"], company="schmidt", payment_terms="letter_of_credit")
    )
    number = placed["number"]
    _id, group, _key, total = _order(app, number)
    url = f"/api/v1/admin/orders/{number}/letter-of-credit"
    recorded = client.put(
        url,
        json={
            "issuing_bank": "Deutsche Bank AG, Berlin",
            "advising_bank": "Bank of China, Shenzhen Branch",
            "lc_number": "LC-DB-7781",
            "amount": total.as_string(),
            "currency": "EUR",
            "expiry_date": in_days(40),
            "latest_shipment_date": in_days(10),
            "documents": ["commercial-invoice", "packing-list", "bill-of-lading/air-waybill"],
        },
        headers=shop["staff"],
    )
    assert recorded.status_code == 200, recorded.get_json()
    assert recorded.get_json()["flags"] == []
    # the credit starts fulfilment at once; the warehouse packs, then misses the date
    assert _step(client, shop, number, group, "picked").status_code == 200
    assert _step(client, shop, number, group, "packed").status_code == 200
    later = datetime.datetime.combine(
        clock.today() + datetime.timedelta(days=11), datetime.time(9), tzinfo=datetime.UTC
    )
    with clock.frozen(later):
        late = client.get(url, headers=shop["staff"]).get_json()
    assert late["flags"] == ["latest shipment date passed"]
    documents = {d["document"]: d["exists"] for d in late["documents"]}
    assert documents == {
        "commercial-invoice": True,
        "packing-list": True,
        "bill-of-lading/air-waybill": False,
    }
