"""The mail with an order's one-time code, in the buyer's language."""

from __future__ import annotations

from ..mail.operations import absolute_url, send_templated
from ..orders.tables import Order
from .codes import VALID_MINUTES


def send_order_code(order: Order, code: str) -> None:
    """Queue the code to the order's address (the mail worker sends it)."""
    send_templated(
        order.email,
        "order_code",
        order.locale,
        reference=f"order-code:{order.number}",
        number=order.number,
        code=code,
        minutes=VALID_MINUTES,
        code_page=absolute_url("customers.enter_code"),
    )
