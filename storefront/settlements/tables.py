"""What the shop paid an agent: one row per payout staff record, for a period."""

from __future__ import annotations

import datetime
from decimal import Decimal

from sqlalchemy import Date, DateTime, ForeignKey, Numeric, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .. import clock
from ..db import db
from ..fulfilment.tables import AgentCompany


class AgentPayout(db.Model):
    """Staff paid the agent `amount` for its commission of `period_start`..`period_end`."""

    __tablename__ = "shop_agent_payout"
    id: Mapped[int] = mapped_column(primary_key=True)
    agent_id: Mapped[int] = mapped_column(
        ForeignKey("shop_agent_company.id", ondelete="CASCADE"), index=True
    )
    amount: Mapped[Decimal] = mapped_column(Numeric(14, 3))
    currency: Mapped[str] = mapped_column(String(3))
    period_start: Mapped[datetime.date] = mapped_column(Date)
    period_end: Mapped[datetime.date] = mapped_column(Date)  # inclusive
    note: Mapped[str] = mapped_column(String(300), default="")
    actor: Mapped[str] = mapped_column(String(120), default="")
    created_at: Mapped[datetime.datetime] = mapped_column(
        DateTime(timezone=True), default=clock.now
    )

    agent: Mapped[AgentCompany] = relationship()
