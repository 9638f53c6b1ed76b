"""API errors: `{"error": {"code", "message", "field"}}`, never a 500 for bad input."""

from __future__ import annotations

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
