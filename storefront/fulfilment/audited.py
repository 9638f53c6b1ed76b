"""Fulfilment's records in the audit log: warehouses, workshops, agents (with the brands
entrusted to them) and suppliers. Stock is not: its movements name who moved it."""

from __future__ import annotations

from .. import audit
from .tables import AgentCompany, EntrustedBrand, Maker, Supplier, Warehouse

ARCHIVED = ("is_active", False)


def _brand_label(entrusted: EntrustedBrand) -> str:
    # The catalog sits above fulfilment: its Brand is reached through the relationship.
    brand = audit.row_of(EntrustedBrand.brand.property.mapper.class_, entrusted.brand_id)
    return f"brand {brand.slug if brand else entrusted.brand_id}"


def track_history() -> None:
    by_code = {"key": lambda r: r.code, "label": lambda r: r.name, "archived": ARCHIVED}
    audit.track(
        Warehouse,
        kind="warehouse",
        fields={
            "code": "code",
            "name": "name",
            "country": "country",
            "serves_text": "ships to",
            "return_address": "return address",
        },
        **by_code,
    )
    audit.track(
        Maker,
        kind="workshop",
        fields={
            "code": "code",
            "name": "name",
            "country": "country",
            "return_address": "return address",
        },
        **by_code,
    )
    audit.track(
        AgentCompany,
        kind="agent",
        fields={
            "code": "code",
            "name": "name",
            "country": "country",
            "handling_min": "handling days from",
            "handling_max": "handling days to",
            "returns_policy": "returns policy",
            "commission_rate": "commission",
            "return_address": "return address",
        },
        **by_code,
    )
    audit.track(
        EntrustedBrand,
        parent=audit.parent_by(AgentCompany, "agent_id"),
        label=_brand_label,
        fields={"commission_rate": "commission"},
    )
    audit.track(
        Supplier,
        kind="supplier",
        fields={
            "code": "code",
            "name": "name",
            "kind": "kind",
            "country": "country",
            "lead_min": "lead days from",
            "lead_max": "lead days to",
            "return_address": "return address",
        },
        **by_code,
    )
