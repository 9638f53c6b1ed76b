"""Trade buyers as companies: who they are for tax and customs, their terms and prices."""

from __future__ import annotations

import datetime
from decimal import Decimal

from sqlalchemy import (
    JSON,
    CheckConstraint,
    DateTime,
    ForeignKey,
    Numeric,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .. import clock
from ..db import db

PAYMENT_TERMS = ("prepay", "deposit", "net30", "net60", "net90", "letter_of_credit")


class Company(db.Model):
    """A trade account: its buyers (users of role wholesale) order on its behalf."""

    __tablename__ = "shop_company"
    id: Mapped[int] = mapped_column(primary_key=True)
    # The public id: in URLs, the API and quotes (`company` of POST /admin/quotes).
    code: Mapped[str] = mapped_column(String(40), unique=True)
    legal_name: Mapped[str] = mapped_column(String(200))
    country: Mapped[str] = mapped_column(String(2))
    # Same keys as an order's ship_to (name, street_address, city, postal_code, ...).
    billing_address: Mapped[dict] = mapped_column(JSON, default=dict)
    delivery_address: Mapped[dict | None] = mapped_column(JSON)
    # As stored: compact, upper case, EU numbers with their country prefix (EL for Greece).
    vat_number: Mapped[str] = mapped_column(String(40), default="", server_default="")
    # How it was checked: "check digit" (python-stdnum: format and check digit),
    # "unchecked" (a country stdnum has no module for: stored as typed), "" (none given).
    vat_checked_with: Mapped[str] = mapped_column(String(20), default="", server_default="")
    # The last answer of the EU's VIES service (only when VIES_CHECK is on): None never asked.
    vies_valid: Mapped[bool | None] = mapped_column()
    vies_checked_at: Mapped[datetime.datetime | None] = mapped_column(DateTime(timezone=True))
    eori: Mapped[str] = mapped_column(String(17), default="", server_default="")
    payment_terms: Mapped[str] = mapped_column(String(20), default="prepay")
    deposit_percent: Mapped[int | None] = mapped_column()
    is_active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime.datetime] = mapped_column(
        DateTime(timezone=True), default=clock.now
    )
    updated_at: Mapped[datetime.datetime] = mapped_column(
        DateTime(timezone=True), default=clock.now, onupdate=clock.now
    )
    prices: Mapped[list[CompanyPrice]] = relationship(
        back_populates="company", cascade="all, delete-orphan", order_by="CompanyPrice.sku"
    )
    __table_args__ = (
        CheckConstraint(
            "(payment_terms = 'deposit' AND deposit_percent BETWEEN 1 AND 99) "
            "OR (payment_terms <> 'deposit' AND deposit_percent IS NULL)",
            name="deposit_percent_with_deposit",
        ),
    )


class CompanyPrice(db.Model):
    """A unit price the company's buyers pay for one SKU, over the trade tiers."""

    __tablename__ = "shop_company_price"
    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(
        ForeignKey("shop_company.id", ondelete="CASCADE"), index=True
    )
    sku: Mapped[str] = mapped_column(
        String(64),
        ForeignKey("shop_variant.sku", ondelete="CASCADE", onupdate="CASCADE"),
        index=True,
    )
    amount: Mapped[Decimal] = mapped_column(Numeric(14, 3))
    currency: Mapped[str] = mapped_column(String(3))
    company: Mapped[Company] = relationship(back_populates="prices")
    __table_args__ = (UniqueConstraint("company_id", "sku"),)
