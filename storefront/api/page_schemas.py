"""JSON schemas of the legal pages, for the OpenAPI document."""

from __future__ import annotations

from i18n import SUPPORTED_LOCALES

from ..pages.operations import KINDS

_string = {"type": "string"}
_version = {
    "type": "integer",
    "minimum": 0,
    "description": "The kind's version number, counted across languages; 0: the starter "
    "template, not yet saved by the merchant",
}

PAGE_SCHEMAS: dict[str, dict] = {
    "LegalPage": {
        "type": "object",
        "properties": {
            "kind": {"enum": list(KINDS)},
            "locale": {"enum": list(SUPPORTED_LOCALES)},
            "version": _version,
            "template": {"type": "boolean"},
            "title": _string,
            "body": {**_string, "description": "Markdown; raw HTML is shown as text"},
            "html": _string,
        },
        "required": ["kind", "locale", "version", "template", "title", "body", "html"],
    },
    "LegalPageVersions": {
        "type": "object",
        "properties": {
            "current": {"$ref": "#/components/schemas/LegalPage"},
            "versions": {
                "type": "array",
                "items": {
                    "type": "object",
                    "properties": {"version": _version, "title": _string, "saved_at": _string},
                    "required": ["version", "title", "saved_at"],
                },
            },
        },
        "required": ["current", "versions"],
    },
    "LegalPageSet": {
        "type": "object",
        "properties": {"title": _string, "body": _string},
        "required": ["title", "body"],
    },
}
