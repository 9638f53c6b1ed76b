"""Service levels: a supplier accepts a group within a window and ships it within its lead
time; every shipped group is delivered soon after its ETA.

A group sent to a supplier must be accepted (or rejected) within
`SUPPLIER_ACCEPT_HOURS` of being sent, and once accepted shipped within the
supplier's `lead_max` days. A group of any shipper that has shipped (all or part of
it) must be delivered within `DELIVERY_GRACE_DAYS` of its latest ETA (paid, or placed
when it has no payment date, plus `eta_max_days`). A group past any of these is
overdue: it is flagged in the back office and an `order_group.overdue` outbox event is
written once per group and kind, with the group's shipper as target (the fan-out sends
only suppliers' events, so for another shipper the event just records it was raised).
The worker runs `overdue` every few minutes (`delivery.service_levels`). Like every
service here it flushes and never commits.
"""

from __future__ import annotations

import datetime
import logging
from dataclasses import dataclass

from sqlalchemy import and_, func, literal, select
from sqlalchemy.orm import contains_eager, selectinload

from .. import clock
from ..config import settings
from ..db import as_utc, db
from ..fulfilment.tables import Supplier
from ..orders.states import GroupStatus
from ..orders.tables import GroupStatusChange, Order, OrderGroup
from .operations import SUPPLIER_TARGET
from .tables import OutboxEvent

log = logging.getLogger(__name__)

OVERDUE_EVENT = "order_group.overdue"
ACCEPTANCE = "acceptance"  # still awaiting the supplier's answer
SHIPPING = "shipping"  # accepted, not shipped
DELIVERY = "delivery"  # shipped, not delivered
SHIPPED = (GroupStatus.SHIPPED, GroupStatus.PARTIALLY_SHIPPED)
KIND_OF_STATUS = {GroupStatus.AWAITING_SHIPPER: ACCEPTANCE, GroupStatus.READY_TO_SHIP: SHIPPING}
DEFAULT_ACCEPT_HOURS = 24
DEFAULT_DELIVERY_GRACE_DAYS = 7


@dataclass(frozen=True)
class GroupDue:
    """An open group, and by when its shipper must act on it (or it be delivered)."""

    group: OrderGroup
    supplier: Supplier | None  # None for a group another kind of shipper ships
    kind: str  # ACCEPTANCE, SHIPPING or DELIVERY
    # when it was sent (acceptance), accepted (shipping), or paid (delivery)
    since: datetime.datetime
    due_at: datetime.datetime

    def is_overdue(self, now: datetime.datetime) -> bool:
        return now > self.due_at

    @property
    def shipper(self) -> str:
        """Who ships it, as people read it: the supplier's code, else the group's shipper."""
        return self.supplier.code if self.supplier else self.group.shipper


def accept_window() -> datetime.timedelta:
    return datetime.timedelta(hours=settings().get("SUPPLIER_ACCEPT_HOURS", DEFAULT_ACCEPT_HOURS))


def open_groups(supplier_id: int | None = None) -> list[GroupDue]:
    """Groups suppliers still have to accept or ship, oldest first, with their due times.

    The clock starts when the group entered its status (its latest status change);
    a group without one counts from the order's creation.
    """
    entered = (
        select(
            GroupStatusChange.group_id,
            GroupStatusChange.to_status,
            func.max(GroupStatusChange.changed_at).label("at"),
        )
        .group_by(GroupStatusChange.group_id, GroupStatusChange.to_status)
        .subquery()
    )
    statement = (
        select(OrderGroup, Supplier, entered.c.at)
        .join(Order, Order.id == OrderGroup.order_id)
        .join(Supplier, OrderGroup.shipper == literal(SUPPLIER_TARGET) + Supplier.code)
        .outerjoin(
            entered,
            and_(entered.c.group_id == OrderGroup.id, entered.c.to_status == OrderGroup.status),
        )
        .where(OrderGroup.status.in_(tuple(KIND_OF_STATUS)))
        .options(contains_eager(OrderGroup.order), selectinload(OrderGroup.lines))
        .order_by(OrderGroup.id)
    )
    if supplier_id is not None:
        statement = statement.where(Supplier.id == supplier_id)
    window = accept_window()
    found = []
    for group, supplier, entered_at in db.session.execute(statement):
        since = as_utc(entered_at or group.order.created_at)
        kind = KIND_OF_STATUS[group.status]
        allowed = window if kind == ACCEPTANCE else datetime.timedelta(days=supplier.lead_max)
        found.append(GroupDue(group, supplier, kind, since, since + allowed))
    return found


def delivery_grace() -> datetime.timedelta:
    return datetime.timedelta(
        days=settings().get("DELIVERY_GRACE_DAYS", DEFAULT_DELIVERY_GRACE_DAYS)
    )


def late_deliveries(now: datetime.datetime, supplier_id: int | None = None) -> list[GroupDue]:
    """Shipped groups of any shipper not delivered `DELIVERY_GRACE_DAYS` after their
    latest ETA (paid, else placed, + `eta_max_days`), oldest first."""
    grace = delivery_grace()
    since = func.coalesce(Order.paid_at, Order.created_at)
    statement = (
        select(OrderGroup, Supplier)
        .join(Order, Order.id == OrderGroup.order_id)
        .outerjoin(Supplier, OrderGroup.shipper == literal(SUPPLIER_TARGET) + Supplier.code)
        .where(OrderGroup.status.in_(SHIPPED), since < now - grace)  # ETA is never earlier
        .options(contains_eager(OrderGroup.order), selectinload(OrderGroup.lines))
        .order_by(OrderGroup.id)
    )
    if supplier_id is not None:
        statement = statement.where(Supplier.id == supplier_id)
    found = []
    for group, supplier in db.session.execute(statement):
        paid = as_utc(group.order.paid_at or group.order.created_at)
        due_at = paid + datetime.timedelta(days=group.eta_max_days) + grace
        due = GroupDue(group, supplier, DELIVERY, paid, due_at)
        if due.is_overdue(now):
            found.append(due)
    return found


def find_overdue(
    now: datetime.datetime | None = None, supplier_id: int | None = None
) -> list[GroupDue]:
    """Every group past its due time, of every kind (a supplier's only, when given):
    not accepted, not shipped, not delivered; reads only."""
    now = now or clock.now()
    late = [due for due in open_groups(supplier_id) if due.is_overdue(now)]
    return late + late_deliveries(now, supplier_id)


def _already_raised(targets: set[str]) -> set[tuple[int, str]]:
    payloads = db.session.scalars(
        select(OutboxEvent.payload).where(
            OutboxEvent.event_type == OVERDUE_EVENT, OutboxEvent.target.in_(sorted(targets))
        )
    )
    return {(p.get("group_id"), p.get("kind")) for p in payloads}


@dataclass(frozen=True)
class OverdueReport:
    late: list[GroupDue]  # every group overdue now
    raised: list[GroupDue]  # those whose event was written by this run


def overdue(now: datetime.datetime | None = None) -> OverdueReport:
    """Find overdue groups and raise `order_group.overdue` for each not yet raised.

    An event is written once per group and kind, so running this every few
    minutes tells the supplier once.
    """
    now = now or clock.now()
    if db.session.get_bind().dialect.name == "postgresql":
        # two checks at once would both see "not raised yet"; the second waits for the first
        db.session.execute(select(func.pg_advisory_xact_lock(0x5EB40D0)))
    late = find_overdue(now)
    if not late:
        return OverdueReport([], [])
    known = _already_raised({due.group.shipper for due in late})
    raised = [due for due in late if (due.group.id, due.kind) not in known]
    for due in raised:
        db.session.add(
            OutboxEvent(
                event_type=OVERDUE_EVENT,
                target=due.group.shipper,
                payload={
                    "group_id": due.group.id,
                    "order_number": due.group.order.number,
                    "kind": due.kind,
                    "due_at": due.due_at.isoformat(),
                },
                created_at=now,
            )
        )
        log.warning(
            "group %s of %s is overdue for %s since %s",
            due.group.id,
            due.shipper,
            due.kind,
            due.due_at,
        )
    db.session.flush()
    return OverdueReport(late, raised)
