"""One-time codes that open a guest's order: mailed to the order's address, 6 digits,
valid 15 minutes, 5 tries, kept only as a keyed hash, one active code per order.

Whether an order number and e-mail match is never told: the page answers the same
either way, and a wrong, expired or used-up code gets one and the same answer.
"""

from __future__ import annotations

import datetime
import hashlib
import hmac
import secrets

from sqlalchemy import func, select, update

from .. import clock
from ..config import settings
from ..db import db
from ..orders.tables import Order
from .tables import OrderCode

VALID_MINUTES = 15
MAX_TRIES = 5
# A new code replaces the last one only after this long, so codes cannot be churned.
RESEND_SECONDS = 60


def _hash(order: Order, code: str) -> str:
    key = settings()["SECRET_KEY"].encode()
    return hmac.new(key, f"{order.id}:{code}".encode(), hashlib.sha256).hexdigest()


def find_order(number: str, email: str) -> Order | None:
    """The order with this number whose buyer's e-mail is `email`; None otherwise."""
    number, email = (number or "").strip().upper(), (email or "").strip().lower()
    if not number or not email or len(number) > 20 or len(email) > 254:
        return None
    return db.session.scalar(
        select(Order).where(Order.number == number, func.lower(Order.email) == email)
    )


def issue_code(order: Order) -> str | None:
    """A new code for `order`, replacing its active one; None when one was issued less than
    a minute ago (that one stays valid)."""
    now = clock.now()
    recent = db.session.scalar(
        select(OrderCode.id).where(
            OrderCode.order_id == order.id,
            OrderCode.created_at > now - datetime.timedelta(seconds=RESEND_SECONDS),
        )
    )
    if recent is not None:
        return None
    code = f"{secrets.randbelow(10**6):06d}"
    fields = dict(
        code_hash=_hash(order, code),
        tries=0,
        created_at=now,
        expires_at=now + datetime.timedelta(minutes=VALID_MINUTES),
        used_at=None,
    )
    replaced = db.session.execute(
        update(OrderCode).where(OrderCode.order_id == order.id).values(**fields)
    )
    if replaced.rowcount == 0:
        db.session.add(OrderCode(order_id=order.id, **fields))
    db.session.flush()
    return code


def check_code(order: Order, code: str) -> bool:
    """Whether `code` is the order's live code; every check uses up one of its tries, and
    a right code is used up."""
    now = clock.now()
    live = (
        OrderCode.order_id == order.id,
        OrderCode.used_at.is_(None),
        OrderCode.expires_at > now,
        OrderCode.tries < MAX_TRIES,
    )
    # One statement counts the try, so parallel guesses cannot pass the limit.
    counted = db.session.execute(update(OrderCode).where(*live).values(tries=OrderCode.tries + 1))
    if counted.rowcount != 1:
        return False
    wanted = db.session.scalar(select(OrderCode.code_hash).where(OrderCode.order_id == order.id))
    code = (code or "").strip()
    if not (len(code) == 6 and code.isdigit() and hmac.compare_digest(wanted, _hash(order, code))):
        return False
    used = db.session.execute(update(OrderCode).where(*live[:2]).values(used_at=now))
    return used.rowcount == 1
