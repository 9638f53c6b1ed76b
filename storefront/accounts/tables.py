"""Back-office users and their roles."""

from __future__ import annotations

import datetime
import enum

from flask_login import UserMixin
from sqlalchemy import DateTime, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .. import clock
from ..db import db


class Role(enum.StrEnum):
    OWNER = "owner"
    STAFF = "staff"
    AGENT = "agent"
    SUPPLIER = "supplier"
    WHOLESALE = "wholesale"  # a trade buyer: tier prices, minimum quantities and steps
    CUSTOMER = "customer"  # a retail buyer with an account: their orders, saved addresses


# Buyers sign in on the shop's own pages (storefront.customers), never in the back office.
BUYER_ROLES = frozenset({Role.CUSTOMER, Role.WHOLESALE})


class User(UserMixin, db.Model):
    __tablename__ = "shop_user_account"
    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(120), default="")
    password_hash: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(20))
    is_active_account: Mapped[bool] = mapped_column(default=True)
    # Agent users belong to one agent company and see only its entrusted brands.
    agent_id: Mapped[int | None] = mapped_column(ForeignKey("shop_agent_company.id"))
    # Trade buyers (role wholesale) may order for one company (storefront.companies).
    company_id: Mapped[int | None] = mapped_column(
        ForeignKey("shop_company.id", ondelete="SET NULL"), index=True
    )
    # Stored in the session at sign-in; bumping it (sign-out, new password, switched off,
    # "sign out everywhere") makes every session signed in before it anonymous.
    session_version: Mapped[int] = mapped_column(default=0, server_default="0")

    @property
    def is_active(self) -> bool:
        return self.is_active_account


class ApiKey(db.Model):
    """A bearer key for the API, acting as its user. Only a hash of the key is kept."""

    __tablename__ = "shop_api_key"
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("shop_user_account.id", ondelete="CASCADE"), index=True
    )
    # The first characters, shown in listings so a key can be recognised, never used to sign in.
    prefix: Mapped[str] = mapped_column(String(12))
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime.datetime] = mapped_column(
        DateTime(timezone=True), default=clock.now
    )
    revoked_at: Mapped[datetime.datetime | None] = mapped_column(DateTime(timezone=True))
    user: Mapped[User] = relationship()
