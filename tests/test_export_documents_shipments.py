"""A group shipped in several shipments: the first set of documents (issued at packing)
covers the whole group and stays as it was; every later shipment gets its own commercial
invoice, packing list and postal form, of that shipment's lines and parcels."""

from __future__ import annotations

import re
from decimal import Decimal

from sqlalchemy import func, select

import test_export_documents as documents_tests
from storefront.db import db
from storefront.documents.tables import IssuedDocument
from storefront.orders.tables import OrderGroup
from test_after_payment import api_key
from test_export_documents import _order, text

shop = documents_tests.shop  # the fixture: a four-model shop shipping from China

OWN_PARCEL = {"length_mm": 120, "width_mm": 90, "height_mm": 40, "weight_grams": 200}


def _ship(client, staff, base: str, sku: str, units: int, **extra) -> dict:
    shipped = client.post(
        f"{base}/shipments",
        json={
            "carrier": "DHL",
            "tracking_number": f"JD{units}",
            "lines": [{"sku": sku, "quantity": units}],
            **extra,
        },
        headers=staff,
    )
    assert shipped.status_code == 201, shipped.get_json()
    return shipped.get_json()


def _packed_in_one(client, staff, base: str, sku: str) -> None:
    assert client.post(f"{base}/picked", headers=staff).status_code == 200
    box = {"length_mm": 300, "width_mm": 200, "height_mm": 120, "weight_grams": 720}
    parcels = [{**box, "lines": [{"sku": sku, "quantity": 3}]}]
    packed = client.post(f"{base}/packed", json={"parcels": parcels}, headers=staff)
    assert packed.status_code == 200, packed.get_json()


def test_a_later_shipment_has_documents_of_its_own(app, client, make_user, shop):
    sku = shop["stock"]
    number, groups = _order(app, client, [sku, sku, sku, shop["drop"]], "docs-later")
    group_id, other = groups["wholesale_retail"], groups["oem_dropship"]
    staff = api_key(app, make_user, "docs@shop.example", "staff")
    base = f"/api/v1/admin/orders/{number}/groups/{group_id}"
    _packed_in_one(client, staff, base, sku)
    with app.app_context():
        unit = db.session.get(OrderGroup, group_id).lines[0].unit_amount
    whole = {
        kind: text(client.get(f"{base}/documents/{kind}.pdf", headers=staff))
        for kind in ("commercial-invoice", "packing-list", "cn22")
    }
    assert f"{sku} Stock ring 7113.11 CN 3 " in whole["commercial-invoice"]

    first = _ship(client, staff, base, sku, 2)
    refused = client.get(
        f"{base}/shipments/{first['id']}/documents/packing-list.pdf", headers=staff
    )
    assert refused.status_code == 409  # the group's own set covers its first shipment
    assert refused.get_json()["error"]["code"] == "first_shipment"
    second = _ship(
        client,
        staff,
        base,
        sku,
        1,
        parcels=[{**OWN_PARCEL, "lines": [{"sku": sku, "quantity": 1}]}],
    )
    own = f"{base}/shipments/{second['id']}/documents"

    packing = text(client.get(f"{own}/packing-list.pdf", headers=staff))
    assert f"1 / 1 120 × 90 × 40 0.006 0.200 1 × {sku}" in packing
    assert "300 × 200 × 120" not in packing and "3 × " not in packing
    invoice = text(client.get(f"{own}/commercial-invoice.pdf", headers=staff))
    assert f"{sku} Stock ring 7113.11 CN 1 {unit:.2f} {unit:.2f} 0.006" in invoice
    assert f"Total {unit:.2f} EUR" in invoice and "Number of packages 1" in invoice
    cn22 = text(client.get(f"{own}/cn22.pdf", headers=staff))
    assert f"{(unit * Decimal('0.85')).quantize(Decimal('0.01'))} XDR" in cn22
    assert client.get(f"{own}/cn23.pdf", headers=staff).status_code == 409
    numbers = {
        re.search(r"CI-\d{4}-\d{6}", t).group() for t in (invoice, whole["commercial-invoice"])
    }
    assert len(numbers) == 2  # numbered in the same series, one after the other

    for kind, before in whole.items():  # the first set is the same documents
        assert text(client.get(f"{base}/documents/{kind}.pdf", headers=staff)) == before
    elsewhere = f"/api/v1/admin/orders/{number}/groups/{other}/shipments/{second['id']}"
    answer = client.get(f"{elsewhere}/documents/packing-list.pdf", headers=staff)
    assert answer.status_code == 404
    assert answer.get_json()["error"]["code"] == "shipment_not_found"
    with app.app_context():
        assert db.session.scalar(select(func.count(IssuedDocument.id))) == 6


def _shipped_twice(app, client, make_user, sku: str, key: str):
    """Three of `sku` packed in one parcel, shipped two then one: the group's id, the staff
    key's headers, the group's admin API path and the second shipment."""
    number, groups = _order(app, client, [sku, sku, sku], key)
    group_id = groups["wholesale_retail"]
    staff = api_key(app, make_user, "docs@shop.example", "staff")
    base = f"/api/v1/admin/orders/{number}/groups/{group_id}"
    _packed_in_one(client, staff, base, sku)
    _ship(client, staff, base, sku, 2)
    return group_id, staff, base, _ship(client, staff, base, sku, 1)


def test_a_later_shipment_without_parcels_gets_one_derived(app, client, make_user, shop):
    sku = shop["stock"]
    _, staff, base, second = _shipped_twice(app, client, make_user, sku, "docs-later-derived")
    own = f"{base}/shipments/{second['id']}/documents"
    packing = text(client.get(f"{own}/packing-list.pdf", headers=staff))
    assert f"1 / 1 22 × 22 × 4 0.006 0.156 1 × {sku}" in packing  # 6 g + 150 g packaging


def test_the_groups_page_links_each_later_shipments_documents(
    app, client, make_user, shop, logged_in
):
    sku = shop["stock"]
    group_id, _, _, second = _shipped_twice(app, client, make_user, sku, "docs-later-page")
    page = logged_in("staff")
    html = page.get(f"/admin/shipping-work/groups/{group_id}").get_data(as_text=True)
    links = re.findall(r'href="([^"]+/shipments/\d+/documents/[^"]+\.pdf)"', html)
    assert {link.rsplit("/", 1)[1] for link in links} == {
        "commercial-invoice.pdf",
        "packing-list.pdf",
        "cn22.pdf",
    }
    assert all(f"/shipments/{second['id']}/" in link for link in links)
    assert "the group's" in html  # beside the first shipment: the group's own set
    assert "1 × " + sku in text(page.get(next(ln for ln in links if "packing" in ln)))
    assert (
        page.get(
            f"/admin/shipping-work/groups/{group_id}/shipments/999/documents/cn22.pdf"
        ).status_code
        == 404
    )


def test_a_supplier_prints_its_later_shipments_documents(app, client, make_user, shop):
    drop_sku = shop["drop"]
    _number, groups = _order(app, client, [drop_sku, drop_sku, shop["stock"]], "docs-later-drop")
    drop, stock = groups["oem_dropship"], groups["wholesale_retail"]
    supplier = api_key(app, make_user, "ops@shenzhen.example", "supplier")
    base = f"/api/v1/supplier/groups/{drop}"
    accepted = client.post(f"{base}/accept", headers={**supplier, "Idempotency-Key": "a-1"})
    assert accepted.status_code == 200
    _ship(client, {**supplier, "Idempotency-Key": "s-1"}, base, drop_sku, 1)
    whole = text(client.get(f"{base}/documents/packing-list.pdf", headers=supplier))
    second = _ship(client, {**supplier, "Idempotency-Key": "s-2"}, base, drop_sku, 1)
    own = f"{base}/shipments/{second['id']}/documents/commercial-invoice.pdf"
    assert f"{drop_sku} " in text(client.get(own, headers=supplier))
    assert text(client.get(f"{base}/documents/packing-list.pdf", headers=supplier)) == whole
    foreign = f"/api/v1/supplier/groups/{stock}/shipments/{second['id']}/documents/cn22.pdf"
    assert client.get(foreign, headers=supplier).status_code == 404
