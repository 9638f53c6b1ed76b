"""Who may open an order besides the session that placed it and the signed link: the
signed-in buyer who owns it, and a session that typed the code mailed to its address;
and so, in one place, who may open an order's pages at all (`visitor_order`)."""

from __future__ import annotations

from flask import abort, session
from sqlalchemy import select

from ..accounts.current import current_user
from ..db import db
from ..orders.access import session_opens
from ..orders.tables import Order
from .operations import owns

FOUND_KEY = "found_orders"  # [[order number, its e-mail]] this session proved the mailbox of


def grant_found(order: Order) -> None:
    entry = [order.number, order.email.lower()]
    found = [e for e in (session.get(FOUND_KEY) or []) if e != entry] + [entry]
    session[FOUND_KEY] = found[-20:]  # the latest 20 orders


def may_open(order: Order) -> bool:
    """The signed-in owner, or a session that proved the order's (current) mailbox."""
    if owns(current_user, order):
        return True
    return [order.number, order.email.lower()] in (session.get(FOUND_KEY) or [])


def visitor_order(number: str) -> Order:
    """The order if this visitor placed it, followed the signed link of its mails, is the
    signed-in buyer who owns it, or typed the code mailed to it; 404 for anyone else, as
    for a missing one."""
    order = db.session.scalar(select(Order).where(Order.number == number))
    if order is None or not (session_opens(order) or may_open(order)):
        abort(404)
    return order
