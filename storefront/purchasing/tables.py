"""Purchase orders to OEM factories: goods made under the shop's brand, bought in bulk."""

from __future__ import annotations

import datetime
import enum
from decimal import Decimal

from sqlalchemy import CheckConstraint, DateTime, ForeignKey, Numeric, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .. import clock
from ..db import db
from ..fulfilment.tables import Supplier, Warehouse


class PurchaseOrderStatus(enum.StrEnum):
    """Where a purchase order is with its factory; its moves are `PO_TRANSITIONS`."""

    DRAFT = "draft"
    SENT = "sent"
    CONFIRMED = "confirmed"
    IN_PRODUCTION = "in_production"
    SHIPPED = "shipped"
    RECEIVED = "received"
    CANCELLED = "cancelled"


class PurchaseOrder(db.Model):
    __tablename__ = "shop_purchase_order"
    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(20), unique=True)
    supplier_id: Mapped[int] = mapped_column(ForeignKey("shop_supplier.id"), index=True)
    status: Mapped[str] = mapped_column(String(20), default=PurchaseOrderStatus.DRAFT, index=True)
    # Every line is in this currency: a purchase order never mixes currencies.
    currency: Mapped[str] = mapped_column(String(3))
    # Where the goods went in, once received.
    warehouse_id: Mapped[int | None] = mapped_column(ForeignKey("shop_warehouse.id"))
    created_by: Mapped[int | None] = mapped_column(ForeignKey("shop_user_account.id"))
    created_at: Mapped[datetime.datetime] = mapped_column(
        DateTime(timezone=True), default=clock.now
    )
    supplier: Mapped[Supplier] = relationship()
    warehouse: Mapped[Warehouse | None] = relationship()
    lines: Mapped[list[PurchaseOrderLine]] = relationship(
        back_populates="purchase_order",
        cascade="all, delete-orphan",
        order_by="PurchaseOrderLine.id",
    )


class PurchaseOrderLine(db.Model):
    __tablename__ = "shop_purchase_order_line"
    id: Mapped[int] = mapped_column(primary_key=True)
    purchase_order_id: Mapped[int] = mapped_column(
        ForeignKey("shop_purchase_order.id", ondelete="CASCADE"), index=True
    )
    variant_id: Mapped[int] = mapped_column(ForeignKey("shop_variant.id"))
    sku: Mapped[str] = mapped_column(String(64))
    quantity: Mapped[int]
    unit_cost_amount: Mapped[Decimal] = mapped_column(Numeric(14, 3))
    currency: Mapped[str] = mapped_column(String(3))
    purchase_order: Mapped[PurchaseOrder] = relationship(back_populates="lines")
    __table_args__ = (
        CheckConstraint("quantity > 0", name="quantity_positive"),
        CheckConstraint("unit_cost_amount > 0", name="unit_cost_positive"),
    )


class PurchaseOrderStatusChange(db.Model):
    """Every status a purchase order went through, who moved it, and when."""

    __tablename__ = "shop_purchase_order_status_change"
    id: Mapped[int] = mapped_column(primary_key=True)
    purchase_order_id: Mapped[int] = mapped_column(
        ForeignKey("shop_purchase_order.id", ondelete="CASCADE"), index=True
    )
    from_status: Mapped[str] = mapped_column(String(20))
    to_status: Mapped[str] = mapped_column(String(20))
    note: Mapped[str] = mapped_column(String(300), default="")
    changed_by: Mapped[int | None] = mapped_column(ForeignKey("shop_user_account.id"))
    changed_at: Mapped[datetime.datetime] = mapped_column(
        DateTime(timezone=True), default=clock.now
    )
