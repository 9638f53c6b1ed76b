"""The back office's simple records in the admin API, all alike: a paged list (`q`,
`archived=1`, `cursor`), one by its key, create (201), edit (the fields given), archive.
Staff keys only. A feature's records (brands, categories, workshops, agents, suppliers)
register here with their own services; refusals are the services' own (answered 400
with their `field` by the API's error handler)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from flask import jsonify, request
from flask_babel import gettext
from sqlalchemy import Select

from ..accounts import STAFF_ROLES
from ..db import db
from .auth import api_user
from .errors import ApiError, json_object
from .spec import operation, query_param
from .views import _decode_cursor, _encode_cursor, bp

PAGE_SIZE = 50


def staff_only() -> None:
    if api_user().role not in STAFF_ROLES:
        raise ApiError(403, "forbidden", gettext("This key may not use the back-office API."))


@dataclass(frozen=True)
class Records:
    path: str  # "brands": the routes are /admin/<path>...
    table: type  # its rows have an integer `id`
    schema: str  # "Brand": the OpenAPI schemas <schema> and <schema>Page
    label: str  # "brand", in summaries and refusals
    key: str  # "slug" or "code": how one is named in the URL
    find: Callable[[str, bool], Select]  # (q, archived) -> the rows
    by_key: Callable[[str], object | None]
    as_json: Callable[[object], dict]
    save: Callable[[dict, object | None], object]  # (body, the record or None to create)
    archive: Callable[[object], None]
    archived_means: str  # what archiving does, for the summary


def _one(records: Records, key: str):
    record = records.by_key(key)
    if record is None:
        raise ApiError(404, "not_found", f"There is no {records.label} {key}.", records.key)
    return record


def _views(records: Records) -> dict[str, Callable]:
    table = records.table

    def listing():
        staff_only()
        statement = (
            records.find(request.args.get("q", ""), request.args.get("archived") == "1")
            .order_by(None)
            .order_by(table.id)
        )
        after = _decode_cursor(request.args.get("cursor"))
        if after is not None:
            statement = statement.where(table.id > after)
        rows = db.session.scalars(statement.limit(PAGE_SIZE + 1)).all()
        more = len(rows) > PAGE_SIZE
        rows = rows[:PAGE_SIZE]
        return jsonify(
            items=[records.as_json(r) for r in rows],
            next=_encode_cursor(rows[-1].id) if more else None,
        )

    def one(**url):
        staff_only()
        return jsonify(records.as_json(_one(records, url[records.key])))

    def create():
        staff_only()
        record = records.save(json_object(), None)
        db.session.commit()
        return jsonify(records.as_json(record)), 201

    def edit(**url):
        staff_only()
        record = records.save(json_object(), _one(records, url[records.key]))
        db.session.commit()
        return jsonify(records.as_json(record))

    def archive(**url):
        staff_only()
        record = _one(records, url[records.key])
        records.archive(record)
        db.session.commit()
        return jsonify(records.as_json(record))

    return {"list": listing, "one": one, "create": create, "edit": edit, "archive": archive}


def register(records: Records) -> None:
    """The five routes of one kind of record, described in the OpenAPI document."""
    views = _views(records)
    path, name, schema, label = (
        f"/admin/{records.path}",
        records.path,
        records.schema,
        records.label,
    )
    one = f"{path}/<{records.key}>"
    described = {"tags": ["back office"], "security": "bearer"}
    routes = (
        (path, "list", "GET", operation(
            f"{name.capitalize()}, paged (`q` searches {records.key} and name; `archived=1`)",
            query=[
                query_param("q", f"Text in the {records.key} or name"),
                query_param("archived", "1: the archived ones"),
                query_param("cursor", "The `next` value of the previous page"),
            ],
            response=f"{schema}Page", errors=(400, 401, 403), **described)),
        (path, "create", "POST", operation(
            f"Create a {label}", body=schema, response=schema, errors=(400, 401, 403),
            status=201, **described)),
        (one, "one", "GET", operation(
            f"One {label}", response=schema, errors=(401, 403, 404), **described)),
        (one, "edit", "PATCH", operation(
            f"Edit a {label} (the fields given)", body=schema, response=schema,
            errors=(400, 401, 403, 404), **described)),
        (f"{one}/archive", "archive", "POST", operation(
            f"Archive a {label}: {records.archived_means}", response=schema,
            errors=(400, 401, 403, 404), **described)),
    )  # fmt: skip
    for rule, view, method, describe in routes:
        bp.add_url_rule(rule, f"admin_{name}_{view}", describe(views[view]), methods=[method])
