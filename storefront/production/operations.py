"""Quality control of self-produced goods. Services flush and never commit.

An inspection that passes releases the group for shipping; a failed one is
either sent back for rework or the piece is relisted as original-order surplus,
and the group waits in production for the remake.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from decimal import Decimal

from flask_babel import gettext
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from channels.money import Money

from ..catalog.operations import ProductInput, VariantInput, create_product
from ..catalog.tables import Grade, Product, Variant
from ..db import db
from ..errors import InputError
from ..fulfilment import registry
from ..orders.states import GroupStatus, move_group
from ..orders.tables import OrderGroup, OrderLine
from .tables import ProductionOrder, QualityInspection

log = logging.getLogger(__name__)

REWORK = "rework"
RELIST = "relist"
OUTCOMES = (REWORK, RELIST)
# Original-order surplus sells below the first-quality price.
SURPLUS_DISCOUNT = Decimal("0.30")
SURPLUS_SUFFIX = " (original order surplus)"
SURPLUS_QC_STATUS = "minor QC miss in our workshop"


class InspectionError(InputError):
    """An inspection the shop refuses to record; `field` names the offending input."""

    code = "invalid_inspection"


@dataclass
class InspectionResult:
    inspection: QualityInspection
    surplus: Product | None = None


def open_production_orders() -> list[ProductionOrder]:
    """Open production orders, soonest due first, with their group, order and lines."""
    return list(
        db.session.scalars(
            select(ProductionOrder)
            .where(ProductionOrder.status == "open")
            .options(
                selectinload(ProductionOrder.group).selectinload(OrderGroup.order),
                selectinload(ProductionOrder.group).selectinload(OrderGroup.lines),
            )
            .order_by(ProductionOrder.due_on, ProductionOrder.id)
        )
    )


def inspections_of(production_order_ids: list[int]) -> dict[int, list[QualityInspection]]:
    """Inspections per production order, oldest first, in one query."""
    found: dict[int, list[QualityInspection]] = {i: [] for i in production_order_ids}
    if not production_order_ids:
        return found
    rows = db.session.scalars(
        select(QualityInspection)
        .where(QualityInspection.production_order_id.in_(production_order_ids))
        .order_by(QualityInspection.id)
    )
    for inspection in rows:
        found[inspection.production_order_id].append(inspection)
    return found


def record_inspection(
    production_order: ProductionOrder,
    *,
    passed: bool,
    inspector: str,
    notes: str = "",
    outcome: str | None = None,
    line_id: int | None = None,
) -> InspectionResult:
    """Record one inspection of an open production order.

    Passed: the order is `passed` and its group moves to ready_to_ship.
    Failed: `outcome` is rework (make it again) or relist (sell the failed piece,
    the order line `line_id`, as original-order surplus); the group stays in
    production either way. Raises InspectionError or InvalidTransition.
    """
    inspector = (inspector or "").strip()
    notes = (notes or "").strip()
    if production_order.status != "open":
        raise InspectionError(
            gettext(
                "Production order %(id)s is %(status)s: it takes no more inspections.",
                id=production_order.id,
                status=production_order.status,
            )
        )
    if not inspector or len(inspector) > 120:
        raise InspectionError(
            gettext("Name the inspector (at most 120 characters)."), field="inspector"
        )
    if len(notes) > 1000:
        raise InspectionError(gettext("Notes are limited to 1,000 characters."), field="notes")
    if passed:
        outcome = None
    elif outcome not in OUTCOMES:
        raise InspectionError(
            gettext("A failed inspection needs an outcome: rework or relist."), field="outcome"
        )

    group = production_order.group
    failed_line = _failed_line(group, line_id) if outcome == RELIST else None
    surplus_model = _surplus_model(group) if failed_line is not None else None
    if passed:
        move_group(group, GroupStatus.READY_TO_SHIP, f"quality inspection passed ({inspector})")
        production_order.status = "passed"
    inspection = QualityInspection(
        production_order_id=production_order.id,
        passed=passed,
        inspector=inspector,
        notes=notes,
        outcome=outcome,
    )
    db.session.add(inspection)
    result = InspectionResult(inspection)
    if failed_line is not None:
        result.surplus = relist_as_surplus(failed_line, surplus_model)
    db.session.flush()
    log.info(
        "QC of production order %s by %s: %s",
        production_order.id,
        inspector,
        "passed" if passed else f"failed, {outcome}",
    )
    return result


def _failed_line(group: OrderGroup, line_id: int | None) -> OrderLine:
    lines = group.lines
    if line_id is None and len(lines) == 1:
        return lines[0]
    for line in lines:
        if line.id == line_id:
            return line
    raise InspectionError(gettext("Choose which piece of the order failed."), field="line")


def _surplus_model(group: OrderGroup) -> str:
    """The selling model the group's model relists its failed pieces under."""
    models = registry()
    surplus = (
        models.get(group.selling_model).surplus_model if group.selling_model in models else None
    )
    if surplus is None:
        raise InspectionError(
            gettext("Pieces of this order cannot be relisted: rework them instead."),
            field="outcome",
        )
    return surplus


def relist_as_surplus(line: OrderLine, selling_model: str) -> Product:
    """A new unpublished listing for a piece that failed QC: original-order grade,
    the original's base price less the surplus discount, sold under `selling_model`
    (what the piece's own model declares; from stock for the shop's workshop)."""
    variant = db.session.get(Variant, line.variant_id)
    original = variant.product
    price = (
        Money(variant.price_amount, variant.price_currency) * (Decimal(1) - SURPLUS_DISCOUNT)
    ).rounded()
    slug = _free_slug(f"{original.slug}-surplus")
    sku = _free_sku(f"{variant.sku}-S")
    name = original.name[: 200 - len(SURPLUS_SUFFIX)] + SURPLUS_SUFFIX
    product = create_product(
        ProductInput(
            slug=slug,
            name=name,
            brand=original.brand.slug,
            category=original.category.slug,
            hs_code=original.hs_code,
            origin_country=original.origin_country,
            material=original.material,
            weight_grams=original.weight_grams,
            length_mm=original.length_mm,
            width_mm=original.width_mm,
            height_mm=original.height_mm,
            grade=Grade.ORIGINAL_ORDER.value,
            qc_status=SURPLUS_QC_STATUS,
            selling_model=selling_model,
            description=original.description,
            variants=[VariantInput(sku=sku, price=price, options=variant.options)],
            images=[(image.filename, image.alt) for image in original.images],
        ),
        original.price_currency,
    )
    for copy, image in zip(product.images, original.images, strict=True):
        # the same files, in all their sizes (catalog.images keeps them while a row names them)
        copy.sizes, copy.width, copy.height = image.sizes, image.width, image.height
    # Staff check the listing (photos, disclosure) before buyers see it.
    product.is_published = False
    db.session.flush()
    log.info("Relisted %s from order line %s as surplus %s", variant.sku, line.id, sku)
    return product


def _free_slug(base: str) -> str:
    base = base[:110].rstrip("-")
    taken = set(db.session.scalars(select(Product.slug).where(Product.slug.like(f"{base}%"))))
    return _first_free(base, "-", taken)


def _free_sku(base: str) -> str:
    base = base[:58]
    taken = set(db.session.scalars(select(Variant.sku).where(Variant.sku.like(f"{base}%"))))
    return _first_free(base, "", taken, start=1)


def _first_free(base: str, separator: str, taken: set[str], start: int = 0) -> str:
    number = start
    while True:
        candidate = base if number == 0 else f"{base}{separator}{number}"
        if candidate not in taken:
            return candidate
        number += 1
