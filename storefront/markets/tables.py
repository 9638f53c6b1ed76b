"""Channels (markets), exchange rates and per-market prices as stored.

The rules about them (money, conversion, rounding) live in the `channels` package.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from sqlalchemy import (
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Numeric,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from ..db import db


class Channel(db.Model):
    __tablename__ = "shop_channel"
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(80))
    currency: Mapped[str] = mapped_column(String(3))
    # Space-separated ISO codes: small lists read once per request, never queried into.
    countries_text: Mapped[str] = mapped_column(String(400))
    locales_text: Mapped[str] = mapped_column(String(200))
    tax_display: Mapped[str] = mapped_column(String(5))  # "gross" or "net"
    duty_policy: Mapped[str] = mapped_column(
        String(3), default="dap", server_default="dap"
    )  # "ddp" or "dap"
    rounding_rule: Mapped[str] = mapped_column(
        String(30), default="precision", server_default="precision"
    )
    # Goods worth at least this much (channel currency) ship free by the cheapest method.
    free_shipping_over: Mapped[Decimal | None] = mapped_column(Numeric(14, 3))
    position: Mapped[int] = mapped_column(default=0)
    # Days after delivery a buyer may ask to return goods (EU and UK consumers get at
    # least the law's 14 whatever this says: `returns.eligibility`).
    return_days: Mapped[int] = mapped_column(default=14, server_default="14")
    # The most a faulty or wrong item's return refunds of the buyer's return postage, in
    # the channel's currency (0: none).
    return_postage_cap: Mapped[Decimal] = mapped_column(
        Numeric(14, 3), default=Decimal(0), server_default="0"
    )
    # An archived channel is offered to no visitor; its carts and orders keep it.
    is_active: Mapped[bool] = mapped_column(default=True, server_default="1")

    @property
    def countries(self) -> list[str]:
        return self.countries_text.split()

    @property
    def locales(self) -> list[str]:
        return self.locales_text.split()

    @property
    def default_country(self) -> str:
        return self.countries[0]


class ExchangeRate(db.Model):
    """One ECB (or merchant-entered) rate: 1 EUR = rate units of `currency` on `rate_date`."""

    __tablename__ = "shop_exchange_rate"
    id: Mapped[int] = mapped_column(primary_key=True)
    rate_date: Mapped[datetime.date] = mapped_column(Date, index=True)
    currency: Mapped[str] = mapped_column(String(3))
    rate: Mapped[Decimal] = mapped_column(Numeric(24, 10))
    source: Mapped[str] = mapped_column(String(20))  # "ecb", "snapshot", "manual", "demo"
    fetched_at: Mapped[datetime.datetime] = mapped_column(DateTime(timezone=True))
    __table_args__ = (
        UniqueConstraint("rate_date", "currency"),
        CheckConstraint("rate > 0", name="positive"),
    )


class ChannelPrice(db.Model):
    """A variant's explicit price in one channel's currency; it wins over conversion."""

    __tablename__ = "shop_channel_price"
    id: Mapped[int] = mapped_column(primary_key=True)
    variant_id: Mapped[int] = mapped_column(ForeignKey("shop_variant.id", ondelete="CASCADE"))
    channel_id: Mapped[int] = mapped_column(
        ForeignKey("shop_channel.id", ondelete="CASCADE"), index=True
    )
    amount: Mapped[Decimal] = mapped_column(Numeric(14, 3))
    __table_args__ = (
        UniqueConstraint("variant_id", "channel_id"),
        CheckConstraint("amount > 0", name="positive"),
    )


class PriceTier(db.Model):
    """A wholesale quantity break: from `min_quantity` units the unit price is `amount`.

    Without a channel the amount is in the base currency and converted like the
    base price; with one it is that channel's explicit tier price.
    """

    __tablename__ = "shop_price_tier"
    id: Mapped[int] = mapped_column(primary_key=True)
    variant_id: Mapped[int] = mapped_column(
        ForeignKey("shop_variant.id", ondelete="CASCADE"), index=True
    )
    channel_id: Mapped[int | None] = mapped_column(
        ForeignKey("shop_channel.id", ondelete="CASCADE")
    )
    min_quantity: Mapped[int]
    amount: Mapped[Decimal] = mapped_column(Numeric(14, 3))
    __table_args__ = (
        UniqueConstraint("variant_id", "channel_id", "min_quantity"),
        CheckConstraint("amount > 0", name="positive"),
        CheckConstraint("min_quantity > 1", name="break_above_one"),
    )
