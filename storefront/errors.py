"""What services raise when they refuse input (a message for a person, a stable code for a
program, the field it is about), and the one place a refusal becomes an answer: a flash on
a page, or the API's JSON error."""

from __future__ import annotations

from flask import flash, jsonify

from .db import db


class InputError(ValueError):
    """Input a service refuses. `message` is shown to the person (translated where the
    service translated it), `code` is stable for programs, `field` names the input.

    Each feature's refusal derives from this and names its usual `code`, and the `status`
    the API answers it with; a raise may give a more exact code."""

    code: str = "invalid_input"
    status: int = 400

    def __init__(self, message: str, code: str | None = None, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.code = code or type(self).code
        self.field = field


def flash_refusal(error: InputError) -> str | None:
    """A page's answer to a refusal: undo what the request wrote, and show the message (in
    the buyer's language where the service translated it) on the next page. Returns the
    field, for a form to mark."""
    db.session.rollback()
    flash(error.message, "error")
    return error.field


def refusal_response(error: InputError):
    """A refusal as the API's JSON error, with its status."""
    return error_response(error.status, error.code, error.message, error.field)


def error_response(status: int, code: str, message: str, field: str | None = None):
    """The JSON answer to refused input: `{"error": {"code", "message", "field"}}`, the one
    shape the API and the webhooks answer with."""
    body = {"code": code, "message": message}
    if field:
        body["field"] = field
    return jsonify(error=body), status
