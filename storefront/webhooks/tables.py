"""The outbox of supplier events, supplier webhook endpoints, one delivery per (event,
endpoint), every attempt made, and what the supplier API keeps."""

from __future__ import annotations

import datetime

from sqlalchemy import (
    JSON,
    CheckConstraint,
    DateTime,
    ForeignKey,
    Index,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .. import clock
from ..db import db
from ..fulfilment.tables import Supplier


class OutboxEvent(db.Model):
    """An event for a supplier, written in the same transaction as its cause."""

    __tablename__ = "shop_outbox_event"
    id: Mapped[int] = mapped_column(primary_key=True)
    event_type: Mapped[str] = mapped_column(String(60))
    target: Mapped[str] = mapped_column(String(80), index=True)
    payload: Mapped[dict] = mapped_column(JSON)
    created_at: Mapped[datetime.datetime] = mapped_column(
        DateTime(timezone=True), default=clock.now
    )


class SupplierEndpoint(db.Model):
    """Where a supplier receives signed events, and the secrets that sign them.

    The secret must be readable to sign with, so it is stored as issued; it is
    shown to the supplier once. During a rotation the previous secret also signs
    until `previous_secret_until`, so the supplier can switch without a gap.
    """

    __tablename__ = "shop_supplier_endpoint"
    id: Mapped[int] = mapped_column(primary_key=True)
    supplier_id: Mapped[int] = mapped_column(
        ForeignKey("shop_supplier.id", ondelete="CASCADE"), index=True
    )
    url: Mapped[str] = mapped_column(String(500))
    # Space-separated event types, e.g. "order_group.created order_group.cancelled"; "*" is all.
    event_types_text: Mapped[str] = mapped_column(String(500), default="*")
    is_active: Mapped[bool] = mapped_column(default=True)
    disabled_reason: Mapped[str] = mapped_column(String(200), default="")
    secret: Mapped[str] = mapped_column(String(120))
    previous_secret: Mapped[str | None] = mapped_column(String(120))
    previous_secret_until: Mapped[datetime.datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime.datetime] = mapped_column(
        DateTime(timezone=True), default=clock.now
    )
    supplier: Mapped[Supplier] = relationship()

    @property
    def event_types(self) -> list[str]:
        return self.event_types_text.split()

    def wants(self, event_type: str) -> bool:
        types = self.event_types
        return "*" in types or event_type in types


class OutboxDispatch(db.Model):
    """An outbox event already fanned out to its endpoints (so it is never fanned out twice)."""

    __tablename__ = "shop_outbox_dispatch"
    event_id: Mapped[int] = mapped_column(
        ForeignKey("shop_outbox_event.id", ondelete="CASCADE"), primary_key=True
    )
    deliveries: Mapped[int] = mapped_column(default=0)
    dispatched_at: Mapped[datetime.datetime] = mapped_column(
        DateTime(timezone=True), default=clock.now
    )


class Delivery(db.Model):
    """One event on its way to one endpoint: the body is fixed once, retries resend it as is."""

    __tablename__ = "shop_webhook_delivery"
    id: Mapped[int] = mapped_column(primary_key=True)
    # The `webhook-id` header: the same on every retry and replay, the receiver's idempotency key.
    message_id: Mapped[str] = mapped_column(String(40), unique=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("shop_outbox_event.id", ondelete="CASCADE"))
    endpoint_id: Mapped[int] = mapped_column(
        ForeignKey("shop_supplier_endpoint.id", ondelete="CASCADE"), index=True
    )
    body: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(12), default="pending")  # see STATUSES
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime.datetime] = mapped_column(DateTime(timezone=True))
    locked_by: Mapped[str | None] = mapped_column(String(80))
    locked_until: Mapped[datetime.datetime | None] = mapped_column(DateTime(timezone=True))
    last_error: Mapped[str] = mapped_column(String(500), default="")
    delivered_at: Mapped[datetime.datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime.datetime] = mapped_column(
        DateTime(timezone=True), default=clock.now
    )
    event: Mapped[OutboxEvent] = relationship()
    endpoint: Mapped[SupplierEndpoint] = relationship()
    __table_args__ = (
        UniqueConstraint("event_id", "endpoint_id"),
        Index("ix_shop_webhook_delivery_due", "status", "next_attempt_at"),
    )


STATUSES = ("pending", "delivered", "dead", "disabled")


class DeliveryAttempt(db.Model):
    """What happened on one POST: kept for the supplier's and the merchant's diagnosis."""

    __tablename__ = "shop_webhook_attempt"
    id: Mapped[int] = mapped_column(primary_key=True)
    delivery_id: Mapped[int] = mapped_column(
        ForeignKey("shop_webhook_delivery.id", ondelete="CASCADE"), index=True
    )
    number: Mapped[int]
    worker: Mapped[str] = mapped_column(String(80))
    started_at: Mapped[datetime.datetime] = mapped_column(DateTime(timezone=True))
    status_code: Mapped[int | None]
    duration_ms: Mapped[int] = mapped_column(default=0)
    response_body: Mapped[str] = mapped_column(String(500), default="")
    error: Mapped[str] = mapped_column(String(500), default="")


# the inbound supplier API ---------------------------------------------------------------


class SupplierAccount(db.Model):
    """A supplier-role user acting for one supplier (its API keys answer for that supplier)."""

    __tablename__ = "shop_supplier_account"
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("shop_user_account.id", ondelete="CASCADE"), unique=True
    )
    supplier_id: Mapped[int] = mapped_column(
        ForeignKey("shop_supplier.id", ondelete="CASCADE"), index=True
    )
    supplier: Mapped[Supplier] = relationship()


class SupplierApiRequest(db.Model):
    """The first answer to an Idempotency-Key, returned again for every repeat."""

    __tablename__ = "shop_supplier_api_request"
    id: Mapped[int] = mapped_column(primary_key=True)
    supplier_id: Mapped[int] = mapped_column(ForeignKey("shop_supplier.id", ondelete="CASCADE"))
    idempotency_key: Mapped[str] = mapped_column(String(100))
    request: Mapped[str] = mapped_column(String(200))  # "POST /api/v1/supplier/groups/7/accept"
    # SHA-256 of the body (its JSON written canonically); None on keys stored before it was kept.
    body_hash: Mapped[str | None] = mapped_column(String(64))
    status_code: Mapped[int]
    response: Mapped[dict] = mapped_column(JSON)
    created_at: Mapped[datetime.datetime] = mapped_column(
        DateTime(timezone=True), default=clock.now
    )
    __table_args__ = (UniqueConstraint("supplier_id", "idempotency_key"),)


class SupplierStock(db.Model):
    """Units a supplier says it can ship of one of its SKUs, as last reported."""

    __tablename__ = "shop_supplier_stock"
    id: Mapped[int] = mapped_column(primary_key=True)
    supplier_id: Mapped[int] = mapped_column(ForeignKey("shop_supplier.id", ondelete="CASCADE"))
    variant_id: Mapped[int] = mapped_column(ForeignKey("shop_variant.id", ondelete="CASCADE"))
    quantity: Mapped[int]
    updated_at: Mapped[datetime.datetime] = mapped_column(
        DateTime(timezone=True), default=clock.now
    )
    __table_args__ = (
        UniqueConstraint("supplier_id", "variant_id"),
        CheckConstraint("quantity >= 0", name="quantity_not_negative"),
    )
