"""What a return settles with a supplier: its shipper hears of each step by a signed event
(`return.requested`, `return.received`, `return.refunded`, one shape plus the refunded
amount), and a refunded return records what the supplier owes the shop for the goods
(`SupplierCredit`). Flushes, never commits."""

from __future__ import annotations

from sqlalchemy import select

from channels.money import Money
from models_ import SUPPLIER, ShipperRef

from ..db import db
from ..fulfilment.tables import Supplier, SupplierCost
from ..webhooks.tables import OutboxEvent
from .photos import photo_urls
from .records import SupplierCredit
from .tables import ReturnRequest

REQUESTED_EVENT = "return.requested"
RECEIVED_EVENT = "return.received"
REFUNDED_EVENT = "return.refunded"


def supplier_of(request: ReturnRequest) -> ShipperRef | None:
    """The supplier the return's goods go back to, or (refunded without a return) the
    supplier that shipped them; None for any other shipper."""
    shipper = ShipperRef.parse(request.ship_to or request.group.shipper)
    return shipper if shipper.kind == SUPPLIER else None


def event_payload(request: ReturnRequest) -> dict:
    return {
        "rma": request.rma,
        "group_id": request.group_id,
        "order_number": request.order.number,
        "reason": request.reason,
        "note": request.note,
        "resolution": request.resolution,
        "lines": [
            {"sku": line.order_line.sku, "quantity": line.quantity} for line in request.lines
        ],
        "photos": photo_urls(request, external=True),
    }


def tell_supplier(request: ReturnRequest, event_type: str, **extra) -> None:
    """Queue `event_type` for the return's supplier, if a supplier takes it back."""
    supplier = supplier_of(request)
    if supplier is None:
        return
    db.session.add(
        OutboxEvent(
            event_type=event_type,
            target=str(supplier),
            payload={**event_payload(request), **extra},
        )
    )
    db.session.flush()


def supplier_owes(request: ReturnRequest, supplier: Supplier) -> Money:
    """The supplier's cost of the returned units where the shop knows it for every line
    (in the supplier's one currency), else the goods' price in the order's currency."""
    lines = [(line.order_line, line.quantity) for line in request.lines]
    costs = {
        cost.variant_id: cost
        for cost in db.session.scalars(
            select(SupplierCost).where(
                SupplierCost.supplier_id == supplier.id,
                SupplierCost.variant_id.in_([line.variant_id for line, _ in lines]),
            )
        )
    }
    known = [costs.get(line.variant_id) for line, _ in lines]
    if all(known) and len({cost.currency for cost in known}) == 1:
        total = Money.zero(known[0].currency)
        for cost, (_line, units) in zip(known, lines, strict=True):
            total += Money(cost.amount, cost.currency) * units
        return total.rounded()
    total = Money.zero(request.currency)
    for line, units in lines:
        total += Money(line.unit_amount, line.currency) * units
    return total.rounded()


def refunded(request: ReturnRequest, amount: Money) -> None:
    """The return was refunded: its supplier hears of it and owes the shop for the goods."""
    reference = supplier_of(request)
    if reference is None:
        return
    supplier = db.session.scalar(select(Supplier).where(Supplier.code == reference.code))
    if supplier is not None:
        owed = supplier_owes(request, supplier)
        db.session.add(
            SupplierCredit(
                supplier_id=supplier.id,
                return_id=request.id,
                amount=owed.amount,
                currency=owed.currency,
            )
        )
    tell_supplier(request, REFUNDED_EVENT, amount=amount.as_json())


def credits_of(supplier: Supplier) -> list[SupplierCredit]:
    """What the supplier owes the shop for returned goods, newest first."""
    return list(
        db.session.scalars(
            select(SupplierCredit)
            .where(SupplierCredit.supplier_id == supplier.id)
            .order_by(SupplierCredit.created_at.desc(), SupplierCredit.id.desc())
        )
    )


def credit_totals(credits: list[SupplierCredit]) -> list[Money]:
    """One total per currency, never across currencies."""
    totals: dict[str, Money] = {}
    for credit in credits:
        totals[credit.currency] = totals.get(credit.currency, Money.zero(credit.currency)) + (
            Money(credit.amount, credit.currency)
        )
    return [totals[currency].rounded() for currency in sorted(totals)]
