"""The seller's import/export rights: tax registrations per scheme, EORI, export licences."""

from __future__ import annotations

import datetime

from sqlalchemy import JSON, Boolean, CheckConstraint, Date, DateTime, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from .. import clock
from ..db import db


class ComplianceProfile(db.Model):
    """One row (id 1): the numbers that are not a tax scheme's."""

    __tablename__ = "shop_compliance_profile"
    id: Mapped[int] = mapped_column(primary_key=True)
    # Economic Operators Registration and Identification: country code + up to 15 characters.
    eori: Mapped[str | None] = mapped_column(String(17))
    # Export licence numbers, one a line (free form: each country words its own).
    export_licences: Mapped[str] = mapped_column(Text, default="", server_default="")
    # The seller's postal address, lines as printed on export documents.
    seller_address: Mapped[str] = mapped_column(Text, default="", server_default="")
    # The same address as fields, as the form edits it (compliance.seller.FIELDS): name,
    # street_address, city, postal_code, country, phone; None: never entered.
    seller: Mapped[dict | None] = mapped_column(JSON)
    updated_by: Mapped[int | None] = mapped_column(ForeignKey("shop_user_account.id"))
    updated_at: Mapped[datetime.datetime] = mapped_column(
        DateTime(timezone=True), default=clock.now, onupdate=clock.now
    )


class TaxRegistration(db.Model):
    """The shop is registered for `scheme` (schemes.json "registration") in these dates."""

    __tablename__ = "shop_tax_registration"
    id: Mapped[int] = mapped_column(primary_key=True)
    scheme: Mapped[str] = mapped_column(String(20), unique=True)
    number: Mapped[str] = mapped_column(String(40))
    valid_from: Mapped[datetime.date] = mapped_column(Date)
    valid_to: Mapped[datetime.date | None] = mapped_column(Date)  # inclusive; None: open
    # The number passed its format check when saved; only validated rows count at checkout.
    validated: Mapped[bool] = mapped_column(Boolean, default=False)
    # How: "check digit" (python-stdnum checked it) or "format" (its documented shape).
    checked_with: Mapped[str] = mapped_column(String(20), default="")
    updated_by: Mapped[int | None] = mapped_column(ForeignKey("shop_user_account.id"))
    updated_at: Mapped[datetime.datetime] = mapped_column(
        DateTime(timezone=True), default=clock.now, onupdate=clock.now
    )
    __table_args__ = (
        CheckConstraint("valid_to IS NULL OR valid_to >= valid_from", name="dates_in_order"),
    )
