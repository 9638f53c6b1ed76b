"""Reminders of net-terms invoices by e-mail, in the buyer's language: one
TERMS_REMINDER_DAYS before the due date (sent from then until the due date), one that
many days after it while still unpaid. Each goes once: the part records when it went, in
the transaction that queues the mail (`flask worker`'s `terms.reminders`)."""

from __future__ import annotations

import datetime
import logging

from sqlalchemy import or_, select

from channels.money import Money

from .. import clock
from ..config import settings
from ..db import db
from ..mail.operations import InvalidAddress, send_templated
from ..notices.operations import order_url
from .tables import DUE, PaymentPart

log = logging.getLogger(__name__)

REMINDERS_SECONDS = 3600  # how often the worker looks


def _send(part: PaymentPart, template: str) -> None:
    order = part.order
    if not order.email:
        return
    try:
        send_templated(
            order.email,
            template,
            order.locale or "en",
            reference=order.number,
            order=order,
            order_url=order_url(order),
            amount=Money(part.amount, part.currency).rounded(),
            due_on=part.due_on,
        )
    except InvalidAddress:
        log.warning("order %s: its e-mail is no address to remind", order.number)


def send_reminders(today: datetime.date | None = None) -> int:
    """Queue the reminders due today; returns how many parts were reminded."""
    today = today or clock.today()
    days = datetime.timedelta(days=settings()["TERMS_REMINDER_DAYS"])
    parts = db.session.scalars(
        select(PaymentPart)
        .where(
            PaymentPart.status == DUE,
            PaymentPart.due_on.is_not(None),
            PaymentPart.kind == "invoice",
            or_(PaymentPart.reminded_before_at.is_(None), PaymentPart.reminded_after_at.is_(None)),
        )
        .order_by(PaymentPart.id)
        .with_for_update(skip_locked=True)
    ).all()
    count = 0
    for part in parts:
        if part.reminded_after_at is None and today >= part.due_on + days:
            _send(part, "payment_overdue")
            part.reminded_after_at = clock.now()
            count += 1
        elif part.reminded_before_at is None and part.due_on - days <= today <= part.due_on:
            _send(part, "payment_due_soon")
            part.reminded_before_at = clock.now()
            count += 1
    db.session.flush()
    return count
