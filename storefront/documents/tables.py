"""A group's parcels as packed or shipped, and the export documents issued for it."""

from __future__ import annotations

import datetime
from decimal import Decimal

from sqlalchemy import (
    JSON,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Numeric,
    String,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from .. import clock
from ..db import db


class Parcel(db.Model):
    """One box of a group: its outside dimensions, its gross weight and what it holds,
    as recorded when the group was packed or shipped (or derived then from the lines)."""

    __tablename__ = "shop_parcel"
    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(
        ForeignKey("shop_order_group.id", ondelete="CASCADE"), index=True
    )
    # the shipment it left in; None: recorded at packing, before any shipment
    shipment_id: Mapped[int | None] = mapped_column(
        ForeignKey("shop_shipment.id", ondelete="CASCADE"), index=True
    )
    length_mm: Mapped[int]
    width_mm: Mapped[int]
    height_mm: Mapped[int]
    weight_grams: Mapped[int]  # gross: goods and packaging
    lines: Mapped[list] = mapped_column(JSON)  # [{"sku": ..., "quantity": ...}]
    # True: nobody gave it, the shop derived it from the lines' weights and sizes
    derived: Mapped[bool] = mapped_column(default=False)
    recorded_by: Mapped[str] = mapped_column(String(120), default="")
    recorded_at: Mapped[datetime.datetime] = mapped_column(
        DateTime(timezone=True), default=clock.now
    )


class IssuedDocument(db.Model):
    """An export document as issued: built once from the order's snapshot, kept as data,
    and printed from that data every time after. A group has one set of its own (no
    shipment: issued at packing or its first shipment) and each later shipment one."""

    __tablename__ = "shop_export_document"
    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(
        ForeignKey("shop_order_group.id", ondelete="CASCADE"), index=True
    )
    # the later shipment it covers; None: the group's own set (packing or first shipment)
    shipment_id: Mapped[int | None] = mapped_column(
        ForeignKey("shop_shipment.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(24))  # commercial-invoice, packing-list, cn22, cn23
    number: Mapped[str] = mapped_column(String(30), unique=True)  # CI-2026-000001
    issued_at: Mapped[datetime.datetime] = mapped_column(DateTime(timezone=True), default=clock.now)
    issued_by: Mapped[str] = mapped_column(String(120), default="")
    language: Mapped[str] = mapped_column(String(12))  # the language of its first print
    data: Mapped[dict] = mapped_column(JSON)
    # The SDR (XDR) rate the value was converted at: units of XDR per unit of the currency.
    sdr_rate: Mapped[Decimal | None] = mapped_column(Numeric(30, 16))
    sdr_rate_date: Mapped[datetime.date | None] = mapped_column(Date)
    __table_args__ = (
        Index(
            "uq_shop_export_document_group_kind",
            "group_id",
            "kind",
            unique=True,
            sqlite_where=text("shipment_id IS NULL"),
            postgresql_where=text("shipment_id IS NULL"),
        ),
        UniqueConstraint("shipment_id", "kind", name="uq_shop_export_document_shipment_kind"),
    )


class DocumentSeries(db.Model):
    """The last number issued in a series ("CI-2026"): numbers follow without gaps."""

    __tablename__ = "shop_document_series"
    series: Mapped[str] = mapped_column(String(20), primary_key=True)
    last: Mapped[int] = mapped_column(default=0)
