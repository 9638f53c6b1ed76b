"""JSON schemas of agent payouts (what staff record, and the payout as answered), for the
OpenAPI document."""

from __future__ import annotations

from .schemas import _object, ref

_day = {"type": "string", "format": "date"}

SETTLEMENT_SCHEMAS: dict[str, dict] = {
    "AgentPayoutRequest": _object(
        {
            "amount": {"type": "string", "description": 'a decimal string, like "120.50"'},
            "currency": {"type": "string", "pattern": "^[A-Z]{3}$"},
            "from": {**_day, "description": "the first day of the period paid for"},
            "to": {**_day, "description": "its last day (included)"},
            "note": {"type": "string", "maxLength": 300},
        },
        ["amount", "currency", "from", "to"],
    ),
    "AgentPayout": _object(
        {
            "id": {"type": "integer"},
            "agent": {"type": "string"},
            "amount": ref("Money"),
            "from": _day,
            "to": _day,
            "note": {"type": "string"},
            "actor": {"type": "string"},
            "created_at": {"type": "string", "format": "date-time"},
        }
    ),
}
