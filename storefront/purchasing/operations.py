"""Purchase orders to OEM factories. Services validate, flush and never commit."""

from __future__ import annotations

import logging
import secrets
from dataclasses import dataclass
from decimal import Decimal

from flask_babel import gettext
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from channels.money import InvalidMoney, Money, check_currency

from .. import clock
from ..accounts.tables import User
from ..catalog.tables import Variant
from ..db import db
from ..errors import InputError
from ..fulfilment.stock import RECEIVED, SYSTEM, record_movement
from ..fulfilment.tables import Supplier, SupplierCost, Warehouse
from ..orders import states
from .tables import (
    PurchaseOrder,
    PurchaseOrderLine,
    PurchaseOrderStatus,
    PurchaseOrderStatusChange,
)

log = logging.getLogger(__name__)

# Every allowed move of a purchase order, in one place. Once the factory is making
# the goods the order can no longer be cancelled here: that is a negotiation.
PO_TRANSITIONS: dict[PurchaseOrderStatus, frozenset[PurchaseOrderStatus]] = {
    PurchaseOrderStatus.DRAFT: frozenset({PurchaseOrderStatus.SENT, PurchaseOrderStatus.CANCELLED}),
    PurchaseOrderStatus.SENT: frozenset(
        {PurchaseOrderStatus.CONFIRMED, PurchaseOrderStatus.CANCELLED}
    ),
    PurchaseOrderStatus.CONFIRMED: frozenset(
        {PurchaseOrderStatus.IN_PRODUCTION, PurchaseOrderStatus.CANCELLED}
    ),
    PurchaseOrderStatus.IN_PRODUCTION: frozenset({PurchaseOrderStatus.SHIPPED}),
    PurchaseOrderStatus.SHIPPED: frozenset({PurchaseOrderStatus.RECEIVED}),
    PurchaseOrderStatus.RECEIVED: frozenset(),
    PurchaseOrderStatus.CANCELLED: frozenset(),
}
STATUSES = tuple(PO_TRANSITIONS)
MAX_QUANTITY = 1_000_000
# Costs are stored with three decimals (Numeric(14, 3)), like every amount here.
COST_QUANTUM = Decimal("0.001")


class PurchasingError(InputError):
    """Input a purchase order refuses; `field` names the offending input."""

    code = "invalid_purchase_order"


@dataclass
class LineInput:
    sku: str
    quantity: int
    unit_cost: Money | None = None  # None: the supplier's cost for the variant


def oem_suppliers() -> list[Supplier]:
    return list(
        db.session.scalars(
            select(Supplier)
            .where(Supplier.kind == "oem", Supplier.is_active.is_(True))
            .order_by(Supplier.name)
        )
    )


def _oem_supplier(code: str) -> Supplier:
    supplier = db.session.scalar(select(Supplier).where(Supplier.code == code))
    if supplier is None or not supplier.is_active:
        raise PurchasingError(
            gettext("There is no active supplier %(code)r.", code=code), field="supplier"
        )
    if supplier.kind != "oem":
        raise PurchasingError(
            gettext(
                "%(name)s is a %(kind)s supplier: purchase orders go to OEM factories only.",
                name=supplier.name,
                kind=supplier.kind,
            ),
            field="supplier",
        )
    return supplier


def _check_quantity(line: LineInput) -> int:
    quantity = line.quantity
    if isinstance(quantity, bool) or not isinstance(quantity, int):
        raise PurchasingError(
            gettext("The quantity of %(sku)s must be a whole number.", sku=line.sku), field="lines"
        )
    if not 0 < quantity <= MAX_QUANTITY:
        raise PurchasingError(
            gettext(
                "The quantity of %(sku)s must be between 1 and %(max)s.",
                sku=line.sku,
                max=MAX_QUANTITY,
            ),
            field="lines",
        )
    return quantity


def _check_cost(sku: str, cost: Money, currency: str) -> Money:
    if cost.currency != currency:
        raise PurchasingError(
            gettext(
                "This purchase order is in %(currency)s but %(sku)s costs %(cost)s: "
                "one purchase order never mixes currencies.",
                currency=currency,
                sku=sku,
                cost=str(cost),
            ),
            field="lines",
        )
    if cost.amount <= 0 or cost.amount != cost.amount.quantize(COST_QUANTUM):
        raise PurchasingError(
            gettext("The unit cost of %(sku)s must be above 0, with at most 3 decimals.", sku=sku),
            field="lines",
        )
    if cost.amount >= Decimal("1e11"):
        raise PurchasingError(
            gettext("The unit cost of %(sku)s is too large.", sku=sku), field="lines"
        )
    return cost


def _new_number() -> str:
    return f"PO-{clock.now():%y%m%d}-{secrets.token_hex(3).upper()}"


def create_purchase_order(
    supplier_code: str,
    lines: list[LineInput],
    *,
    currency: str | None = None,
    created_by: int | None = None,
) -> PurchaseOrder:
    """A draft purchase order to an OEM factory.

    A line without a unit cost takes the supplier's cost for the variant. The
    order's currency is `currency`, or else the first line's; a line in any
    other currency is refused.
    """
    supplier = _oem_supplier(supplier_code)
    if not lines:
        raise PurchasingError(gettext("A purchase order needs at least one line."), field="lines")
    skus = [line.sku.strip() for line in lines]
    if len(set(skus)) != len(skus):
        raise PurchasingError(
            gettext("Each SKU may appear once per purchase order."), field="lines"
        )
    variants = {v.sku: v for v in db.session.scalars(select(Variant).where(Variant.sku.in_(skus)))}
    missing = [sku for sku in skus if sku not in variants]
    if missing:
        raise PurchasingError(gettext("Unknown SKU %(sku)s.", sku=missing[0]), field="lines")
    known_costs = {
        cost.variant_id: Money(cost.amount, cost.currency)
        for cost in db.session.scalars(
            select(SupplierCost).where(
                SupplierCost.supplier_id == supplier.id,
                SupplierCost.variant_id.in_([v.id for v in variants.values()]),
            )
        )
    }
    costs = []
    for sku, line in zip(skus, lines, strict=True):
        cost = line.unit_cost or known_costs.get(variants[sku].id)
        if cost is None:
            raise PurchasingError(
                gettext(
                    "%(supplier)s has no cost for %(sku)s: enter the unit cost.",
                    supplier=supplier.name,
                    sku=sku,
                ),
                field="lines",
            )
        costs.append(cost)
    try:
        currency = check_currency(currency) if currency else costs[0].currency
    except InvalidMoney as error:
        raise PurchasingError(str(error), field="currency") from None

    order = PurchaseOrder(
        number=_new_number(),
        supplier=supplier,
        currency=currency,
        status=PurchaseOrderStatus.DRAFT,
        created_by=created_by,
    )
    for sku, line, cost in zip(skus, lines, costs, strict=True):
        _check_cost(sku, cost, currency)
        order.lines.append(
            PurchaseOrderLine(
                variant_id=variants[sku].id,
                sku=sku,
                quantity=_check_quantity(line),
                unit_cost_amount=cost.amount,
                currency=cost.currency,
            )
        )
    db.session.add(order)
    db.session.flush()
    log.info("Purchase order %s drafted for %s", order.number, supplier.code)
    return order


def line_total(line: PurchaseOrderLine) -> Money:
    """Quantity x unit cost, rounded to the currency like an invoice line."""
    return (Money(line.unit_cost_amount, line.currency) * line.quantity).rounded()


def po_total(order: PurchaseOrder) -> Money:
    """The sum of the rounded line totals, in the order's currency."""
    return sum((line_total(line) for line in order.lines), Money.zero(order.currency))


def next_statuses(order: PurchaseOrder) -> list[PurchaseOrderStatus]:
    """The statuses the order may move to now, in the machine's order."""
    allowed = PO_TRANSITIONS.get(order.status, frozenset())
    return [status for status in STATUSES if status in allowed]


def purchase_orders(status: PurchaseOrderStatus | None = None) -> list[PurchaseOrder]:
    statement = select(PurchaseOrder).options(
        selectinload(PurchaseOrder.supplier), selectinload(PurchaseOrder.lines)
    )
    if status:
        statement = statement.where(PurchaseOrder.status == status)
    return list(db.session.scalars(statement.order_by(PurchaseOrder.id.desc())))


def history(order: PurchaseOrder) -> list[PurchaseOrderStatusChange]:
    return list(
        db.session.scalars(
            select(PurchaseOrderStatusChange)
            .where(PurchaseOrderStatusChange.purchase_order_id == order.id)
            .order_by(PurchaseOrderStatusChange.id)
        )
    )


def move_purchase_order(
    order: PurchaseOrder,
    wanted: PurchaseOrderStatus | str,
    *,
    warehouse_code: str | None = None,
    changed_by: int | None = None,
    note: str = "",
) -> None:
    """The one way a purchase order's status changes: checked against PO_TRANSITIONS,
    logged; `received` puts the goods into the warehouse's stock."""
    status = states.check(PO_TRANSITIONS, "purchase order", order.status, wanted)
    warehouse = None
    if status == PurchaseOrderStatus.RECEIVED:
        warehouse = _warehouse(warehouse_code)
        note = note or f"received into {warehouse.code}"
    db.session.add(
        PurchaseOrderStatusChange(
            purchase_order_id=order.id,
            from_status=order.status,
            to_status=status,
            note=note[:300],
            changed_by=changed_by,
        )
    )
    order.status = status
    if warehouse is not None:
        order.warehouse_id = warehouse.id
        actor = db.session.scalar(select(User.email).where(User.id == changed_by)) or ""
        for line in order.lines:
            add_stock(
                warehouse, line.variant_id, line.quantity, reference=order.number, actor=actor
            )
    db.session.flush()
    log.info("Purchase order %s is now %s", order.number, status)


def _warehouse(code: str | None) -> Warehouse:
    if not code:
        raise PurchasingError(
            gettext("Choose the warehouse that received the goods."), field="warehouse"
        )
    warehouse = db.session.scalar(select(Warehouse).where(Warehouse.code == code))
    if warehouse is None:
        raise PurchasingError(
            gettext("There is no warehouse %(code)r.", code=code), field="warehouse"
        )
    if not warehouse.is_active:
        raise PurchasingError(
            f"Warehouse {code} is archived: it takes no new stock.", field="warehouse"
        )
    return warehouse


def add_stock(
    warehouse: Warehouse, variant_id: int, quantity: int, *, reference: str = "", actor: str = ""
) -> None:
    """Receive units into stock: a `received` movement (the level is created if the
    warehouse never held the variant)."""
    record_movement(
        warehouse, variant_id, quantity, RECEIVED, reference=reference, actor=actor or SYSTEM
    )
