"""What services raise when they refuse input: a message for a person, and the field."""

from __future__ import annotations


class InputError(ValueError):
    """Input a service refuses; `message` is shown to the user, `field` names the input."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field
