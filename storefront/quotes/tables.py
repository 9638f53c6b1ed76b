"""Quotes to trade buyers (`shop_quote`) and their versions (`shop_quote_version`): each
revision is a new version, earlier ones stay as they were sent."""

from __future__ import annotations

import datetime
from decimal import Decimal

from sqlalchemy import JSON, Date, DateTime, ForeignKey, Numeric, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .. import clock
from ..accounts.tables import User
from ..db import db
from ..markets.tables import Channel

_AMOUNT = Numeric(14, 3)

DRAFT, SENT, ACCEPTED, EXPIRED, WITHDRAWN = "draft", "sent", "accepted", "expired", "withdrawn"
STATUSES = (DRAFT, SENT, ACCEPTED, EXPIRED, WITHDRAWN)


class Quote(db.Model):
    """A price offer to one trade buyer and their company, in one channel's currency."""

    __tablename__ = "shop_quote"
    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(20), unique=True)  # Q-2026-0001
    buyer_id: Mapped[int] = mapped_column(ForeignKey("shop_user_account.id"), index=True)
    company_code: Mapped[str] = mapped_column(String(40), default="", server_default="")
    channel_id: Mapped[int] = mapped_column(ForeignKey("shop_channel.id"))
    currency: Mapped[str] = mapped_column(String(3))
    country: Mapped[str] = mapped_column(String(2))  # where the goods go
    locale: Mapped[str] = mapped_column(String(12))  # the buyer's language: mails, proforma
    status: Mapped[str] = mapped_column(String(12), default=DRAFT, index=True)
    current_version: Mapped[int] = mapped_column(default=1)
    requested_from_cart: Mapped[bool] = mapped_column(default=False, server_default="0")
    created_at: Mapped[datetime.datetime] = mapped_column(
        DateTime(timezone=True), default=clock.now
    )
    sent_at: Mapped[datetime.datetime | None] = mapped_column(DateTime(timezone=True))
    # The acceptance: who, when, which version, from where (IP) and how (session, link, key).
    accepted_version: Mapped[int | None] = mapped_column()
    accepted_at: Mapped[datetime.datetime | None] = mapped_column(DateTime(timezone=True))
    accepted_by_id: Mapped[int | None] = mapped_column(ForeignKey("shop_user_account.id"))
    accepted_ip: Mapped[str | None] = mapped_column(String(45))
    accepted_via: Mapped[str | None] = mapped_column(String(40))
    order_id: Mapped[int | None] = mapped_column(
        ForeignKey("shop_order.id", ondelete="SET NULL"), unique=True
    )
    buyer: Mapped[User] = relationship(foreign_keys=[buyer_id])
    channel: Mapped[Channel] = relationship()
    versions: Mapped[list[QuoteVersion]] = relationship(
        back_populates="quote", cascade="all, delete-orphan", order_by="QuoteVersion.version"
    )

    @property
    def current(self) -> QuoteVersion:
        return next(v for v in self.versions if v.version == self.current_version)

    def version_no(self, n: int) -> QuoteVersion | None:
        return next((v for v in self.versions if v.version == n), None)

    @property
    def shown_status(self) -> str:
        """`expired` once a sent or drafted quote's validity date has passed."""
        if self.status in (DRAFT, SENT) and self.current.valid_until < clock.today():
            return EXPIRED
        return self.status


class QuoteVersion(db.Model):
    """One version of a quote as staff saved it: lines, Incoterm and place, freight and
    insurance, validity, payment terms, delivery estimates and totals, and the buyer's
    company as it was then."""

    __tablename__ = "shop_quote_version"
    id: Mapped[int] = mapped_column(primary_key=True)
    quote_id: Mapped[int] = mapped_column(ForeignKey("shop_quote.id", ondelete="CASCADE"))
    version: Mapped[int]
    company_code: Mapped[str] = mapped_column(String(40), default="")
    company_legal_name: Mapped[str] = mapped_column(String(200), default="")
    company_vat_number: Mapped[str] = mapped_column(String(40), default="")
    company_country: Mapped[str] = mapped_column(String(2), default="")
    company_eori: Mapped[str] = mapped_column(String(17), default="")
    company_address: Mapped[dict | None] = mapped_column(JSON)
    # [{sku, variant_id, name, quantity, unit_amount, list_amount, reason, hs_code, origin}]
    # amounts as decimal strings in the quote's currency; `reason` set on a negotiated price.
    lines: Mapped[list] = mapped_column(JSON)
    incoterm: Mapped[str] = mapped_column(String(3))
    place: Mapped[str] = mapped_column(String(120))
    freight_amount: Mapped[Decimal | None] = mapped_column(_AMOUNT)
    insurance_amount: Mapped[Decimal | None] = mapped_column(_AMOUNT)
    valid_until: Mapped[datetime.date] = mapped_column(Date)
    payment_terms: Mapped[str] = mapped_column(String(20))
    # [{ship_from, min_days, max_days, skus}] from the selling models and transit times.
    shipments: Mapped[list] = mapped_column(JSON)
    subtotal_amount: Mapped[Decimal] = mapped_column(_AMOUNT)
    # Estimated import VAT, duty and fees: owed by the shop under DDP, else by the buyer.
    import_amount: Mapped[Decimal] = mapped_column(_AMOUNT)
    total_amount: Mapped[Decimal] = mapped_column(_AMOUNT)
    created_by: Mapped[str] = mapped_column(String(260), default="")
    created_at: Mapped[datetime.datetime] = mapped_column(
        DateTime(timezone=True), default=clock.now
    )
    quote: Mapped[Quote] = relationship(back_populates="versions")
    __table_args__ = (UniqueConstraint("quote_id", "version"),)
