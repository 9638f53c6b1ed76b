"""Back-office orders: the list by status and one order with its groups and lines.

An agent sees only orders that hold lines of its brands, and of those orders
only its own lines and the groups they ship in; the total it sees is theirs.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from flask import abort, flash, redirect, request
from flask_babel import gettext
from sqlalchemy import Select, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from channels.money import InvalidMoney, Money

from ..accounts import STAFF_ROLES, roles_required
from ..accounts.current import current_user
from ..db import db
from ..errors import flash_refusal
from ..mount import render_template, url_for
from ..orders.states import ORDER_TRANSITIONS, OrderStatus
from ..orders.tables import Order, OrderGroup, OrderLine
from ..payments import bank_transfer, refunds
from ..payments import operations as payments
from ..payments.stripe_gateway import GatewayError
from ..request_checks import page_number
from ..returns.queries import returns_of_order
from ..web import format_money
from . import bp, order_terms
from .scope import Scope, current_scope, scoped_view

PER_PAGE = 50
ORDER_STATUSES = tuple(ORDER_TRANSITIONS)


@dataclass(frozen=True)
class GroupView:
    group: OrderGroup
    lines: list[OrderLine]


@dataclass(frozen=True)
class OrderView:
    """An order as one user may see it."""

    order: Order
    groups: list[GroupView]
    total: Money

    @property
    def lines(self) -> list[OrderLine]:
        return [line for group in self.groups for line in group.lines]


def line_total(line: OrderLine) -> Money:
    return Money(line.unit_amount, line.currency) * line.quantity


def visible_orders(scope: Scope, status: OrderStatus | None = None) -> Select:
    """Orders, newest first, holding at least one line the scope may see."""
    statement = select(Order).options(selectinload(Order.groups), selectinload(Order.lines))
    if scope.brand_ids is not None:
        statement = statement.where(
            Order.id.in_(scope.restrict(select(OrderLine.order_id), OrderLine.brand_id))
        )
    if status:
        statement = statement.where(Order.status == status)
    return statement.order_by(Order.id.desc())


def order_view(order: Order, scope: Scope) -> OrderView | None:
    """The order cut to the scope's lines and groups; None when none of it is visible."""
    lines = [line for line in order.lines if scope.allows(line.brand_id)]
    if not lines:
        return None
    groups = [
        GroupView(group, [line for line in lines if line.group_id == group.id])
        for group in order.groups
    ]
    groups = [g for g in groups if g.lines]
    if scope.brand_ids is None:
        total = Money(order.total_amount, order.currency)
    else:
        total = sum((line_total(line) for line in lines), Money.zero(order.currency))
    return OrderView(order, groups, total)


def visible_order(scope: Scope, number: str) -> OrderView | None:
    order = db.session.scalar(
        select(Order)
        .where(Order.number == number)
        .options(selectinload(Order.groups), selectinload(Order.lines))
    )
    return order_view(order, scope) if order is not None else None


def checked_status(raw: str | None) -> OrderStatus | None:
    """A known order status, None for all; ValueError for an unknown one."""
    if not raw:
        return None
    return OrderStatus(raw)


@bp.get("/orders")
@scoped_view
def orders():
    scope = current_scope()
    try:
        status = checked_status(request.args.get("status"))
    except ValueError:
        flash(
            gettext("Unknown status %(status)r: showing all.", status=request.args["status"]),
            "error",
        )
        status = None
    page = page_number()
    statement = visible_orders(scope, status)
    total = db.session.scalar(select(func.count()).select_from(statement.order_by(None).subquery()))
    rows = db.session.scalars(statement.limit(PER_PAGE).offset((page - 1) * PER_PAGE)).all()
    return render_template(
        "admin/orders.html",
        orders=[order_view(order, scope) for order in rows],
        status=status or "",
        statuses=ORDER_STATUSES,
        page=page,
        total=total,
        pages=max(1, -(-total // PER_PAGE)),
        line_total=line_total,
        flags=order_terms.list_flags([order.id for order in rows]),
    )


@bp.get("/orders/<number>")
@scoped_view
def order(number: str):
    view = visible_order(current_scope(), number)
    if view is None:
        abort(404)
    order = view.order
    shown = {g.group.id for g in view.groups}
    return render_template(
        "admin/order.html",
        view=view,
        returns=[r for r in returns_of_order(order.id) if r.group_id in shown],
        line_total=line_total,
        awaits_transfer=bank_transfer.awaits_transfer(order),
        transfer_due=bank_transfer.transfer_due(order),
        transfer=bank_transfer.received_transfer(order),
        **order_terms.terms_context(order),
    )


def _staff_order(number: str) -> Order:
    view = visible_order(current_scope(), number)
    if view is None:
        abort(404)
    return view.order


def _form_amount(order: Order, *, optional: bool) -> Money | None:
    """The amount typed in the form, in the order's currency; None when left empty and
    `optional`. InvalidOperation or InvalidMoney when it is not an amount."""
    raw = (request.form.get("amount") or "").strip()
    if not raw and optional:
        return None
    return Money(Decimal(raw), order.currency)


@bp.post("/orders/<number>/refund")
@roles_required(*STAFF_ROLES)
def refund(number: str):
    """Refund all that is left of the card payment, or the amount entered (staff only)."""
    order = _staff_order(number)
    try:
        amount = _form_amount(order, optional=True)
    except (InvalidOperation, InvalidMoney):
        flash(gettext("Enter the amount to refund like 12.50, or leave it empty for all."), "error")
        return redirect(url_for("admin.order", number=number), 303)
    try:
        done = refunds.refund(order, amount, request.form.get("reason", "")[:200])
    except (payments.PaymentError, GatewayError) as error:
        db.session.rollback()
        flash(getattr(error, "message", str(error)), "error")
    else:
        db.session.commit()
        given = Money.from_minor_units(done.amount_minor, order.currency)
        flash(gettext("Refunded %(amount)s.", amount=format_money(given)), "success")
    return redirect(url_for("admin.order", number=number), 303)


@bp.post("/orders/<number>/transfer-received")
@roles_required(*STAFF_ROLES)
def transfer_received(number: str):
    """The buyer's bank transfer arrived in full: record it and pay the order (staff only)."""
    order = _staff_order(number)
    try:
        amount = _form_amount(order, optional=False)
    except (InvalidOperation, InvalidMoney):
        flash(gettext("Enter the amount received like 1250.00."), "error")
        return redirect(url_for("admin.order", number=number), 303)
    try:
        done = bank_transfer.record_transfer(
            order, amount, request.form.get("reference", ""), current_user.id
        )
        db.session.commit()
    except payments.PaymentError as error:
        flash_refusal(error)
        return redirect(url_for("admin.order", number=number), 303)
    except IntegrityError:  # the same bank reference recorded for another order meanwhile
        db.session.rollback()
        flash(gettext("This bank reference was just recorded for another order."), "error")
        return redirect(url_for("admin.order", number=number), 303)
    received = Money(done.amount, done.currency)
    flash(
        gettext(
            "Transfer of %(amount)s recorded: order %(number)s is paid.",
            amount=format_money(received),
            number=number,
        ),
        "success",
    )
    return redirect(url_for("admin.order", number=number), 303)
