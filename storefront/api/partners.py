"""Workshops, agent companies and suppliers in the admin API: list (paged), one, create,
edit, archive. Staff keys only; the rules are fulfilment's (`fulfilment.partners`), as on
the back-office pages. Entrusted brands are shown as brand slugs (`brands`) and with their own
commission rates (`entrusted_brands`); `brands` takes either shape."""

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
        "return_address": maker.return_address,
        "is_active": maker.is_active,
    }


def _agent_json(agent: AgentCompany) -> dict:
    rates = partners.entrusted_brand_rates(agent)
    slugs = dict(
        db.session.execute(
            select(Brand.slug, Brand.id).where(Brand.id.in_(sorted(rates))).order_by(Brand.slug)
        ).all()
    )
    return {
        "code": agent.code,
        "name": agent.name,
        "country": agent.country,
        "handling_min": agent.handling_min,
        "handling_max": agent.handling_max,
        "returns_policy": agent.returns_policy,
        "commission_rate": str(agent.commission_rate.normalize()),
        "brands": list(slugs),
        "entrusted_brands": [
            {
                "brand": slug,
                "commission_rate": None if rates[id_] is None else str(rates[id_].normalize()),
            }
            for slug, id_ in slugs.items()
        ],
        "return_address": agent.return_address,
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
        "return_address": supplier.return_address,
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
        _text(body, "return_address", maker.return_address if maker else ""),
    )
    return partners.save_maker(data, maker)


_BRANDS_SHAPE = (
    'brands is a list of brand slugs, or of {"brand": slug, "commission_rate": "0.15" or null} '
    "(null: the agent's rate)."
)


def _brands(
    body: dict, agent: AgentCompany | None
) -> tuple[tuple[int, ...], dict[int, str | None]]:
    """The entrusted brand ids and the rates given for them. A bare slug keeps the brand's
    own rate as it was (clients from before per-brand rates send those)."""
    if "brands" not in body:
        return (tuple(partners.entrusted_brand_ids(agent)) if agent else ()), {}
    items = body["brands"]
    if not isinstance(items, list):
        raise ApiError(400, "invalid_brands", _BRANDS_SHAPE, "brands")
    slugs, rates = [], {}
    for item in items:
        if isinstance(item, str):
            slugs.append(item)
            continue
        if (
            not isinstance(item, dict)
            or not isinstance(item.get("brand"), str)
            or not isinstance(item.get("commission_rate"), str | None)
            or set(item) - {"brand", "commission_rate"}
        ):
            raise ApiError(400, "invalid_brands", _BRANDS_SHAPE, "brands")
        slugs.append(item["brand"])
        if "commission_rate" in item:
            rates[item["brand"]] = item["commission_rate"]
    found = dict(
        db.session.execute(select(Brand.slug, Brand.id).where(Brand.slug.in_(slugs))).all()
    )
    unknown = sorted(set(slugs) - set(found))
    if unknown:
        raise ApiError(400, "invalid_brands", f"There is no brand {unknown[0]}.", "brands")
    return tuple(found.values()), {found[slug]: rate for slug, rate in rates.items()}


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
        *_brands(body, agent),
        _text(body, "return_address", agent.return_address if agent else ""),
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
        _text(body, "return_address", supplier.return_address if supplier else ""),
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
