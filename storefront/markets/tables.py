"""Channels (markets) as stored; the rules about them live in the channels package."""

from __future__ import annotations

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from ..db import db


class Channel(db.Model):
    __tablename__ = "channel"
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(20), unique=True)
    name: Mapped[str] = mapped_column(String(80))
    currency: Mapped[str] = mapped_column(String(3))
    # Space-separated ISO codes: small lists read once per request, never queried into.
    countries_text: Mapped[str] = mapped_column(String(400))
    locales_text: Mapped[str] = mapped_column(String(200))
    tax_display: Mapped[str] = mapped_column(String(5))  # "gross" or "net"
    position: Mapped[int] = mapped_column(default=0)

    @property
    def countries(self) -> list[str]:
        return self.countries_text.split()

    @property
    def locales(self) -> list[str]:
        return self.locales_text.split()
