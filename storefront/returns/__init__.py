"""Returns: the buyer sends delivered goods back to whoever shipped them.

A return (`tables.ReturnRequest`, an RMA number) covers units of one delivered group. The
eligibility rules live in one place (`eligibility`), the group's selling model routes it
(`route_return`, never a branch on the model), and staff, the group's agent or its
supplier decide (`operations`). Refunds through Stripe are a later slice.
"""

from __future__ import annotations

from ..mount import ShopSetup


def init_app(setup: ShopSetup) -> None:
    from . import records, tables  # noqa: F401  (the tables join the shop's metadata)
