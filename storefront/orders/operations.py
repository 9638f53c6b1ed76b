"""Placing orders. Services flush and never commit.

A cart is split into fulfilment groups (`cart.groups`), one per shipper. Placing the
order keeps every line's price and rate and every group's model and settings as
they are at that moment; a later switch of a product's model changes new orders only.
Paying and cancelling set the groups' shippers to work or call them back (`dispatch`).
"""

from __future__ import annotations

import secrets
from decimal import Decimal

from flask_babel import gettext
from sqlalchemy import insert, select
from sqlalchemy.orm.attributes import set_committed_value

from channels.fx import MissingRate, cross_rate
from channels.landed_cost import LandedCost
from i18n import current_locale
from models_ import Destination, HoldRef, NotAvailable

from .. import clock
from ..cart.groups import fulfilment_groups, model_line
from ..cart.operations import PricedCart, hash_token
from ..catalog.queries import local_names
from ..companies.treatment import EU_REVERSE_CHARGE, REASONS, trade_buyer
from ..config import settings
from ..db import db
from ..errors import InputError
from ..fulfilment import registry
from ..fulfilment.context import ShopContext
from ..markets.rates import current_rates
from ..shipping.operations import method_name
from .holds import hold_problems
from .summary import checkout_totals
from .tables import Order, OrderGroup, OrderLine

RATE_PLACES = Decimal("1e-16")  # Order.base_rate is Numeric(30, 16)
BANK_TRANSFER = "bank_transfer"  # Order.payment_method of an order paid by bank transfer


class CheckoutRefused(InputError):
    """The cart cannot become an order now; `problems` says why, line by line (the first
    one is its message and code). The API answers it 409 with every problem."""

    code = "checkout_refused"
    status = 409

    def __init__(self, problems: list[dict]):
        first = problems[0]
        super().__init__(first["message"], first["code"], first.get("field"))
        self.problems = problems

    def __str__(self) -> str:
        return "; ".join(p["message"] for p in self.problems)


def _new_number() -> str:
    return f"{clock.now():%y%m%d}-{secrets.token_hex(3).upper()}"


def find_by_idempotency_key(key: str) -> Order | None:
    return db.session.scalar(select(Order).where(Order.idempotency_key == key))


def customs_snapshot(product) -> dict:
    """What an order line keeps of its product for the export documents: tariff code,
    origin and net weight per unit as sold (a later edit of the product changes none)."""
    return {
        "hs_code": product.hs_code,
        "origin_country": product.origin_country,
        "net_weight_grams": product.weight_grams,
    }


def place_order(
    priced: PricedCart,
    idempotency_key: str,
    customer_id: int | None = None,
    client_key: str = "",
    terms_version: int | None = None,
) -> tuple[Order, str]:
    """Turn a priced cart into an order with its groups, holding stock; returns the order
    and its access token. The order keeps the cart's delivery details as they are now
    (address, name, e-mail, phone), its language and the terms version the buyer accepted.
    Raises CheckoutRefused with the problems found, the caps on what unpaid orders hold
    (`holds`) among them."""
    if not idempotency_key or len(idempotency_key) > 100:
        raise CheckoutRefused(
            [
                {
                    "code": "invalid_idempotency_key",
                    "message": gettext(
                        "A checkout needs an idempotency key of at most 100 characters."
                    ),
                }
            ]
        )
    problems = list(priced.problems)
    if not priced.lines:
        problems.append({"code": "empty_cart", "message": gettext("Your cart is empty.")})
    context = ShopContext()
    groups = fulfilment_groups(priced, context) if priced.lines else []
    problems += [p for g in groups for p in g.problems]
    if not problems:
        problems = hold_problems(priced, client_key)
    if problems:
        raise CheckoutRefused(problems)

    token = secrets.token_urlsafe(24)
    totals = checkout_totals(priced, groups)
    cart = priced.cart
    base_currency = settings()["BASE_CURRENCY"]
    order = Order(
        number=_new_number(),
        token_hash=hash_token(token),
        idempotency_key=idempotency_key,
        cart_id=priced.cart.id,
        channel_id=priced.cart.channel_id,
        currency=priced.currency,
        country=priced.cart.country,
        email=cart.email or "",
        phone=cart.phone or "",
        ship_to=dict(cart.address) if cart.address else None,
        buyer_name=(cart.address or {}).get("name", ""),
        locale=cart.locale or current_locale(),
        customer_id=customer_id,
        client_key=client_key,
        terms_version=terms_version,
        wholesale=priced.cart.wholesale,
        subtotal_amount=totals["subtotal"].amount,
        total_amount=totals["total"].amount,
        base_currency=base_currency,
        base_rate=base_rate(priced.currency, base_currency),
        **_company_columns(priced, groups),
    )
    db.session.add(order)
    models = registry()
    # The names the buyer read, in the order's language, for the confirmation and the mails.
    shown = local_names({pl.line.variant.product for pl in priced.lines}, order.locale)
    for cart_group in groups:
        option = cart_group.shipping_method
        group = OrderGroup(
            order=order,
            selling_model=cart_group.selling_model,
            model_settings=cart_group.settings,
            shipper=cart_group.shipper,
            ship_from=cart_group.ship_from,
            eta_min_days=cart_group.eta.min_days,
            eta_max_days=cart_group.eta.max_days,
            **_import_columns(cart_group.landed),
            shipping_method=method_name(option.method_id) or option.name,
            local_shipping_method=method_name(option.method_id, order.locale) or option.name,
            shipping_amount=cart_group.shipping.amount,
            vat_treatment=cart_group.vat_treatment,
        )
        db.session.add(group)
    db.session.flush()
    # One multi-row INSERT for every line, whatever the cart's size; RETURNING gives the
    # lines back as loaded objects, so the groups' and the order's `lines` are known
    # (set below) and the mail and the answer read them without a SELECT per group.
    lines = db.session.scalars(
        insert(OrderLine).returning(OrderLine),
        [
            {
                "order_id": order.id,
                "group_id": group.id,
                "variant_id": pl.line.variant.id,
                "product_id": pl.line.variant.product_id,
                "brand_id": pl.line.variant.product.brand_id,
                "sku": pl.line.variant.sku,
                "name": pl.line.variant.product.name,
                "local_name": shown[pl.line.variant.product_id],
                "quantity": pl.line.quantity,
                "unit_amount": pl.unit_price.amount,
                "currency": pl.unit_price.currency,
                "price_source": pl.quote.source,
                "rate": pl.quote.rate,
                "rate_date": pl.quote.rate_date,
                "model_settings": pl.line.variant.product.selling_model_settings or {},
                **customs_snapshot(pl.line.variant.product),
            }
            for group, cart_group in zip(order.groups, groups, strict=True)
            for pl in cart_group.lines
        ],
    ).all()
    lines.sort(key=lambda ln: ln.id)  # as the relationships order them
    set_committed_value(order, "lines", lines)
    for group in order.groups:
        set_committed_value(group, "lines", [ln for ln in lines if ln.group_id == group.id])
    destination = Destination(order.country)
    for group, cart_group in zip(order.groups, groups, strict=True):
        try:
            models.get(group.selling_model).reserve(
                [model_line(pl) for pl in cart_group.lines],
                destination,
                HoldRef(group.id),
                context,
            )
        except NotAvailable as refusal:
            raise CheckoutRefused(
                [
                    {
                        "code": refusal.code,
                        "message": gettext("%(sku)s is out of stock.", sku=refusal.sku),
                    }
                ]
            ) from None
    return order, token


def base_rate(currency: str, base_currency: str) -> Decimal | None:
    """Units of `base_currency` one unit of `currency` buys at the shop's current rates,
    whatever the order's prices came from (explicit channel prices too); None without a
    rate for either."""
    try:
        rate = cross_rate(current_rates().rateset, currency, base_currency)
    except MissingRate:
        return None
    return rate.quantize(RATE_PLACES)  # as the column keeps it


def _company_columns(priced: PricedCart, groups) -> dict:
    """The company a trade order is placed for, as it is now, and its VAT treatment: the
    reverse charge when any shipment is zero-rated, else the shipments' own one."""
    buyer = trade_buyer(priced.cart.company_id) if priced.cart.wholesale else None
    if buyer is None:
        return {}
    treatments = [g.vat_treatment for g in groups if g.vat_treatment]
    treatment = EU_REVERSE_CHARGE if EU_REVERSE_CHARGE in treatments else next(iter(treatments), "")
    return {
        "company_id": buyer.company_id,
        "company_name": buyer.legal_name,
        "company_vat_number": buyer.vat_number,
        "company_eori": buyer.eori,
        "vat_treatment": treatment,
        "vat_treatment_reason": REASONS.get(treatment, ""),
    }


def _import_columns(landed: LandedCost) -> dict:
    return {
        "import_regime": landed.regime,
        "import_collected": landed.collected_at_checkout,
        "import_vat_included": landed.vat_included,
        "import_currency": landed.vat.currency,
        "import_vat_amount": landed.vat.amount,
        "import_duty_amount": landed.duty.amount,
        "import_fees_amount": landed.fees.amount,
        "import_due_on_delivery_amount": landed.estimated_due_on_delivery.amount,
    }
