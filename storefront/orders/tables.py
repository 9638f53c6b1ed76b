"""Orders, split into fulfilment groups (one per shipper), their lines, and every status
a group went through."""

from __future__ import annotations

import datetime
import enum
from decimal import Decimal

from sqlalchemy import JSON, Date, DateTime, ForeignKey, Numeric, String, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from channels.money import Money

from .. import clock
from ..db import db
from ..markets.tables import Channel

_AMOUNT = Numeric(14, 3)


class OrderStatus(enum.StrEnum):
    """Where an order is in its payment; its moves are `states.ORDER_TRANSITIONS`."""

    PENDING_PAYMENT = "pending_payment"
    PAID = "paid"
    # once paid, the order follows its groups (`states.follow_groups`)
    PARTIALLY_SHIPPED = "partially_shipped"
    SHIPPED = "shipped"
    DELIVERED = "delivered"
    CANCELLED = "cancelled"
    PARTIALLY_REFUNDED = "partially_refunded"
    REFUNDED = "refunded"


class GroupStatus(enum.StrEnum):
    """Where a consignment is on its way; its moves are `states.GROUP_TRANSITIONS`."""

    AWAITING_PAYMENT = "awaiting_payment"
    AWAITING_SHIPPER = "awaiting_shipper"
    IN_PRODUCTION = "in_production"
    PICKING = "picking"
    PACKING = "packing"  # picked, being packed
    READY_TO_SHIP = "ready_to_ship"
    PARTIALLY_SHIPPED = "partially_shipped"
    SHIPPED = "shipped"
    DELIVERED = "delivered"
    REJECTED = "rejected"
    CANCELLED = "cancelled"


class Order(db.Model):
    __tablename__ = "shop_order"
    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(20), unique=True)
    token_hash: Mapped[str] = mapped_column(String(64))
    idempotency_key: Mapped[str] = mapped_column(String(100), unique=True)
    cart_id: Mapped[str] = mapped_column(String(32), index=True)
    channel_id: Mapped[int] = mapped_column(ForeignKey("shop_channel.id"))
    currency: Mapped[str] = mapped_column(String(3))
    country: Mapped[str] = mapped_column(String(2))
    email: Mapped[str] = mapped_column(String(254), default="")
    # What shipping needs, as the buyer gave it at checkout (personal data: shown only to
    # the buyer, staff, and the shipper of a group).
    buyer_name: Mapped[str] = mapped_column(String(200), default="", server_default="")
    phone: Mapped[str] = mapped_column(String(32), default="", server_default="")
    ship_to: Mapped[dict | None] = mapped_column(JSON)
    # The language the buyer's mails are written in.
    locale: Mapped[str] = mapped_column(String(12), default="", server_default="")
    # The terms and conditions version the buyer accepted at checkout (pages.LegalPage;
    # 0: the starter terms); None: placed through the API without accepting a version.
    terms_version: Mapped[int | None] = mapped_column()
    # Who placed it ("customer:<id>", or a keyed hash of the address): what one client's
    # unpaid orders hold is capped (orders.holds).
    client_key: Mapped[str] = mapped_column(String(64), default="", server_default="", index=True)
    # The buyer's account when signed in at checkout.
    customer_id: Mapped[int | None] = mapped_column(ForeignKey("shop_user_account.id"), index=True)
    paid_at: Mapped[datetime.datetime | None] = mapped_column(DateTime(timezone=True))
    status: Mapped[str] = mapped_column(String(20), default=OrderStatus.PENDING_PAYMENT, index=True)
    # Placed from a trade buyer's cart: such an order may be paid by bank transfer.
    wholesale: Mapped[bool] = mapped_column(default=False, server_default="0")
    # None: by card (the default); "bank_transfer" once the buyer chose to pay so,
    # with the moment the transfer must have arrived by.
    payment_method: Mapped[str | None] = mapped_column(String(20))
    transfer_due_at: Mapped[datetime.datetime | None] = mapped_column(DateTime(timezone=True))
    # The company a trade order was placed for, as it was then (storefront.companies).
    company_id: Mapped[int | None] = mapped_column(
        ForeignKey("shop_company.id", ondelete="SET NULL"), index=True
    )
    company_name: Mapped[str] = mapped_column(String(200), default="", server_default="")
    company_vat_number: Mapped[str] = mapped_column(String(40), default="", server_default="")
    company_eori: Mapped[str] = mapped_column(String(17), default="", server_default="")
    # How VAT applies ("" the ordinary way; companies.treatment: "eu_reverse_charge",
    # "eu_business_import") and the words the invoice states for it.
    vat_treatment: Mapped[str] = mapped_column(String(30), default="", server_default="")
    vat_treatment_reason: Mapped[str] = mapped_column(String(300), default="", server_default="")
    # A trade order accepted from a quote (storefront.quotes): its payment terms code
    # (prepay, deposit:30, net30, letter_of_credit...).
    payment_terms: Mapped[str | None] = mapped_column(String(20))
    subtotal_amount: Mapped[Decimal] = mapped_column(Numeric(14, 3))
    total_amount: Mapped[Decimal] = mapped_column(Numeric(14, 3))
    # Units of the shop's base currency (`base_currency`, BASE_CURRENCY at checkout) one
    # unit of `currency` bought at checkout; the reports convert the order at it. None for
    # an order placed before it was kept, or with no rate for its currency.
    base_currency: Mapped[str] = mapped_column(String(3), default="", server_default="")
    base_rate: Mapped[Decimal | None] = mapped_column(Numeric(30, 16))
    # The Incoterm 2020 (e.g. "FOB") and its named place a trade deal agreed; None: the
    # export documents say DDP when the group's import charges were collected, else DAP.
    incoterm: Mapped[str | None] = mapped_column(String(3))
    incoterm_place: Mapped[str | None] = mapped_column(String(120))
    created_at: Mapped[datetime.datetime] = mapped_column(
        DateTime(timezone=True), default=clock.now
    )
    channel: Mapped[Channel] = relationship()
    groups: Mapped[list[OrderGroup]] = relationship(
        back_populates="order", cascade="all, delete-orphan", order_by="OrderGroup.id"
    )
    lines: Mapped[list[OrderLine]] = relationship(
        back_populates="order", cascade="all, delete-orphan", order_by="OrderLine.id"
    )


class OrderGroup(db.Model):
    """One consignment: one shipper, one selling model as it was when the order was placed."""

    __tablename__ = "shop_order_group"
    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(
        ForeignKey("shop_order.id", ondelete="CASCADE"), index=True
    )
    selling_model: Mapped[str] = mapped_column(String(40))
    model_settings: Mapped[dict] = mapped_column(JSON)
    shipper: Mapped[str] = mapped_column(String(80), index=True)
    ship_from: Mapped[str] = mapped_column(String(2))
    eta_min_days: Mapped[int]
    eta_max_days: Mapped[int]
    status: Mapped[str] = mapped_column(
        String(20), default=GroupStatus.AWAITING_PAYMENT, index=True
    )
    # The consignment's import charges as quoted at checkout, in `import_currency` (the
    # order's): what the shop owes each tax authority (regime) adds up in SQL.
    import_regime: Mapped[str] = mapped_column(String(40), default="", server_default="")
    # This consignment's VAT treatment for a trade company (Order.vat_treatment's codes).
    vat_treatment: Mapped[str] = mapped_column(String(30), default="", server_default="")
    import_collected: Mapped[bool] = mapped_column(default=False, server_default=false())
    import_vat_included: Mapped[bool] = mapped_column(default=False, server_default=false())
    import_currency: Mapped[str] = mapped_column(String(3), default="", server_default="")
    import_vat_amount: Mapped[Decimal] = mapped_column(
        _AMOUNT, default=Decimal(0), server_default="0"
    )
    import_duty_amount: Mapped[Decimal] = mapped_column(
        _AMOUNT, default=Decimal(0), server_default="0"
    )
    import_fees_amount: Mapped[Decimal] = mapped_column(
        _AMOUNT, default=Decimal(0), server_default="0"
    )
    # an estimate of what the buyer pays the carrier when the shop collects nothing
    import_due_on_delivery_amount: Mapped[Decimal] = mapped_column(
        _AMOUNT, default=Decimal(0), server_default="0"
    )
    # The parcel's shipping as chosen and priced at checkout, in the order's currency.
    shipping_method: Mapped[str] = mapped_column(String(80), default="", server_default="")
    # ... and its name as the buyer saw it, in the order's locale ("" before it was kept).
    local_shipping_method: Mapped[str] = mapped_column(String(80), default="", server_default="")
    shipping_amount: Mapped[Decimal] = mapped_column(
        Numeric(14, 3), default=Decimal(0), server_default="0"
    )
    delivered_at: Mapped[datetime.datetime | None] = mapped_column(DateTime(timezone=True))
    # A group no shipper would take is refunded: "owed" until the refund went through,
    # then "refunded"; "manual" when there is no card payment to refund it to.
    refund_state: Mapped[str] = mapped_column(String(12), default="", server_default="")
    refund_amount: Mapped[Decimal | None] = mapped_column(_AMOUNT)
    order: Mapped[Order] = relationship(back_populates="groups")

    @property
    def shown_shipping_method(self) -> str:
        """The shipping method's name in the buyer's language, as it was at checkout."""
        return self.local_shipping_method or self.shipping_method

    lines: Mapped[list[OrderLine]] = relationship(back_populates="group", order_by="OrderLine.id")
    shipments: Mapped[list[Shipment]] = relationship(
        back_populates="group", order_by="Shipment.id", cascade="all, delete-orphan"
    )

    @property
    def import_charges(self) -> dict:
        """The charges in the API's shape (`LandedCost.as_json`); empty for a group placed
        before they were kept."""
        if not self.import_currency:
            return {}

        def money(amount: Decimal) -> dict:
            return Money(amount, self.import_currency).as_json()

        return {
            "regime": self.import_regime,
            "collected_at_checkout": self.import_collected,
            "vat": money(self.import_vat_amount),
            "duty": money(self.import_duty_amount),
            "fees": money(self.import_fees_amount),
            "estimated_due_on_delivery": money(self.import_due_on_delivery_amount),
            "vat_included": self.import_vat_included,
        }


class OrderLine(db.Model):
    """What was bought, at the price and rate it was quoted at."""

    __tablename__ = "shop_order_line"
    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(
        ForeignKey("shop_order.id", ondelete="CASCADE"), index=True
    )
    group_id: Mapped[int] = mapped_column(
        ForeignKey("shop_order_group.id", ondelete="CASCADE"), index=True
    )
    variant_id: Mapped[int] = mapped_column(ForeignKey("shop_variant.id"))
    product_id: Mapped[int] = mapped_column(ForeignKey("shop_product.id"))
    brand_id: Mapped[int] = mapped_column(ForeignKey("shop_brand.id"), index=True)
    sku: Mapped[str] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(200))
    # The name as the buyer saw it, in the order's locale ("" before it was kept).
    local_name: Mapped[str] = mapped_column(String(200), default="", server_default="")
    quantity: Mapped[int]
    unit_amount: Mapped[Decimal] = mapped_column(Numeric(14, 3))
    currency: Mapped[str] = mapped_column(String(3))
    price_source: Mapped[str] = mapped_column(String(12))
    rate: Mapped[Decimal | None] = mapped_column(Numeric(30, 16))
    rate_date: Mapped[datetime.date | None] = mapped_column(Date)
    # the line's own selling-model settings (its product's, when the order was placed)
    model_settings: Mapped[dict | None] = mapped_column(JSON)
    # What customs asks of the product as sold (its product's, when the order was placed):
    # the export documents print these, whatever the product says later. None: a line
    # placed before they were kept (the migration filled them from the product).
    hs_code: Mapped[str | None] = mapped_column(String(16))
    origin_country: Mapped[str | None] = mapped_column(String(2))
    net_weight_grams: Mapped[int | None] = mapped_column()  # per unit
    order: Mapped[Order] = relationship(back_populates="lines")
    group: Mapped[OrderGroup] = relationship(back_populates="lines")

    @property
    def shown_name(self) -> str:
        """The product's name in the buyer's language, as it was at checkout."""
        return self.local_name or self.name


class GroupStatusChange(db.Model):
    """Every status a group went through, and who moved it."""

    __tablename__ = "shop_group_status_change"
    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(
        ForeignKey("shop_order_group.id", ondelete="CASCADE"), index=True
    )
    from_status: Mapped[str] = mapped_column(String(20))
    to_status: Mapped[str] = mapped_column(String(20))
    note: Mapped[str] = mapped_column(String(300), default="")
    # who made the move: "staff:ana@shop", "agent:milano", "supplier:sz", "system"
    actor: Mapped[str] = mapped_column(String(120), default="", server_default="")
    changed_at: Mapped[datetime.datetime] = mapped_column(
        DateTime(timezone=True), default=clock.now
    )


class Shipment(db.Model):
    """A parcel (or several) that left a group's shipper, with what it holds."""

    __tablename__ = "shop_shipment"
    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(
        ForeignKey("shop_order_group.id", ondelete="CASCADE"), index=True
    )
    carrier_code: Mapped[str] = mapped_column(String(40), default="other", server_default="other")
    carrier_name: Mapped[str] = mapped_column(String(80))
    tracking_number: Mapped[str] = mapped_column(String(80))
    tracking_url: Mapped[str] = mapped_column(String(500), default="", server_default="")
    lines: Mapped[list] = mapped_column(JSON)  # [{"sku": ..., "quantity": ...}]
    parcels: Mapped[int] = mapped_column(default=1, server_default="1")
    shipped_by: Mapped[str] = mapped_column(String(120), default="", server_default="")
    shipped_at: Mapped[datetime.datetime] = mapped_column(
        DateTime(timezone=True), default=clock.now
    )
    delivered_at: Mapped[datetime.datetime | None] = mapped_column(DateTime(timezone=True))
    group: Mapped[OrderGroup] = relationship(back_populates="shipments")
    events: Mapped[list[TrackingEvent]] = relationship(
        back_populates="shipment",
        order_by="TrackingEvent.occurred_at",
        cascade="all, delete-orphan",
    )


class TrackingEvent(db.Model):
    """A carrier's news of a shipment (in transit, out for delivery, delivered...)."""

    __tablename__ = "shop_tracking_event"
    id: Mapped[int] = mapped_column(primary_key=True)
    shipment_id: Mapped[int] = mapped_column(
        ForeignKey("shop_shipment.id", ondelete="CASCADE"), index=True
    )
    status: Mapped[str] = mapped_column(String(20))
    description: Mapped[str] = mapped_column(String(300), default="", server_default="")
    location: Mapped[str] = mapped_column(String(120), default="", server_default="")
    occurred_at: Mapped[datetime.datetime] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime.datetime] = mapped_column(
        DateTime(timezone=True), default=clock.now
    )
    shipment: Mapped[Shipment] = relationship(back_populates="events")
