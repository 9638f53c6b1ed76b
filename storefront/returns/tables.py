"""A return (RMA), the order lines and units it sends back, and every status it went through."""

from __future__ import annotations

import datetime
import enum
from decimal import Decimal

from sqlalchemy import JSON, DateTime, ForeignKey, Numeric, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .. import clock
from ..db import db
from ..orders.tables import Order, OrderGroup, OrderLine


class ReturnStatus(enum.StrEnum):
    REQUESTED = "requested"
    APPROVED = "approved"
    REFUSED = "refused"
    RECEIVED = "received"
    INSPECTED = "inspected"
    REFUNDED = "refunded"


# which status may follow which
TRANSITIONS: dict[str, tuple[str, ...]] = {
    ReturnStatus.REQUESTED: (ReturnStatus.APPROVED, ReturnStatus.REFUSED),
    ReturnStatus.APPROVED: (ReturnStatus.RECEIVED, ReturnStatus.REFUNDED),
    # a route whose model inspects nothing is refunded straight from received
    ReturnStatus.RECEIVED: (ReturnStatus.INSPECTED, ReturnStatus.REFUNDED),
    ReturnStatus.INSPECTED: (ReturnStatus.REFUNDED,),
}

REASONS = ("wrong_size", "damaged", "not_as_described", "changed_mind", "other")
RESOLUTIONS = ("refund", "exchange")


class Payout(enum.StrEnum):
    """How a refunded return's money went back: to the card, or by hand for an order paid
    by bank transfer (owed until staff mark it paid)."""

    CARD = "card"
    BY_HAND = "by_hand"
    PAID_BY_HAND = "paid_by_hand"


class ReturnRequest(db.Model):
    """Units of one delivered group the buyer sends back, and where to (the route as its
    selling model gave it when the buyer asked)."""

    __tablename__ = "shop_return"
    id: Mapped[int] = mapped_column(primary_key=True)
    rma: Mapped[str] = mapped_column(String(20), unique=True)
    order_id: Mapped[int] = mapped_column(
        ForeignKey("shop_order.id", ondelete="CASCADE"), index=True
    )
    group_id: Mapped[int] = mapped_column(
        ForeignKey("shop_order_group.id", ondelete="CASCADE"), index=True
    )
    status: Mapped[str] = mapped_column(String(12), default=ReturnStatus.REQUESTED, index=True)
    reason: Mapped[str] = mapped_column(String(20))
    note: Mapped[str] = mapped_column(String(500), default="")
    resolution: Mapped[str] = mapped_column(String(10))
    exchange_sku: Mapped[str] = mapped_column(String(64), default="")
    # The route's shipper ("warehouse:berlin"), "" when refunded without a return.
    ship_to: Mapped[str] = mapped_column(String(80), default="")
    instructions: Mapped[str] = mapped_column(String(300), default="")
    # The postal address the buyer sends the goods to (the shipper's return address when
    # the buyer asked; a supplier may give its own when it approves).
    return_address: Mapped[str] = mapped_column(Text, default="", server_default="")
    # What would be refunded for the goods, in the order's currency.
    refund_amount: Mapped[Decimal] = mapped_column(Numeric(14, 3))
    currency: Mapped[str] = mapped_column(String(3))
    # ... and of what, by the refund rules (`returns.money`): [{"kind", "amount"}], the
    # amounts decimal strings in `currency` adding up to `refund_amount`.
    refund_parts: Mapped[list | None] = mapped_column(JSON)
    # What the buyer pays on top for an exchange to a dearer variant, in `currency` (0:
    # nothing): paid by card (`charges`) before the return may be approved.
    charge_amount: Mapped[Decimal] = mapped_column(
        Numeric(14, 3), default=Decimal(0), server_default="0"
    )
    # "" until refunded, then a `Payout`.
    payout: Mapped[str] = mapped_column(String(12), default="", server_default="")
    # An exchange's new piece: a group of the same order, held from the request on.
    exchange_group_id: Mapped[int | None] = mapped_column(
        ForeignKey("shop_order_group.id", ondelete="SET NULL")
    )
    refusal_reason: Mapped[str] = mapped_column(String(280), default="")
    # who acted last: "buyer", "staff:ana@shop", "agent:milano (...)", "supplier:sz (...)"
    actor: Mapped[str] = mapped_column(String(120), default="")
    created_at: Mapped[datetime.datetime] = mapped_column(
        DateTime(timezone=True), default=clock.now
    )
    updated_at: Mapped[datetime.datetime] = mapped_column(
        DateTime(timezone=True), default=clock.now
    )

    order: Mapped[Order] = relationship()
    group: Mapped[OrderGroup] = relationship(foreign_keys=[group_id])
    exchange_group: Mapped[OrderGroup | None] = relationship(foreign_keys=[exchange_group_id])
    lines: Mapped[list[ReturnLine]] = relationship(
        back_populates="request", cascade="all, delete-orphan", order_by="ReturnLine.id"
    )
    changes: Mapped[list[ReturnStatusChange]] = relationship(
        cascade="all, delete-orphan", order_by="ReturnStatusChange.id"
    )
    photos: Mapped[list[ReturnPhoto]] = relationship(
        cascade="all, delete-orphan", order_by="ReturnPhoto.id"
    )


class ReturnLine(db.Model):
    __tablename__ = "shop_return_line"
    id: Mapped[int] = mapped_column(primary_key=True)
    return_id: Mapped[int] = mapped_column(
        ForeignKey("shop_return.id", ondelete="CASCADE"), index=True
    )
    order_line_id: Mapped[int] = mapped_column(
        ForeignKey("shop_order_line.id", ondelete="CASCADE"), index=True
    )
    quantity: Mapped[int]

    request: Mapped[ReturnRequest] = relationship(back_populates="lines")
    order_line: Mapped[OrderLine] = relationship()


class ReturnStatusChange(db.Model):
    """The return's timeline: every status it went through, who moved it, and why."""

    __tablename__ = "shop_return_status_change"
    id: Mapped[int] = mapped_column(primary_key=True)
    return_id: Mapped[int] = mapped_column(
        ForeignKey("shop_return.id", ondelete="CASCADE"), index=True
    )
    from_status: Mapped[str] = mapped_column(String(12), default="")
    to_status: Mapped[str] = mapped_column(String(12))
    note: Mapped[str] = mapped_column(String(300), default="")
    actor: Mapped[str] = mapped_column(String(120), default="")
    changed_at: Mapped[datetime.datetime] = mapped_column(
        DateTime(timezone=True), default=clock.now
    )


class ReturnPhoto(db.Model):
    """A photo the buyer sent of what comes back (a damage, what differs from the page),
    made upright, stripped of its metadata and resized like a product image."""

    __tablename__ = "shop_return_photo"
    id: Mapped[int] = mapped_column(primary_key=True)
    return_id: Mapped[int] = mapped_column(
        ForeignKey("shop_return.id", ondelete="CASCADE"), index=True
    )
    # the largest size's key in the media store
    key: Mapped[str] = mapped_column(String(200))
    # {"thumb": {"key": ..., "width": ..., "height": ...}, "large": ...}
    sizes: Mapped[dict] = mapped_column(JSON)
    created_at: Mapped[datetime.datetime] = mapped_column(
        DateTime(timezone=True), default=clock.now
    )
