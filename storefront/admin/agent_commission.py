"""An agent's commission per entrusted brand, on the agent's page: each brand may have its own
rate, overriding the agent's (blank: the agent's). The settlement reads it. Staff only; the
rules are fulfilment's (`fulfilment.partners.set_brand_rates`), as in the admin API."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from flask import abort, flash, redirect, request
from sqlalchemy import select

from ..accounts import STAFF_ROLES, roles_required
from ..catalog.tables import Brand
from ..db import db
from ..fulfilment import partners
from ..fulfilment.tables import AgentCompany
from ..mount import render_template, url_for
from . import bp


def percent_fraction(raw: str) -> Decimal | str:
    """A rate typed as a percent (12 -> 0.12); anything else goes on to be refused."""
    try:
        return Decimal((raw or "").strip().rstrip("%").strip()) / 100
    except InvalidOperation:
        return raw or ""


@dataclass(frozen=True)
class BrandRate:
    brand_id: int
    slug: str
    name: str
    own_rate: Decimal | None  # None: the agent's

    @property
    def own_percent(self) -> str:
        return "" if self.own_rate is None else f"{(self.own_rate * 100).normalize():f}"


def brand_rates(agent: AgentCompany) -> list[BrandRate]:
    """The agent's entrusted brands with their own rates, by brand name."""
    rates = partners.entrusted_brand_rates(agent)
    brands = db.session.execute(
        select(Brand.id, Brand.slug, Brand.name).where(Brand.id.in_(sorted(rates)))
    ).all()
    return sorted(
        (BrandRate(id_, slug, name, rates[id_]) for id_, slug, name in brands),
        key=lambda r: (r.name, r.slug),
    )


def field_name(brand_id: int) -> str:
    return f"rate-{brand_id}"


@bp.post("/partners/agents/<code>/commission")
@roles_required(*STAFF_ROLES)
def agent_commission(code: str):
    """Save the rates typed for the agent's brands (each `rate-<brand id>`, a percent)."""
    agent = partners.by_code(AgentCompany, code)
    if agent is None:
        abort(404)
    rows = brand_rates(agent)
    typed = {r.brand_id: (request.form.get(field_name(r.brand_id)) or "").strip() for r in rows}
    try:
        partners.set_brand_rates(
            agent, {i: percent_fraction(raw) if raw else None for i, raw in typed.items()}
        )
    except partners.BrandRateError as refused:
        db.session.rollback()
        agent = partners.by_code(AgentCompany, code)
        return render_template(
            "admin/agent_commission.html",
            record=agent,
            rows=brand_rates(agent),
            typed=typed,
            error=refused,
        ), 422
    db.session.commit()
    flash(f"Commission per brand of {agent.name} saved.", "success")
    return redirect(url_for("admin.partners_edit", kind="agents", code=code), 303)
