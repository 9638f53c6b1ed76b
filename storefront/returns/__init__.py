"""Returns: the buyer sends delivered goods back to whoever shipped them.

A return (`tables.ReturnRequest`, an RMA number) covers units of one delivered group. The
eligibility rules live in one place (`eligibility`), the group's selling model routes it
(`route_return`, never a branch on the model), and staff, the group's agent or its
supplier decide (`operations`), in the admin API or on the back office's returns queue
(`views`, which finds them with `queries`).
"""

from __future__ import annotations

from ..mount import ShopSetup


def init_app(setup: ShopSetup) -> None:
    from . import (
        tables,  # noqa: F401  (the tables join the shop's metadata)
        views,
    )

    setup.register_blueprint(views.bp)
    setup.register_blueprint(views.portal_bp)
