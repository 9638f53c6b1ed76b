"""JSON schemas of quotes (what staff send, the quote as answered, an acceptance), for the
OpenAPI document."""

from __future__ import annotations

from .schemas import _object, ref

_day = {"type": "string", "format": "date"}
_text = {"type": "string"}
_money_or_null = {"oneOf": [ref("Money"), {"type": "null"}]}
_amount = {
    "oneOf": [{"type": "string"}, {"type": "null"}],
    "description": 'a decimal string in the quote\'s currency, like "120.50"',
}

QUOTE_SCHEMAS: dict[str, dict] = {
    "QuoteRequest": _object(
        {
            "company": {**_text, "description": "the trade buyer's e-mail or company code"},
            "company_name": {**_text, "maxLength": 200},
            "channel": {**_text, "description": "a channel code (default: the buyer's)"},
            "country": {**_text, "pattern": "^[A-Za-z]{2}$"},
            "locale": {**_text, "description": "the buyer's language (proforma, mails)"},
            "lines": {
                "type": "array",
                "minItems": 1,
                "maxItems": 100,
                "items": _object(
                    {
                        "sku": _text,
                        "quantity": {"type": "integer", "minimum": 1, "maximum": 99999},
                        "unit_price": {
                            **_amount,
                            "description": "a negotiated price: needs `reason`; without it "
                            "the channel's trade price for the quantity",
                        },
                        "reason": {**_text, "maxLength": 200},
                    },
                    ["sku", "quantity"],
                ),
            },
            "incoterm": {
                "type": "string",
                "enum": ["EXW", "FCA", "FOB", "CFR", "CIF", "CPT", "CIP", "DAP", "DPU", "DDP"],
            },
            "place": {**_text, "maxLength": 120, "description": "the Incoterm's named place"},
            "freight": {
                **_amount,
                "description": "required under CFR, CIF, CPT, CIP, DAP, "
                "DPU, DDP; refused under EXW, FCA, FOB",
            },
            "insurance": {**_amount, "description": "required under CIF and CIP only"},
            "valid_until": _day,
            "payment_terms": {
                **_text,
                "description": "prepay, deposit:<percent>, net30, net60, net90, letter_of_credit",
            },
        },
        ["lines", "incoterm", "place", "valid_until", "payment_terms"],
    ),
    "QuoteVersion": _object(
        {
            "version": {"type": "integer"},
            "company": _object(
                {"code": _text, "legal_name": _text, "vat_number": _text, "country": _text}
            ),
            "lines": {
                "type": "array",
                "items": _object(
                    {
                        "sku": _text,
                        "quantity": {"type": "integer"},
                        "unit_price": ref("Money"),
                        "list_price": _money_or_null,
                        "override_reason": {"type": ["string", "null"]},
                        "hs_code": _text,
                        "origin_country": _text,
                    }
                ),
            },
            "incoterm": _text,
            "place": _text,
            "freight": _money_or_null,
            "insurance": _money_or_null,
            "valid_until": _day,
            "payment_terms": _text,
            "payment_terms_text": _text,
            "shipments": {
                "type": "array",
                "items": _object(
                    {
                        "ship_from": _text,
                        "eta": _object(
                            {"min_days": {"type": "integer"}, "max_days": {"type": "integer"}}
                        ),
                        "skus": {"type": "array", "items": _text},
                        "import_collected": {"type": "boolean"},
                    }
                ),
            },
            "totals": _object(
                {"subtotal": ref("Money"), "import_charges": ref("Money"), "total": ref("Money")}
            ),
            "created_by": _text,
            "created_at": {"type": "string", "format": "date-time"},
        }
    ),
    "Quote": _object(
        {
            "id": {"type": "integer"},
            "number": _text,
            "status": {
                "type": "string",
                "enum": ["draft", "sent", "accepted", "expired", "withdrawn"],
            },
            "channel": _text,
            "currency": _text,
            "country": _text,
            "locale": _text,
            "buyer": _text,
            "current_version": {"type": "integer"},
            "current": ref("QuoteVersion"),
            "acceptance": {
                "oneOf": [
                    _object(
                        {
                            "version": {"type": "integer"},
                            "accepted_at": {"type": "string", "format": "date-time"},
                            "ip": {"type": ["string", "null"]},
                            "via": {"type": ["string", "null"]},
                            "order": {"type": ["string", "null"]},
                        }
                    ),
                    {"type": "null"},
                ]
            },
            "versions": {"type": "array", "items": ref("QuoteVersion")},
        }
    ),
    "QuoteAcceptance": _object(
        {
            "version": {"type": "integer", "description": "the version the buyer read"},
            "key": {**_text, "description": "the key of the link in the quote's mail"},
        },
        [],
    ),
    "QuoteAccepted": _object(
        {
            "quote": _text,
            "version": {"type": "integer"},
            "order": _object(
                {
                    "id": {"type": "integer"},
                    "number": _text,
                    "total": ref("Money"),
                    "incoterm": _text,
                    "incoterm_place": _text,
                    "payment_terms": _text,
                }
            ),
        }
    ),
}
