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

ORDER_TRANSITIONS: dict[OrderStatus, frozenset[OrderStatus]] = {
    OrderStatus.PENDING_PAYMENT: frozenset({OrderStatus.PAID, OrderStatus.CANCELLED}),
    OrderStatus.PAID: frozenset(
        {OrderStatus.FULFILLED, OrderStatus.CANCELLED, OrderStatus.REFUNDED}
    ),
    OrderStatus.FULFILLED: frozenset({OrderStatus.REFUNDED}),
    OrderStatus.CANCELLED: frozenset(),
    OrderStatus.REFUNDED: frozenset(),
}

# A group starts awaiting payment; its model's start_fulfilment moves it to the
# shipper's first step. Nothing ships before it is ready: production must pass
# inspection, a supplier or agent must accept, a warehouse must pick.
GROUP_TRANSITIONS: dict[GroupStatus, frozenset[GroupStatus]] = {
    GroupStatus.AWAITING_PAYMENT: frozenset(
        {
            GroupStatus.AWAITING_SHIPPER,
            GroupStatus.IN_PRODUCTION,
            GroupStatus.PICKING,
            GroupStatus.CANCELLED,
        }
    ),
    GroupStatus.AWAITING_SHIPPER: frozenset(
        {GroupStatus.READY_TO_SHIP, GroupStatus.REJECTED, GroupStatus.CANCELLED}
    ),
    GroupStatus.IN_PRODUCTION: frozenset({GroupStatus.READY_TO_SHIP, GroupStatus.CANCELLED}),
    GroupStatus.PICKING: frozenset({GroupStatus.READY_TO_SHIP, GroupStatus.CANCELLED}),
    GroupStatus.READY_TO_SHIP: frozenset({GroupStatus.SHIPPED, GroupStatus.CANCELLED}),
    GroupStatus.SHIPPED: frozenset({GroupStatus.DELIVERED}),
    GroupStatus.DELIVERED: frozenset(),
    GroupStatus.REJECTED: frozenset(),
    GroupStatus.CANCELLED: frozenset(),
}


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


def move_group(group: OrderGroup, wanted: GroupStatus, note: str = "") -> None:
    """The one way a group's status changes: checked against the machine, and logged."""
    status = check(GROUP_TRANSITIONS, "group", group.status, wanted)
    db.session.add(
        GroupStatusChange(group_id=group.id, from_status=group.status, to_status=status, note=note)
    )
    group.status = status
