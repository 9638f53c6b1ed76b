"""Inspecting received returns: the shipper says what became of each returned line, from the
outcomes the group's selling model declares (`return_outcomes`), and the core does each
outcome the same way whatever the model:

- restock: the units back on hand (a `returned` stock movement, its note naming the RMA)
  in the warehouse that shipped them, else the one staff choose, else the shop's first;
- write-off and rework: no stock of the shop moves; the outcome and its note are the record;
- relist: a surplus listing as production's relist makes one (original-order grade);
- accepted: the agent or supplier took the goods back into its own stock.

Everything is checked before anything is written: a refusal leaves the return as it was.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from sqlalchemy import select

from models_ import RELIST, RESTOCK, REWORK, WAREHOUSE, WRITE_OFF, ShipperRef

from ..db import db
from ..delivery.operations import Actor
from ..fulfilment import registry
from ..fulfilment.stock import RETURNED, record_movement
from ..fulfilment.tables import Warehouse
from ..production.operations import relist_as_surplus
from .eligibility import ReturnRefused
from .operations import ReturnNotReady, _move
from .records import ReturnOutcome
from .tables import ReturnLine, ReturnRequest, ReturnStatus

log = logging.getLogger(__name__)

NOTE_LONGEST = 300
# outcomes that keep the goods out of the shop's stock say why
NEEDS_NOTE = (WRITE_OFF, REWORK)


@dataclass(frozen=True)
class Decided:
    line: ReturnLine
    outcome: str
    warehouse: Warehouse | None
    note: str


def outcomes_for(request: ReturnRequest) -> tuple[str, ...]:
    """What the return's selling model lets its inspection decide; () : not inspected."""
    models = registry()
    model = request.group.selling_model
    return tuple(models.get(model).return_outcomes) if model in models else ()


def outcomes_of(request: ReturnRequest) -> list[ReturnOutcome]:
    """What the inspection decided for each line, in the order it was recorded."""
    return list(
        db.session.scalars(
            select(ReturnOutcome)
            .where(ReturnOutcome.return_id == request.id)
            .order_by(ReturnOutcome.id)
        )
    )


def _refused(message: str, code: str, field: str) -> ReturnRefused:
    return ReturnRefused(message, code, field)


def _note(raw, field: str) -> str:
    if raw is None:
        return ""
    if not isinstance(raw, str) or len(raw) > NOTE_LONGEST:
        raise _refused(
            f"The note must be text of at most {NOTE_LONGEST} characters.", "invalid_note", field
        )
    return raw.strip()


def _warehouse(raw, request: ReturnRequest, field: str) -> Warehouse | None:
    """The warehouse a restock goes into: the one asked for, else the one that shipped the
    goods, else the shop's first active one."""
    code = raw
    if code in (None, ""):
        shipper = ShipperRef.parse(request.ship_to) if request.ship_to else None
        code = shipper.code if shipper is not None and shipper.kind == WAREHOUSE else None
    if code is None:
        return db.session.scalar(
            select(Warehouse).where(Warehouse.is_active.is_(True)).order_by(Warehouse.id)
        )
    found = (
        db.session.scalar(select(Warehouse).where(Warehouse.code == code))
        if isinstance(code, str)
        else None
    )
    if found is None or not found.is_active:
        raise _refused(
            f"There is no active warehouse {str(code)[:40]!r}.", "unknown_warehouse", field
        )
    return found


def _decided(request: ReturnRequest, raw, note) -> list[Decided]:
    allowed = outcomes_for(request)
    if not allowed:
        raise ReturnNotReady(
            f"Returns of {request.group.selling_model} are not inspected: refund it once received.",
            field="status",
        )
    if not isinstance(raw, list) or not raw:
        raise _refused(
            "Give an outcome for each returned line: a list of {sku, outcome}.",
            "invalid_lines",
            "lines",
        )
    by_sku = {line.order_line.sku: line for line in request.lines}
    decided: dict[str, Decided] = {}
    for i, item in enumerate(raw):
        item = item if isinstance(item, dict) else {}
        sku, outcome = item.get("sku"), item.get("outcome")
        if not isinstance(sku, str) or sku not in by_sku or sku in decided:
            raise _refused(
                f"Return {request.rma} has no other line {str(sku)[:64]}.",
                "unknown_sku",
                f"lines[{i}].sku",
            )
        if outcome not in allowed:
            raise _refused(
                f"Choose an outcome of {', '.join(allowed)}.",
                "unknown_outcome",
                f"lines[{i}].outcome",
            )
        line_note = _note(item.get("note"), f"lines[{i}].note") or note
        if outcome in NEEDS_NOTE and not line_note:
            raise _refused(
                f"A {outcome} needs a note saying why.",
                "note_required",
                f"lines[{i}].note",
            )
        warehouse = (
            _warehouse(item.get("warehouse"), request, f"lines[{i}].warehouse")
            if outcome == RESTOCK
            else None
        )
        if outcome == RESTOCK and warehouse is None:
            raise _refused(
                "The shop has no warehouse to restock into.", "unknown_warehouse",
                f"lines[{i}].warehouse",
            )  # fmt: skip
        decided[sku] = Decided(by_sku[sku], outcome, warehouse, line_note)
    missing = sorted(set(by_sku) - set(decided))
    if missing:
        raise _refused(f"Give an outcome for {missing[0]} too.", "missing_outcome", "lines")
    return list(decided.values())


def _surplus_model(request: ReturnRequest) -> str:
    return registry().get(request.group.selling_model).surplus_model


def inspect(request: ReturnRequest, actor: Actor, lines, note=None) -> list[ReturnOutcome]:
    """Record what became of each returned line and do it (stock back, a surplus listing);
    the return moves from received to inspected. ReturnNotReady before the goods were
    received or when the model inspects nothing; ReturnRefused naming the field for an
    outcome the model does not offer or a line not in the return. Flushes, never commits."""
    if request.status != ReturnStatus.RECEIVED:
        raise ReturnNotReady(
            f"Return {request.rma} is {request.status}: it is inspected once received.",
            field="status",
        )
    note = _note(note, "note")
    decided = _decided(request, lines, note)
    outcomes = []
    for d in decided:
        units = d.line.quantity
        outcome = ReturnOutcome(
            request=request,
            line=d.line,
            outcome=d.outcome,
            quantity=units,
            note=d.note[:NOTE_LONGEST],
            actor=actor.label[:120],
        )
        if d.outcome == RESTOCK:
            record_movement(
                d.warehouse,
                d.line.order_line.variant_id,
                units,
                RETURNED,
                note=f"return {request.rma}" + (f": {d.note}" if d.note else ""),
                actor=actor.label,
                reference=request.rma,
            )
            outcome.warehouse = d.warehouse.code
        elif d.outcome == RELIST:
            outcome.surplus_sku = (
                relist_as_surplus(d.line.order_line, _surplus_model(request)).variants[0].sku
            )
        db.session.add(outcome)
        outcomes.append(outcome)
    summary = ", ".join(f"{d.line.order_line.sku}: {d.outcome}" for d in decided)
    _move(request, ReturnStatus.INSPECTED, actor.label, f"inspected ({summary})")
    db.session.flush()
    log.info("Return %s inspected by %s: %s", request.rma, actor.label, summary)
    return outcomes
