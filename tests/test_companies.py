"""Trade companies: VAT numbers checked per country (with the reason when refused), EORI,
terms, buyers and prices, through the service and the admin API; nothing half-saved; the
optional VIES check only when configured, cached for a day."""

from __future__ import annotations

import datetime

import pytest
from sqlalchemy import func, select

from storefront import clock
from storefront.accounts.api_keys import issue_api_key
from storefront.accounts.tables import User
from storefront.companies import operations as companies
from storefront.companies import vies
from storefront.companies.numbers import VatNumberError, vat_number
from storefront.companies.operations import CompanyInput
from storefront.companies.tables import Company, CompanyPrice
from storefront.db import db


@pytest.mark.parametrize(
    ("country", "typed", "stored"),
    [
        ("DE", "DE 136 695 976", "DE136695976"),
        ("DE", "136695976", "DE136695976"),  # the prefix is added
        ("FR", "FR 40 303 265 045", "FR40303265045"),
        ("AT", "atu13585627", "ATU13585627"),
        ("NL", "NL004495445B01", "NL004495445B01"),
        ("GR", "094259216", "EL094259216"),  # Greece's VAT prefix is EL
        ("GB", "980 7806 84", "GB980780684"),
        ("CH", "CHE-107.787.577 MWST", "CHE107787577MWST"),
        ("NO", "974 760 673 MVA", "974760673MVA"),
        ("AU", "51 824 753 556", "51824753556"),
    ],
)
def test_valid_numbers_are_kept_in_their_standard_form(country, typed, stored):
    assert vat_number(country, typed) == (stored, "check digit")


@pytest.mark.parametrize(
    ("country", "typed", "reason"),
    [
        ("DE", "DE136695977", "check digit"),
        ("DE", "DE12345", "length"),
        ("FR", "FRXX", "format"),
        ("DE", "FR40303265045", "country"),  # a French number for a German company
        ("GB", "GB980780685", "check digit"),
        ("AU", "51 824 753 557", "check digit"),
    ],
)
def test_invalid_numbers_are_refused_with_the_reason(country, typed, reason):
    with pytest.raises(VatNumberError) as refused:
        vat_number(country, typed)
    assert refused.value.reason == reason
    assert refused.value.code == "invalid_vat_number"
    assert refused.value.field == "vat_number"
    assert reason.split()[0] in refused.value.message or reason == "format"


def test_a_country_stdnum_does_not_know_is_kept_as_typed_and_unchecked():
    assert vat_number("US", "12-3456789") == ("12-3456789", "unchecked")


def _input(**overrides) -> CompanyInput:
    fields = dict(code="erika", legal_name="Boutique Erika GmbH", country="DE")
    return CompanyInput(**{**fields, **overrides})


@pytest.mark.parametrize(
    ("overrides", "code", "field"),
    [
        ({"vat_number": "DE136695977"}, "invalid_vat_number", "vat_number"),
        ({"eori": "US123"}, "invalid_eori", "eori"),
        ({"payment_terms": "deposit"}, "invalid_company", "deposit_percent"),
        (
            {"payment_terms": "deposit", "deposit_percent": 100},
            "invalid_company",
            "deposit_percent",
        ),
        ({"payment_terms": "net45"}, "invalid_company", "payment_terms"),
        ({"country": "XX"}, "invalid_company", "country"),
        ({"billing_address": {"planet": "Mars"}}, "invalid_company", "billing_address.planet"),
        ({"legal_name": " "}, "invalid_company", "legal_name"),
        ({"code": "new"}, "invalid_company", "code"),
    ],
)
def test_a_refused_company_saves_nothing(app, overrides, code, field):
    with app.app_context():
        with pytest.raises(companies.InputError) as refused:
            companies.save_company(_input(**overrides))
        assert (refused.value.code, refused.value.field) == (code, field)
        db.session.rollback()
        assert db.session.scalar(select(func.count()).select_from(Company)) == 0


def test_terms_buyers_and_prices(app, make_user, make_product):
    sku = f"{make_product().upper()}-0"
    make_user("buyer@erika.example", role="wholesale")
    make_user("shopper@example.com", role="customer")
    with app.app_context():
        company = companies.save_company(
            _input(payment_terms="deposit", deposit_percent=30, eori="DE 1234567")
        )
        assert (company.payment_terms, company.deposit_percent, company.eori) == (
            "deposit",
            30,
            "DE1234567",
        )
        companies.add_buyer(company, "buyer@erika.example")
        with pytest.raises(companies.CompanyError) as refused:
            companies.add_buyer(company, "shopper@example.com")
        assert refused.value.code == "not_a_trade_buyer"
        companies.set_prices(company, "eur", {sku: "25.5"})
        with pytest.raises(companies.CompanyError) as refused:
            companies.set_prices(company, "EUR", {sku: "20", "NOPE-1": "3"})
        assert refused.value.code == "unknown_sku"
        db.session.commit()
        assert [(p.sku, str(p.amount), p.currency) for p in company.prices] == [
            (sku, "25.500", "EUR")
        ]
        assert [u.email for u in companies.buyers(company)] == ["buyer@erika.example"]


def test_vies_is_not_asked_unless_configured(app):
    asked = []
    with app.app_context():
        company = companies.save_company(
            _input(vat_number="DE136695976"), vies_transport=asked.append
        )
        assert asked == [] and company.vies_valid is None


def test_vies_answers_are_kept_for_a_day(app, monkeypatch):
    monkeypatch.setitem(app.config, "VIES_CHECK", True)
    asked = []

    def registered(number: str) -> bool:
        asked.append(number)
        return False

    with app.app_context():
        company = companies.save_company(_input(vat_number="DE136695976"), None, registered)
        assert asked == ["DE136695976"] and company.vies_valid is False
        assert vies.check(company, registered) is False
        assert asked == ["DE136695976"]  # cached
        company.vies_checked_at = clock.now() - datetime.timedelta(days=1, minutes=1)
        assert vies.check(company, lambda number: True) is True
        # a new number is asked anew
        companies.save_company(_input(vat_number="DE 136695976"), company, registered)
        assert len(asked) == 1  # the same number: still cached
        companies.save_company(
            _input(country="FR", vat_number="FR40303265045"), company, registered
        )
        assert asked[-1] == "FR40303265045"


# the admin API --------------------------------------------------------------------------


@pytest.fixture
def staff_key(app, make_user):
    email = make_user(email="staff@api.example", role="staff")
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == email))
        _key, raw = issue_api_key(user)
        db.session.commit()
    return {"Authorization": f"Bearer {raw}"}


def test_admin_api_creates_edits_and_lists_companies(client, staff_key, make_user, make_product):
    sku = f"{make_product().upper()}-0"
    make_user("buyer@erika.example", role="wholesale")
    body = {
        "code": "erika",
        "legal_name": "Boutique Erika GmbH",
        "country": "DE",
        "vat_number": "DE 136 695 976",
        "billing_address": {"street_address": "Torstraße 1", "city": "Berlin"},
        "payment_terms": "net30",
        "buyers": ["buyer@erika.example"],
    }
    created = client.post("/api/v1/admin/companies", json=body, headers=staff_key)
    assert created.status_code == 201, created.data
    company = created.get_json()
    assert company["vat_number"] == "DE136695976" and company["eu_vat_valid"] is True
    assert company["buyers"] == ["buyer@erika.example"]

    changed = client.patch(
        "/api/v1/admin/companies/erika",
        json={"payment_terms": "deposit", "deposit_percent": 40},
        headers=staff_key,
    )
    assert changed.status_code == 200
    assert (changed.get_json()["payment_terms"], changed.get_json()["deposit_percent"]) == (
        "deposit",
        40,
    )
    prices = client.put(
        "/api/v1/admin/companies/erika/prices",
        json={"currency": "EUR", "prices": {sku: "25.50"}},
        headers=staff_key,
    )
    assert prices.get_json() == {"currency": "EUR", "prices": {sku: "25.5"}}
    listed = client.get("/api/v1/admin/companies", headers=staff_key).get_json()
    assert [c["code"] for c in listed["items"]] == ["erika"]
    archived = client.patch(
        "/api/v1/admin/companies/erika", json={"is_active": False}, headers=staff_key
    )
    assert archived.get_json()["is_active"] is False
    assert client.get("/api/v1/admin/companies", headers=staff_key).get_json()["items"] == []


def test_admin_api_refuses_a_bad_number_and_saves_nothing(app, client, staff_key):
    refused = client.post(
        "/api/v1/admin/companies",
        json={"code": "erika", "legal_name": "Erika", "country": "DE", "vat_number": "DE136695977"},
        headers=staff_key,
    )
    assert refused.status_code == 422
    error = refused.get_json()["error"]
    assert (error["code"], error["field"]) == ("invalid_vat_number", "vat_number")
    assert "check digit" in error["message"]
    # a good company with a buyer who does not exist: the company is not kept either
    refused = client.post(
        "/api/v1/admin/companies",
        json={"code": "erika", "legal_name": "Erika", "country": "DE", "buyers": ["x@y.example"]},
        headers=staff_key,
    )
    assert refused.status_code == 422
    assert refused.get_json()["error"]["code"] == "unknown_buyer"
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Company)) == 0
    assert client.get("/api/v1/admin/companies/erika", headers=staff_key).status_code == 404
    wrong_type = client.post(
        "/api/v1/admin/companies",
        json={"code": "erika", "legal_name": "Erika", "country": "DE", "deposit_percent": "30"},
        headers=staff_key,
    )
    assert wrong_type.status_code == 400


def test_a_price_list_refused_keeps_the_old_one(app, client, staff_key, make_product):
    sku = f"{make_product().upper()}-0"
    client.post(
        "/api/v1/admin/companies",
        json={"code": "erika", "legal_name": "Erika", "country": "DE"},
        headers=staff_key,
    )
    url = "/api/v1/admin/companies/erika/prices"
    client.put(url, json={"currency": "EUR", "prices": {sku: "25.50"}}, headers=staff_key)
    refused = client.put(url, json={"currency": "EUR", "prices": {sku: "-1"}}, headers=staff_key)
    assert refused.status_code == 422 and refused.get_json()["error"]["code"] == "invalid_price"
    with app.app_context():
        assert [str(p.amount) for p in db.session.scalars(select(CompanyPrice))] == ["25.500"]


def test_buyers_keys_may_not_use_the_companies_api(client, app, make_user):
    email = make_user(email="buyer@erika.example", role="wholesale")
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == email))
        _key, raw = issue_api_key(user)
        db.session.commit()
    answer = client.get("/api/v1/admin/companies", headers={"Authorization": f"Bearer {raw}"})
    assert answer.status_code == 403
