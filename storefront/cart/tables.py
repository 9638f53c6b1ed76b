"""Carts kept in the database, so the web page and the API share one cart model."""

from __future__ import annotations

import datetime
from decimal import Decimal

from sqlalchemy import JSON, Date, DateTime, ForeignKey, Numeric, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .. import clock
from ..catalog.tables import Variant
from ..db import db
from ..markets.tables import Channel


class Cart(db.Model):
    __tablename__ = "shop_cart"
    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    # sha256 of the bearer token the API hands out; the web cart is found by the session.
    token_hash: Mapped[str] = mapped_column(String(64))
    channel_id: Mapped[int] = mapped_column(ForeignKey("shop_channel.id"))
    country: Mapped[str] = mapped_column(String(2))
    # A trade buyer's cart: quantity tiers, minimum quantities and steps apply.
    wholesale: Mapped[bool] = mapped_column(default=False, server_default="0")
    # The company a trade buyer's cart orders for: its prices and VAT treatment apply.
    company_id: Mapped[int | None] = mapped_column(
        ForeignKey("shop_company.id", ondelete="SET NULL")
    )
    # The language the cart was created in: the order's mails are written in it.
    locale: Mapped[str] = mapped_column(String(12), default="", server_default="")
    created_at: Mapped[datetime.datetime] = mapped_column(
        DateTime(timezone=True), default=clock.now
    )
    updated_at: Mapped[datetime.datetime] = mapped_column(
        DateTime(timezone=True), default=clock.now, onupdate=clock.now
    )
    # Delivery details, checked per country by cart.address before they are kept.
    email: Mapped[str | None] = mapped_column(String(254))
    phone: Mapped[str | None] = mapped_column(String(32))
    address: Mapped[dict | None] = mapped_column(JSON)
    # The shipping method the buyer chose per shipper ({shipper: method id}); else the cheapest.
    shipping_choices: Mapped[dict] = mapped_column(JSON, default=dict, server_default="{}")
    channel: Mapped[Channel] = relationship(lazy="joined", innerjoin=True)
    lines: Mapped[list[CartLine]] = relationship(
        back_populates="cart", cascade="all, delete-orphan", order_by="CartLine.id"
    )


class CartLine(db.Model):
    """A variant in a cart with the unit price it was quoted at (and the rate behind it)."""

    __tablename__ = "shop_cart_line"
    id: Mapped[int] = mapped_column(primary_key=True)
    cart_id: Mapped[str] = mapped_column(ForeignKey("shop_cart.id", ondelete="CASCADE"))
    variant_id: Mapped[int] = mapped_column(ForeignKey("shop_variant.id", ondelete="CASCADE"))
    quantity: Mapped[int]
    quoted_amount: Mapped[Decimal] = mapped_column(Numeric(14, 3))
    quoted_currency: Mapped[str] = mapped_column(String(3))
    quoted_source: Mapped[str] = mapped_column(String(12))
    quoted_rate: Mapped[Decimal | None] = mapped_column(Numeric(30, 16))
    quoted_rate_date: Mapped[datetime.date | None] = mapped_column(Date)
    # The base price the quote was converted from, and when: a converted quote keeps
    # its rate for QUOTE_HOLD_HOURS unless the base price itself changes.
    quoted_base_amount: Mapped[Decimal] = mapped_column(Numeric(14, 3))
    quoted_at: Mapped[datetime.datetime] = mapped_column(DateTime(timezone=True), default=clock.now)
    cart: Mapped[Cart] = relationship(back_populates="lines")
    variant: Mapped[Variant] = relationship()
    __table_args__ = (UniqueConstraint("cart_id", "variant_id"),)
