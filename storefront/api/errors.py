"""API errors: `{"error": {"code", "message", "field"}}`, never a 500 for bad input."""

from __future__ import annotations

from flask import request
from flask_babel import gettext

from ..db import db
from ..errors import InputError, refusal_response


class ApiError(InputError):
    """A refusal the API itself makes (bad JSON, unknown id, no access), with its status."""

    def __init__(self, status: int, code: str, message: str, field: str | None = None):
        super().__init__(message, code, field)
        self.status = status


def answer_refusal(error: InputError):
    """The API blueprints' handler for any refusal: undo what the request wrote, then
    answer `{"error": {...}}` with the refusal's status. API views just let refusals raise."""
    db.session.rollback()
    return refusal_response(error)


def json_object(*, empty: bool = False) -> dict:
    """The request's JSON object; 400 `invalid_json` for anything else (an empty body is
    `{}` when `empty` allows one, for calls whose fields are all optional)."""
    body = request.get_json(silent=True)
    if empty and body is None and not request.get_data():
        return {}
    if not isinstance(body, dict):
        raise ApiError(400, "invalid_json", gettext("The request body must be a JSON object."))
    return body
