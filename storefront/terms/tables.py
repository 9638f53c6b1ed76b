"""An order's payment terms, the parts of its payment schedule, and its letter of credit."""

from __future__ import annotations

import datetime
from decimal import Decimal

from sqlalchemy import JSON, Date, DateTime, ForeignKey, Integer, Numeric, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .. import clock
from ..db import db
from ..orders.tables import Order

DUE, PAID = "due", "paid"  # a part's status
CARD, BANK_TRANSFER = "card", "bank_transfer"  # how a part was paid
OPEN, PRESENTED = "open", "presented"  # a letter of credit's status


class OrderTerms(db.Model):
    """The payment terms of a trade order (a code of `codes.parse`) and its invoice date:
    net terms fall due that many days after it."""

    __tablename__ = "shop_order_terms"
    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(
        ForeignKey("shop_order.id", ondelete="CASCADE"), unique=True
    )
    code: Mapped[str] = mapped_column(String(30))
    invoice_date: Mapped[datetime.date] = mapped_column(Date)
    set_at: Mapped[datetime.datetime] = mapped_column(DateTime(timezone=True), default=clock.now)
    set_by: Mapped[str] = mapped_column(String(120), default="", server_default="")
    order: Mapped[Order] = relationship()


class PaymentPart(db.Model):
    """One payment of an order's schedule: a deposit, the balance (due before shipment:
    `due_on` None), a net invoice (due on `due_on`), or the full amount. Paid by card (a
    charge of `payments.charges`, purpose `terms:<id>`) or by bank transfer (staff record
    the bank's reference, unique across parts)."""

    __tablename__ = "shop_payment_part"
    __table_args__ = (UniqueConstraint("order_id", "kind"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(
        ForeignKey("shop_order.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(10))
    position: Mapped[int] = mapped_column(Integer, default=0)
    amount: Mapped[Decimal] = mapped_column(Numeric(14, 3))
    currency: Mapped[str] = mapped_column(String(3))
    due_on: Mapped[datetime.date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(10), default=DUE, index=True)
    paid_at: Mapped[datetime.datetime | None] = mapped_column(DateTime(timezone=True))
    method: Mapped[str | None] = mapped_column(String(20))
    bank_reference: Mapped[str | None] = mapped_column(String(140), unique=True)
    recorded_by: Mapped[int | None] = mapped_column(ForeignKey("shop_user_account.id"))
    # when the reminder before / after the due date went out (each goes once)
    reminded_before_at: Mapped[datetime.datetime | None] = mapped_column(DateTime(timezone=True))
    reminded_after_at: Mapped[datetime.datetime | None] = mapped_column(DateTime(timezone=True))
    order: Mapped[Order] = relationship()


class LetterOfCredit(db.Model):
    """A documentary credit (UCP 600) that pays a trade order: the banks, its number and
    amount, the dates that bind the shop, and the documents the bank wants."""

    __tablename__ = "shop_letter_of_credit"
    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(
        ForeignKey("shop_order.id", ondelete="CASCADE"), unique=True
    )
    issuing_bank: Mapped[str] = mapped_column(String(200))
    advising_bank: Mapped[str] = mapped_column(String(200), default="", server_default="")
    lc_number: Mapped[str] = mapped_column(String(60))
    amount: Mapped[Decimal] = mapped_column(Numeric(14, 3))
    currency: Mapped[str] = mapped_column(String(3))
    expiry_date: Mapped[datetime.date] = mapped_column(Date)
    latest_shipment_date: Mapped[datetime.date] = mapped_column(Date)
    documents: Mapped[list] = mapped_column(JSON)
    presentation_days: Mapped[int] = mapped_column(Integer, default=21, server_default="21")
    status: Mapped[str] = mapped_column(String(10), default=OPEN, server_default=OPEN)
    presented_on: Mapped[datetime.date | None] = mapped_column(Date)
    updated_at: Mapped[datetime.datetime] = mapped_column(
        DateTime(timezone=True), default=clock.now, onupdate=clock.now
    )
    order: Mapped[Order] = relationship()
