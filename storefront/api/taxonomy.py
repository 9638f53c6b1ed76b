"""Brands and categories in the admin API: list (paged), one, create, edit, archive. Staff
keys only; the rules are the catalog's (`catalog.taxonomy`), as on the back-office pages."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from flask import jsonify, request
from flask_babel import gettext

from ..accounts.tables import Role
from ..catalog import taxonomy
from ..catalog.operations import CatalogError
from ..catalog.tables import Brand, Category
from ..db import db
from .auth import api_user
from .errors import ApiError, json_object
from .spec import operation, query_param
from .views import _decode_cursor, _encode_cursor, bp

PAGE_SIZE = 50
STAFF = (Role.OWNER, Role.STAFF)


@dataclass(frozen=True)
class Resource:
    path: str
    table: type
    schema: str
    as_json: Callable[[object], dict]
    save: Callable[[dict, object], object]


def _brand_json(brand: Brand) -> dict:
    return {
        "slug": brand.slug,
        "name": brand.name,
        "country": brand.country,
        "is_archived": brand.is_archived,
    }


def _category_json(category: Category) -> dict:
    return {
        "slug": category.slug,
        "name": category.name,
        "position": category.position,
        "is_archived": category.is_archived,
    }


def _text(body: dict, name: str, current: str = "") -> str:
    value = body.get(name, current)
    if not isinstance(value, str):
        raise ApiError(400, f"invalid_{name}", f"{name} must be text.", name)
    return value


def _save_brand(body: dict, brand: Brand | None) -> Brand:
    data = taxonomy.BrandInput(
        _text(body, "slug", brand.slug if brand else ""),
        _text(body, "name", brand.name if brand else ""),
        _text(body, "country", brand.country if brand else ""),
    )
    return taxonomy.save_brand(data, brand)


def _save_category(body: dict, category: Category | None) -> Category:
    position = body.get("position", category.position if category else 0)
    data = taxonomy.CategoryInput(
        _text(body, "slug", category.slug if category else ""),
        _text(body, "name", category.name if category else ""),
        position,
    )
    return taxonomy.save_category(data, category)


RESOURCES = (
    Resource("brands", Brand, "Brand", _brand_json, _save_brand),
    Resource("categories", Category, "Category", _category_json, _save_category),
)


def _staff() -> None:
    if api_user().role not in STAFF:
        raise ApiError(403, "forbidden", gettext("This key may not use the back-office API."))


def _one(resource: Resource, slug: str):
    record = taxonomy.by_slug(resource.table, slug)
    if record is None:
        raise ApiError(404, "not_found", f"There is no {resource.schema.lower()} {slug}.", "slug")
    return record


def _refused(error: CatalogError) -> ApiError:
    return ApiError(400, error.code, error.message, error.field)


def _views(resource: Resource) -> dict[str, Callable]:
    def listing():
        _staff()
        statement = (
            taxonomy.find(
                resource.table, request.args.get("q", ""), request.args.get("archived") == "1"
            )
            .order_by(None)
            .order_by(resource.table.id)
        )
        after = _decode_cursor(request.args.get("cursor"))
        if after is not None:
            statement = statement.where(resource.table.id > after)
        rows = db.session.scalars(statement.limit(PAGE_SIZE + 1)).all()
        more = len(rows) > PAGE_SIZE
        rows = rows[:PAGE_SIZE]
        return jsonify(
            items=[resource.as_json(r) for r in rows],
            next=_encode_cursor(rows[-1].id) if more else None,
        )

    def one(slug: str):
        _staff()
        return jsonify(resource.as_json(_one(resource, slug)))

    def create():
        _staff()
        try:
            record = resource.save(json_object(), None)
        except CatalogError as error:
            raise _refused(error) from None
        db.session.commit()
        return jsonify(resource.as_json(record)), 201

    def edit(slug: str):
        _staff()
        record = _one(resource, slug)
        try:
            record = resource.save(json_object(), record)
        except CatalogError as error:
            raise _refused(error) from None
        db.session.commit()
        return jsonify(resource.as_json(record))

    def archive(slug: str):
        _staff()
        record = _one(resource, slug)
        taxonomy.archive(record)
        db.session.commit()
        return jsonify(resource.as_json(record))

    return {"list": listing, "one": one, "create": create, "edit": edit, "archive": archive}


for _resource in RESOURCES:
    _name, _path, _schema = _resource.path, f"/admin/{_resource.path}", _resource.schema
    _view = _views(_resource)
    _common = {"tags": ["back office"], "security": "bearer"}
    bp.add_url_rule(
        _path,
        f"admin_{_name}_list",
        operation(
            f"{_name.capitalize()}, paged (`q` searches slug and name; `archived=1`)",
            query=[
                query_param("q", "Text in the slug or name"),
                query_param("archived", "1: the archived ones"),
                query_param("cursor", "The `next` value of the previous page"),
            ],
            response=f"{_schema}Page",
            errors=(400, 401, 403),
            **_common,
        )(_view["list"]),
        methods=["GET"],
    )
    bp.add_url_rule(
        _path,
        f"admin_{_name}_create",
        operation(
            f"Create a {_schema.lower()}",
            body=_schema,
            response=_schema,
            errors=(400, 401, 403),
            status=201,
            **_common,
        )(_view["create"]),
        methods=["POST"],
    )
    bp.add_url_rule(
        f"{_path}/<slug>",
        f"admin_{_name}_one",
        operation(f"One {_schema.lower()}", response=_schema, errors=(401, 403, 404), **_common)(
            _view["one"]
        ),
        methods=["GET"],
    )
    bp.add_url_rule(
        f"{_path}/<slug>",
        f"admin_{_name}_edit",
        operation(
            f"Edit a {_schema.lower()} (the fields given)",
            body=_schema,
            response=_schema,
            errors=(400, 401, 403, 404),
            **_common,
        )(_view["edit"]),
        methods=["PATCH"],
    )
    bp.add_url_rule(
        f"{_path}/<slug>/archive",
        f"admin_{_name}_archive",
        operation(
            f"Archive a {_schema.lower()}: its products keep it, no new product takes it",
            response=_schema,
            errors=(401, 403, 404),
            **_common,
        )(_view["archive"]),
        methods=["POST"],
    )
