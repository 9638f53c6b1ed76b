"""The agent settlement page: an agent reads its own statement (staff any agent's), as a
page or CSV, and staff record a payout to the agent on it. The statement and the payouts
are the settlements feature's (`storefront.settlements`)."""

from __future__ import annotations

import datetime

from flask import Response, abort, flash, redirect, request
from flask_babel import gettext
from sqlalchemy import select

from .. import clock
from ..accounts import STAFF_ROLES, roles_required
from ..accounts.current import current_user
from ..db import db
from ..errors import flash_refusal
from ..fulfilment.tables import AgentCompany
from ..mount import render_template, url_for
from ..settlements.payouts import PayoutRefused, record_payout
from ..settlements.statement import Statement, settlement, statement_csv
from . import bp
from .scope import Scope, current_scope, scoped_view

# views ---------------------------------------------------------------------------


def _agent_for(scope: Scope, code: str | None) -> AgentCompany | None:
    """The agent whose statement is asked for: an agent only ever gets its own (else 404)."""
    if scope.is_agent:
        if code and code != scope.agent_code:
            abort(404)
        return db.session.get(AgentCompany, scope.agent_id)
    if not code:
        return None
    agent = db.session.scalar(select(AgentCompany).where(AgentCompany.code == code))
    if agent is None:
        abort(404)
    return agent


def _period() -> tuple[datetime.date, datetime.date]:
    """The `from` and `to` days (this month so far when absent); ValueError with a message."""
    today = clock.today()
    days = []
    for name, default in (("from", today.replace(day=1)), ("to", today)):
        raw = (request.args.get(name) or "").strip()
        try:
            days.append(datetime.date.fromisoformat(raw) if raw else default)
        except ValueError:
            raise ValueError(
                gettext("%(value)r is not a date like 2026-01-31.", value=raw)
            ) from None
    if days[0] > days[1]:
        raise ValueError(gettext("The period starts after it ends."))
    return days[0], days[1]


def _csv_response(statement: Statement) -> Response:
    filename = (
        f"settlement-{statement.agent.code}-{statement.start:%Y%m%d}-{statement.end:%Y%m%d}.csv"
    )
    return Response(
        statement_csv(statement),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


@bp.get("/settlements")
@bp.get("/settlements.csv", endpoint="settlements_csv")
@scoped_view
def settlements():
    scope = current_scope()
    as_csv = (
        request.endpoint == "storefront.admin.settlements_csv"
        or request.args.get("format") == "csv"
    )
    agent = _agent_for(scope, (request.args.get("agent") or "").strip())
    error = None
    try:
        start, end = _period()
    except ValueError as problem:
        error = str(problem)
        start = end = None
    if as_csv:
        if error:
            abort(400, error)
        if agent is None:
            abort(400, gettext("Choose an agent."))
        return _csv_response(settlement(agent, start, end))
    statement = settlement(agent, start, end) if agent is not None and not error else None
    agents = (
        []
        if scope.is_agent
        else db.session.scalars(select(AgentCompany).order_by(AgentCompany.code)).all()
    )
    return render_template(
        "admin/settlement.html",
        statement=statement,
        agent=agent,
        agents=agents,
        start=request.args.get("from") or (start.isoformat() if start else ""),
        end=request.args.get("to") or (end.isoformat() if end else ""),
        error=error,
    ), (400 if error else 200)


@bp.post("/settlements/payouts")
@roles_required(*STAFF_ROLES)
def settlement_payout():
    """Staff record a payout to the agent for the period shown; back to its statement."""
    form = request.form
    agent = db.session.scalar(
        select(AgentCompany).where(AgentCompany.code == (form.get("agent") or "").strip())
    )
    if agent is None:
        abort(404)
    period = {"from": form.get("from", ""), "to": form.get("to", "")}
    try:
        payout = record_payout(
            agent,
            form.get("amount"),
            form.get("currency"),
            period["from"],
            period["to"],
            f"staff:{current_user.email}",
            form.get("note"),
        )
    except PayoutRefused as refused:
        flash_refusal(refused)
    else:
        db.session.commit()
        flash(f"Payout of {payout.amount:f} {payout.currency} to {agent.name} recorded.", "success")
    return redirect(url_for("admin.settlements", agent=agent.code, **period), 303)
