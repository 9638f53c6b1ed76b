"""JSON schemas of a supplier's webhook endpoints and API keys (back office), and of an
agent's commission per brand, for the OpenAPI document."""

from __future__ import annotations

from ..webhooks.access import EVENT_TYPES
from .schemas import _object

_string = {"type": "string"}
_when = {"type": ["string", "null"], "format": "date-time"}
_events = {
    "type": "array",
    "items": {"enum": [*EVENT_TYPES, "*"]},
    "description": '"*" is every event, including kinds added later',
}
_endpoint = {
    "id": {"type": "integer"},
    "url": _string,
    "events": _events,
    "active": {"type": "boolean"},
    "disabled_reason": _string,
    "created_at": {"type": "string", "format": "date-time"},
}
_key = {
    "prefix": {"type": "string", "description": "The key's first characters, to recognise it"},
    "email": {"type": "string", "description": "The supplier user the key acts as"},
    "created_at": {"type": "string", "format": "date-time"},
    "revoked_at": _when,
}

SUPPLIER_ACCESS_SCHEMAS: dict[str, dict] = {
    "SupplierEndpoint": _object(_endpoint),
    "SupplierEndpointList": _object(
        {"items": {"type": "array", "items": {"$ref": "#/components/schemas/SupplierEndpoint"}}}
    ),
    "SupplierEndpointCreate": _object(
        {
            "url": {
                "type": "string",
                "description": "https:// (plain http only to this machine, in the demo)",
            },
            "events": _events,
        }
    ),
    "SupplierEndpointCreated": _object(
        {
            **_endpoint,
            "secret": {
                "type": "string",
                "description": "The signing secret (whsec_...), in this answer only",
            },
        }
    ),
    "SupplierEndpointEdit": _object(
        {"active": {"type": "boolean"}, "events": _events}, required=[]
    ),
    "SupplierApiKey": _object(_key),
    "SupplierApiKeyList": _object(
        {"items": {"type": "array", "items": {"$ref": "#/components/schemas/SupplierApiKey"}}}
    ),
    "SupplierApiKeyIssue": _object(
        {"email": {"type": "string", "description": "A supplier user of this supplier"}}
    ),
    "SupplierApiKeyIssued": _object(
        {**_key, "key": {"type": "string", "description": "The key itself, in this answer only"}}
    ),
}
