"""What returned goods became and what they settle: each returned line's outcome at
inspection, and what a supplier owes the shop for goods it took back."""

from __future__ import annotations

import datetime
from decimal import Decimal

from sqlalchemy import DateTime, ForeignKey, Numeric, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .. import clock
from ..db import db
from ..fulfilment.tables import Supplier
from .tables import ReturnLine, ReturnRequest


class ReturnOutcome(db.Model):
    """What became of a returned line's units when its shipper inspected them. A restock
    names its stock movement's warehouse; a write-off, a rework or an acceptance moves no
    stock of the shop and is kept here only, with its note; a relist names the surplus SKU."""

    __tablename__ = "shop_return_outcome"
    id: Mapped[int] = mapped_column(primary_key=True)
    return_id: Mapped[int] = mapped_column(
        ForeignKey("shop_return.id", ondelete="CASCADE"), index=True
    )
    return_line_id: Mapped[int] = mapped_column(
        ForeignKey("shop_return_line.id", ondelete="CASCADE")
    )
    outcome: Mapped[str] = mapped_column(String(12))
    quantity: Mapped[int]
    warehouse: Mapped[str] = mapped_column(String(40), default="")  # a restock's
    surplus_sku: Mapped[str] = mapped_column(String(64), default="")  # a relist's
    note: Mapped[str] = mapped_column(String(300), default="")
    actor: Mapped[str] = mapped_column(String(120), default="")
    created_at: Mapped[datetime.datetime] = mapped_column(
        DateTime(timezone=True), default=clock.now
    )

    request: Mapped[ReturnRequest] = relationship()
    line: Mapped[ReturnLine] = relationship()


class SupplierCredit(db.Model):
    """What a supplier owes the shop for goods of a refunded return it took back: its own
    cost of the units where the shop knows it, else the goods' price."""

    __tablename__ = "shop_supplier_credit"
    id: Mapped[int] = mapped_column(primary_key=True)
    supplier_id: Mapped[int] = mapped_column(
        ForeignKey("shop_supplier.id", ondelete="CASCADE"), index=True
    )
    return_id: Mapped[int] = mapped_column(
        ForeignKey("shop_return.id", ondelete="CASCADE"), unique=True
    )
    amount: Mapped[Decimal] = mapped_column(Numeric(14, 3))
    currency: Mapped[str] = mapped_column(String(3))
    created_at: Mapped[datetime.datetime] = mapped_column(
        DateTime(timezone=True), default=clock.now
    )

    supplier: Mapped[Supplier] = relationship()
    request: Mapped[ReturnRequest] = relationship()
