"""A quote's lines priced in its channel, split into shipments the way a cart is, and the
freight, insurance and import charges of each shipment under the quote's Incoterm. Shared
by saving a version and by placing the order it turns into, so both say the same numbers."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from flask_babel import gettext
from sqlalchemy import select

from channels.landed_cost import Consignment, GoodsLine, LandedCost, landed_cost
from channels.money import Money
from channels.pricing import Quote as PriceQuote

from .. import clock
from ..cart.groups import CartGroup, fulfilment_groups
from ..cart.operations import PricedCart, PricedLine
from ..cart.tables import Cart, CartLine
from ..catalog.tables import Product, Variant
from ..compliance.operations import active_registrations
from ..db import db
from ..markets.pricing import Pricer
from ..markets.rates import current_rates
from ..markets.rules import current_rules
from ..markets.tables import Channel
from .rules import SELLER_PAYS_IMPORT, QuoteError, QuoteInput

QUOTED = "quote"  # OrderLine.price_source of a line sold at a quote's price


def priced_lines(channel: Channel, data: QuoteInput) -> list[dict]:
    """Each line with its variant, the channel's trade price for its quantity and the price
    quoted (a negotiated one where staff gave it, with its reason)."""
    skus = [line.sku for line in data.lines]
    variants = {
        v.sku: v
        for v in db.session.scalars(select(Variant).join(Product).where(Variant.sku.in_(skus)))
    }
    pricer = Pricer(channel)
    out = []
    for i, line in enumerate(data.lines):
        variant = variants.get(line.sku)
        if variant is None or variant.is_archived or not variant.product.is_published:
            raise QuoteError(
                gettext("We could not find the item %(sku)s.", sku=line.sku),
                "unknown_sku",
                f"lines[{i}].sku",
            )
        tier = pricer.quote_variants([variant], {variant.id: line.quantity}, wholesale=True)
        listed = tier.get(variant.id)
        if listed is None and line.unit_price is None:
            raise QuoteError(
                gettext(
                    "%(sku)s is not for sale in %(currency)s yet.",
                    sku=line.sku,
                    currency=channel.currency,
                ),
                "not_for_sale",
                f"lines[{i}].sku",
            )
        unit = line.unit_price if line.unit_price is not None else listed.unit_price.amount
        out.append(
            {
                "sku": variant.sku,
                "variant_id": variant.id,
                "name": variant.product.name,
                "quantity": line.quantity,
                "unit_amount": str(Money(unit, channel.currency).rounded().amount),
                "list_amount": str(listed.unit_price.amount) if listed else None,
                "reason": line.reason if line.unit_price is not None else "",
                "hs_code": variant.product.hs_code,
                "origin": variant.product.origin_country,
            }
        )
    return out


def line_total(line: dict, currency: str) -> Money:
    return (Money(Decimal(line["unit_amount"]), currency) * line["quantity"]).rounded()


def as_priced_cart(cart: Cart, lines: list[dict]) -> PricedCart:
    """`cart` with the quote's lines at the quoted prices (a trade cart: no hold caps);
    adds the lines to the cart. The cart may be transient (a version's estimate) or saved
    (the order's)."""
    variants = {
        v.id: v
        for v in db.session.scalars(
            select(Variant).where(Variant.id.in_([ln["variant_id"] for ln in lines]))
        )
    }
    priced = []
    for line in lines:
        variant = variants[line["variant_id"]]
        unit = Money(Decimal(line["unit_amount"]), cart.channel.currency)
        cart_line = CartLine(
            variant=variant,
            quantity=line["quantity"],
            quoted_amount=unit.amount,
            quoted_currency=unit.currency,
            quoted_source=QUOTED,
            quoted_base_amount=variant.price_amount,
            quoted_at=clock.now(),
        )
        cart.lines.append(cart_line)
        priced.append(PricedLine(cart_line, PriceQuote(unit, QUOTED, None, None), unit))
    return PricedCart(cart, cart.channel.currency, priced, [])


@dataclass(frozen=True)
class Shipment:
    group: CartGroup
    carriage: Money  # its share of the quoted freight and insurance
    landed: LandedCost  # its import charges, collected by the shop under DDP only


def shipments(priced: PricedCart, incoterm: str, freight, insurance) -> list[Shipment]:
    """The quote's shipments: the cart's groups, the freight and insurance shared by goods
    value, and each one's import charges under the Incoterm."""
    groups = fulfilment_groups(priced)
    currency = priced.currency
    carriage = Money(Decimal(freight or 0) + Decimal(insurance or 0), currency).rounded()
    values = [g.goods_value.amount for g in groups]
    shares = (
        carriage.allocate(values)
        if sum(values)
        else [carriage] + [Money.zero(currency).rounded() for _ in groups[1:]]
    )
    day = clock.today()
    registrations = active_registrations(day)
    rates, rules = current_rates().rateset, current_rules()
    out = []
    for group, share in zip(groups, shares, strict=True):
        consignment = Consignment(
            origin=group.ship_from,
            destination=priced.cart.country,
            date=day,
            lines=tuple(
                GoodsLine(
                    hs_code=pl.line.variant.product.hs_code,
                    unit_customs_value=pl.unit_price,
                    quantity=pl.line.quantity,
                    materials=frozenset({pl.line.variant.product.material}),
                )
                for pl in group.lines
            ),
            shipping=share,
            prices_include_vat=False,  # trade prices are net of the destination's VAT
        )
        landed = landed_cost(consignment, registrations, rates, currency, rules)
        out.append(Shipment(group, share, under_incoterm(landed, incoterm)))
    return out


def under_incoterm(landed: LandedCost, incoterm: str) -> LandedCost:
    """Who pays the import charges follows the Incoterm: the shop under DDP (collected with
    the order, nothing due on delivery), the buyer under every other term (an estimate of
    what is due on delivery)."""
    charges = landed.vat + landed.duty + landed.fees
    zero = Money.zero(charges.currency).rounded()
    if incoterm in SELLER_PAYS_IMPORT:
        regime = landed.regime if landed.collected_at_checkout else "ddp"
        return LandedCost(
            regime, True, landed.vat, landed.duty, landed.fees, zero, landed.problems, landed.notes
        )
    regime = "dap" if landed.collected_at_checkout else landed.regime
    return LandedCost(
        regime, False, landed.vat, landed.duty, landed.fees, charges, landed.problems, landed.notes
    )
