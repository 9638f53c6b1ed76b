"""The demo's trade companies: a German boutique with a valid EU VAT number (its shipments
from the Rotterdam warehouse are zero-rated, reverse charge) whose buyer is the demo trade
login, and a Swiss shop on net-30 terms."""

from __future__ import annotations

from ..companies import operations as companies
from ..companies.operations import CompanyInput

DEMO_COMPANIES = (
    CompanyInput(
        code="boutique-erika",
        legal_name="Boutique Erika GmbH",
        country="DE",
        vat_number="DE 136 695 976",  # passes python-stdnum's check digit
        eori="DE1234567890123",
        billing_address={
            "company_name": "Boutique Erika GmbH",
            "street_address": "Torstraße 1",
            "city": "Berlin",
            "postal_code": "10119",
            "country": "DE",
        },
        payment_terms="deposit",
        deposit_percent=30,
    ),
    CompanyInput(
        code="bijoux-zurich",
        legal_name="Bijoux Zürich AG",
        country="CH",
        vat_number="CHE-107.787.577 MWST",
        billing_address={
            "street_address": "Bahnhofstrasse 10",
            "city": "Zürich",
            "postal_code": "8001",
            "country": "CH",
        },
        payment_terms="net30",
    ),
)
DEMO_COMPANY_BUYER = ("boutique-erika", "trade@demo.shop")


def seed_companies(with_buyer: bool) -> int:
    """The demo companies (none twice); the demo trade buyer orders for the first."""
    made = 0
    for data in DEMO_COMPANIES:
        if companies.find(data.code) is None:
            companies.save_company(data)
            made += 1
    if with_buyer:
        code, email = DEMO_COMPANY_BUYER
        companies.add_buyer(companies.find(code), email)
    return made
