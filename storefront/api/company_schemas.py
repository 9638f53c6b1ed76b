"""JSON schemas of trade companies (storefront.companies), for the OpenAPI document."""

from __future__ import annotations

from ..companies.operations import ADDRESS_FIELDS
from ..companies.tables import PAYMENT_TERMS

_string = {"type": "string"}
_ADDRESS = {
    "type": ["object", "null"],
    "properties": {name: _string for name in (*ADDRESS_FIELDS, "country")},
    "additionalProperties": False,
    "description": "the keys of an order's ship_to, and the country",
}

COMPANY_SCHEMAS: dict[str, dict] = {
    "Company": {
        "type": "object",
        "properties": {
            "code": {"type": "string", "pattern": "^[a-z0-9][a-z0-9-]{1,39}$"},
            "legal_name": _string,
            "country": {"type": "string", "pattern": "^[A-Z]{2}$"},
            "vat_number": {
                **_string,
                "description": "python-stdnum checks it for the country; EU numbers are kept "
                "with their prefix (EL for Greece)",
            },
            "vat_checked_with": {
                "enum": ["check digit", "unchecked", ""],
                "description": "unchecked: a country python-stdnum has no module for",
            },
            "vies_valid": {
                "type": ["boolean", "null"],
                "description": "VIES's last answer (only with VIES_CHECK on); null: not asked",
            },
            "eu_vat_valid": {
                "type": "boolean",
                "description": "its shipments from another EU state are zero-rated",
            },
            "eori": _string,
            "billing_address": _ADDRESS,
            "delivery_address": _ADDRESS,
            "payment_terms": {"enum": list(PAYMENT_TERMS)},
            "deposit_percent": {"type": ["integer", "null"], "minimum": 1, "maximum": 99},
            "buyers": {
                "type": "array",
                "items": _string,
                "description": "e-mails of its trade buyers (role wholesale); PATCH replaces",
            },
            "is_active": {"type": "boolean"},
        },
        "required": ["code", "legal_name", "country"],
    },
    "CompanyPage": {
        "type": "object",
        "properties": {
            "items": {"type": "array", "items": {"$ref": "#/components/schemas/Company"}},
            "next": {"type": ["string", "null"]},
        },
        "required": ["items", "next"],
    },
    "CompanyPrices": {
        "type": "object",
        "properties": {
            "currency": {**_string, "description": "one currency for the list; '' when empty"},
            "prices": {
                "type": "object",
                "additionalProperties": {"type": "string", "pattern": r"^\d+(\.\d{1,3})?$"},
                "description": "SKU -> unit price; over the trade tiers in that currency",
            },
        },
        "required": ["currency", "prices"],
    },
}
