"""Workshops, agent companies and suppliers in the admin API: list (paged), one, create,
edit, archive. Staff keys only; the rules are fulfilment's (`fulfilment.partners`), as on
the back-office pages. Entrusted brands are given and shown as brand slugs."""

from __future__ import annotations

from functools import partial

from sqlalchemy import select

from ..catalog.tables import Brand
from ..db import db
from ..fulfilment import partners
from ..fulfilment.tables import AgentCompany, Maker, Supplier
from .errors import ApiError
from .records import Records, register


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


_ARCHIVED = "no new product settings name it, placed orders keep shipping"

for _table, _path, _schema, _label, _as_json, _save in (
    (Maker, "workshops", "Workshop", "workshop", _maker_json, _save_maker),
    (AgentCompany, "agents", "Agent", "agent company", _agent_json, _save_agent),
    (Supplier, "suppliers", "Supplier", "supplier", _supplier_json, _save_supplier),
):
    register(
        Records(
            _path,
            _table,
            _schema,
            _label,
            "code",
            partial(partners.find, _table),
            partial(partners.by_code, _table),
            _as_json,
            _save,
            partners.archive,
            _ARCHIVED,
        )
    )
