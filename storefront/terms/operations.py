"""An order's payment schedule: set from its terms, each part paid by card or bank
transfer, and what the order waits for. Services flush and never commit.

- prepay: one part, `full`, paid as any order is (card at checkout, or a bank transfer);
- deposit:<percent>: the `deposit` (the total times the percent, rounded by Money at the
  currency's precision) pays the order for fulfilment (stock is kept held until it is due,
  BANK_TRANSFER_DAYS), and the `balance` (the total less the deposit, exactly) is due
  before shipment: no group ships while it is unpaid;
- net30/60/90: fulfilment starts at once, and one `invoice` falls due that many days
  after the invoice date (the day the terms were set: the order is invoiced then);
- letter_of_credit: fulfilment starts at once; the `full` amount is paid by the banks
  once the documents are presented (`credit`), recorded as a transfer.
"""

from __future__ import annotations

import datetime
import logging
from decimal import Decimal

from flask_babel import gettext
from sqlalchemy import select

from channels.money import Money
from models_ import HoldRef

from .. import clock
from ..config import settings
from ..db import db
from ..dispatch.operations import mark_paid
from ..errors import InputError
from ..fulfilment.context import ShopContext
from ..notices import operations as notices
from ..orders.states import OrderStatus
from ..orders.tables import Order
from ..payments import bank_transfer, charges
from ..payments.operations import PaymentError, locked_order
from . import codes
from .codes import BALANCE_PART, DEPOSIT_PART, FULL_PART, INVOICE_PART, Terms, TermsError
from .tables import BANK_TRANSFER, CARD, DUE, PAID, OrderTerms, PaymentPart

log = logging.getLogger(__name__)

# parts whose payment starts fulfilment (the order counts as paid)
STARTS_FULFILMENT = (DEPOSIT_PART, FULL_PART)
CARD_PARTS = (DEPOSIT_PART, BALANCE_PART, INVOICE_PART)  # the buyer may pay these by card


class PartNotFound(InputError):
    code = "payment_part_not_found"
    status = 404


class PartNotDue(PaymentError):
    """A part already paid, or not yet payable (the balance before the deposit)."""

    code = "payment_part_not_due"


def terms_of(order: Order) -> OrderTerms | None:
    return db.session.scalar(select(OrderTerms).where(OrderTerms.order_id == order.id))


def schedule(order: Order) -> list[PaymentPart]:
    return list(
        db.session.scalars(
            select(PaymentPart)
            .where(PaymentPart.order_id == order.id)
            .order_by(PaymentPart.position)
        )
    )


def amount_of(part: PaymentPart) -> Money:
    return Money(part.amount, part.currency)


def card_purpose(part: PaymentPart) -> str:
    """The purpose of the part's card charge (`payments.charges`): its own id, so a schedule
    set anew never meets the intent of a part it replaced."""
    return f"terms:{part.id}"


# setting the terms --------------------------------------------------------------------


def _parts(order: Order, terms: Terms, today: datetime.date) -> list[tuple[str, Money, object]]:
    total = Money(order.total_amount, order.currency).rounded()
    if terms.kind == codes.DEPOSIT:
        deposit = (total * (Decimal(terms.percent) / 100)).rounded()
        deposit_due = today + datetime.timedelta(days=settings()["BANK_TRANSFER_DAYS"])
        return [(DEPOSIT_PART, deposit, deposit_due), (BALANCE_PART, total - deposit, None)]
    if terms.kind == codes.NET:
        return [(INVOICE_PART, total, today + datetime.timedelta(days=terms.days))]
    return [(FULL_PART, total, None)]


def _anything_paid(order: Order) -> bool:
    refresh(order)
    return order.status != OrderStatus.PENDING_PAYMENT or any(
        part.status == PAID for part in schedule(order)
    )


def set_terms(order: Order, terms: Terms | str, set_by: str = "") -> list[PaymentPart]:
    """Write the order's payment schedule for `terms` (a Terms, or its code), replacing
    the one it had; net terms and a letter of credit start fulfilment at once. TermsError,
    with nothing changed, for bad codes, a retail order, or once something is paid."""
    if not isinstance(terms, Terms):
        terms = codes.parse(terms)
    order = locked_order(order.id)
    if not order.wholesale:
        raise TermsError(
            gettext("Payment terms are for trade orders only."), "not_a_trade_order", "terms"
        )
    if _anything_paid(order):
        raise TermsError(
            gettext(
                "Order %(number)s is already paid in part or in full: its payment terms "
                "can no longer change.",
                number=order.number,
            ),
            "terms_locked",
            "terms",
        )
    today = clock.today()
    for part in schedule(order):
        db.session.delete(part)
    found = terms_of(order)
    if found is None:
        found = OrderTerms(order_id=order.id)
        db.session.add(found)
    found.code, found.invoice_date, found.set_by = terms.code, today, set_by[:120]
    found.set_at = clock.now()
    db.session.flush()
    parts = []
    for position, (kind, amount, due_on) in enumerate(_parts(order, terms, today)):
        part = PaymentPart(
            order_id=order.id,
            kind=kind,
            position=position,
            amount=amount.amount,
            currency=amount.currency,
            due_on=due_on,
            status=DUE,
        )
        db.session.add(part)
        parts.append(part)
    db.session.flush()
    if terms.kind == codes.DEPOSIT:  # the goods stay held until the deposit is due
        until = datetime.datetime.combine(parts[0].due_on, datetime.time.max, datetime.UTC)
        ShopContext().extend_stock_hold([HoldRef(g.id) for g in order.groups], until)
    if terms.starts_at_once:  # nothing is paid: no "payment received" mail
        mark_paid(order, notify_buyer=False)
        confirmed(order, parts[0], terms)
    db.session.flush()
    log.info("order %s: payment terms %s", order.number, terms.code)
    return parts


def confirmed(order: Order, part: PaymentPart, terms: Terms) -> None:
    """The buyer's mail when terms start fulfilment with nothing paid: the order is
    confirmed, and the invoice falls due on its date (net terms) or the banks pay it
    (a letter of credit)."""
    notices.about_order(
        order,
        "terms_confirmed",
        amount=amount_of(part).rounded(),
        due_on=part.due_on if terms.kind == codes.NET else None,
    )


# paying the parts ---------------------------------------------------------------------


def part_of(order: Order, kind: str, *, lock: bool = False) -> PaymentPart:
    query = select(PaymentPart).where(PaymentPart.order_id == order.id, PaymentPart.kind == kind)
    if lock:  # FOR UPDATE on PostgreSQL: two recordings of one part take turns
        query = query.with_for_update().execution_options(populate_existing=True)
    part = db.session.scalar(query) if kind in codes.PART_KINDS else None
    if part is None:
        raise PartNotFound(
            gettext("Order %(number)s has no payment “%(kind)s”.", number=order.number, kind=kind),
            field="part",
        )
    return part


def payable_now(order: Order) -> PaymentPart | None:
    """The part the buyer pays next: the first one due (the balance only once the
    deposit is paid), None when nothing is due (nor ever on a cancelled order)."""
    if order.status == OrderStatus.CANCELLED:
        return None
    for part in schedule(order):
        if shown_status(order, part) == DUE:
            return part
    return None


def check_due(order: Order, part: PaymentPart) -> None:
    if shown_status(order, part) != DUE:
        raise PartNotDue(
            gettext("This payment of order %(number)s is made already.", number=order.number),
            field="part",
        )
    if payable_now(order) is not part:
        raise PartNotDue(
            gettext(
                "The balance of order %(number)s is due once the deposit is paid.",
                number=order.number,
            ),
            field="part",
        )


def _record_paid(order: Order, part: PaymentPart, method: str, reference=None, by=None) -> None:
    part.status, part.paid_at, part.method = PAID, clock.now(), method
    part.bank_reference, part.recorded_by = reference, by
    if part.kind in STARTS_FULFILMENT and order.status == OrderStatus.PENDING_PAYMENT:
        # stock reserved, production and shippers set to work; the mail names what was paid
        mark_paid(order, paid=Money(part.amount, part.currency))
    db.session.flush()
    log.info("order %s: %s paid by %s", order.number, part.kind, method)


def record_part_transfer(
    order: Order, kind: str, amount: Money, bank_reference: str, recorded_by: int | None = None
) -> PaymentPart:
    """Staff saw the transfer for one part arrive: record it (exactly the part's amount,
    the bank's reference used nowhere else), as `bank_transfer.record_transfer` does for
    a whole order. PaymentError, with nothing changed, otherwise."""
    order = locked_order(order.id)
    refresh(order)
    part = part_of(order, kind, lock=True)
    check_due(order, part)
    expected = amount_of(part).rounded()
    if not bank_transfer.pays_in_full(amount, expected):
        raise PaymentError(
            gettext(
                "%(received)s is not the %(amount)s due: this payment stays open until the "
                "full amount has arrived.",
                received=f"{amount.amount} {amount.currency}",
                amount=f"{expected.as_string()} {expected.currency}",
            ),
            "transfer_amount_mismatch",
            "amount",
        )
    try:  # the one check of whole-order transfers, which asks the parts too
        reference = bank_transfer.checked_reference(bank_reference)
    except PaymentError as refused:
        refused.field = refused.field or "reference"
        raise
    _record_paid(order, part, BANK_TRANSFER, reference, recorded_by)
    return part


def order_using_reference(reference: str) -> str | None:
    """The number of the order a part of whose schedule was paid by the transfer with this
    bank reference (registered with `bank_transfer.register_reference_user`)."""
    return db.session.scalar(
        select(Order.number)
        .join(PaymentPart, PaymentPart.order_id == Order.id)
        .where(PaymentPart.bank_reference == reference)
    )


def paid_in_parts(order: Order) -> bool:
    """Whether the order's terms split it into parts (a deposit, a net invoice, a letter
    of credit): its whole total is never charged by card at checkout. Terms are for trade
    orders only, so a retail order is answered without a query."""
    if not order.wholesale:
        return False
    terms = terms_of(order)
    return terms is not None and terms.code != codes.PREPAY


def refuse_whole_payment(order: Order) -> None:
    """Asked before an intent for the order's whole total is made (`payments.attempts`):
    PaymentError for an order paid in parts; the buyer pays the part due now instead."""
    if paid_in_parts(order):
        raise PaymentError(
            gettext(
                "Order %(number)s is paid in parts: pay the part due now on the order's page.",
                number=order.number,
            ),
            "order_paid_in_parts",
        )


def _card_paid(order: Order, part: PaymentPart) -> bool:
    return part.kind in CARD_PARTS and charges.paid(order, card_purpose(part))


def refresh(order: Order) -> None:
    """Parts Stripe took by card since the shop last looked (its webhook settles the
    charge, below this feature) are recorded paid; a prepaid order paid as a whole marks
    its `full` part paid. Writes: call it on a POST, a command or the worker, never on a
    GET (pages read `shown_status`)."""
    for part in schedule(order):
        if part.status != DUE:
            continue
        if _card_paid(order, part):
            _record_paid(order, part, CARD)
        elif part.kind == FULL_PART and order.paid_at is not None:
            terms = terms_of(order)
            if terms is not None and terms.code == codes.PREPAY:
                part.status, part.paid_at = PAID, order.paid_at
                part.method = order.payment_method or CARD


def shown_status(order: Order, part: PaymentPart) -> str:
    """The part's status as a page shows it, read only: PAID also when Stripe took the
    card payment and the shop has not recorded it yet."""
    return PAID if part.status == PAID or _card_paid(order, part) else DUE


def settle_card_payments() -> int:
    """The worker's `terms.card_payments`: parts paid by card whose charge Stripe's webhook
    settled are recorded paid (a deposit then starts fulfilment); returns how many."""
    order_ids = db.session.scalars(
        select(PaymentPart.order_id)
        .join(Order, Order.id == PaymentPart.order_id)
        .where(
            PaymentPart.status == DUE,
            PaymentPart.kind.in_(CARD_PARTS),
            Order.status != OrderStatus.CANCELLED,
        )
        .distinct()
    ).all()
    count = 0
    for order_id in order_ids:
        order = locked_order(order_id)
        before = sum(p.status == PAID for p in schedule(order))
        refresh(order)
        count += sum(p.status == PAID for p in schedule(order)) - before
    return count


# what the order waits for -------------------------------------------------------------


def shipping_waits_for(order: Order, *, settle: bool = True) -> str | None:
    """What a group of the order waits for before it may ship (None: nothing): the
    balance of a deposit order. Delivery's `ship` asks (`settle`: a card payment Stripe
    took is recorded first; False reads only)."""
    parts = schedule(order)
    if not any(p.kind == BALANCE_PART and p.status == DUE for p in parts):
        return None
    if settle:
        refresh(order)
    if any(p.kind == BALANCE_PART and shown_status(order, p) == DUE for p in parts):
        return "the balance payment"
    return None


def is_overdue(part: PaymentPart, today: datetime.date | None = None) -> bool:
    today = today or clock.today()
    return part.status == DUE and part.due_on is not None and part.due_on < today


def overdue_order_ids(order_ids: list[int], today: datetime.date | None = None) -> set[int]:
    """Of these orders, those with a part past its due date and unpaid (the orders list)."""
    if not order_ids:
        return set()
    today = today or clock.today()
    return set(
        db.session.scalars(
            select(PaymentPart.order_id).where(
                PaymentPart.order_id.in_(order_ids),
                PaymentPart.status == DUE,
                PaymentPart.due_on < today,
            )
        )
    )
