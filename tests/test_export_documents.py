"""Export documents: a paid order packed into two parcels gets a commercial invoice, a
packing list and a CN22 or CN23 issued once from its snapshot; the PDFs' text holds the
order's numbers, a later change of the product prints nothing new, and each shipper sees
only its own groups' documents."""

from __future__ import annotations

import datetime
import io
import re
from decimal import Decimal

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from storefront.catalog.tables import Product
from storefront.compliance.tables import ComplianceProfile, TaxRegistration
from storefront.db import db
from storefront.documents.tables import IssuedDocument, Parcel
from storefront.fulfilment.tables import Warehouse
from storefront.orders.tables import Order, OrderGroup
from test_after_payment import api_key, api_order, groups_by_model, pay

EORI = "DE123456789012345"
IOSS = "IM2760000001"


def text(response) -> str:
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    assert response.mimetype == "application/pdf"
    reader = PdfReader(io.BytesIO(response.data))
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


@pytest.fixture
def shop(app, four_models, rates):
    rates(XDR="0.85")  # 1 EUR = 0.85 SDR (and the fixture's usual rates)
    with app.app_context():
        # the stock ships from China, so an EU buyer's parcel is an export
        db.session.scalar(select(Warehouse).where(Warehouse.code == "berlin")).serves_text = "AT"
        db.session.add(
            ComplianceProfile(id=1, eori=EORI, seller_address="Hafenstraße 9\n20457 Hamburg")
        )
        db.session.add(
            TaxRegistration(
                scheme="eu_ioss",
                number=IOSS,
                valid_from=datetime.date(2020, 1, 1),
                validated=True,
                checked_with="format",
            )
        )
        db.session.commit()
    return four_models


def _order(app, client, skus: list[str], key: str) -> tuple[str, dict]:
    number = api_order(client, skus, locale="ja", key=key)["order_id"]
    pay(app, number)
    return number, groups_by_model(app, number)


def _pack_in_two(client, staff, number: str, group_id: int, sku: str, units: int) -> None:
    base = f"/api/v1/admin/orders/{number}/groups/{group_id}"
    assert client.post(f"{base}/picked", headers=staff).status_code == 200
    parcels = [
        {
            "length_mm": 200,
            "width_mm": 150,
            "height_mm": 100,
            "weight_grams": 480,
            "lines": [{"sku": sku, "quantity": 1}],
        },
        {
            "length_mm": 300,
            "width_mm": 200,
            "height_mm": 120,
            "weight_grams": 720,
            "lines": [{"sku": sku, "quantity": units - 1}],
        },
    ]
    packed = client.post(f"{base}/packed", json={"parcels": parcels}, headers=staff)
    assert packed.status_code == 200, packed.get_json()


def test_a_cheap_ioss_order_prints_its_numbers_and_a_cn22(app, client, make_user, shop):
    sku = shop["stock"]
    number, groups = _order(app, client, [sku, sku, sku], "docs-cheap")
    group_id = groups["wholesale_retail"]
    staff = api_key(app, make_user, "docs@shop.example", "staff")
    _pack_in_two(client, staff, number, group_id, sku, 3)
    with app.app_context():
        group = db.session.get(OrderGroup, group_id)
        order = group.order
        line = group.lines[0]
        assert group.import_regime == "eu_ioss" and group.import_collected
        unit, total = line.unit_amount, line.unit_amount * 3
        order_total = order.total_amount
        assert (line.hs_code, line.origin_country, line.net_weight_grams) == ("7113.11", "CN", 6)
    base = f"/api/v1/admin/orders/{number}/groups/{group_id}/documents"

    invoice = text(client.get(f"{base}/commercial-invoice.pdf", headers=staff))
    assert re.search(r"CI-\d{4}-000001", invoice)
    assert f"{sku} Stock ring 7113.11 CN 3 {unit:.2f} {total:.2f} 0.018" in invoice
    assert f"EORI number: {EORI}" in invoice and f"IOSS: {IOSS}" in invoice
    assert "DDP Berlin, DE" in invoice  # import charges collected at checkout, no Incoterm
    assert "Hafenstraße 9" in invoice and "Torstraße 1" in invoice
    assert f"Total {order_total:.2f} EUR" in invoice  # one group: the order's total
    assert "Net weight (kg) 0.018" in invoice and "Gross weight (kg) 1.200" in invoice
    assert "Number of packages 2" in invoice and "Sale" in invoice

    packing = text(client.get(f"{base}/packing-list.pdf", headers=staff))
    assert "1 / 2 200 × 150 × 100 0.006 0.480 1 × " + sku in packing
    assert "2 / 2 300 × 200 × 120 0.012 0.720 2 × " + sku in packing

    cn22 = text(client.get(f"{base}/cn22.pdf", headers=staff))
    sdr = (total * Decimal("0.85")).quantize(Decimal("0.01"))
    assert "Customs declaration CN 22" in cn22 and f"{sdr} XDR" in cn22
    assert "Sale of goods" in cn22 and "7113.11 CN" in cn22
    wrong = client.get(f"{base}/cn23.pdf", headers=staff)
    assert wrong.status_code == 409
    assert wrong.get_json()["error"]["code"] == "wrong_postal_form"
    assert "CN22" in wrong.get_json()["error"]["message"]
    assert client.get(f"{base}/proforma.pdf", headers=staff).status_code == 404

    # the product is reclassified: the invoice printed again says what was sold
    with app.app_context():
        product = db.session.scalar(select(Product).where(Product.name == "Stock ring"))
        product.hs_code = "7117.19"
        db.session.commit()
    again = text(client.get(f"{base}/commercial-invoice.pdf", headers=staff))
    assert again == invoice and "7117.19" not in again

    japanese = text(client.get(f"{base}/commercial-invoice.pdf?lang=ja", headers=staff))
    assert "Commercial invoice / 商業送り状" in japanese and "原産国" in japanese
    assert client.get(f"{base}/packing-list.pdf?lang=xx", headers=staff).status_code == 400


def test_a_dear_order_takes_a_cn23_and_its_buyer_pays_the_import_charges(
    app, client, make_user, shop
):
    sku = shop["stock"]
    number, groups = _order(app, client, [sku] * 12, "docs-dear")
    group_id = groups["wholesale_retail"]
    staff = api_key(app, make_user, "docs@shop.example", "staff")
    _pack_in_two(client, staff, number, group_id, sku, 12)
    base = f"/api/v1/admin/orders/{number}/groups/{group_id}/documents"
    with app.app_context():
        group = db.session.get(OrderGroup, group_id)
        assert not group.import_collected  # above the IOSS threshold
        assert db.session.scalar(
            select(IssuedDocument.sdr_rate).where(IssuedDocument.kind == "cn23")
        ) == Decimal("0.85")
    wrong = client.get(f"{base}/cn22.pdf", headers=staff)
    assert wrong.status_code == 409 and "CN23" in wrong.get_json()["error"]["message"]
    cn23 = text(client.get(f"{base}/cn23.pdf", headers=staff))
    assert "Customs declaration CN 23" in cn23
    invoice = text(client.get(f"{base}/commercial-invoice.pdf", headers=staff))
    assert "DAP Berlin, DE" in invoice and "IOSS" not in invoice


def test_a_supplier_prints_its_own_groups_documents_only(app, client, make_user, shop):
    number, groups = _order(app, client, [shop["drop"], shop["stock"]], "docs-supplier")
    supplier = api_key(app, make_user, "ops@shenzhen.example", "supplier")
    drop, stock = groups["oem_dropship"], groups["wholesale_retail"]
    assert (
        client.post(
            f"/api/v1/supplier/groups/{drop}/accept", headers={**supplier, "Idempotency-Key": "a-1"}
        ).status_code
        == 200
    )
    before = client.get(
        f"/api/v1/supplier/groups/{drop}/documents/packing-list.pdf", headers=supplier
    )
    assert before.status_code == 409 and before.get_json()["error"]["code"] == "not_packed"
    shipped = client.post(
        f"/api/v1/supplier/groups/{drop}/shipments",
        json={
            "carrier": "DHL",
            "tracking_number": "JD0001",
            "parcels": [
                {
                    "length_mm": 100,
                    "width_mm": 80,
                    "height_mm": 30,
                    "weight_grams": 90,
                    "lines": [{"sku": shop["drop"], "quantity": 1}],
                }
            ],
        },
        headers={**supplier, "Idempotency-Key": "s-1"},
    )
    assert shipped.status_code == 201, shipped.get_json()
    packing = text(
        client.get(f"/api/v1/supplier/groups/{drop}/documents/packing-list.pdf", headers=supplier)
    )
    assert "100 × 80 × 30" in packing and "0.090" in packing
    other = client.get(
        f"/api/v1/supplier/groups/{stock}/documents/packing-list.pdf", headers=supplier
    )
    assert other.status_code == 404
    admin = f"/api/v1/admin/orders/{number}/groups/{stock}/documents/packing-list.pdf"
    assert client.get(admin, headers=supplier).status_code == 404
    assert client.get(f"/api/v1/supplier/groups/{drop}/documents/cn22.pdf").status_code == 401


def test_parcels_must_hold_the_groups_units(app, client, make_user, shop):
    sku = shop["stock"]
    number, groups = _order(app, client, [sku, sku], "docs-parcels")
    group_id = groups["wholesale_retail"]
    staff = api_key(app, make_user, "docs@shop.example", "staff")
    base = f"/api/v1/admin/orders/{number}/groups/{group_id}"
    client.post(f"{base}/picked", headers=staff)
    short = [
        {
            "length_mm": 10,
            "width_mm": 10,
            "height_mm": 10,
            "weight_grams": 50,
            "lines": [{"sku": sku, "quantity": 1}],
        }
    ]
    refused = client.post(f"{base}/packed", json={"parcels": short}, headers=staff)
    assert refused.status_code == 422
    assert refused.get_json()["error"]["code"] == "parcels_do_not_add_up"
    zero = [{**short[0], "weight_grams": 0, "lines": [{"sku": sku, "quantity": 2}]}]
    assert client.post(f"{base}/packed", json={"parcels": zero}, headers=staff).status_code == 422
    with app.app_context():
        assert db.session.get(OrderGroup, group_id).status == "packing"
        assert not db.session.scalars(select(Parcel)).all()
    # none given: one parcel from the lines' net weights plus the packaging allowance
    assert client.post(f"{base}/packed", headers=staff).status_code == 200
    with app.app_context():
        (parcel,) = db.session.scalars(select(Parcel)).all()
        assert (parcel.weight_grams, parcel.derived) == (2 * 6 + 150, True)
        assert (parcel.length_mm, parcel.width_mm, parcel.height_mm) == (22, 22, 4)
        assert db.session.scalar(select(Order.incoterm)) is None


def test_the_groups_page_links_its_documents(app, client, make_user, shop, logged_in):
    sku = shop["stock"]
    _number, groups = _order(app, client, [sku, sku], "docs-page")
    group_id = groups["wholesale_retail"]
    page = logged_in("staff")
    assert "Issued when the group is packed" in page.get(
        f"/admin/shipping-work/groups/{group_id}"
    ).get_data(as_text=True)
    for step in ("picked", "packed"):
        done = page.post(f"/admin/shipping-work/groups/{group_id}/{step}", data={"back": "group"})
        assert done.status_code == 303
    html = page.get(f"/admin/shipping-work/groups/{group_id}").get_data(as_text=True)
    links = re.findall(r'href="([^"]+/documents/[^"]+\.pdf[^"]*)"', html)
    assert {link.rsplit("/", 1)[1].split("?")[0] for link in links} == {
        "commercial-invoice.pdf",
        "packing-list.pdf",
        "cn22.pdf",
    }
    assert any(link.endswith("?lang=ja") for link in links)  # the buyer's language
    packing = text(page.get(links[0].replace("&amp;", "&")))
    assert "0.162" in packing  # one parcel derived: 2 units of 6 g + 150 g packaging
    assert page.get(f"/admin/shipping-work/groups/{group_id}/documents/cn23.pdf").status_code == 303
