"""Shipping zones (destination countries), their methods and each method's weight bands."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import JSON, Boolean, CheckConstraint, ForeignKey, Numeric, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..db import db


class ShippingZone(db.Model):
    __tablename__ = "shop_shipping_zone"
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(80))
    # Space-separated ISO codes, or "*" for every country no other zone names.
    countries_text: Mapped[str] = mapped_column(String(800))
    position: Mapped[int] = mapped_column(default=0)
    methods: Mapped[list[ShippingMethod]] = relationship(
        back_populates="zone", cascade="all, delete-orphan", order_by="ShippingMethod.position"
    )

    @property
    def countries(self) -> list[str]:
        return self.countries_text.split()


class ShippingMethod(db.Model):
    __tablename__ = "shop_shipping_method"
    id: Mapped[int] = mapped_column(primary_key=True)
    zone_id: Mapped[int] = mapped_column(
        ForeignKey("shop_shipping_zone.id", ondelete="CASCADE"), index=True
    )
    code: Mapped[str] = mapped_column(String(40))
    name: Mapped[str] = mapped_column(String(80))
    # The name in the shop's other locales ({"de": ...}); `i18n.translated` falls back to `name`.
    names: Mapped[dict] = mapped_column(JSON, default=dict, server_default="{}")
    currency: Mapped[str] = mapped_column(String(3))
    active: Mapped[bool] = mapped_column(Boolean, default=True, server_default="1")
    position: Mapped[int] = mapped_column(default=0)
    zone: Mapped[ShippingZone] = relationship(back_populates="methods")
    bands: Mapped[list[ShippingBand]] = relationship(
        back_populates="method",
        cascade="all, delete-orphan",
        order_by="ShippingBand.up_to_grams",
    )
    __table_args__ = (UniqueConstraint("zone_id", "code"),)


class ShippingBand(db.Model):
    """A parcel of at most `up_to_grams` (billed weight) costs `amount` in the method's currency."""

    __tablename__ = "shop_shipping_band"
    id: Mapped[int] = mapped_column(primary_key=True)
    method_id: Mapped[int] = mapped_column(
        ForeignKey("shop_shipping_method.id", ondelete="CASCADE"), index=True
    )
    up_to_grams: Mapped[int]
    amount: Mapped[Decimal] = mapped_column(Numeric(14, 3))
    method: Mapped[ShippingMethod] = relationship(back_populates="bands")
    __table_args__ = (
        UniqueConstraint("method_id", "up_to_grams"),
        CheckConstraint("up_to_grams > 0", name="positive_weight"),
        CheckConstraint("amount >= 0", name="not_negative"),
    )


class Carrier(db.Model):
    """A merchant's own carrier, or its change to a built-in one of the same code
    (`shipping.carriers`); {number} in the link is the tracking number."""

    __tablename__ = "shop_carrier"
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(80))
    tracking_url: Mapped[str] = mapped_column(String(300), default="", server_default="")
    is_active: Mapped[bool] = mapped_column(Boolean, default=True, server_default="1")
    position: Mapped[int] = mapped_column(default=0, server_default="0")
