"""A group's parcels: given by whoever packs or ships it, or derived from the lines.

Each parcel has its outside dimensions (mm), its gross weight (g) and the units it
holds; the units of the parcels given add up to exactly the group's lines (at packing)
or the shipment's (at shipping). With none given, one parcel is derived and stored at
that moment: the lines' net weights plus `PACKAGING_GRAMS`, in the largest product's
dimensions. Services flush, never commit.
"""

from __future__ import annotations

from collections import Counter

from sqlalchemy import select

from ..catalog.tables import Product
from ..db import db
from ..errors import InputError
from ..orders.tables import OrderGroup, OrderLine, Shipment
from .tables import Parcel

PACKAGING_GRAMS = 150  # a derived parcel's box, filling and label, added to the goods
MAX_PARCELS = 999
MAX_MM = 10_000  # 10 m: beyond any parcel a carrier takes
MAX_GRAMS = 1_000_000  # 1 t
_SIZES = (("length_mm", MAX_MM), ("width_mm", MAX_MM), ("height_mm", MAX_MM),
          ("weight_grams", MAX_GRAMS))  # fmt: skip


class ParcelError(InputError):
    """The parcels given do not describe the goods; `field` names the first fault."""

    code = "invalid_parcels"
    status = 422


def _whole(value, field: str, largest: int) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= largest:
        raise ParcelError(f"{field} must be a whole number from 1 to {largest}.", field=field)
    return value


def check_parcels(raw, expected: Counter) -> list[dict]:
    """The parcels as given, checked: positive sizes, known SKUs, and units adding up to
    `expected` ({sku: units}) exactly."""
    if not isinstance(raw, list) or not 1 <= len(raw) <= MAX_PARCELS:
        raise ParcelError(f"parcels must be a list of 1 to {MAX_PARCELS} parcels.", field="parcels")
    checked, packed = [], Counter()
    for i, parcel in enumerate(raw):
        where = f"parcels[{i}]"
        if not isinstance(parcel, dict):
            raise ParcelError(f"{where} must be an object.", field=where)
        sizes = {name: _whole(parcel.get(name), f"{where}.{name}", top) for name, top in _SIZES}
        lines = parcel.get("lines")
        if not isinstance(lines, list) or not lines:
            raise ParcelError(f"{where}.lines must list what the parcel holds.", f"{where}.lines")
        held = Counter()
        for j, line in enumerate(lines):
            at = f"{where}.lines[{j}]"
            sku = line.get("sku") if isinstance(line, dict) else None
            if not isinstance(sku, str) or sku not in expected:
                raise ParcelError(
                    f"There is no SKU {sku} to pack here.", "unknown_sku", f"{at}.sku"
                )
            held[sku] += _whole(line.get("quantity"), f"{at}.quantity", MAX_GRAMS)
        packed.update(held)
        checked.append({**sizes, "lines": [{"sku": s, "quantity": n} for s, n in held.items()]})
    if packed != +expected:
        wanted = ", ".join(f"{n} × {s}" for s, n in sorted((+expected).items()))
        raise ParcelError(
            f"The parcels must hold exactly {wanted}.", "parcels_do_not_add_up", "parcels"
        )
    return checked


def line_weight(line: OrderLine, product: Product | None) -> int:
    """A line's net weight per unit as sold (the product's, for a line placed without it)."""
    if line.net_weight_grams is not None:
        return line.net_weight_grams
    return product.weight_grams if product is not None else 0


def _products(lines: list[OrderLine]) -> dict[int, Product]:
    ids = {line.product_id for line in lines}
    return {p.id: p for p in db.session.scalars(select(Product).where(Product.id.in_(ids)))}


def derive(group: OrderGroup, units: Counter) -> dict:
    """One parcel holding `units` ({sku: n}) of the group: net weights plus packaging, in
    the dimensions of the largest product among them."""
    lines = [line for line in group.lines if units.get(line.sku, 0) > 0]
    products = _products(lines)
    grams = sum(line_weight(ln, products.get(ln.product_id)) * units[ln.sku] for ln in lines)
    largest = max(
        (p for p in products.values()),
        key=lambda p: (p.length_mm * p.width_mm * p.height_mm, p.id),
        default=None,
    )
    dims = (largest.length_mm, largest.width_mm, largest.height_mm) if largest else (1, 1, 1)
    return {
        "length_mm": max(dims[0], 1),
        "width_mm": max(dims[1], 1),
        "height_mm": max(dims[2], 1),
        "weight_grams": grams + PACKAGING_GRAMS,
        "lines": [{"sku": s, "quantity": n} for s, n in units.items() if n > 0],
    }


def _units(group: OrderGroup) -> Counter:
    units: Counter = Counter()
    for line in group.lines:
        units[line.sku] += line.quantity
    return units


def _store(group, shipment, parcels: list[dict], derived: bool, actor: str) -> list[Parcel]:
    rows = [
        Parcel(
            group_id=group.id,
            shipment_id=shipment.id if shipment is not None else None,
            derived=derived,
            recorded_by=actor[:120],
            **parcel,
        )
        for parcel in parcels
    ]
    db.session.add_all(rows)
    db.session.flush()
    return rows


def record_packed(group: OrderGroup, actor: str, raw=None) -> list[Parcel]:
    """The parcels a packed group went into: as given (adding up to its lines), else one
    derived. Check them before the group moves (`check_parcels`)."""
    units = _units(group)
    if raw is None:
        return _store(group, None, [derive(group, units)], True, actor)
    return _store(group, None, check_parcels(raw, units), False, actor)


def check_for_shipment(raw, lines: list[dict]) -> list[dict] | None:
    """The parcels given for a shipment of `lines`, checked; None when none were given."""
    if raw is None:
        return None
    return check_parcels(raw, Counter({ln["sku"]: ln["quantity"] for ln in lines}))


def record_shipped(
    group: OrderGroup,
    shipment: Shipment,
    actor: str,
    checked: list[dict] | None,
    first: bool = True,
) -> list[Parcel]:
    """A shipment's parcels: as given (checked), else, unless it is the `first` shipment
    of a group whose parcels were recorded when it was packed, one derived from the
    shipment's lines."""
    if checked is not None:
        return _store(group, shipment, checked, False, actor)
    if first and db.session.scalar(
        select(Parcel.id).where(Parcel.group_id == group.id, Parcel.shipment_id.is_(None))
    ):
        return []
    units = Counter({ln["sku"]: ln["quantity"] for ln in shipment.lines})
    return _store(group, shipment, [derive(group, units)], True, actor)


def parcels_of(group_id: int, shipment_id: int | None = None) -> list[Parcel]:
    """The group's parcels, or only those shipment `shipment_id` left in."""
    query = select(Parcel).where(Parcel.group_id == group_id)
    if shipment_id is not None:
        query = query.where(Parcel.shipment_id == shipment_id)
    return list(db.session.scalars(query.order_by(Parcel.id)))
