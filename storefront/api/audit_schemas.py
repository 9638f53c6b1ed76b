"""JSON schemas of the audit log in the admin API, for the OpenAPI document."""

from __future__ import annotations

from .schemas import _object, ref

_text = {"type": "string"}
_maybe_text = {"type": ["string", "null"]}

AUDIT_SCHEMAS: dict[str, dict] = {
    "AuditEntry": _object(
        {
            "id": {"type": "integer"},
            "at": {"type": "string", "format": "date-time"},
            "actor": _object(
                {
                    "name": {**_text, "description": '"system" for the CLI, worker and seed'},
                    "email": _text,
                }
            ),
            "kind": _text,
            "key": {**_text, "description": "The record's slug, code or id"},
            "label": _text,
            "action": {"enum": ["created", "changed", "archived", "restored", "removed"]},
            "changes": {
                "type": "array",
                "items": _object(
                    {
                        "field": {**_text, "description": 'e.g. "price of SLS-001-5"'},
                        "old": _maybe_text,
                        "new": _maybe_text,
                        "note": {**_text, "description": "added, removed or rotated"},
                    },
                    required=["field"],
                ),
            },
            "summary": {**_text, "description": "The change as the record's page shows it"},
        },
        required=["id", "at", "actor", "kind", "key", "action", "changes"],
    ),
    "AuditPage": _object(
        {
            "items": {"type": "array", "items": ref("AuditEntry")},
            "next": {"type": ["string", "null"]},
        }
    ),
}
