"""Companies in the audit log: the company and each price of its own price list."""

from __future__ import annotations

from .. import audit
from .tables import Company, CompanyPrice


def track_history() -> None:
    audit.track(
        Company,
        kind="company",
        key=lambda r: r.code,
        label=lambda r: r.legal_name,
        archived=("is_active", False),
        fields={
            "code": "code",
            "legal_name": "legal name",
            "country": "country",
            "vat_number": "VAT number",
            "eori": "EORI",
            "billing_address": "billing address",
            "delivery_address": "delivery address",
            "payment_terms": "payment terms",
            "deposit_percent": "deposit %",
        },
    )
    audit.track(
        CompanyPrice,
        parent=audit.parent_by(Company, "company_id"),
        label=lambda r: f"price of {r.sku}",
        fields={"amount": "price", "currency": "currency"},
    )
