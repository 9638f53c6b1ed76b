"""Order and group status machines: every allowed move, in one place, enforced."""

from __future__ import annotations

import enum
from collections.abc import Mapping, Set
from typing import TypeVar

from flask_babel import gettext

from ..db import db
from ..errors import InputError

# The statuses live beside the columns they type (as `Role` and `Grade` do): the
# tables module cannot import this one, which imports it.
from .tables import GroupStatus, GroupStatusChange, Order, OrderGroup, OrderStatus

Status = TypeVar("Status", bound=enum.StrEnum)

# Once paid, an order follows its groups (`follow_groups`): any of these may become
# another as parcels leave, arrive, or money goes back; a full refund ends it.
_FOLLOWING = frozenset(
    {
        OrderStatus.PAID,
        OrderStatus.PARTIALLY_SHIPPED,
        OrderStatus.SHIPPED,
        OrderStatus.DELIVERED,
        OrderStatus.PARTIALLY_REFUNDED,
    }
)
ORDER_TRANSITIONS: dict[OrderStatus, frozenset[OrderStatus]] = {
    OrderStatus.PENDING_PAYMENT: frozenset({OrderStatus.PAID, OrderStatus.CANCELLED}),
    **{
        status: (_FOLLOWING - {status})
        | {OrderStatus.REFUNDED}
        | (
            {OrderStatus.CANCELLED}
            if status in (OrderStatus.PAID, OrderStatus.PARTIALLY_REFUNDED)
            else frozenset()
        )
        for status in _FOLLOWING
    },
    OrderStatus.CANCELLED: frozenset(),
    OrderStatus.REFUNDED: frozenset(),
}

# A group starts awaiting payment; its model's start_fulfilment moves it to the
# shipper's first step. Nothing ships before it is ready: production must pass
# inspection, a supplier or agent must accept, a warehouse must pick and pack.
# A rejected group may be routed to another shipper (its first step again).
_FIRST_STEPS = frozenset(
    {GroupStatus.AWAITING_SHIPPER, GroupStatus.IN_PRODUCTION, GroupStatus.PICKING}
)
GROUP_TRANSITIONS: dict[GroupStatus, frozenset[GroupStatus]] = {
    GroupStatus.AWAITING_PAYMENT: _FIRST_STEPS | {GroupStatus.CANCELLED},
    GroupStatus.AWAITING_SHIPPER: frozenset(
        {GroupStatus.READY_TO_SHIP, GroupStatus.REJECTED, GroupStatus.CANCELLED}
    ),
    GroupStatus.IN_PRODUCTION: frozenset({GroupStatus.READY_TO_SHIP, GroupStatus.CANCELLED}),
    GroupStatus.PICKING: frozenset({GroupStatus.PACKING, GroupStatus.CANCELLED}),
    GroupStatus.PACKING: frozenset({GroupStatus.READY_TO_SHIP, GroupStatus.CANCELLED}),
    GroupStatus.READY_TO_SHIP: frozenset(
        {GroupStatus.PARTIALLY_SHIPPED, GroupStatus.SHIPPED, GroupStatus.CANCELLED}
    ),
    GroupStatus.PARTIALLY_SHIPPED: frozenset({GroupStatus.SHIPPED}),
    GroupStatus.SHIPPED: frozenset({GroupStatus.DELIVERED}),
    GroupStatus.DELIVERED: frozenset(),
    GroupStatus.REJECTED: _FIRST_STEPS,
    GroupStatus.CANCELLED: frozenset(),
}
# Groups whose goods have left their shipper (some or all of them).
LEFT = frozenset({GroupStatus.PARTIALLY_SHIPPED, GroupStatus.SHIPPED, GroupStatus.DELIVERED})
# Groups that will not ship: nothing of theirs counts towards the order's progress.
ENDED = frozenset({GroupStatus.REJECTED, GroupStatus.CANCELLED})


class InvalidTransition(InputError):
    """A status change the machine does not allow (or a status it does not know)."""

    code = "invalid_status_change"
    status = 409

    def __init__(self, kind: str, current: str, wanted: str):
        super().__init__(
            gettext(
                "A %(kind)s that is %(current)s cannot become %(wanted)s.",
                kind=kind,
                current=current.replace("_", " "),
                wanted=wanted.replace("_", " "),
            )
        )
        self.current = current
        self.wanted = wanted


def check(table: Mapping[Status, Set[Status]], kind: str, current: str, wanted: str) -> Status:
    """`wanted` as the machine's member when `current` may move there; a bare string
    that names no status is refused like any other move the machine does not allow."""
    allowed = table.get(current, frozenset())
    for status in allowed:
        if status == wanted:
            return status
    raise InvalidTransition(kind, current, wanted)


def move_order(order: Order, wanted: OrderStatus) -> None:
    """The one way an order's status changes: checked against the machine."""
    order.status = check(ORDER_TRANSITIONS, "order", order.status, wanted)


def move_group(group: OrderGroup, wanted: GroupStatus, note: str = "", actor: str = "") -> None:
    """The one way a group's status changes: checked against the machine, and logged with
    who made the move."""
    status = check(GROUP_TRANSITIONS, "group", group.status, wanted)
    db.session.add(
        GroupStatusChange(
            group_id=group.id,
            from_status=group.status,
            to_status=status,
            note=note[:300],
            actor=actor[:120],
        )
    )
    group.status = status


def shipping_stage(order: Order) -> OrderStatus:
    """How far a paid order's goods have gone, from its groups that still ship."""
    live = [g.status for g in order.groups if g.status not in ENDED]
    if live and all(s == GroupStatus.DELIVERED for s in live):
        return OrderStatus.DELIVERED
    if live and all(s in (GroupStatus.SHIPPED, GroupStatus.DELIVERED) for s in live):
        return OrderStatus.SHIPPED
    if any(s in LEFT for s in live):
        return OrderStatus.PARTIALLY_SHIPPED
    return OrderStatus.PAID


def follow_groups(order: Order) -> None:
    """A paid order's status after one of its groups moved: paid, partially shipped,
    shipped or delivered. A full refund ends it; a partial one shows until goods move."""
    if order.status not in _FOLLOWING:
        return
    stage = shipping_stage(order)
    if stage == OrderStatus.PAID and order.status == OrderStatus.PARTIALLY_REFUNDED:
        return
    if stage != order.status:
        move_order(order, stage)
