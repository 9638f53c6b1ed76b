"""The cart split into fulfilment groups: one consignment per shipper, each with its
ship-from, delivery estimate, shipping method and price, and import charges.

Shared by the cart page, the checkout review, the API and placing the order.
"""

from __future__ import annotations

import dataclasses
import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from flask_babel import gettext

from channels import shipping
from channels.country_rules import CountryRules
from channels.fx import MissingRate, RateSet
from channels.landed_cost import Consignment, GoodsLine, LandedCost, landed_cost
from channels.money import Money
from models_ import Days, Destination, Line, ShipperRef

from .. import clock
from ..companies.treatment import (
    EU_BUSINESS_IMPORT,
    EU_REVERSE_CHARGE,
    TradeBuyer,
    trade_buyer,
    vat_treatment,
)
from ..compliance.operations import active_registrations
from ..db import db
from ..fulfilment import registry
from ..fulfilment.availability import delivery_days
from ..fulfilment.context import ShopContext
from ..markets.rates import current_rates
from ..markets.rules import current_rules
from ..shipping.operations import rate_zones
from . import areas
from .operations import CartError, PricedCart, PricedLine


@dataclass
class CartGroup:
    key: str
    selling_model: str
    settings: dict
    shipper: str  # the ShipperRef as stored and sent: the key of the buyer's shipping choice
    ship_from: str
    eta: Days
    lines: list[PricedLine] = field(default_factory=list)
    problems: list[dict] = field(default_factory=list)
    landed: LandedCost | None = None  # import VAT, duty and fees of this consignment
    shipping_options: list[shipping.Option] = field(default_factory=list)
    shipping_method: shipping.Option | None = None  # the buyer's choice, else the cheapest
    # How VAT applies to a company's shipment (companies.treatment), "" the ordinary way.
    vat_treatment: str = ""

    @property
    def shipping(self) -> Money:
        if self.shipping_method is None:
            return Money.zero(self.goods_value.currency).rounded()
        return self.shipping_method.price

    @property
    def goods_value(self) -> Money:
        return sum((pl.total for pl in self.lines), Money.zero(self.lines[0].unit_price.currency))

    @property
    def charged_at_checkout(self) -> Money:
        return self.landed.charged_at_checkout


@dataclass(frozen=True)
class _CartTerms:
    """What every shipment of one cart is priced against, read once per cart."""

    country: str
    region: str | None
    day: datetime.date
    currency: str
    rates: RateSet
    rules: CountryRules
    registrations: frozenset[str]
    zones: list[shipping.Zone]
    free_shipping: bool  # the goods reach the channel's free-shipping threshold
    prices_include_vat: bool
    shipping_choices: dict
    buyer: TradeBuyer | None  # the company a trade cart orders for
    eu: frozenset[str]  # the EU member states (the rules' "EU" group)


def _cart_terms(priced: PricedCart) -> _CartTerms:
    cart = priced.cart
    day = clock.today()
    threshold = cart.channel.free_shipping_over
    return _CartTerms(
        country=cart.country,
        region=areas.iso_code(cart.country, (cart.address or {}).get("country_area", "")),
        day=day,
        currency=priced.currency,
        rates=current_rates().rateset,
        rules=current_rules(),
        registrations=active_registrations(day),
        zones=rate_zones(),
        free_shipping=threshold is not None and priced.subtotal.amount >= threshold,
        prices_include_vat=tax_included(cart.channel),
        shipping_choices=cart.shipping_choices or {},
        buyer=trade_buyer(cart.company_id) if cart.wholesale else None,
        eu=current_rules().groups.get("EU", frozenset()),
    )


def _landed(group: CartGroup, terms: _CartTerms) -> LandedCost:
    """Each group is one consignment: thresholds apply to it alone, from its ship-from;
    duty follows each product's country of origin, wherever the parcel leaves from."""
    lines = tuple(
        GoodsLine(
            hs_code=pl.line.variant.product.hs_code,
            unit_customs_value=pl.unit_price,
            quantity=pl.line.quantity,
            materials=frozenset({pl.line.variant.product.material}),
            origin=pl.line.variant.product.origin_country,
        )
        for pl in group.lines
    )
    consignment = Consignment(
        origin=group.ship_from,
        destination=terms.country,
        date=terms.day,
        lines=lines,
        shipping=group.shipping,
        region=terms.region,
        prices_include_vat=terms.prices_include_vat,
    )
    registrations = terms.registrations
    if group.vat_treatment == EU_BUSINESS_IMPORT:  # IOSS is for consumers: the importer pays
        scheme = terms.rules.scheme(terms.country, terms.day)
        registrations = registrations - {scheme.registration} if scheme else registrations
    return landed_cost(consignment, registrations, terms.rates, terms.currency, terms.rules)


def _net_of_vat(group: CartGroup, priced: PricedCart, terms: _CartTerms) -> None:
    """A zero-rated shipment of a channel whose prices hold VAT: the buyer is charged the
    goods and shipping net of the destination's VAT they hold (its lines in the priced
    cart too, so the subtotal, the order's lines and the total agree)."""
    rule = terms.rules.vat_rate(terms.country, terms.region, terms.day)
    if rule is None:
        return
    factor = Decimal(100) / (Decimal(100) + rule.rate)
    for index, pl in enumerate(group.lines):
        if pl.net_of_vat:  # the priced cart's line was made net by an earlier split
            continue
        net = PricedLine(
            pl.line,
            dataclasses.replace(pl.quote, unit_price=(pl.unit_price * factor).rounded()),
            (pl.quoted * factor).rounded(),
            net_of_vat=True,
        )
        group.lines[index] = net
        priced.lines[priced.lines.index(pl)] = net
    chosen = group.shipping_method.method_id if group.shipping_method else None
    group.shipping_options = [
        dataclasses.replace(option, price=(option.price * factor).rounded())
        for option in group.shipping_options
    ]
    group.shipping_method = next((o for o in group.shipping_options if o.method_id == chosen), None)


def tax_included(channel) -> bool:
    """The channel shows prices with the VAT the shop collects (EU, UK, AU...)."""
    return channel.tax_display == "gross"


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


def model_line(pl: PricedLine) -> Line:
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
    groups: dict[ShipperRef, CartGroup] = {}
    for pl in priced.lines:
        product = pl.line.variant.product
        quote = models.get(product.selling_model).quote(model_line(pl), destination, context)
        eta = delivery_days(quote, destination.country)
        group = groups.get(quote.shipper)
        if group is None:
            group = groups[quote.shipper] = CartGroup(
                key=f"g{len(groups) + 1}",
                selling_model=product.selling_model,
                settings=dict(product.selling_model_settings or {}),
                shipper=str(quote.shipper),
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
    terms = _cart_terms(priced)
    for group in groups.values():
        try:
            _ship(group, terms)
            group.vat_treatment = vat_treatment(
                terms.buyer, group.ship_from, terms.country, terms.eu
            )
            if group.vat_treatment == EU_REVERSE_CHARGE and terms.prices_include_vat:
                _net_of_vat(group, priced, terms)
            group.landed = _landed(group, terms)
        except MissingRate:  # a currency the shop has no rate for (flask fx set gives one)
            group.shipping_options, group.shipping_method = [], None
            group.landed = _unpriced(priced.currency)
            group.problems.append(
                {
                    "code": "no_exchange_rate",
                    "message": gettext(
                        "We cannot work out shipping and import charges in %(currency)s "
                        "right now; please try again later.",
                        currency=priced.currency,
                    ),
                }
            )
            continue
        group.problems += _landed_problems(group, destination.country)
    return list(groups.values())


def _unpriced(currency: str) -> LandedCost:
    zero = Money.zero(currency).rounded()
    return LandedCost("unpriced", False, zero, zero, zero, zero)


def _ship(group: CartGroup, terms: _CartTerms) -> None:
    """Price the group's parcel by its billed weight, with the buyer's chosen method."""
    items = [
        shipping.Item(p.weight_grams, p.length_mm, p.width_mm, p.height_mm, pl.line.quantity)
        for pl in group.lines
        for p in [pl.line.variant.product]
    ]
    group.shipping_options = shipping.options(
        terms.zones,
        terms.country,
        shipping.chargeable_grams(items),
        terms.currency,
        terms.rates,
        free_cheapest=terms.free_shipping,
    )
    wanted = terms.shipping_choices.get(group.shipper)
    group.shipping_method = shipping.choose(group.shipping_options, wanted)
    if group.shipping_method is None:
        group.problems.append(
            {
                "code": "no_shipping_method",
                "message": gettext(
                    "We have no shipping method for this parcel to %(country)s.",
                    country=terms.country,
                ),
            }
        )


def choose_shipping(priced: PricedCart, group: str, method_id: object) -> None:
    """Keep the buyer's shipping method for one shipment (its key such as "g1", or its
    shipper); refuses a method not offered for that parcel."""
    found = next((g for g in fulfilment_groups(priced) if group in (g.key, g.shipper)), None)
    if found is None:
        raise CartError(
            gettext("This cart has no shipment %(group)s.", group=group), "unknown_group", "group"
        )
    offered = {option.method_id for option in found.shipping_options}
    if type(method_id) is not int or method_id not in offered:
        raise CartError(
            gettext("This shipping method is not offered for this shipment."),
            "unknown_shipping_method",
            "method",
        )
    cart = priced.cart
    cart.shipping_choices = {**(cart.shipping_choices or {}), found.shipper: method_id}
    db.session.flush()
