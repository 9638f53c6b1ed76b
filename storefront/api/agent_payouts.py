"""Payouts to agents in the admin API (staff keys only): record that the shop paid an agent
for a period; its statements of that period net it, as on the settlement page."""

from __future__ import annotations

from flask import jsonify

from channels.money import Money

from ..db import db, iso_utc
from ..fulfilment import partners
from ..fulfilment.tables import AgentCompany
from ..settlements.payouts import record_payout
from ..settlements.tables import AgentPayout
from .errors import ApiError, json_object
from .records import staff_only
from .shipping import work_actor
from .spec import operation
from .views import bp


def payout_json(payout: AgentPayout) -> dict:
    return {
        "id": payout.id,
        "agent": payout.agent.code,
        "amount": Money(payout.amount, payout.currency).rounded().as_json(),
        "from": payout.period_start.isoformat(),
        "to": payout.period_end.isoformat(),
        "note": payout.note,
        "actor": payout.actor,
        "created_at": iso_utc(payout.created_at),
    }


@bp.post("/admin/agents/<code>/payouts")
@operation(
    "Record a payout to the agent for a period: its settlement nets it",
    tags=["back office"],
    body="AgentPayoutRequest",
    response="AgentPayout",
    errors=(400, 401, 403, 404, 422),
    security="bearer",
    status=201,
)
def agent_payout(code: str):
    staff_only()
    agent = partners.by_code(AgentCompany, code)
    if agent is None:
        raise ApiError(404, "not_found", f"There is no agent {code}.", "code")
    body = json_object()
    payout = record_payout(
        agent,
        body.get("amount"),
        body.get("currency"),
        body.get("from"),
        body.get("to"),
        work_actor().label,
        body.get("note"),
    )
    db.session.commit()
    return jsonify(payout_json(payout)), 201
