"""Caps on what unpaid orders hold, so a client cannot hoard stock without paying (issue
#14): units of one variant and in all in one order, and across one client's unpaid orders.
A trade buyer's order is not capped (their account is vetted and they buy in bulk)."""

from __future__ import annotations

import datetime
import hashlib

from flask_babel import gettext
from sqlalchemy import func, or_, select

from .. import clock
from ..cart.operations import PricedCart
from ..config import settings
from ..db import db
from .tables import Order, OrderLine, OrderStatus


def held_by_client(client_key: str, now: datetime.datetime | None = None) -> dict[int, int]:
    """Units per variant in the client's unpaid orders whose hold has not run out (one
    paid by bank transfer holds until its deadline)."""
    now = now or clock.now()
    since = now - datetime.timedelta(minutes=settings()["RESERVATION_MINUTES"])
    rows = db.session.execute(
        select(OrderLine.variant_id, func.sum(OrderLine.quantity))
        .join(Order, Order.id == OrderLine.order_id)
        .where(
            Order.client_key == client_key,
            Order.status == OrderStatus.PENDING_PAYMENT,
            or_(Order.created_at >= since, Order.transfer_due_at >= now),
        )
        .group_by(OrderLine.variant_id)
    )
    return {variant_id: int(units) for variant_id, units in rows}


def _one_checkout_of(client_key: str) -> None:
    """On PostgreSQL, one checkout of a client at a time until its transaction ends: two at
    once would each count the other's order as not there yet and both pass the cap."""
    if db.session.get_bind().dialect.name != "postgresql":
        return  # SQLite lets one writer in at a time anyway
    key = int.from_bytes(hashlib.sha256(client_key.encode()).digest()[:8], "big", signed=True)
    db.session.execute(select(func.pg_advisory_xact_lock(key)))


def hold_problems(priced: PricedCart, client_key: str) -> list[dict]:
    """Why this cart may not hold its stock now, or nothing."""
    if priced.cart.wholesale or not priced.lines:
        return []
    cfg = settings()
    per_variant, per_order = cfg["HOLD_MAX_VARIANT_UNITS"], cfg["HOLD_MAX_ORDER_UNITS"]
    per_client = cfg["HOLD_MAX_CLIENT_UNITS"]
    problems = []
    for pl in priced.lines:
        if pl.line.quantity > per_variant:
            problems.append(_too_many_of(pl, per_variant))
    wanted = sum(pl.line.quantity for pl in priced.lines)
    if wanted > per_order:
        problems.append(
            {
                "code": "order_hold_limit",
                "message": gettext(
                    "One order can hold at most %(max)s items until it is paid.", max=per_order
                ),
            }
        )
    if problems or not client_key:
        return problems
    _one_checkout_of(client_key)
    held = held_by_client(client_key)
    for pl in priced.lines:
        if held.get(pl.line.variant_id, 0) + pl.line.quantity > per_variant:
            problems.append(_too_many_of(pl, per_variant, unpaid=True))
    if sum(held.values()) + wanted > per_client:
        problems.append(
            {
                "code": "client_hold_limit",
                "message": gettext(
                    "Your unpaid orders already hold %(held)s items; at most %(max)s can be "
                    "held until paid. Pay or cancel an order first.",
                    held=sum(held.values()),
                    max=per_client,
                ),
            }
        )
    return problems


def _too_many_of(pl, most: int, *, unpaid: bool = False) -> dict:
    sku = pl.line.variant.sku
    return {
        "code": "client_hold_limit" if unpaid else "order_hold_limit",
        "line": pl.line.id,
        "message": gettext(
            "Your unpaid orders can hold at most %(max)s of %(sku)s; pay for them first.",
            max=most,
            sku=sku,
        )
        if unpaid
        else gettext("One order can hold at most %(max)s of %(sku)s.", max=most, sku=sku),
    }
