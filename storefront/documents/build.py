"""What an export document says, built once from the order's snapshot as plain data.

Every value is text (amounts at the currency's precision, weights in kg to the gram),
so the issued document prints the same later whatever the product, the profile or
the rates say by then.
"""

from __future__ import annotations

from collections import Counter
from decimal import Decimal

from sqlalchemy import select

from channels.money import Money

from ..catalog.tables import Product
from ..compliance.operations import load_profile
from ..config import settings
from ..db import db
from ..orders.summary import ship_to
from ..orders.tables import OrderGroup, OrderLine
from .licences import add_licences
from .parcels import line_weight
from .tables import Parcel

# Which tax registration a group's import regime collected the import VAT under, and the
# name customs knows the number by (channels/rules/schemes.json "registration").
TAX_NUMBERS = {"eu_ioss": ("eu_ioss", "IOSS"), "gb_low_value": ("gb_vat", "UK VAT")}
# An exchange's new group ships with this method (returns.exchanges.SHIPPING_METHOD).
EXCHANGE_METHOD = "exchange"
SALE, REPLACEMENT, RETURN = "sale", "replacement", "return"
# UPU content categories of a CN22/CN23 by reason for export.
CONTENT_CATEGORY = {SALE: "sale_of_goods", REPLACEMENT: "sale_of_goods", RETURN: "returned_goods"}
DECLARATION = (
    "I declare that the information on this document is true and correct and that the "
    "goods listed originate from the countries stated."
)


def kg(grams: int) -> str:
    return f"{Decimal(grams) / 1000:.3f}"


def money(amount: Decimal | Money, currency: str) -> str:
    value = amount if isinstance(amount, Money) else Money(amount, currency)
    return value.as_string()


def incoterm(group: OrderGroup) -> tuple[str, str]:
    """The order's Incoterm and named place; without one, DDP when the shop collected the
    import charges at checkout, else DAP, at the buyer's city."""
    order = group.order
    if order.incoterm:
        return order.incoterm, order.incoterm_place or ""
    term = "DDP" if group.import_collected else "DAP"
    city = (order.ship_to or {}).get("city", "")
    return term, ", ".join(part for part in (city, order.country) if part)


def reason(group: OrderGroup) -> str:
    return REPLACEMENT if group.shipping_method == EXCHANGE_METHOD else SALE


def _tax_number(group: OrderGroup, registrations: dict) -> dict | None:
    if not group.import_collected or group.import_regime not in TAX_NUMBERS:
        return None
    scheme, label = TAX_NUMBERS[group.import_regime]
    registration = registrations.get(scheme)
    if registration is None:
        return None
    return {"label": label, "number": registration.number}


def _address_lines(address: dict) -> list[str]:
    city = " ".join(p for p in (address.get("postal_code"), address.get("city")) if p)
    names = ("company_name", "street_address", "city_area")
    parts = [address.get(n) for n in names] + [city, address.get("country_area")]
    return [p for p in parts if p] + [address.get("country", "")]


def _seller(profile) -> dict:
    """The seller as printed: the profile's address fields where entered (its name, the
    lines, the phone), else the shop's name and the address lines as saved."""
    fields = (profile.seller if profile is not None else None) or {}
    saved = (profile.seller_address if profile is not None else "").splitlines()
    name = fields.get("name") or settings()["SHOP_NAME"]
    return {
        "name": name,
        "address": saved[1:] if fields and saved[:1] == [name] else saved,
        "phone": fields.get("phone") or "",
        "eori": (profile.eori if profile is not None else None) or "",
    }


def shipped_quantities(lines: list[OrderLine], units: Counter | None) -> list[tuple]:
    """Each of the group's lines with the quantity to print: all of it, or with `units`
    ({sku: n}, a later shipment's) as many as the shipment took, in line order."""
    if units is None:
        return [(line, line.quantity) for line in lines]
    left, chosen = Counter(units), []
    for line in lines:
        quantity = min(line.quantity, left[line.sku])
        if quantity > 0:
            left[line.sku] -= quantity
            chosen.append((line, quantity))
    return chosen


def _line(line: OrderLine, product: Product | None, currency: str, quantity: int) -> dict:
    unit = Money(line.unit_amount, currency)
    weight = line_weight(line, product)
    return {
        "sku": line.sku,
        "description": line.name,
        "hs_code": line.hs_code or (product.hs_code if product else ""),
        "origin": line.origin_country or (product.origin_country if product else ""),
        "quantity": quantity,
        "unit_value": money(unit, currency),
        "total_value": money((unit * quantity).rounded(), currency),
        "unit_net_kg": kg(weight),
        "net_kg": kg(weight * quantity),
        "_net_grams": weight * quantity,
    }


def _parcels(parcels: list[Parcel], lines: dict[str, dict], grams: dict[str, int]) -> list:
    out = []
    for number, parcel in enumerate(parcels, 1):
        held = Counter({ln["sku"]: ln["quantity"] for ln in parcel.lines})
        out.append({
            "number": number,
            "dimensions": f"{parcel.length_mm} × {parcel.width_mm} × {parcel.height_mm}",
            "gross_kg": kg(parcel.weight_grams),
            "net_kg": kg(sum(grams.get(sku, 0) * n for sku, n in held.items())),
            "lines": [{"sku": sku, "description": lines[sku]["description"] if sku in lines
                       else sku, "quantity": n} for sku, n in held.items()],
        })  # fmt: skip
    return out


def build(group: OrderGroup, parcels: list[Parcel], units: Counter | None = None) -> dict:
    """Everything every kind of document prints for the group, as plain data. With
    `units` ({sku: n}), a later shipment's: those units only, and no shipping or import
    charges, which the group's first documents carry."""
    order, currency = group.order, group.order.currency
    profile, registrations = load_profile()
    ids = {line.product_id for line in group.lines}
    products = {p.id: p for p in db.session.scalars(select(Product).where(Product.id.in_(ids)))}
    lines = [
        _line(ln, products.get(ln.product_id), currency, quantity)
        for ln, quantity in shipped_quantities(group.lines, units)
    ]
    add_licences(group, lines, profile)  # refuses a line that needs a licence the shop lacks
    by_sku = {ln["sku"]: ln for ln in lines}
    unit_grams = {ln.sku: line_weight(ln, products.get(ln.product_id)) for ln in group.lines}
    goods = sum((Money(ln["total_value"], currency) for ln in lines), Money.zero(currency))
    shipping = Money(group.shipping_amount, currency).rounded()
    charges = Money.zero(currency)
    if units is not None:
        shipping = Money.zero(currency)
    elif group.import_collected:
        charges = Money(group.import_duty_amount + group.import_fees_amount, currency)
        if not group.import_vat_included:
            charges += Money(group.import_vat_amount, currency)
        charges = charges.rounded()
    term, place = incoterm(group)
    buyer = ship_to(order)
    why = reason(group)
    treatment, treatment_reason = order.vat_treatment, order.vat_treatment_reason
    net_grams = sum(ln.pop("_net_grams") for ln in lines)
    return {
        "order_number": order.number,
        "group_id": group.id,
        "seller": _seller(profile),
        "ship_from": {"shipper": group.shipper, "country": group.ship_from},
        "buyer": {
            "name": buyer["name"],
            "company": order.company_name,
            "vat_number": order.company_vat_number,
            "eori": order.company_eori,
            "email": order.email,
            "country": order.country,
        },
        "consignee": {
            "name": buyer["name"],
            "address": _address_lines(buyer),
            "phone": buyer["phone"],
        },
        "incoterm": term,
        "incoterm_place": place,
        "currency": currency,
        "lines": lines,
        "parcels": _parcels(parcels, by_sku, unit_grams),
        "packages": len(parcels),
        "net_kg": kg(net_grams),
        "gross_kg": kg(sum(p.weight_grams for p in parcels)),
        "totals": {
            "goods": money(goods, currency),
            "shipping": money(shipping, currency),
            "import_charges": money(charges, currency),
            "total": money(goods + shipping + charges, currency),
        },
        "reason": why,
        "content_category": CONTENT_CATEGORY[why],
        "tax_number": _tax_number(group, registrations),
        "vat_treatment": treatment_reason or treatment or None,
        "declaration": DECLARATION,
    }
