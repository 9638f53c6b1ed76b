"""A buyer's saved delivery addresses, and the one-time codes that open a guest's order."""

from __future__ import annotations

import datetime

from sqlalchemy import JSON, DateTime, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from .. import clock
from ..db import db


class SavedAddress(db.Model):
    """A delivery address as `check_delivery` cleaned it for its country."""

    __tablename__ = "shop_customer_address"
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("shop_user_account.id", ondelete="CASCADE"), index=True
    )
    country: Mapped[str] = mapped_column(String(2))
    address: Mapped[dict] = mapped_column(JSON)
    phone: Mapped[str] = mapped_column(String(32), default="")
    is_default: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime.datetime] = mapped_column(
        DateTime(timezone=True), default=clock.now
    )


class OrderCode(db.Model):
    """The one active code mailed to an order's address; only its keyed hash is kept."""

    __tablename__ = "shop_order_code"
    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(
        ForeignKey("shop_order.id", ondelete="CASCADE"), unique=True
    )
    code_hash: Mapped[str] = mapped_column(String(64))
    tries: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime.datetime] = mapped_column(DateTime(timezone=True))
    expires_at: Mapped[datetime.datetime] = mapped_column(DateTime(timezone=True))
    used_at: Mapped[datetime.datetime | None] = mapped_column(DateTime(timezone=True))
