"""The audit log's one table: who changed which back-office record, when, and what."""

from __future__ import annotations

import datetime

from sqlalchemy import JSON, DateTime, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from .. import clock
from ..db import db


class AuditEntry(db.Model):
    """One record's changes in one transaction. The actor's name and e-mail are copied in,
    so the history still names them after the user is renamed or removed."""

    __tablename__ = "shop_audit_entry"
    id: Mapped[int] = mapped_column(primary_key=True)
    occurred_at: Mapped[datetime.datetime] = mapped_column(
        DateTime(timezone=True), default=clock.now
    )
    actor_id: Mapped[int | None] = mapped_column(
        ForeignKey("shop_user_account.id", ondelete="SET NULL")
    )
    actor_name: Mapped[str] = mapped_column(String(120), default="")  # "system": no user
    actor_email: Mapped[str] = mapped_column(String(254), default="")
    kind: Mapped[str] = mapped_column(String(30))  # "product", "brand", "user", ...
    key: Mapped[str] = mapped_column(String(120))  # its slug, code or id, as text
    label: Mapped[str] = mapped_column(String(200), default="")  # how people name it
    action: Mapped[str] = mapped_column(String(10))  # see ACTIONS
    # [{"field": "price of SLS-001-5", "old": "39.00", "new": "41.00"}, ...]
    changes: Mapped[list] = mapped_column(JSON, default=list)

    __table_args__ = (Index("ix_shop_audit_entry_record", "kind", "key", "id"),)


ACTIONS = ("created", "changed", "archived", "restored", "removed")
