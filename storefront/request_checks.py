"""What every request to the shop must be before a view sees it (issue #14: never a 500).

Checked once here rather than in each view: no NUL character anywhere (PostgreSQL refuses
it in text), no number in the path or a JSON body beyond what an integer column holds, no
JSON nested deeper than any call needs, no body larger than MAX_CONTENT_LENGTH; and page
numbers and numeric query values read by one bounded parser. A value the database still
refuses (`DataError`, or SQLite's OverflowError) is a 400 after the transaction is rolled
back, not a 500.
"""

from __future__ import annotations

import logging

from flask import abort, request
from flask_babel import gettext
from sqlalchemy.exc import DataError
from werkzeug.exceptions import BadRequest

from .config import settings
from .db import db
from .errors import error_response
from .mount import ShopSetup, shop_path
from .web import http_error, wants_json

log = logging.getLogger(__name__)

# The shop's ids, quantities and positions are 32-bit INTEGER columns.
MAX_INT = 2**31 - 1
MAX_JSON_DEPTH = 32
NUL = "\x00"


def bounded_int(raw: str) -> int:
    """A query value as a whole number an INTEGER column holds; ValueError otherwise, so
    `request.args.get(name, default, type=bounded_int)` falls back to the default."""
    value = int(raw)
    if not -MAX_INT <= value <= MAX_INT:
        raise ValueError(f"{raw!r} is out of range")
    return value


def whole_number(raw: object) -> int | None:
    """`raw` (an id from a URL or a form) as a number an INTEGER column holds, else None."""
    text = str(raw)
    if not (text.isascii() and text.isdigit()) or len(text) > 10:  # "²" is a digit to isdigit
        return None
    value = int(text)
    return value if value <= MAX_INT else None


def page_number() -> int:
    """The listing page asked for by `?page=`: 1 when absent or not a number, 404 when no
    listing could have it."""
    raw = request.args.get("page", "")
    try:
        page = int(raw)
    except ValueError:
        return 1
    if page > MAX_INT:
        abort(404)
    return max(1, page)


def _refused(code: str, message: str, field: str | None = None):
    if wants_json():
        return error_response(400, code, message, field)
    abort(400, message)


def _json_problem(body) -> tuple[str, str | None] | None:
    """(message, field) for the first value in a parsed JSON body the shop will not take."""
    limit_ints = not shop_path().startswith("/webhooks/")  # Stripe's amounts may be larger
    stack = [(body, "", 0)]
    while stack:
        value, path, depth = stack.pop()
        if depth > MAX_JSON_DEPTH:
            return gettext("The JSON is nested too deeply."), None
        if isinstance(value, dict):
            for key, item in value.items():
                if NUL in key:
                    return gettext("The request holds a NUL character."), path or None
                stack.append((item, f"{path}.{key}" if path else key, depth + 1))
        elif isinstance(value, list):
            stack.extend((item, f"{path}[{i}]", depth + 1) for i, item in enumerate(value))
        elif isinstance(value, str) and NUL in value:
            return gettext("The request holds a NUL character."), path or None
        elif (
            limit_ints
            and isinstance(value, int)
            and not isinstance(value, bool)
            and not -MAX_INT <= value <= MAX_INT
        ):
            return gettext("%(field)s is out of range.", field=path or "value"), path or None
    return None


def check_request():
    """The shop blueprint's first hook: refuse what no view should have to handle."""
    limit = settings()["MAX_CONTENT_LENGTH"]
    if limit and (request.max_content_length is None or limit < request.max_content_length):
        request.max_content_length = limit  # mounted: the shop's own limit under the host's
    if NUL in request.path or any(
        isinstance(v, str) and NUL in v for v in (request.view_args or {}).values()
    ):
        abort(404)
    if any(
        isinstance(v, int) and not -MAX_INT <= v <= MAX_INT
        for v in (request.view_args or {}).values()
    ):
        abort(404)  # an id no row can have
    texts = [*request.args.keys(), *request.args.values(), *(v for _, v in request.headers)]
    if request.mimetype == "application/x-www-form-urlencoded":
        texts += [*request.form.keys(), *request.form.values()]
    if any(NUL in text for text in texts):
        return _refused("invalid_input", gettext("The request holds a NUL character."))
    if request.is_json and request.content_length != 0:
        try:
            body = request.get_json(silent=True)
        except RecursionError:
            return _refused("invalid_json", gettext("The JSON is nested too deeply."))
        problem = _json_problem(body)
        if problem is not None:
            return _refused("invalid_json", *problem)
    return None


def refuse_data_error(error: DataError | OverflowError):
    """A value the database refused (out of range, not text; SQLite's driver raises
    OverflowError for an integer beyond 64 bits): the client's input, so a 400 after the
    failed transaction is rolled back (the error page queries the database too)."""
    db.session.rollback()
    log.warning("Refused input the database rejected: %s", getattr(error, "orig", error))
    message = gettext("A value in the request is not valid.")
    if wants_json():
        return error_response(400, "invalid_input", message)
    return http_error(BadRequest(message))


def init_app(setup: ShopSetup) -> None:
    setup.blueprint.before_request(check_request)
    setup.errorhandler(DataError)(refuse_data_error)
    setup.errorhandler(OverflowError)(refuse_data_error)
