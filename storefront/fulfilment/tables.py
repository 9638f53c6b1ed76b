"""Who ships what: warehouses, stock and pick tasks, workshops, agent companies, suppliers."""

from __future__ import annotations

import datetime
from decimal import Decimal

from sqlalchemy import (
    CheckConstraint,
    DateTime,
    ForeignKey,
    Index,
    Numeric,
    String,
    Text,
    UniqueConstraint,
    true,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..db import db


class Warehouse(db.Model):
    __tablename__ = "shop_warehouse"
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    country: Mapped[str] = mapped_column(String(2))
    # Space-separated ISO countries it ships to; "*" ships everywhere.
    serves_text: Mapped[str] = mapped_column(String(600), default="*")
    # Where returned goods are sent (the postal address, lines as the carrier needs them).
    return_address: Mapped[str] = mapped_column(Text, default="", server_default="")
    # An archived warehouse takes no new stock and is not chosen for new orders.
    is_active: Mapped[bool] = mapped_column(default=True, server_default=true())

    def serves(self, country: str) -> bool:
        return self.serves_text.strip() == "*" or country in self.serves_text.split()


class StockLevel(db.Model):
    """Units of a variant in a warehouse; `reserved` are held by unpaid checkouts."""

    __tablename__ = "shop_stock_level"
    id: Mapped[int] = mapped_column(primary_key=True)
    warehouse_id: Mapped[int] = mapped_column(ForeignKey("shop_warehouse.id", ondelete="CASCADE"))
    variant_id: Mapped[int] = mapped_column(
        ForeignKey("shop_variant.id", ondelete="CASCADE"), index=True
    )
    on_hand: Mapped[int] = mapped_column(default=0)
    reserved: Mapped[int] = mapped_column(default=0)
    warehouse: Mapped[Warehouse] = relationship()
    __table_args__ = (
        UniqueConstraint("warehouse_id", "variant_id"),
        CheckConstraint("reserved >= 0 AND reserved <= on_hand", name="reserved_within_stock"),
        CheckConstraint("on_hand >= 0", name="on_hand_not_negative"),
    )


class StockMovement(db.Model):
    """One change of a stock level's units on hand, with its reason: the level is their sum.

    Reasons (a closed set, `fulfilment.stock.REASONS`): received (goods in: a purchase
    order, the demo seed), adjusted (a count corrected by hand, either way; also the
    opening balance of levels older than movements), sold (committed at payment),
    returned (a paid order's units back on hand: cancelled before shipping, or returned).
    """

    __tablename__ = "shop_stock_movement"
    id: Mapped[int] = mapped_column(primary_key=True)
    warehouse_id: Mapped[int] = mapped_column(ForeignKey("shop_warehouse.id"))
    variant_id: Mapped[int] = mapped_column(ForeignKey("shop_variant.id", ondelete="CASCADE"))
    quantity: Mapped[int]  # signed: units in are positive, units out negative
    reason: Mapped[str] = mapped_column(String(12))
    note: Mapped[str] = mapped_column(String(300), default="")
    actor: Mapped[str] = mapped_column(String(254), default="system")  # an e-mail or "system"
    reference: Mapped[str] = mapped_column(String(60), default="")
    created_at: Mapped[datetime.datetime] = mapped_column(DateTime(timezone=True))
    warehouse: Mapped[Warehouse] = relationship()
    __table_args__ = (
        Index("ix_shop_stock_movement_level", "warehouse_id", "variant_id", "id"),
        CheckConstraint("quantity <> 0", name="quantity_not_zero"),
        CheckConstraint(
            "reason IN ('received', 'adjusted', 'sold', 'returned')", name="known_reason"
        ),
    )


class StockReservation(db.Model):
    __tablename__ = "shop_stock_reservation"
    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(String(60), index=True)
    warehouse_id: Mapped[int] = mapped_column(ForeignKey("shop_warehouse.id"))
    variant_id: Mapped[int] = mapped_column(ForeignKey("shop_variant.id"))
    quantity: Mapped[int]
    state: Mapped[str] = mapped_column(String(12), default="held")  # held, committed, released
    expires_at: Mapped[datetime.datetime] = mapped_column(DateTime(timezone=True), index=True)


class PickTask(db.Model):
    """A paid group's goods to pick and pack in a warehouse."""

    __tablename__ = "shop_pick_task"
    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(
        ForeignKey("shop_order_group.id", ondelete="CASCADE"), unique=True
    )
    warehouse_code: Mapped[str] = mapped_column(String(40))
    status: Mapped[str] = mapped_column(String(12), default="open")  # open, picked, packed
    picked_at: Mapped[datetime.datetime | None] = mapped_column(DateTime(timezone=True))
    packed_at: Mapped[datetime.datetime | None] = mapped_column(DateTime(timezone=True))


class Maker(db.Model):
    """A workshop where the shop makes its own pieces."""

    __tablename__ = "shop_maker"
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    country: Mapped[str] = mapped_column(String(2))
    # Where returned goods are sent (the postal address, lines as the carrier needs them).
    return_address: Mapped[str] = mapped_column(Text, default="", server_default="")
    # An archived workshop takes no new product settings; placed orders keep their maker.
    is_active: Mapped[bool] = mapped_column(default=True, server_default=true())


class AgentCompany(db.Model):
    """An e-commerce company a manufacturer entrusted its brand(s) to."""

    __tablename__ = "shop_agent_company"
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    country: Mapped[str] = mapped_column(String(2))
    handling_min: Mapped[int] = mapped_column(default=1)
    handling_max: Mapped[int] = mapped_column(default=3)
    returns_policy: Mapped[str] = mapped_column(Text, default="Returns go to the agent.")
    # Where returned goods are sent (the postal address, lines as the carrier needs them).
    return_address: Mapped[str] = mapped_column(Text, default="", server_default="")
    commission_rate: Mapped[Decimal] = mapped_column(Numeric(6, 4), default=Decimal("0.1"))
    # An archived agent takes no new product settings; its placed orders keep shipping.
    is_active: Mapped[bool] = mapped_column(default=True, server_default=true())


class EntrustedBrand(db.Model):
    """A brand an agent runs; a brand has at most one agent."""

    __tablename__ = "shop_entrusted_brand"
    id: Mapped[int] = mapped_column(primary_key=True)
    agent_id: Mapped[int] = mapped_column(ForeignKey("shop_agent_company.id", ondelete="CASCADE"))
    brand_id: Mapped[int] = mapped_column(
        ForeignKey("shop_brand.id", ondelete="CASCADE"), unique=True
    )
    # Overrides the agent's rate for this brand.
    commission_rate: Mapped[Decimal | None] = mapped_column(Numeric(6, 4))
    agent: Mapped[AgentCompany] = relationship()
    # The catalog sits above fulfilment: its Brand is named here, not imported.
    brand = relationship("Brand")


class Supplier(db.Model):
    """A dropship supplier or an OEM factory."""

    __tablename__ = "shop_supplier"
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    kind: Mapped[str] = mapped_column(String(10), default="dropship")  # dropship, oem
    country: Mapped[str] = mapped_column(String(2))
    lead_min: Mapped[int] = mapped_column(default=2)
    lead_max: Mapped[int] = mapped_column(default=5)
    # Where returned goods are sent (the postal address, lines as the carrier needs them).
    return_address: Mapped[str] = mapped_column(Text, default="", server_default="")
    is_active: Mapped[bool] = mapped_column(default=True)


class SupplierCost(db.Model):
    """What the shop pays a supplier for a variant."""

    __tablename__ = "shop_supplier_cost"
    id: Mapped[int] = mapped_column(primary_key=True)
    supplier_id: Mapped[int] = mapped_column(ForeignKey("shop_supplier.id", ondelete="CASCADE"))
    variant_id: Mapped[int] = mapped_column(ForeignKey("shop_variant.id", ondelete="CASCADE"))
    amount: Mapped[Decimal] = mapped_column(Numeric(14, 3))
    currency: Mapped[str] = mapped_column(String(3))
    __table_args__ = (UniqueConstraint("supplier_id", "variant_id"),)
