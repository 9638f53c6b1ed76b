"""API errors: `{"error": {"code", "message", "field"}}`, never a 500 for bad input."""

from __future__ import annotations

from ..errors import error_response

__all__ = ["ApiError", "error_response"]


class ApiError(Exception):
    def __init__(self, status: int, code: str, message: str, field: str | None = None):
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.field = field
