"""Signed keys that open one order's page without a session: the link in the buyer's mails.

A key names the order and the address it was sent to; it opens that order only, and
stops working when the order's e-mail changes. It does not expire: a buyer follows a
parcel from a mail weeks old.
"""

from __future__ import annotations

from itsdangerous import BadSignature, URLSafeSerializer

from ..config import settings
from .tables import Order

SALT = "storefront.order-link"


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(settings()["SECRET_KEY"], salt=SALT)


def order_key(order: Order) -> str:
    """The key for the link to `order` in a mail to its buyer."""
    return _serializer().dumps([order.number, order.email.lower()])


def opens(order: Order, key: str) -> bool:
    """Whether `key` is a link key of this order (for its current e-mail)."""
    if not key:
        return False
    try:
        number, email = _serializer().loads(key)
    except (BadSignature, ValueError, TypeError):
        return False
    return number == order.number and email == order.email.lower()
