"""The legal pages' one table: every saved text of a page, one row per save."""

from __future__ import annotations

import datetime

from sqlalchemy import DateTime, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from .. import clock
from ..db import db


class LegalPage(db.Model):
    """One saved text of a legal page (`kind`) in one language. A save never overwrites:
    it adds a row with the kind's next `version`, so an order's accepted terms version
    still names the exact text the buyer saw."""

    __tablename__ = "shop_legal_page"
    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))  # see pages.operations.KINDS
    locale: Mapped[str] = mapped_column(String(12))
    version: Mapped[int]  # counts the kind's saves, across languages
    title: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)  # Markdown, raw HTML shown as text
    saved_at: Mapped[datetime.datetime] = mapped_column(DateTime(timezone=True), default=clock.now)
    saved_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("shop_user_account.id", ondelete="SET NULL")
    )

    __table_args__ = (
        UniqueConstraint("kind", "version", name="uq_shop_legal_page_kind_version"),
        Index("ix_shop_legal_page_kind_locale", "kind", "locale", "version"),
    )
