"""The order mails. Each renders `templates/mail/<name>` and queues it (flushed, never
committed: a rolled-back flow sends nothing). A buyer's mail is in the order's locale,
with amounts and dates formatted for it, the shop's name, and a signed link that opens
the order page without a session. Staff and shipper mails are in English and carry what
shipping needs (lines, ship-to): they go to people entitled to see the address."""

from __future__ import annotations

import datetime
import logging

from sqlalchemy import select

from channels.money import Money

from ..accounts import STAFF_ROLES
from ..accounts.tables import User
from ..cart.address_lines import address_lines
from ..db import as_utc, db
from ..fulfilment.tables import AgentCompany, Supplier
from ..mail.operations import InvalidAddress, absolute_url, send_templated
from ..mail.tables import MailMessage
from ..orders.links import order_key
from ..orders.summary import group_charges, order_tax_included, order_totals
from ..orders.tables import Order, OrderGroup, Shipment
from ..webhooks.tables import SupplierAccount

log = logging.getLogger(__name__)

STAFF_LOCALE = "en"


def order_url(order: Order) -> str:
    """The order page, opened by the signed key in the link (no session needed)."""
    return absolute_url("order_pages.order", number=order.number, key=order_key(order))


def _locale(order: Order) -> str:
    return order.locale or "en"


def _to_buyer(order: Order, template: str, **context) -> MailMessage | None:
    """Queue the buyer's mail; None, and the flow goes on, when there is no address to
    write to (a mail never stops a checkout or a payment)."""
    if not order.email:
        log.info("order %s has no e-mail: no %s mail", order.number, template)
        return None
    try:
        return _send_to_buyer(order, template, **context)
    except InvalidAddress:
        log.warning("order %s: its e-mail is no address to mail to", order.number)
        return None


def _send_to_buyer(order: Order, template: str, **context) -> MailMessage:
    return send_templated(
        order.email,
        template,
        _locale(order),
        reference=order.number,
        order=order,
        order_url=order_url(order),
        **context,
    )


def _group_context(group: OrderGroup) -> dict:
    order = group.order
    return {
        "group": group,
        "group_number": order.groups.index(group) + 1,
        "group_count": len(order.groups),
        "charges": group_charges(group),
        "shipping_amount": Money(group.shipping_amount, order.currency).rounded(),
    }


# buyer mails ---------------------------------------------------------------------------
def order_placed(order: Order) -> MailMessage | None:
    """Thank you for your order: its lines, totals, each group's ETA and import charges."""
    return _to_buyer(
        order,
        "order_placed",
        groups=[_group_context(g) for g in order.groups],
        totals=order_totals(order),
        tax_included=order_tax_included(order),
    )


def transfer_instructions(
    order: Order, details: dict, due: datetime.datetime
) -> MailMessage | None:
    """How to pay by bank transfer: the shop's account (`details`: account_name, iban,
    bic, bank), the exact amount, the order number as reference, the deadline."""
    iban = str(details.get("iban") or "").replace(" ", "")
    return _to_buyer(
        order,
        "transfer_instructions",
        details={
            **details,
            "iban_grouped": " ".join(iban[i : i + 4] for i in range(0, len(iban), 4)),
        },
        due=as_utc(due),
        total=Money(order.total_amount, order.currency).rounded(),
    )


def payment_received(order: Order, paid: Money | None = None) -> MailMessage | None:
    """The buyer's "we have your payment" mail, for `paid` (the order's total by default)."""
    return _to_buyer(
        order,
        "payment_received",
        groups=[_group_context(g) for g in order.groups],
        total=(paid or Money(order.total_amount, order.currency)).rounded(),
    )


def group_shipped(group: OrderGroup, shipment: Shipment) -> MailMessage | None:
    names = {line.sku: line.shown_name for line in group.lines}
    items = shipment.lines or [{"sku": line.sku, "quantity": line.quantity} for line in group.lines]
    lines = [
        {
            "sku": item["sku"],
            "shown_name": names.get(item["sku"], item["sku"]),
            "quantity": item["quantity"],
        }
        for item in items
    ]
    return _to_buyer(
        group.order,
        "group_shipped",
        shipment=shipment,
        shipped_lines=lines,
        shipped_at=as_utc(shipment.shipped_at),
        **_group_context(group),
    )


def group_delivered(group: OrderGroup) -> MailMessage | None:
    return _to_buyer(
        group.order,
        "group_delivered",
        delivered_at=as_utc(group.delivered_at),
        **_group_context(group),
    )


def refund_issued(order: Order, amount: Money, reason: str = "") -> MailMessage | None:
    return _to_buyer(order, "refund_issued", amount=amount.rounded(), reason=reason)


def about_order(order: Order, template: str, **context) -> MailMessage | None:
    """A buyer's mail about `order` from a feature above (e.g. a return's steps): the
    template `mail/<template>` with plain values, in the order's locale, with its link."""
    return _to_buyer(order, template, **context)


def group_rerouted(group: OrderGroup) -> MailMessage | None:
    """A shipper turned a part of the order down; another ships it (with its new ETA)."""
    context = _group_context(group)
    return _to_buyer(group.order, "group_rerouted", g=context, **context)


def group_refunded(group: OrderGroup, amount: Money) -> MailMessage | None:
    """A shipper turned a part down and no other can ship it: that part is refunded."""
    return _to_buyer(
        group.order, "group_refunded", amount=amount.rounded(), **_group_context(group)
    )


# staff and shipper mails ---------------------------------------------------------------
def staff_addresses() -> list[str]:
    return list(
        db.session.scalars(
            select(User.email)
            .where(User.role.in_(STAFF_ROLES), User.is_active_account.is_(True))
            .order_by(User.id)
        )
    )


def shipper_addresses(group: OrderGroup) -> list[str]:
    """Who ships the group: the agent company's users for agent:CODE, the supplier's users
    for supplier:CODE, staff for the shop's own (warehouse:, maker:) and any other."""
    kind, _, code = group.shipper.partition(":")
    active = User.is_active_account.is_(True)
    if kind == "agent":
        statement = (
            select(User.email)
            .join(AgentCompany, AgentCompany.id == User.agent_id)
            .where(AgentCompany.code == code, active)
        )
    elif kind == "supplier":
        statement = (
            select(User.email)
            .join(SupplierAccount, SupplierAccount.user_id == User.id)
            .join(Supplier, Supplier.id == SupplierAccount.supplier_id)
            .where(Supplier.code == code, active)
        )
    else:
        return staff_addresses()
    return list(db.session.scalars(statement.order_by(User.id)))


def ship_to_lines(order: Order) -> list[str]:
    """The delivery address (name to country), as the post of its country writes it (the
    region by its name, see `cart.address_lines`)."""
    if not order.ship_to:
        return [line for line in (order.buyer_name, order.country) if line]
    return address_lines(order.ship_to, order.country, for_post=True, name=order.buyer_name)


def _staff_mail(addresses: list[str], template: str, group: OrderGroup, **context):
    order = group.order
    staff = set(staff_addresses())
    queued = []
    for address in dict.fromkeys(addresses):  # each once, in order
        # a supplier's people work in the supplier portal; staff and agents in the back office
        if address not in staff and group.shipper.startswith("supplier:"):
            link = absolute_url("supplier_portal.portal")
        else:
            link = absolute_url("delivery.group", group_id=group.id)
        queued.append(
            send_templated(
                address,
                f"staff/{template}",
                STAFF_LOCALE,
                reference=order.number,
                order=order,
                group=group,
                ship_to=ship_to_lines(order),
                group_url=link,
                **context,
            )
        )
    return queued


def new_work(group: OrderGroup) -> list[MailMessage]:
    """A paid group to ship: to whoever ships it (staff when its shipper has no users)."""
    addresses = shipper_addresses(group) or staff_addresses()
    return _staff_mail(addresses, "new_work", group)


def group_overdue(group: OrderGroup, kind: str) -> list[MailMessage]:
    """A group past its deadline (`kind`: what is late, e.g. "acceptance", "shipping",
    "delivery"): to staff and to the group's shipper."""
    addresses = staff_addresses() + shipper_addresses(group)
    return _staff_mail(addresses, "group_overdue", group, kind=kind)
