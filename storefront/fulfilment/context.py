"""The shop's side of the selling-model port: stock, workshops, agents, suppliers.

Models call these while settings are checked, carts quoted and checkouts held;
what a paid group sets in motion (pick tasks, production orders, agents' queues,
supplier events) is `dispatch.context.DispatchContext`, which extends ShopContext.
Everything here flushes within the caller's transaction and never commits.
"""

from __future__ import annotations

import datetime

from flask import g
from sqlalchemy import Integer, insert, literal, select, union_all, update

from models_ import (
    AGENT,
    MAKER,
    SUPPLIER,
    AgentInfo,
    Days,
    Destination,
    HoldRef,
    MakerInfo,
    StockHold,
    SupplierInfo,
    WarehouseStock,
)

from .. import clock
from ..config import settings
from ..db import db
from .stock import RETURNED, SOLD, Movement, log_movements
from .tables import AgentCompany, Maker, StockLevel, StockReservation, Supplier, Warehouse


def _read_shipper(kind: str, code: str) -> MakerInfo | AgentInfo | SupplierInfo | None:
    if kind == MAKER:
        maker = db.session.scalar(
            select(Maker).where(Maker.code == code, Maker.is_active.is_(True))
        )
        return MakerInfo(maker.code, maker.country) if maker else None
    if kind == AGENT:
        agent = db.session.scalar(
            select(AgentCompany).where(AgentCompany.code == code, AgentCompany.is_active.is_(True))
        )
        if agent is None:
            return None
        return AgentInfo(
            agent.code,
            agent.country,
            Days(agent.handling_min, agent.handling_max),
            agent.returns_policy,
        )
    supplier = db.session.scalar(
        select(Supplier).where(Supplier.code == code, Supplier.is_active.is_(True))
    )
    if supplier is None:
        return None
    return SupplierInfo(supplier.code, supplier.country, Days(supplier.lead_min, supplier.lead_max))


def _shipper(kind: str, code: str) -> MakerInfo | AgentInfo | SupplierInfo | None:
    """A workshop, agent or supplier, read once per request (or CLI command): an import
    of 10,000 products checks the same few shippers over and over."""
    seen = g.setdefault("shippers", {})
    if (kind, code) not in seen:
        seen[(kind, code)] = _read_shipper(kind, code)
    return seen[(kind, code)]


class ShopContext:
    """Answers the models' questions and holds stock, from the database, with per-instance
    caches."""

    def __init__(self):
        self._warehouse_ids: dict[str, int] = {}
        self._stock: dict[int, list[tuple[str, str, int, frozenset[str] | None]]] = {}

    def prefetch_stock(self, variant_ids: list[int]) -> None:
        """Read the stock of many variants in one query before quoting a cart."""
        wanted = [v for v in variant_ids if v not in self._stock]
        if not wanted:
            return
        rows = db.session.execute(
            select(
                StockLevel.variant_id,
                Warehouse.code,
                Warehouse.country,
                StockLevel.on_hand - StockLevel.reserved,
                Warehouse.serves_text,
                Warehouse.id,
            )
            .join(Warehouse, Warehouse.id == StockLevel.warehouse_id)
            .where(StockLevel.variant_id.in_(wanted), Warehouse.is_active.is_(True))
        )
        for variant_id in wanted:
            self._stock[variant_id] = []
        for variant_id, code, country, free, serves, warehouse_id in rows:
            served = None if serves.strip() == "*" else frozenset(serves.split())
            self._stock[variant_id].append((code, country, free, served))
            self._warehouse_ids[code] = warehouse_id

    # stock -------------------------------------------------------------------
    def warehouses_for(self, variant_id: int, destination: Destination) -> list[WarehouseStock]:
        self.prefetch_stock([variant_id])
        return [
            WarehouseStock(code, country, free)
            for code, country, free, served in self._stock[variant_id]
            if served is None or destination.country in served
        ]

    def reserve_stock(self, holds: list[StockHold], reference: HoldRef) -> bool:
        """Hold units of variants in warehouses for a checkout, all or nothing.

        One conditional UPDATE for the whole set: a row is only touched while enough
        units are free, so concurrent checkouts can never both take the last ones.
        Fewer rows than holds means something ran out: the caller rolls back.
        """
        if not holds:
            return True
        missing = [h.warehouse for h in holds if h.warehouse not in self._warehouse_ids]
        if missing:
            self._warehouse_ids.update(
                db.session.execute(
                    select(Warehouse.code, Warehouse.id).where(
                        Warehouse.code.in_(missing), Warehouse.is_active.is_(True)
                    )
                ).tuples()
            )
        rows = [(self._warehouse_ids.get(h.warehouse, -1), h.variant_id, h.quantity) for h in holds]
        # A derived table of the holds (UNION ALL of one-row SELECTs: SQLite and PostgreSQL
        # both take it, where SQLite refuses VALUES with column names).
        wanted = union_all(
            *(
                select(
                    literal(w, Integer).label("warehouse_id"),
                    literal(v, Integer).label("variant_id"),
                    literal(q, Integer).label("quantity"),
                )
                for w, v, q in rows
            )
        ).subquery("wanted")
        taken = db.session.execute(
            update(StockLevel)
            .where(
                StockLevel.warehouse_id == wanted.c.warehouse_id,
                StockLevel.variant_id == wanted.c.variant_id,
                StockLevel.on_hand - StockLevel.reserved >= wanted.c.quantity,
            )
            .values(reserved=StockLevel.reserved + wanted.c.quantity)
            .execution_options(synchronize_session=False)
        ).rowcount
        for _, variant_id, _ in rows:
            self._stock.pop(variant_id, None)  # read afresh next time
        if taken != len(rows):
            return False  # the caller rolls the whole checkout back
        hold = datetime.timedelta(minutes=settings()["RESERVATION_MINUTES"])
        expires = clock.now() + hold
        db.session.execute(
            insert(StockReservation),
            [
                {
                    "reference": str(reference),
                    "warehouse_id": warehouse_id,
                    "variant_id": variant_id,
                    "quantity": quantity,
                    "state": "held",
                    "expires_at": expires,
                }
                for warehouse_id, variant_id, quantity in rows
            ],
        )
        return True

    def _settle(self, reference: HoldRef, state: str) -> None:
        """Commit the units held under `reference` (they leave the stock), or release them:
        held units are free again, and units already committed (a paid order called back
        before it shipped) go back on hand."""
        states = ("held",) if state == "committed" else ("held", "committed")
        taken = db.session.scalars(
            select(StockReservation)
            .where(StockReservation.reference == str(reference), StockReservation.state.in_(states))
            .with_for_update()
        ).all()
        moved = []  # units on hand that change, as movements with their reason
        for reservation in taken:
            if reservation.state == "held":
                values = {"reserved": StockLevel.reserved - reservation.quantity}
                if state == "committed":
                    values["on_hand"] = StockLevel.on_hand - reservation.quantity
                    moved.append((reservation, -reservation.quantity, SOLD))
            else:
                values = {"on_hand": StockLevel.on_hand + reservation.quantity}
                moved.append((reservation, reservation.quantity, RETURNED))
            db.session.execute(
                update(StockLevel)
                .where(
                    StockLevel.warehouse_id == reservation.warehouse_id,
                    StockLevel.variant_id == reservation.variant_id,
                )
                .values(**values)
                .execution_options(synchronize_session=False)
            )
            reservation.state = state
        log_movements(
            Movement(r.warehouse_id, r.variant_id, quantity, reason, reference=str(reference))
            for r, quantity, reason in moved
        )
        db.session.flush()

    def extend_stock_hold(self, references: list[HoldRef], until: datetime.datetime) -> int:
        """Keep the units still held under `references` until `until` (never shorter than
        they are held now); returns how many holds were extended."""
        if not references:
            return 0
        return db.session.execute(
            update(StockReservation)
            .where(
                StockReservation.reference.in_([str(r) for r in references]),
                StockReservation.state == "held",
                StockReservation.expires_at < until,
            )
            .values(expires_at=until)
            .execution_options(synchronize_session=False)
        ).rowcount

    def release_stock(self, reference: HoldRef) -> None:
        """Give back what a reference holds or took: the units are free again."""
        self._settle(reference, "released")

    def commit_stock(self, reference: HoldRef) -> None:
        self._settle(reference, "committed")

    # who ships ---------------------------------------------------------------
    def maker(self, code: str) -> MakerInfo | None:
        return _shipper(MAKER, code)

    def agent(self, code: str) -> AgentInfo | None:
        return _shipper(AGENT, code)

    def supplier(self, code: str) -> SupplierInfo | None:
        return _shipper(SUPPLIER, code)
