"""Agent settlements: what an agent's entrusted brands sold, refunded, earned in commission
and owe the manufacturer, per brand and currency (`statement`); the commission on goods of
refunded returns clawed back in the period of the refund; and the payouts staff record
(`payouts`, `shop_agent_payout`), which the statement nets against. The back office's page
and the admin API call down here."""

from __future__ import annotations

from ..mount import ShopSetup


def init_app(setup: ShopSetup) -> None:
    from . import tables  # noqa: F401  (the tables join the shop's metadata)
