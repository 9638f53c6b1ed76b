"""Notices: the mails the shop sends about orders. To the buyer, in the order's language
(order placed, bank-transfer instructions, payment received, shipped, delivered,
refunded, re-routed); to staff and shippers, in English (new work, overdue work).

Each function renders and queues its mail through `mail.send_templated`, in the
caller's transaction. It sits below dispatch (which calls it when an order is paid)
and above the features whose rows name a group's shipper (webhooks' supplier accounts).
"""

from __future__ import annotations

from ..mount import ShopSetup


def init_app(app: ShopSetup) -> None:
    """Nothing to register: the notices are called by the flows they belong to."""
