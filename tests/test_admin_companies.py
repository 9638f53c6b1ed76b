"""The back office's pages of trade companies: made and edited from a form whose refusals
show the service's reason beside the field and save nothing, their buyers and own price
list, their history; staff only."""

from __future__ import annotations

import re
from decimal import Decimal

from sqlalchemy import func, select

from storefront.accounts.tables import User
from storefront.companies.tables import Company, CompanyPrice
from storefront.db import db

ERIKA = {
    "code": "boutique-erika",
    "legal_name": "Boutique Erika GmbH",
    "country": "de",
    "vat_number": "DE 136 695 976",
    "eori": "DE1234567",
    "billing_address.name": "Erika Muster",
    "billing_address.street_address": "Torstraße 1",
    "billing_address.city": "Berlin",
    "billing_address.postal_code": "10119",
    "billing_address.country": "DE",
    "payment_terms": "deposit",
    "deposit_percent": "30",
    "is_active": "1",
}


def _count(table) -> int:
    return db.session.scalar(select(func.count()).select_from(table))


def _beside(page: str, field: str) -> str:
    """The message shown beside `field` ('' when none)."""
    found = re.search(
        rf'class="field-error" role="alert" data-field="{re.escape(field)}">([^<]+)<', page
    )
    return found.group(1) if found else ""


def test_a_bad_vat_number_shows_its_reason_beside_the_field_and_saves_nothing(app, logged_in):
    client = logged_in("staff")
    refused = client.post("/admin/companies/new", data={**ERIKA, "vat_number": "DE136695977"})
    page = refused.get_data(as_text=True)
    assert refused.status_code == 422
    assert "check digit is wrong" in _beside(page, "vat_number")
    assert 'value="Boutique Erika GmbH"' in page  # what was typed is kept
    wrong_state = client.post("/admin/companies/new", data={**ERIKA, "vat_number": "FR40303265045"})
    assert "not from DE" in _beside(wrong_state.get_data(as_text=True), "vat_number")
    bad_city = client.post("/admin/companies/new", data={**ERIKA, "billing_address.country": "XX"})
    assert "not an ISO 3166-1" in _beside(
        bad_city.get_data(as_text=True), "billing_address.country"
    )
    with app.app_context():
        assert _count(Company) == 0


def test_staff_create_a_company_and_see_it_listed_with_its_history(app, logged_in):
    client = logged_in("staff")
    assert 'href="/admin/companies"' in client.get("/admin/").get_data(as_text=True)
    made = client.post("/admin/companies/new", data=ERIKA)
    assert made.status_code == 303 and made.headers["Location"].endswith(
        "/admin/companies/boutique-erika"
    )
    with app.app_context():
        company = db.session.scalar(select(Company))
        assert (company.vat_number, company.vat_checked_with) == ("DE136695976", "check digit")
        assert (company.country, company.payment_terms, company.deposit_percent) == (
            "DE",
            "deposit",
            30,
        )
        assert company.billing_address["city"] == "Berlin" and company.delivery_address is None
    listing = client.get("/admin/companies?q=erika").get_data(as_text=True)
    row = re.search(r'<tr data-code="boutique-erika">.*?</tr>', listing, re.S).group(0)
    assert "DE136695976" in row and "check digit" in row and "deposit 30 %" in row
    page = client.get("/admin/companies/boutique-erika").get_data(as_text=True)
    assert 'data-action="created"' in page and "Boutique Erika GmbH" in page

    # an edit that the service refuses changes nothing; a good one is saved and logged
    refused = client.post(
        "/admin/companies/boutique-erika", data={**ERIKA, "deposit_percent": "100"}
    )
    assert refused.status_code == 422
    assert "whole percent from 1 to 99" in _beside(
        refused.get_data(as_text=True), "deposit_percent"
    )
    edited = client.post(
        "/admin/companies/boutique-erika",
        data={**ERIKA, "payment_terms": "net30", "deposit_percent": "", "is_active": ""},
    )
    assert edited.status_code == 303
    with app.app_context():
        company = db.session.scalar(select(Company))
        assert (company.payment_terms, company.deposit_percent, company.is_active) == (
            "net30",
            None,
            False,
        )
    assert "boutique-erika" not in client.get("/admin/companies").get_data(as_text=True)
    archived = client.get("/admin/companies?archived=1").get_data(as_text=True)
    assert 'data-code="boutique-erika"' in archived
    history = client.get("/admin/companies/boutique-erika").get_data(as_text=True)
    assert "deposit → net30" in history and 'data-action="archived"' in history


def test_buyers_are_added_by_e_mail_and_removed(app, logged_in, make_user):
    client = logged_in("staff")
    client.post("/admin/companies/new", data=ERIKA)
    make_user(email="anna@erika.example", role="wholesale")
    make_user(email="shopper@example.com", role="customer")
    retail = client.post(
        "/admin/companies/boutique-erika/buyers", data={"email": "shopper@example.com"}
    )
    assert retail.status_code == 422
    assert "Only trade buyers" in retail.get_data(as_text=True)
    added = client.post(
        "/admin/companies/boutique-erika/buyers", data={"email": "Anna@erika.example"}
    )
    assert added.status_code == 303
    page = client.get("/admin/companies/boutique-erika").get_data(as_text=True)
    assert 'data-email="anna@erika.example"' in page
    listing = client.get("/admin/companies").get_data(as_text=True)
    assert re.search(r'data-testid="buyers-count">1<', listing)
    with app.app_context():
        anna = db.session.scalar(select(User).where(User.email == "anna@erika.example"))
        assert anna.company_id == db.session.scalar(select(Company.id))
    client.post(
        "/admin/companies/boutique-erika/buyers",
        data={"email": "anna@erika.example", "remove": "1"},
    )
    with app.app_context():
        anna = db.session.scalar(select(User).where(User.email == "anna@erika.example"))
        assert anna.company_id is None


def test_the_price_list_is_replaced_whole_and_a_refused_one_keeps_the_old(
    app, logged_in, make_product
):
    slug = make_product(name="Trade ring", prices=["40.00"])
    sku = f"{slug.upper()}-0"
    client = logged_in("staff")
    client.post("/admin/companies/new", data=ERIKA)
    saved = client.post(
        "/admin/companies/boutique-erika/prices",
        data={"currency": "eur", "prices": f"{sku} 18.50\n"},
    )
    assert saved.status_code == 303
    page = client.get("/admin/companies/boutique-erika").get_data(as_text=True)
    assert f'data-sku="{sku}"' in page and "18.50" in page
    unknown = client.post(
        "/admin/companies/boutique-erika/prices",
        data={"currency": "EUR", "prices": f"{sku} 17\nNO-SUCH-SKU 3"},
    )
    assert unknown.status_code == 422
    assert "No product variant has the SKU NO-SUCH-SKU" in unknown.get_data(as_text=True)
    twice = client.post(
        "/admin/companies/boutique-erika/prices",
        data={"currency": "EUR", "prices": f"{sku} 17\n{sku} 16"},
    )
    assert twice.status_code == 422 and "listed twice" in twice.get_data(as_text=True)
    with app.app_context():
        prices = db.session.scalars(select(CompanyPrice)).all()
        assert [(p.sku, p.amount, p.currency) for p in prices] == [(sku, Decimal("18.500"), "EUR")]
    cleared = client.post(
        "/admin/companies/boutique-erika/prices", data={"currency": "EUR", "prices": ""}
    )
    assert cleared.status_code == 303
    with app.app_context():
        assert _count(CompanyPrice) == 0


def test_agents_and_suppliers_cannot_open_the_companies(app, logged_in, make_user):
    staff = logged_in("staff")
    staff.post("/admin/companies/new", data=ERIKA)
    staff.post("/logout")
    agent = logged_in("agent", email="agent@example.com")
    assert agent.get("/admin/companies").status_code == 403
    assert agent.get("/admin/companies/boutique-erika").status_code == 403
    assert agent.post("/admin/companies/new", data={**ERIKA, "code": "other"}).status_code == 403
    agent.post("/logout")
    supplier = logged_in("supplier", email="supplier@example.com")
    assert supplier.get("/admin/companies").status_code == 403
    with app.app_context():
        assert _count(Company) == 1
