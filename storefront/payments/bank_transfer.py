"""Bank transfer (T/T) for trade orders. Services flush and never commit.

A wholesale buyer may choose to pay an order by transfer to the shop's account
(BANK_TRANSFER_* settings): the order's stock stays held for BANK_TRANSFER_DAYS,
and the order is paid once staff record the full amount as received. Stripe
never holds this money, so it is never refunded through Stripe.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Callable
from dataclasses import asdict, dataclass

from flask_babel import gettext
from sqlalchemy import select

from channels.money import Money
from models_ import HoldRef

from .. import clock
from ..config import settings
from ..db import as_utc, db
from ..dispatch.operations import mark_paid
from ..fulfilment.context import ShopContext
from ..notices import operations as notices
from ..orders.operations import BANK_TRANSFER
from ..orders.states import OrderStatus
from ..orders.tables import Order
from .operations import PaymentError, locked_order
from .tables import BankTransfer

log = logging.getLogger(__name__)

MAX_REFERENCE = 140  # what a SEPA or SWIFT remittance line holds

# Who else records transfers by the bank's reference (a feature above: the payment terms'
# parts): each answers the number of the order a reference is already recorded for, or None.
_reference_users: list[Callable[[str], str | None]] = []


def register_reference_user(find: Callable[[str], str | None]) -> None:
    """A feature above that records transfers too: `checked_reference` asks it as well, so
    one bank reference pays one thing, whichever records it first."""
    if find not in _reference_users:
        _reference_users.append(find)


@dataclass(frozen=True)
class BankDetails:
    """Where the buyer sends the money."""

    account_name: str
    iban: str  # without spaces
    bic: str | None
    bank: str | None

    @property
    def iban_grouped(self) -> str:
        """The IBAN in groups of four, as printed on paper and read over the phone."""
        return " ".join(self.iban[i : i + 4] for i in range(0, len(self.iban), 4))


def bank_details() -> BankDetails | None:
    """The shop's account from the settings; None when transfers are not taken."""
    config = settings()
    name, iban = config.get("BANK_TRANSFER_ACCOUNT_NAME"), config.get("BANK_TRANSFER_IBAN")
    if not name or not iban:
        return None
    return BankDetails(
        account_name=str(name),
        iban=str(iban),
        bic=config.get("BANK_TRANSFER_BIC") or None,
        bank=config.get("BANK_TRANSFER_BANK") or None,
    )


def offers_bank_transfer(order: Order) -> bool:
    """Whether the buyer may still choose to pay this order by transfer."""
    return (
        order.wholesale
        and order.status == OrderStatus.PENDING_PAYMENT
        and order.payment_method is None
        and bank_details() is not None
    )


def awaits_transfer(order: Order) -> bool:
    return order.payment_method == BANK_TRANSFER and order.status == OrderStatus.PENDING_PAYMENT


def pays_in_full(received: Money, total: Money) -> bool:
    """Exactly the order's total in its currency: less is a partial transfer, which does not
    pay the order; more, or a fraction of a minor unit, is a mistake to sort out first."""
    return received.currency == total.currency and received.amount == total.rounded().amount


def choose_bank_transfer(order: Order, now: datetime.datetime | None = None) -> bool:
    """The buyer pays `order` by transfer: recorded with its deadline, and the order's
    held stock kept until then. Choosing again changes nothing; returns whether this
    call made the choice. PaymentError for a retail order, or one not waiting for
    payment, or when the shop takes no transfers."""
    order = locked_order(order.id)
    if awaits_transfer(order):
        return False
    if not order.wholesale or bank_details() is None:
        raise PaymentError(
            gettext("Bank transfer is not available for this order; please pay by card."),
            "bank_transfer_not_offered",
        )
    if order.status != OrderStatus.PENDING_PAYMENT:
        raise PaymentError(
            gettext("Order %(number)s is not waiting for payment.", number=order.number),
            "order_not_payable",
        )
    now = now or clock.now()
    due = now + datetime.timedelta(days=settings()["BANK_TRANSFER_DAYS"])
    order.payment_method = BANK_TRANSFER
    order.transfer_due_at = due
    ShopContext().extend_stock_hold([HoldRef(group.id) for group in order.groups], due)
    db.session.flush()
    details = bank_details()
    notices.transfer_instructions(order, asdict(details), due)
    log.info("order %s: to be paid by bank transfer by %s", order.number, due.isoformat())
    return True


def transfer_due(order: Order) -> datetime.datetime | None:
    """The transfer deadline, in UTC (SQLite gives it back without a time zone)."""
    return as_utc(order.transfer_due_at)


def received_transfer(order: Order) -> BankTransfer | None:
    return db.session.scalar(select(BankTransfer).where(BankTransfer.order_id == order.id))


def checked_reference(bank_reference: str) -> str:
    """The bank's reference for a received transfer, its spaces tidied; PaymentError when
    it is missing, too long, or already recorded for an order's transfer or for a part of
    a payment schedule (`register_reference_user`). The one check of every transfer."""
    reference = " ".join(bank_reference.split())
    if not reference or len(reference) > MAX_REFERENCE:
        raise PaymentError(
            gettext(
                "Enter the bank's reference for the transfer (at most %(max)s characters).",
                max=MAX_REFERENCE,
            ),
            "invalid_bank_reference",
        )
    used = db.session.scalar(
        select(Order.number)
        .join(BankTransfer, BankTransfer.order_id == Order.id)
        .where(BankTransfer.bank_reference == reference)
    )
    for find in _reference_users:
        used = used or find(reference)
    if used is not None:
        raise PaymentError(
            gettext(
                "The transfer %(reference)s is already recorded for order %(number)s.",
                reference=reference,
                number=used,
            ),
            "bank_reference_used",
        )
    return reference


def record_transfer(
    order: Order, amount: Money, bank_reference: str, recorded_by: int | None = None
) -> BankTransfer:
    """Staff saw the transfer for `order` arrive: record it and pay the order, which then
    moves on as after a card payment. PaymentError, with nothing changed, for an order
    not awaiting a transfer, an amount other than the order's total (a partial transfer
    does not pay it), or a bank reference missing or already used."""
    order = locked_order(order.id)
    if not awaits_transfer(order):
        raise PaymentError(
            gettext(
                "Order %(number)s is not awaiting a bank transfer (it is %(status)s).",
                number=order.number,
                status=order.status.replace("_", " "),
            ),
            "not_awaiting_transfer",
        )
    total = Money(order.total_amount, order.currency).rounded()
    if not pays_in_full(amount, total):
        raise PaymentError(
            gettext(
                "%(received)s is not the order total of %(total)s: the order stays unpaid "
                "until the full amount has arrived.",
                received=f"{amount.amount} {amount.currency}",
                total=f"{total.as_string()} {total.currency}",
            ),
            "transfer_amount_mismatch",
        )
    reference = checked_reference(bank_reference)
    transfer = BankTransfer(
        order_id=order.id,
        amount=total.amount,
        currency=total.currency,
        bank_reference=reference,
        recorded_by=recorded_by,
    )
    db.session.add(transfer)
    mark_paid(order)
    db.session.flush()
    log.info("order %s paid by bank transfer %s", order.number, reference)
    return transfer
