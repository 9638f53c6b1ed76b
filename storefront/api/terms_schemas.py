"""JSON schemas of an order's payment terms, its schedule, a part's transfer and its letter
of credit, for the OpenAPI document."""

from __future__ import annotations

from .schemas import _object, ref

_day = {"type": "string", "format": "date"}
_documents = {
    "type": "array",
    "items": {
        "type": "string",
        "enum": [
            "commercial-invoice",
            "packing-list",
            "bill-of-lading/air-waybill",
            "insurance",
            "certificate-of-origin",
        ],
    },
}

TERMS_SCHEMAS: dict[str, dict] = {
    "PaymentTermsRequest": _object(
        {
            "terms": {
                "type": "string",
                "description": "prepay, deposit:<percent 1-99>, net30, net60, net90 or "
                "letter_of_credit",
            }
        },
        ["terms"],
    ),
    "PaymentPart": _object(
        {
            "kind": {"type": "string", "enum": ["deposit", "balance", "invoice", "full"]},
            "amount": ref("Money"),
            "due_on": {**_day, "nullable": True, "description": "null: before shipment"},
            "status": {"type": "string", "enum": ["due", "paid"]},
            "overdue": {"type": "boolean"},
            "paid_at": {"type": "string", "format": "date-time", "nullable": True},
            "method": {"type": "string", "enum": ["card", "bank_transfer"], "nullable": True},
            "bank_reference": {"type": "string", "nullable": True},
        }
    ),
    "PaymentTerms": _object(
        {
            "order": {"type": "string"},
            "terms": {"type": "string", "nullable": True},
            "invoice_date": {**_day, "nullable": True},
            "schedule": {"type": "array", "items": ref("PaymentPart")},
            "due_now": {"type": "string", "nullable": True},
            "ships_when": {
                "type": "string",
                "nullable": True,
                "description": "what shipping waits for (null: nothing)",
            },
        }
    ),
    "PartTransferRequest": _object(
        {
            "amount": {"type": "string", "description": "exactly the part's amount"},
            "currency": {"type": "string", "pattern": "^[A-Z]{3}$"},
            "reference": {"type": "string", "maxLength": 140},
        },
        ["amount", "reference"],
    ),
    "LetterOfCreditRequest": _object(
        {
            "issuing_bank": {"type": "string", "maxLength": 200},
            "advising_bank": {"type": "string", "maxLength": 200},
            "lc_number": {"type": "string", "maxLength": 60},
            "amount": {"type": "string"},
            "currency": {"type": "string", "pattern": "^[A-Z]{3}$"},
            "expiry_date": _day,
            "latest_shipment_date": _day,
            "documents": _documents,
            "presentation_days": {"type": "integer", "minimum": 1, "maximum": 365},
        },
        [
            "issuing_bank",
            "lc_number",
            "amount",
            "expiry_date",
            "latest_shipment_date",
            "documents",
        ],
    ),
    "LetterOfCredit": _object(
        {
            "issuing_bank": {"type": "string"},
            "advising_bank": {"type": "string"},
            "lc_number": {"type": "string"},
            "amount": ref("Money"),
            "expiry_date": _day,
            "latest_shipment_date": _day,
            "documents": {
                "type": "array",
                "items": _object({"document": {"type": "string"}, "exists": {"type": "boolean"}}),
            },
            "presentation_days": {"type": "integer"},
            "presentation_deadline": {**_day, "nullable": True},
            "status": {"type": "string", "enum": ["open", "presented"]},
            "presented_on": {**_day, "nullable": True},
            "flags": {"type": "array", "items": {"type": "string"}},
        }
    ),
}
