"""Production orders of self-produced goods, and the quality inspections they go through."""

from __future__ import annotations

import datetime

from sqlalchemy import Date, DateTime, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .. import clock
from ..db import db
from ..orders.tables import OrderGroup


class ProductionOrder(db.Model):
    """Self-produced goods: made in a workshop, inspected before they may ship."""

    __tablename__ = "shop_production_order"
    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(
        ForeignKey("shop_order_group.id", ondelete="CASCADE"), unique=True
    )
    maker_code: Mapped[str] = mapped_column(String(40))
    status: Mapped[str] = mapped_column(String(20), default="open")  # open, passed, cancelled
    due_on: Mapped[datetime.date] = mapped_column(Date)
    group: Mapped[OrderGroup] = relationship()


class QualityInspection(db.Model):
    __tablename__ = "shop_quality_inspection"
    id: Mapped[int] = mapped_column(primary_key=True)
    production_order_id: Mapped[int] = mapped_column(
        ForeignKey("shop_production_order.id", ondelete="CASCADE"), index=True
    )
    passed: Mapped[bool]
    inspector: Mapped[str] = mapped_column(String(120))
    notes: Mapped[str] = mapped_column(String(1000), default="")
    # For a failed item: "rework" (make again) or "relist" (sell as original-order surplus).
    outcome: Mapped[str | None] = mapped_column(String(10))
    inspected_at: Mapped[datetime.datetime] = mapped_column(
        DateTime(timezone=True), default=clock.now
    )
