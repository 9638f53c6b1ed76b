"""The seller's address: edited on the compliance profile's form, field by field and checked
for its country, and printed on the export documents issued after."""

from __future__ import annotations

from sqlalchemy import select

import test_export_documents as documents_tests
from storefront.compliance.operations import SCHEMES
from storefront.compliance.tables import ComplianceProfile
from storefront.db import db
from test_after_payment import api_key
from test_export_documents import _order, text

shop = documents_tests.shop  # the fixture: a four-model shop shipping from China

ADDRESS = {
    "seller-name": "Lumen & Loom Export GmbH",
    "seller-street_address": "Hafenstraße 9",
    "seller-city": "Hamburg",
    "seller-postal_code": "20457",
    "seller-country": "de",
    "seller-phone": "040 3290 1234",
}


def _form(**fields) -> dict:
    data = {"eori": "", "export_licences": ""}
    for code in SCHEMES:
        data |= {f"{code}-number": "", f"{code}-valid_from": "", f"{code}-valid_to": ""}
    return data | fields


def _profile(app) -> ComplianceProfile | None:
    with app.app_context():
        profile = db.session.scalar(select(ComplianceProfile))
        if profile is not None:
            db.session.expunge(profile)
        return profile


def test_the_owner_edits_the_sellers_address(app, logged_in):
    client = logged_in("owner")
    assert 'data-testid="seller-address"' in client.get("/admin/compliance/").text

    saved = client.post("/admin/compliance/", data=_form(**ADDRESS))

    assert saved.status_code == 303
    profile = _profile(app)
    assert profile.seller == {
        "name": "Lumen & Loom Export GmbH",
        "street_address": "Hafenstraße 9",
        "city": "Hamburg",
        "postal_code": "20457",
        "country": "DE",
        "phone": "+49 40 32901234",
    }
    assert profile.seller_address.splitlines() == [
        "Lumen & Loom Export GmbH",
        "Hafenstraße 9",
        "20457 Hamburg",
        "Germany",
    ]
    page = client.get("/admin/compliance/").text
    assert 'value="Hafenstraße 9"' in page and 'value="+49 40 32901234"' in page


def test_a_bad_address_is_refused_field_by_field_and_nothing_saved(app, logged_in):
    client = logged_in("owner")
    bad = ADDRESS | {
        "seller-postal_code": "2045",
        "seller-phone": "12",
        "seller-city": "",
        "eori": "DE123456789012345",
    }

    refused = client.post("/admin/compliance/", data=_form(**bad))

    assert refused.status_code == 422
    page = refused.text
    assert "Seller&#39;s city: enter it." in page
    assert "not a postal code of DE, like 26133" in page
    assert "Seller&#39;s phone: not a valid phone number" in page
    assert _profile(app) is None  # not even the good EORI
    unknown = client.post("/admin/compliance/", data=_form(**ADDRESS | {"seller-country": "XX"}))
    assert unknown.status_code == 422 and "two-letter ISO code" in unknown.text


def test_a_bad_licence_line_is_refused(app, logged_in):
    client = logged_in("owner")
    refused = client.post("/admin/compliance/", data=_form(export_licences="7113 → RU LIC-1"))
    assert refused.status_code == 422
    assert "line 1: write the licence number after a colon" in refused.text
    assert _profile(app) is None
    saved = client.post(
        "/admin/compliance/", data=_form(export_licences="7113 7114 → RU BY: LIC-1\nnote")
    )
    assert saved.status_code == 303
    assert _profile(app).export_licences == "7113 7114 → RU BY: LIC-1\nnote"


def test_blank_fields_keep_an_address_saved_as_lines(app, logged_in):
    """A profile whose address was saved as lines only (before the fields) keeps it."""
    with app.app_context():
        db.session.add(ComplianceProfile(id=1, seller_address="Old Co\nOld street 1"))
        db.session.commit()
    client = logged_in("owner")
    assert client.post("/admin/compliance/", data=_form()).status_code == 303
    assert _profile(app).seller_address == "Old Co\nOld street 1"


def test_the_invoice_prints_the_address_entered(app, client, make_user, shop, logged_in):
    owner = logged_in("owner")
    assert owner.post("/admin/compliance/", data=_form(**ADDRESS)).status_code == 303
    owner.get("/logout")
    sku = shop["stock"]
    number, groups = _order(app, client, [sku], "seller-address")
    group_id = groups["wholesale_retail"]
    staff = api_key(app, make_user, "docs@shop.example", "staff")
    base = f"/api/v1/admin/orders/{number}/groups/{group_id}"
    assert client.post(f"{base}/picked", headers=staff).status_code == 200
    assert client.post(f"{base}/packed", json={}, headers=staff).status_code == 200

    invoice = text(client.get(f"{base}/documents/commercial-invoice.pdf", headers=staff))

    assert (
        "Seller Buyer Consignee Lumen & Loom Export GmbH Hafenstraße 9 20457 Hamburg Germany "
        "Phone: +49 40 32901234"
    ) in invoice
    cn = text(client.get(f"{base}/documents/cn22.pdf", headers=staff))
    assert "20457 Hamburg Germany" in cn
