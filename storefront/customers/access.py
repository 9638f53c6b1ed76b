"""Who may open an order besides the session that placed it and the signed link: the
signed-in buyer who owns it, and a session that typed the code mailed to its address."""

from __future__ import annotations

from flask import session

from ..accounts.current import current_user
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
