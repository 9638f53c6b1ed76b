"""Whether this browser session may open an order page: it placed the order (the access
token handed out then is in the signed session), it still holds the cart the order was
placed from, or it followed the signed link of the order's mails. The signed-in buyer who
owns the order is the customers feature's to say (`customers.access.visitor_order`)."""

from __future__ import annotations

import hmac

from flask import request, session

from ..cart import SESSION_KEY
from ..cart.operations import hash_token
from . import links
from .tables import Order

ORDERS_KEY = "checkout_orders"  # {order number: access token}


def grant(order: Order, token: str) -> None:
    """The session placed `order`: it opens the order's pages from now on."""
    granted = {**(session.get(ORDERS_KEY) or {}), order.number: token}
    session[ORDERS_KEY] = dict(list(granted.items())[-20:])  # the latest 20 orders


def session_opens(order: Order) -> bool:
    """The session placed the order, holds its cart, or came by the mails' signed link."""
    token = (session.get(ORDERS_KEY) or {}).get(order.number) or ""
    by_token = bool(token) and hmac.compare_digest(hash_token(token), order.token_hash)
    by_cart = session.get(SESSION_KEY) == order.cart_id
    return by_token or by_cart or links.opens(order, request.args.get("key", ""))
