"""The whole selling-model port: ShopContext's stock and shippers, and what a paid group
sets in motion. Like ShopContext it flushes within the caller's transaction."""

from __future__ import annotations

import datetime

from sqlalchemy import select

from models_ import Days, Group, ShipperRef

from .. import clock
from ..db import db
from ..fulfilment.context import ShopContext
from ..fulfilment.tables import PickTask
from ..orders.states import GroupStatus, move_group
from ..orders.tables import OrderGroup
from ..production.tables import ProductionOrder
from ..webhooks.operations import group_payload
from ..webhooks.tables import OutboxEvent


class DispatchContext(ShopContext):
    """ShopContext, and what models do once a group is paid or cancelled: a pick task,
    a production order, an agent's queue, a supplier event."""

    def _group(self, group: Group) -> OrderGroup:
        return db.session.get(OrderGroup, group.id)

    def open_pick_task(self, group: Group) -> None:
        row = self._group(group)
        db.session.add(PickTask(group_id=row.id, warehouse_code=group.shipper.code))
        move_group(row, GroupStatus.PICKING)

    def open_production_order(self, group: Group, days: Days) -> None:
        row = self._group(group)
        due = clock.now().date() + datetime.timedelta(days=days.max_days)
        db.session.add(ProductionOrder(group_id=row.id, maker_code=group.shipper.code, due_on=due))
        move_group(row, GroupStatus.IN_PRODUCTION)

    def cancel_production_order(self, group: Group) -> None:
        order = db.session.scalar(
            select(ProductionOrder).where(ProductionOrder.group_id == group.id)
        )
        if order is not None:
            order.status = "cancelled"

    def route_to_agent(self, group: Group, agent: str) -> None:
        move_group(
            self._group(group), GroupStatus.AWAITING_SHIPPER, f"in the queue of agent {agent}"
        )

    def record_event(self, event_type: str, group: Group, target: ShipperRef) -> None:
        row = self._group(group)
        db.session.add(
            OutboxEvent(event_type=event_type, target=str(target), payload=group_payload(row))
        )
        if event_type == "order_group.created":
            move_group(row, GroupStatus.AWAITING_SHIPPER, f"sent to {target}")
