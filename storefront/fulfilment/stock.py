"""Stock as movements: every change of units on hand is a row with its reason, written in
the same transaction as the level it changes, so a level is always the sum of its movements.

Reasons are a closed set: received (goods in), adjusted (a count corrected by hand, either
way), sold (committed at payment), returned (a paid order's units back on hand). Services
flush and never commit; the view, API call or CLI command commits once.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import insert, select, update
from sqlalchemy.exc import IntegrityError

from .. import clock
from ..db import db
from ..errors import InputError
from .tables import StockLevel, StockMovement, Warehouse

log = logging.getLogger(__name__)

RECEIVED, ADJUSTED, SOLD, RETURNED = "received", "adjusted", "sold", "returned"
REASONS = (RECEIVED, ADJUSTED, SOLD, RETURNED)
SYSTEM = "system"
MAX_UNITS = 1_000_000  # one movement; a typo of a few zeros is refused, not booked


class StockError(InputError):
    """A stock movement refused: unknown reason, too few units, an archived warehouse."""

    code = "invalid_stock_movement"
    status = 422


@dataclass(frozen=True)
class Movement:
    """A movement to record: `quantity` is signed (units in positive, units out negative)."""

    warehouse_id: int
    variant_id: int
    quantity: int
    reason: str
    note: str = ""
    actor: str = SYSTEM
    reference: str = ""


def _check(warehouse: Warehouse, quantity: object, reason: str) -> int:
    if reason not in REASONS:
        raise StockError(
            f"Choose a reason: {', '.join(REASONS)}.", code="unknown_reason", field="reason"
        )
    if isinstance(quantity, bool) or not isinstance(quantity, int) or quantity == 0:
        raise StockError(
            "Enter a whole number of units other than 0 (negative takes units out).",
            code="invalid_quantity",
            field="quantity",
        )
    if abs(quantity) > MAX_UNITS:
        raise StockError(
            f"A movement moves at most {MAX_UNITS:,} units.", code="invalid_quantity",
            field="quantity",
        )  # fmt: skip
    if (reason == SOLD and quantity > 0) or (reason == RETURNED and quantity < 0):
        raise StockError(
            f"A {reason} movement cannot {'add' if quantity > 0 else 'take'} units.",
            code="invalid_quantity",
            field="quantity",
        )
    if quantity > 0 and reason in (RECEIVED, ADJUSTED) and not warehouse.is_active:
        raise StockError(
            f"Warehouse {warehouse.code} is archived: it takes no new stock.",
            code="warehouse_archived",
            field="warehouse",
        )
    return quantity


def record_movement(
    warehouse: Warehouse,
    variant_id: int,
    quantity: int,
    reason: str,
    *,
    note: str = "",
    actor: str = SYSTEM,
    reference: str = "",
) -> StockMovement:
    """Change the units on hand of `variant_id` in `warehouse` by `quantity` and record why.

    One conditional UPDATE: units are only taken while the level keeps at least its reserved
    units (and so never goes below zero), so two movements at once can never both take the
    last units. A refusal raises StockError naming the field.
    """
    quantity = _check(warehouse, quantity, reason)
    changed = db.session.execute(
        update(StockLevel)
        .where(
            StockLevel.warehouse_id == warehouse.id,
            StockLevel.variant_id == variant_id,
            StockLevel.on_hand + quantity >= StockLevel.reserved,
        )
        .values(on_hand=StockLevel.on_hand + quantity)
        .execution_options(synchronize_session=False)
    ).rowcount
    if not changed:
        if quantity < 0:
            _refuse_taking(warehouse, variant_id, quantity)
        _create_level(warehouse.id, variant_id, quantity)
    movement = StockMovement(
        warehouse_id=warehouse.id,
        variant_id=variant_id,
        quantity=quantity,
        reason=reason,
        note=(note or "").strip()[:300],
        actor=(actor or SYSTEM)[:254],
        reference=(reference or "")[:60],
        created_at=clock.now(),
    )
    db.session.add(movement)
    db.session.flush()
    log.info("Stock %s of variant %s in %s: %+d", reason, variant_id, warehouse.code, quantity)
    return movement


def _refuse_taking(warehouse: Warehouse, variant_id: int, quantity: int) -> None:
    row = db.session.execute(
        select(StockLevel.on_hand, StockLevel.reserved).where(
            StockLevel.warehouse_id == warehouse.id, StockLevel.variant_id == variant_id
        )
    ).first()
    on_hand, reserved = row if row else (0, 0)
    raise StockError(
        f"Only {on_hand - reserved} units can be taken out of {warehouse.code}: "
        f"{on_hand} on hand, {reserved} reserved by checkouts; {-quantity} asked.",
        code="insufficient_stock",
        field="quantity",
    )


def _create_level(warehouse_id: int, variant_id: int, quantity: int) -> None:
    """A first level for a variant the warehouse never held (units in only)."""
    try:
        with db.session.begin_nested():
            db.session.add(
                StockLevel(warehouse_id=warehouse_id, variant_id=variant_id, on_hand=quantity)
            )
    except IntegrityError:
        # Another transaction created the row meanwhile: add to it instead.
        db.session.execute(
            update(StockLevel)
            .where(StockLevel.warehouse_id == warehouse_id, StockLevel.variant_id == variant_id)
            .values(on_hand=StockLevel.on_hand + quantity)
            .execution_options(synchronize_session=False)
        )


def log_movements(movements: Iterable[Movement]) -> None:
    """Record movements whose levels the caller changed itself in the same transaction
    (settling reservations changes `reserved` and `on_hand` in one UPDATE): one INSERT."""
    now = clock.now()
    rows = [
        {
            "warehouse_id": m.warehouse_id,
            "variant_id": m.variant_id,
            "quantity": m.quantity,
            "reason": m.reason,
            "note": m.note[:300],
            "actor": m.actor[:254],
            "reference": m.reference[:60],
            "created_at": now,
        }
        for m in movements
        if m.quantity
    ]
    if rows:
        db.session.execute(insert(StockMovement), rows)


def receive_new_stock(rows: Iterable[tuple[int, int, int]], *, note: str, actor: str) -> int:
    """Levels for (warehouse id, variant id, units) the warehouses never held, each with its
    received movement: two multi-row INSERTs (the demo seed's thousands of levels)."""
    rows = [(w, v, units) for w, v, units in rows if units > 0]
    if not rows:
        return 0
    db.session.execute(
        insert(StockLevel),
        [{"warehouse_id": w, "variant_id": v, "on_hand": units} for w, v, units in rows],
    )
    log_movements(Movement(w, v, units, RECEIVED, note, actor) for w, v, units in rows)
    return len(rows)
