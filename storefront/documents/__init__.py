"""Export paperwork per fulfilment group: its parcels as packed or shipped, and the
commercial invoice, packing list and CN22/CN23 issued once from the order's snapshot
(`operations`), printed as PDF (`render`). Delivery calls it when a group is packed or
shipped; the back office, the admin API and the supplier API print its documents."""

from __future__ import annotations

from ..mount import ShopSetup


def init_app(app: ShopSetup) -> None:
    from . import tables  # noqa: F401 - the tables for Alembic
