"""Back-office users and their roles."""

from __future__ import annotations

import enum

from flask_login import UserMixin
from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from ..db import db


class Role(enum.StrEnum):
    OWNER = "owner"
    STAFF = "staff"
    AGENT = "agent"
    SUPPLIER = "supplier"


class User(UserMixin, db.Model):
    __tablename__ = "user_account"
    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(120), default="")
    password_hash: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(20))
    is_active_account: Mapped[bool] = mapped_column(default=True)
    # Agent users belong to one agent company and see only its entrusted brands.
    agent_id: Mapped[int | None] = mapped_column(ForeignKey("agent_company.id"))

    @property
    def is_active(self) -> bool:
        return self.is_active_account
