"""What services raise when they refuse input: a message for a person, and the field."""

from __future__ import annotations

from flask import jsonify


class InputError(ValueError):
    """Input a service refuses; `message` is shown to the user, `field` names the input."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


def error_response(status: int, code: str, message: str, field: str | None = None):
    """The JSON answer to refused input: `{"error": {"code", "message", "field"}}`, the one
    shape the API and the webhooks answer with."""
    body = {"code": code, "message": message}
    if field:
        body["field"] = field
    return jsonify(error=body), status
