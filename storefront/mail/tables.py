"""The mail queue: every message the shop sends, written in the transaction of its cause
and sent later by `sender.MailSender`."""

from __future__ import annotations

import datetime
import enum

from sqlalchemy import DateTime, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from .. import clock
from ..db import db


class MailStatus(enum.StrEnum):
    PENDING = "pending"  # to be sent (again) at `next_attempt_at`
    SENT = "sent"  # the SMTP server took it
    DEAD = "dead"  # every retry failed; staff may send it again from /admin/mail


STATUSES = tuple(MailStatus)


class MailMessage(db.Model):
    """One e-mail to one address. Its body is fixed when queued; every retry sends it as
    is, with the same Message-ID (a resend after a crash is recognisable as the same mail)."""

    __tablename__ = "shop_mail_message"
    id: Mapped[int] = mapped_column(primary_key=True)
    to_address: Mapped[str] = mapped_column(String(254))
    subject: Mapped[str] = mapped_column(String(300))
    text_body: Mapped[str] = mapped_column(Text)
    html_body: Mapped[str | None] = mapped_column(Text)
    # what the mail is about: "order_placed", "payment_received", ... and e.g. the order number
    kind: Mapped[str] = mapped_column(String(40))
    reference: Mapped[str] = mapped_column(String(80), default="", server_default="", index=True)
    locale: Mapped[str] = mapped_column(String(12), default="en", server_default="en")
    message_id: Mapped[str] = mapped_column(String(200), unique=True)
    status: Mapped[str] = mapped_column(
        String(12), default=MailStatus.PENDING, server_default=MailStatus.PENDING.value
    )
    attempts: Mapped[int] = mapped_column(default=0, server_default="0")
    next_attempt_at: Mapped[datetime.datetime] = mapped_column(
        DateTime(timezone=True), default=clock.now
    )
    locked_by: Mapped[str | None] = mapped_column(String(80))
    locked_until: Mapped[datetime.datetime | None] = mapped_column(DateTime(timezone=True))
    last_error: Mapped[str] = mapped_column(String(500), default="", server_default="")
    sent_at: Mapped[datetime.datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime.datetime] = mapped_column(
        DateTime(timezone=True), default=clock.now, index=True
    )
    __table_args__ = (Index("ix_shop_mail_message_due", "status", "next_attempt_at"),)
