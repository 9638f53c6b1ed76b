"""Who calls the API: the user behind an `Authorization: Bearer <api key>` header."""

from __future__ import annotations

from flask import request
from flask_babel import gettext

from .. import audit
from ..accounts.api_keys import bearer_token, user_for_key
from ..accounts.tables import User
from .errors import ApiError


def api_user() -> User:
    """The key's user; 401 with a stable code when the key is missing or not valid."""
    raw = bearer_token(request.headers.get("Authorization"))
    if raw is None:
        raise ApiError(
            401,
            "authentication_required",
            gettext("Send an API key as Authorization: Bearer <key>."),
        )
    user = user_for_key(raw)
    if user is None:
        raise ApiError(401, "invalid_api_key", gettext("This API key is not valid."))
    audit.act_as(user)  # the API's changes are the key's user's
    return user
