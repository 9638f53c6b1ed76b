"""Order and group status machines: every allowed move, in one place, enforced."""

from __future__ import annotations

from flask_babel import gettext

from ..db import db
from .tables import GroupStatusChange, OrderGroup

ORDER_TRANSITIONS: dict[str, set[str]] = {
    "pending_payment": {"paid", "cancelled"},
    "paid": {"fulfilled", "cancelled", "refunded"},
    "fulfilled": {"refunded"},
    "cancelled": set(),
    "refunded": set(),
}

# A group starts awaiting payment; its model's start_fulfilment moves it to the
# shipper's first step. Nothing ships before it is ready: production must pass
# inspection, a supplier or agent must accept, a warehouse must pick.
GROUP_TRANSITIONS: dict[str, set[str]] = {
    "awaiting_payment": {"awaiting_shipper", "in_production", "picking", "cancelled"},
    "awaiting_shipper": {"ready_to_ship", "rejected", "cancelled"},
    "in_production": {"ready_to_ship", "cancelled"},
    "picking": {"ready_to_ship", "cancelled"},
    "ready_to_ship": {"shipped", "cancelled"},
    "shipped": {"delivered"},
    "delivered": set(),
    "rejected": set(),
    "cancelled": set(),
}


class InvalidTransition(ValueError):
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


def check(table: dict[str, set[str]], kind: str, current: str, wanted: str) -> str:
    if wanted not in table.get(current, set()):
        raise InvalidTransition(kind, current, wanted)
    return wanted


def move_group(group: OrderGroup, wanted: str, note: str = "") -> None:
    """The one way a group's status changes: checked against the machine, and logged."""
    check(GROUP_TRANSITIONS, "group", group.status, wanted)
    db.session.add(
        GroupStatusChange(group_id=group.id, from_status=group.status, to_status=wanted, note=note)
    )
    group.status = wanted
