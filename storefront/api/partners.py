"""Workshops, agent companies and suppliers in the admin API: list (paged), one, create,
edit, archive. Staff keys only; the rules are fulfilment's (`fulfilment.partners`), as on
the back-office pages. Entrusted brands are given and shown as brand slugs."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from flask import jsonify, request
from flask_babel import gettext
from sqlalchemy import select

from ..accounts.tables import Role
from ..catalog.tables import Brand
from ..db import db
from ..fulfilment import partners
from ..fulfilment.tables import AgentCompany, Maker, Supplier
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
    label: str
    as_json: Callable[[object], dict]
    save: Callable[[dict, object], object]


def _maker_json(maker: Maker) -> dict:
    return {
        "code": maker.code,
        "name": maker.name,
        "country": maker.country,
        "is_active": maker.is_active,
    }


def _agent_json(agent: AgentCompany) -> dict:
    ids = partners.entrusted_brand_ids(agent)
    slugs = db.session.scalars(select(Brand.slug).where(Brand.id.in_(ids)).order_by(Brand.slug))
    return {
        "code": agent.code,
        "name": agent.name,
        "country": agent.country,
        "handling_min": agent.handling_min,
        "handling_max": agent.handling_max,
        "returns_policy": agent.returns_policy,
        "commission_rate": str(agent.commission_rate.normalize()),
        "brands": list(slugs),
        "is_active": agent.is_active,
    }


def _supplier_json(supplier: Supplier) -> dict:
    return {
        "code": supplier.code,
        "name": supplier.name,
        "country": supplier.country,
        "kind": supplier.kind,
        "lead_min": supplier.lead_min,
        "lead_max": supplier.lead_max,
        "is_active": supplier.is_active,
    }


def _text(body: dict, name: str, current: str = "") -> str:
    value = body.get(name, current)
    if not isinstance(value, str):
        raise ApiError(400, f"invalid_{name}", f"{name} must be text.", name)
    return value


def _save_maker(body: dict, maker: Maker | None) -> Maker:
    data = partners.MakerInput(
        _text(body, "code", maker.code if maker else ""),
        _text(body, "name", maker.name if maker else ""),
        _text(body, "country", maker.country if maker else ""),
    )
    return partners.save_maker(data, maker)


def _brand_ids(body: dict, agent: AgentCompany | None) -> tuple[int, ...]:
    if "brands" not in body:
        return tuple(partners.entrusted_brand_ids(agent)) if agent else ()
    slugs = body["brands"]
    if not isinstance(slugs, list) or not all(isinstance(s, str) for s in slugs):
        raise ApiError(400, "invalid_brands", "brands is a list of brand slugs.", "brands")
    found = dict(
        db.session.execute(select(Brand.slug, Brand.id).where(Brand.slug.in_(slugs))).all()
    )
    unknown = sorted(set(slugs) - set(found))
    if unknown:
        raise ApiError(400, "invalid_brands", f"There is no brand {unknown[0]}.", "brands")
    return tuple(found.values())


def _save_agent(body: dict, agent: AgentCompany | None) -> AgentCompany:
    rate = body.get("commission_rate", str(agent.commission_rate) if agent else "0.1")
    if not isinstance(rate, str):
        raise ApiError(
            400,
            "invalid_commission_rate",
            'commission_rate is a decimal string, like "0.12".',
            "commission_rate",
        )
    data = partners.AgentInput(
        _text(body, "code", agent.code if agent else ""),
        _text(body, "name", agent.name if agent else ""),
        _text(body, "country", agent.country if agent else ""),
        body.get("handling_min", agent.handling_min if agent else 1),
        body.get("handling_max", agent.handling_max if agent else 3),
        _text(
            body, "returns_policy", agent.returns_policy if agent else "Returns go to the agent."
        ),
        rate,
        _brand_ids(body, agent),
    )
    return partners.save_agent(data, agent)


def _save_supplier(body: dict, supplier: Supplier | None) -> Supplier:
    data = partners.SupplierInput(
        _text(body, "code", supplier.code if supplier else ""),
        _text(body, "name", supplier.name if supplier else ""),
        _text(body, "country", supplier.country if supplier else ""),
        _text(body, "kind", supplier.kind if supplier else "dropship"),
        body.get("lead_min", supplier.lead_min if supplier else 2),
        body.get("lead_max", supplier.lead_max if supplier else 5),
    )
    return partners.save_supplier(data, supplier)


RESOURCES = (
    Resource("workshops", Maker, "Workshop", "workshop", _maker_json, _save_maker),
    Resource("agents", AgentCompany, "Agent", "agent company", _agent_json, _save_agent),
    Resource("suppliers", Supplier, "Supplier", "supplier", _supplier_json, _save_supplier),
)


def _staff() -> None:
    if api_user().role not in STAFF:
        raise ApiError(403, "forbidden", gettext("This key may not use the back-office API."))


def _one(resource: Resource, code: str):
    record = partners.by_code(resource.table, code)
    if record is None:
        raise ApiError(404, "not_found", f"There is no {resource.label} {code}.", "code")
    return record


def _views(resource: Resource) -> dict[str, Callable]:
    def listing():
        _staff()
        statement = (
            partners.find(
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

    def one(code: str):
        _staff()
        return jsonify(resource.as_json(_one(resource, code)))

    def create():
        _staff()
        record = resource.save(json_object(), None)
        db.session.commit()
        return jsonify(resource.as_json(record)), 201

    def edit(code: str):
        _staff()
        record = resource.save(json_object(), _one(resource, code))
        db.session.commit()
        return jsonify(resource.as_json(record))

    def archive(code: str):
        _staff()
        record = _one(resource, code)
        partners.archive(record)
        db.session.commit()
        return jsonify(resource.as_json(record))

    return {"list": listing, "one": one, "create": create, "edit": edit, "archive": archive}


for _resource in RESOURCES:
    _name, _path, _schema = _resource.path, f"/admin/{_resource.path}", _resource.schema
    _label = _resource.label
    _view = _views(_resource)
    _common = {"tags": ["back office"], "security": "bearer"}
    bp.add_url_rule(
        _path,
        f"admin_{_name}_list",
        operation(
            f"{_name.capitalize()}, paged (`q` searches code and name; `archived=1`)",
            query=[
                query_param("q", "Text in the code or name"),
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
            f"Create a {_label}",
            body=_schema,
            response=_schema,
            errors=(400, 401, 403),
            status=201,
            **_common,
        )(_view["create"]),
        methods=["POST"],
    )
    bp.add_url_rule(
        f"{_path}/<code>",
        f"admin_{_name}_one",
        operation(f"One {_label}", response=_schema, errors=(401, 403, 404), **_common)(
            _view["one"]
        ),
        methods=["GET"],
    )
    bp.add_url_rule(
        f"{_path}/<code>",
        f"admin_{_name}_edit",
        operation(
            f"Edit a {_label} (the fields given; the code never changes)",
            body=_schema,
            response=_schema,
            errors=(400, 401, 403, 404),
            **_common,
        )(_view["edit"]),
        methods=["PATCH"],
    )
    bp.add_url_rule(
        f"{_path}/<code>/archive",
        f"admin_{_name}_archive",
        operation(
            f"Archive a {_label}: no new product settings name it, placed orders keep shipping",
            response=_schema,
            errors=(401, 403, 404),
            **_common,
        )(_view["archive"]),
        methods=["POST"],
    )
