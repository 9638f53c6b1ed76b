"""JSON schemas of channels and exchange rates in the admin API, for the OpenAPI document."""

from __future__ import annotations

from .schemas import _object, ref

_string = {"type": "string"}
_codes = {"type": "array", "items": _string}

CHANNEL_SCHEMAS: dict[str, dict] = {
    "AdminChannel": _object(
        {
            "code": {"type": "string", "pattern": "^[a-z0-9][a-z0-9-]{1,39}$"},
            "name": _string,
            "currency": {"type": "string", "pattern": "^[A-Z]{3}$"},
            "countries": {**_codes, "description": "ISO 3166-1 codes; the first is the default"},
            "locales": _codes,
            "tax_display": {"enum": ["gross", "net"]},
            "duty_policy": {"enum": ["dap", "ddp"]},
            "rounding_rule": {
                "type": "string",
                "description": "precision, step:<number> or ending:<number>",
            },
            "free_shipping_over": {
                "type": ["string", "null"],
                "description": "A decimal in the channel's currency; null: no threshold",
            },
            "position": {"type": "integer", "minimum": 0},
            "return_days": {
                "type": "integer",
                "minimum": 0,
                "maximum": 365,
                "description": "days after delivery a return may be asked for; EU and UK "
                "consumers get at least 14 whatever it says",
            },
            "return_postage_cap": {
                "type": "string",
                "pattern": r"^\d+(\.\d+)?$",
                "description": "the most a faulty or wrong item's return refunds of the "
                "buyer's return postage, a decimal in the channel's currency; 0: none",
            },
            "is_active": {"type": "boolean", "description": "false: archived"},
        },
        required=["code", "name", "currency", "countries", "locales"],
    ),
    "AdminChannelPage": _object(
        {
            "items": {"type": "array", "items": ref("AdminChannel")},
            "next": {"type": ["string", "null"]},
        }
    ),
    "FxRate": _object(
        {
            "currency": _string,
            "rate": {"type": "string", "description": "1 EUR = rate units"},
            "date": {"type": "string", "format": "date"},
            "source": {"enum": ["ecb", "snapshot", "manual", "peg", "demo"]},
            "stale": {"type": "boolean"},
        },
        required=["currency", "rate"],
    ),
    "FxRateList": _object({"items": {"type": "array", "items": ref("FxRate")}}),
}
