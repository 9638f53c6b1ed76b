"""The back office's side of payment terms: letters of credit (recorded, their documents
checklist, the latest shipment date flag, presentation) and the order page's terms
section."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from orders_helpers import load
from storefront import clock
from storefront.db import db
from storefront.terms import operations
from test_payment_terms import _group, _parts, _saved, _ship, _status, staff, trade_order

FIXTURES = (staff, trade_order)  # test_payment_terms' fixtures, used here by name


# letters of credit -------------------------------------------------------------------

LC = {
    "issuing_bank": "Bank of China, Shenzhen Branch",
    "advising_bank": "Commerzbank AG, Berlin",
    "lc_number": "LC-2027-0042",
    "amount": "100.00",
    "currency": "EUR",
    "expiry_date": "2027-05-31",
    "latest_shipment_date": "2027-04-30",
    "documents": ["commercial-invoice", "bill-of-lading/air-waybill", "packing-list"],
}


def test_a_letter_of_credit_whose_latest_shipment_date_passes_flags_the_order(
    app, client, staff, trade_order, logged_in
):
    order = trade_order()
    url = f"/api/v1/admin/orders/{order['number']}"
    with clock.frozen(datetime.datetime(2027, 4, 1, tzinfo=datetime.UTC)):
        put = client.put(f"{url}/terms", json={"terms": "letter_of_credit"}, headers=staff)
        assert put.status_code == 200 and _parts(put.get_json())["full"]["status"] == "due"
        assert _status(app, order["id"]) == ("paid", ["awaiting_shipper"])  # at once
        recorded = client.put(f"{url}/letter-of-credit", json=LC, headers=staff)
        assert recorded.status_code == 200, recorded.get_json()
        lc = recorded.get_json()
    assert lc["flags"] == [] and lc["presentation_deadline"] is None
    assert lc["documents"] == [
        {"document": "commercial-invoice", "exists": False},
        {"document": "packing-list", "exists": False},
        {"document": "bill-of-lading/air-waybill", "exists": False},
    ]
    with clock.frozen(datetime.datetime(2027, 5, 2, tzinfo=datetime.UTC)):
        late = client.get(f"{url}/letter-of-credit", headers=staff).get_json()
        assert late["flags"] == ["latest shipment date passed"]  # groups still unshipped
        back_office = logged_in("owner", email="ana@shop.example")
        listing = back_office.get("/admin/orders").get_data(as_text=True)
        page = back_office.get(f"/admin/orders/{order['number']}").get_data(as_text=True)
        assert "latest shipment date passed" in listing
        assert 'data-testid="lc-flag"' in page and "LC-2027-0042" in page
        # shipped late: the shipment issued the export documents and the transport
        # document exists; the flag stays
        assert _group(client, staff, order, "accept").status_code == 200
        assert _ship(client, staff, order).status_code == 201
        shipped = client.get(f"{url}/letter-of-credit", headers=staff).get_json()
        assert shipped["flags"] == ["latest shipment date passed"]
        assert {d["document"]: d["exists"] for d in shipped["documents"]} == {
            "commercial-invoice": True,
            "packing-list": True,
            "bill-of-lading/air-waybill": True,
        }
        # 21 days after shipment would be 23 May; the credit expires later, on 31 May
        assert shipped["presentation_deadline"] == "2027-05-23"
        presented = client.post(f"{url}/letter-of-credit/present", headers=staff)
        assert presented.status_code == 200
        assert (presented.get_json()["status"], presented.get_json()["presented_on"]) == (
            "presented",
            "2027-05-02",
        )
        again = client.post(f"{url}/letter-of-credit/present", headers=staff)
        assert again.status_code == 409
        changed = client.put(f"{url}/letter-of-credit", json=LC, headers=staff)
        assert changed.status_code == 409


def test_a_credit_shipped_in_time_is_not_flagged_and_issued_documents_count(app, trade_order):
    from storefront.delivery.operations import Actor, accept, ship
    from storefront.terms import credit

    order = trade_order()
    with app.app_context(), clock.frozen(datetime.datetime(2027, 4, 1, tzinfo=datetime.UTC)):
        found = load(order["id"])
        operations.set_terms(found, "letter_of_credit")
        credit.record_credit(
            found,
            {
                **LC,
                "expiry_date": "2027-04-10",
                "latest_shipment_date": "2027-04-05",
                "presentation_days": 5,
            },
        )
        accept(found.groups[0], Actor("staff:test"))
        ship(found.groups[0], Actor("staff:test"), carrier="DHL", tracking_number="JD0146000")
        db.session.commit()
    with app.app_context(), clock.frozen(datetime.datetime(2027, 6, 1, tzinfo=datetime.UTC)):
        found = load(order["id"])
        shown = credit.view(found)  # the shipment issued the invoice and packing list
        assert shown.flags == [] and shown.complete
        # five days after shipment (6 April) comes before the expiry (10 April)
        assert shown.presentation_deadline == datetime.date(2027, 4, 6)


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"documents": ["visa"]}, "documents"),
        ({"documents": []}, "documents"),
        ({"amount": "-5"}, "amount"),
        ({"amount": 12.5}, "amount"),
        ({"latest_shipment_date": "2027-06-30"}, "latest_shipment_date"),
        ({"expiry_date": "31/05/2027"}, "expiry_date"),
        ({"lc_number": ""}, "lc_number"),
        ({"presentation_days": 0}, "presentation_days"),
    ],
)
def test_a_malformed_letter_of_credit_is_refused_with_nothing_saved(
    app, client, staff, trade_order, change, field
):
    order = trade_order()
    answer = client.put(
        f"/api/v1/admin/orders/{order['number']}/letter-of-credit",
        json={**LC, **change},
        headers=staff,
    )
    assert answer.status_code == 400 and answer.get_json()["error"]["field"] == field
    missing = client.get(f"/api/v1/admin/orders/{order['number']}/letter-of-credit", headers=staff)
    assert missing.status_code == 404


def test_the_back_office_sets_terms_and_records_a_part_paid(app, trade_order, logged_in):
    order = trade_order()
    staff_page = logged_in("owner", email="ana@shop.example")
    url = f"/admin/orders/{order['number']}"
    assert 'data-testid="set-terms"' in staff_page.get(url).get_data(as_text=True)
    bad = staff_page.post(f"{url}/terms", data={"terms": "net45"}, follow_redirects=True)
    assert "are no payment terms" in bad.get_data(as_text=True) and _saved(app) == (0, 0)
    staff_page.post(f"{url}/terms", data={"terms": "deposit:25"})
    page = staff_page.get(url).get_data(as_text=True)
    assert 'data-kind="deposit" data-status="due"' in page
    assert 'data-kind="balance" data-status="due"' in page
    deposit = (order["total"] * Decimal("0.25")).rounded()
    short = staff_page.post(
        f"{url}/terms/deposit/transfer",
        data={"amount": str(deposit.amount - 1), "reference": "T-1"},
        follow_redirects=True,
    )
    assert "stays open until the full amount has arrived" in short.get_data(as_text=True)
    done = staff_page.post(
        f"{url}/terms/deposit/transfer",
        data={"amount": deposit.as_string(), "reference": "T-1"},
        follow_redirects=True,
    )
    text = done.get_data(as_text=True)
    assert 'data-kind="deposit" data-status="paid"' in text and "T-1" in text
    assert "Shipping waits for the balance payment" in text
    assert 'data-testid="set-terms"' not in text  # paid in part: the terms stay
    assert _status(app, order["id"]) == ("paid", ["awaiting_shipper"])
