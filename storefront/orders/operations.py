"""Placing, paying and cancelling orders. Services flush and never commit.

A cart is split into fulfilment groups, one per shipper, each quoted by the
selling model of its products. Placing the order keeps every line's price and
rate and every group's model and settings as they are at that moment; a later
switch of a product's model changes new orders only.
"""

from __future__ import annotations

import datetime
import secrets
from dataclasses import dataclass, field

from flask_babel import gettext
from sqlalchemy import and_, insert, or_, select

from channels.landed_cost import Consignment, GoodsLine, LandedCost, landed_cost
from channels.money import Money
from channels.transit import transit_days
from models_ import Days, Destination, Group, Line, NotAvailable

from ..cart.operations import PricedCart, PricedLine, hash_token
from ..compliance.operations import active_registrations
from ..db import db
from ..fulfilment import registry
from ..fulfilment.context import ShopContext, move_group
from ..fulfilment.tables import StockReservation
from ..markets.rates import current_rates
from ..markets.rules import current_rules
from . import states
from .tables import Order, OrderGroup, OrderLine

BANK_TRANSFER = "bank_transfer"  # Order.payment_method of an order paid by bank transfer


class CheckoutRefused(ValueError):
    """The cart cannot become an order now; `problems` says why, line by line."""

    def __init__(self, problems: list[dict]):
        super().__init__("; ".join(p["message"] for p in problems))
        self.problems = problems


@dataclass
class CartGroup:
    key: str
    selling_model: str
    settings: dict
    shipper: str
    ship_from: str
    eta: Days
    lines: list[PricedLine] = field(default_factory=list)
    problems: list[dict] = field(default_factory=list)
    landed: LandedCost | None = None  # import VAT, duty and fees of this consignment

    @property
    def goods_value(self) -> Money:
        return sum((pl.total for pl in self.lines), Money.zero(self.lines[0].unit_price.currency))

    @property
    def charged_at_checkout(self) -> Money:
        zero = Money.zero(self.goods_value.currency)
        return self.landed.charged_at_checkout if self.landed else zero


def _landed(group: CartGroup, country: str, region: str | None) -> LandedCost:
    """Each group is one consignment: thresholds apply to it alone, from its ship-from."""
    currency = group.goods_value.currency
    lines = tuple(
        GoodsLine(
            hs_code=pl.line.variant.product.hs_code,
            unit_customs_value=pl.unit_price,
            quantity=pl.line.quantity,
            materials=frozenset({pl.line.variant.product.material}),
        )
        for pl in group.lines
    )
    consignment = Consignment(
        origin=group.ship_from,
        destination=country,
        date=datetime.datetime.now(datetime.UTC).date(),
        lines=lines,
        shipping=Money.zero(currency),
        region=region or None,
    )
    registrations = active_registrations(consignment.date)
    return landed_cost(
        consignment, registrations, current_rates().rateset, currency, current_rules()
    )


def _landed_problems(group: CartGroup, country: str) -> list[dict]:
    """The landed-cost engine's problems, in the buyer's language."""
    problems = []
    for problem in group.landed.problems:
        if problem.code == "destination_blocked":
            message = gettext(
                "We cannot deliver to this destination: %(country)s.", country=country
            )
        elif problem.code == "restricted_goods":
            sku = group.lines[problem.line].line.variant.sku if problem.line is not None else ""
            message = gettext("%(sku)s cannot be sent to %(country)s.", sku=sku, country=country)
        else:
            message = problem.message
        problems.append({"code": problem.code, "message": message})
    return problems


def _model_line(pl: PricedLine) -> Line:
    variant, product = pl.line.variant, pl.line.variant.product
    return Line(
        variant_id=variant.id,
        sku=variant.sku,
        product_id=product.id,
        brand_id=product.brand_id,
        quantity=pl.line.quantity,
        settings=dict(product.selling_model_settings or {}),
        origin_country=product.origin_country,
    )


def fulfilment_groups(priced: PricedCart, context: ShopContext | None = None) -> list[CartGroup]:
    """The cart split by shipper, each group with its ship-from and delivery estimate."""
    context = context or ShopContext()
    destination = Destination(priced.cart.country)
    context.prefetch_stock([pl.line.variant_id for pl in priced.lines])
    models = registry()
    groups: dict[str, CartGroup] = {}
    for pl in priced.lines:
        product = pl.line.variant.product
        quote = models.get(product.selling_model).quote(_model_line(pl), destination, context)
        eta = quote.handling + Days(*transit_days(quote.ship_from, destination.country))
        group = groups.get(quote.shipper)
        if group is None:
            group = groups[quote.shipper] = CartGroup(
                key=f"g{len(groups) + 1}",
                selling_model=product.selling_model,
                settings=dict(product.selling_model_settings or {}),
                shipper=quote.shipper,
                ship_from=quote.ship_from,
                eta=eta,
            )
        else:  # the slowest line sets the group's pace
            group.eta = Days(
                max(group.eta.min_days, eta.min_days), max(group.eta.max_days, eta.max_days)
            )
        group.lines.append(pl)
        if not quote.available:
            group.problems.append(
                {
                    "code": quote.problem or "not_available",
                    "line": pl.line.id,
                    "message": gettext(
                        "%(sku)s cannot be delivered to %(country)s right now.",
                        sku=pl.line.variant.sku,
                        country=destination.country,
                    )
                    if quote.problem != "out_of_stock"
                    else gettext("%(sku)s is out of stock.", sku=pl.line.variant.sku),
                }
            )
    region = (priced.cart.address or {}).get("country_area")
    for group in groups.values():
        group.landed = _landed(group, destination.country, region)
        group.problems += _landed_problems(group, destination.country)
    return list(groups.values())


def _new_number() -> str:
    return f"{datetime.datetime.now(datetime.UTC):%y%m%d}-{secrets.token_hex(3).upper()}"


def find_by_idempotency_key(key: str) -> Order | None:
    return db.session.scalar(select(Order).where(Order.idempotency_key == key))


def place_order(priced: PricedCart, idempotency_key: str, email: str = "") -> tuple[Order, str]:
    """Turn a priced cart into an order with its groups, holding stock; returns the order
    and its access token. Raises CheckoutRefused with the problems found."""
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
    if problems:
        raise CheckoutRefused(problems)

    token = secrets.token_urlsafe(24)
    subtotal = priced.subtotal
    charged = sum((g.charged_at_checkout for g in groups), Money.zero(subtotal.currency))
    order = Order(
        number=_new_number(),
        token_hash=hash_token(token),
        idempotency_key=idempotency_key,
        cart_id=priced.cart.id,
        channel_id=priced.cart.channel_id,
        currency=priced.currency,
        country=priced.cart.country,
        email=email,
        wholesale=priced.cart.wholesale,
        subtotal_amount=subtotal.amount,
        total_amount=(subtotal + charged).amount,
    )
    db.session.add(order)
    models = registry()
    for cart_group in groups:
        group = OrderGroup(
            order=order,
            selling_model=cart_group.selling_model,
            model_settings=cart_group.settings,
            shipper=cart_group.shipper,
            ship_from=cart_group.ship_from,
            eta_min_days=cart_group.eta.min_days,
            eta_max_days=cart_group.eta.max_days,
            import_charges=cart_group.landed.as_json(),
        )
        db.session.add(group)
    db.session.flush()
    # One multi-row INSERT for every line, whatever the cart's size.
    db.session.execute(
        insert(OrderLine),
        [
            {
                "order_id": order.id,
                "group_id": group.id,
                "variant_id": pl.line.variant.id,
                "product_id": pl.line.variant.product_id,
                "brand_id": pl.line.variant.product.brand_id,
                "sku": pl.line.variant.sku,
                "name": pl.line.variant.product.name,
                "quantity": pl.line.quantity,
                "unit_amount": pl.unit_price.amount,
                "currency": pl.unit_price.currency,
                "price_source": pl.quote.source,
                "rate": pl.quote.rate,
                "rate_date": pl.quote.rate_date,
            }
            for group, cart_group in zip(order.groups, groups, strict=True)
            for pl in cart_group.lines
        ],
    )
    destination = Destination(order.country)
    for group, cart_group in zip(order.groups, groups, strict=True):
        try:
            models.get(group.selling_model).reserve(
                [_model_line(pl) for pl in cart_group.lines],
                destination,
                f"group:{group.id}",
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


def model_group(group: OrderGroup) -> Group:
    lines = [
        Line(
            variant_id=ln.variant_id,
            sku=ln.sku,
            product_id=ln.product_id,
            brand_id=ln.brand_id,
            quantity=ln.quantity,
            settings=group.model_settings,
            origin_country=group.ship_from,
        )
        for ln in group.lines
    ]
    return Group(
        id=group.id,
        shipper=group.shipper,
        order_id=group.order_id,
        lines=lines,
        settings=group.model_settings,
    )


def mark_paid(order: Order) -> None:
    """The payment is confirmed: each group's model sets its shipper to work."""
    order.status = states.check(states.ORDER_TRANSITIONS, "order", order.status, "paid")
    context = ShopContext()
    for group in order.groups:
        registry().get(group.selling_model).start_fulfilment(model_group(group), context)
    db.session.flush()


def cancel_order(order: Order, note: str = "") -> None:
    order.status = states.check(states.ORDER_TRANSITIONS, "order", order.status, "cancelled")
    context = ShopContext()
    for group in order.groups:
        if group.status in ("cancelled", "rejected"):
            continue
        registry().get(group.selling_model).cancel(model_group(group), f"group:{group.id}", context)
        move_group(group, "cancelled", note)
    db.session.flush()


def release_expired(now: datetime.datetime | None = None) -> int:
    """Cancel unpaid orders whose stock hold ran out, or whose bank transfer did not
    arrive by its deadline (an order of made-to-order goods holds no stock); returns
    how many."""
    now = now or datetime.datetime.now(datetime.UTC)
    references = db.session.scalars(
        select(StockReservation.reference)
        .where(StockReservation.state == "held", StockReservation.expires_at < now)
        .distinct()
    ).all()
    group_ids = [int(r.split(":", 1)[1]) for r in references if r.startswith("group:")]
    transfer_overdue = and_(Order.payment_method == BANK_TRANSFER, Order.transfer_due_at < now)
    orders = db.session.scalars(
        select(Order)
        .join(OrderGroup)
        .where(
            or_(OrderGroup.id.in_(group_ids), transfer_overdue),
            Order.status == "pending_payment",
        )
        .distinct()
    ).all()
    for order in orders:
        if order.payment_method == BANK_TRANSFER:
            cancel_order(order, "bank transfer did not arrive by its deadline")
        else:
            cancel_order(order, "stock hold expired before payment")
    return len(orders)
