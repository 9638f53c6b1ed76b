"""Card payments of orders (Stripe PaymentIntents), their refunds, the Stripe
events already acted on, and bank transfers staff confirmed."""

from __future__ import annotations

import datetime
from decimal import Decimal

from sqlalchemy import BigInteger, DateTime, ForeignKey, Numeric, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .. import clock
from ..db import db
from ..orders.tables import Order

ORDER = "order"  # a payment of the order's total; any other purpose is a charge beyond it


class Payment(db.Model):
    """One attempt to pay an order: a PaymentIntent, in Stripe's minor units.

    status: pending (waiting for the buyer), succeeded, failed, canceled,
    partially_refunded, refunded.

    purpose: ORDER, or what a charge beyond the order's total is for, named by the
    feature that asked it ("return:RMA-…": an exchange's price difference). Only an
    ORDER payment pays, cancels or refunds the order itself.
    """

    __tablename__ = "shop_payment"
    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(
        ForeignKey("shop_order.id", ondelete="CASCADE"), index=True
    )
    provider: Mapped[str] = mapped_column(String(20), default="stripe")
    purpose: Mapped[str] = mapped_column(String(40), default=ORDER, server_default=ORDER)
    attempt_key: Mapped[str] = mapped_column(String(140), unique=True)
    intent_id: Mapped[str] = mapped_column(String(255), unique=True)
    amount_minor: Mapped[int] = mapped_column(BigInteger)
    currency: Mapped[str] = mapped_column(String(3))
    status: Mapped[str] = mapped_column(String(20), default="pending", index=True)
    captured_minor: Mapped[int] = mapped_column(BigInteger, default=0)
    refunded_minor: Mapped[int] = mapped_column(BigInteger, default=0)
    created_at: Mapped[datetime.datetime] = mapped_column(
        DateTime(timezone=True), default=clock.now
    )
    updated_at: Mapped[datetime.datetime] = mapped_column(
        DateTime(timezone=True), default=clock.now, onupdate=clock.now
    )
    order: Mapped[Order] = relationship()
    refunds: Mapped[list[PaymentRefund]] = relationship(
        back_populates="payment", cascade="all, delete-orphan", order_by="PaymentRefund.id"
    )


class PaymentRefund(db.Model):
    """Money given back through Stripe, as Stripe recorded it."""

    __tablename__ = "shop_payment_refund"
    id: Mapped[int] = mapped_column(primary_key=True)
    payment_id: Mapped[int] = mapped_column(
        ForeignKey("shop_payment.id", ondelete="CASCADE"), index=True
    )
    refund_id: Mapped[str] = mapped_column(String(255), unique=True)
    amount_minor: Mapped[int] = mapped_column(BigInteger)
    reason: Mapped[str] = mapped_column(String(300), default="")
    created_at: Mapped[datetime.datetime] = mapped_column(
        DateTime(timezone=True), default=clock.now
    )
    payment: Mapped[Payment] = relationship(back_populates="refunds")


class ProcessedStripeEvent(db.Model):
    """A Stripe event already acted on; written in the same transaction as its effect,
    so a repeat delivery (Stripe retries, or two at once) changes nothing."""

    __tablename__ = "shop_processed_stripe_event"
    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[str] = mapped_column(String(255), unique=True)
    event_type: Mapped[str] = mapped_column(String(80))
    outcome: Mapped[str] = mapped_column(String(40))
    processed_at: Mapped[datetime.datetime] = mapped_column(
        DateTime(timezone=True), default=clock.now
    )


class BankTransfer(db.Model):
    """A bank transfer (T/T) that paid an order, as staff saw it arrive in the shop's
    account. Stripe never held this money, so no Stripe refund applies to it."""

    __tablename__ = "shop_bank_transfer"
    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(
        ForeignKey("shop_order.id", ondelete="CASCADE"), unique=True
    )
    amount: Mapped[Decimal] = mapped_column(Numeric(14, 3))
    currency: Mapped[str] = mapped_column(String(3))
    # The bank's own reference for the incoming payment: one transfer pays one order.
    bank_reference: Mapped[str] = mapped_column(String(140), unique=True)
    recorded_by: Mapped[int | None] = mapped_column(ForeignKey("shop_user_account.id"))
    recorded_at: Mapped[datetime.datetime] = mapped_column(
        DateTime(timezone=True), default=clock.now
    )
    order: Mapped[Order] = relationship()
