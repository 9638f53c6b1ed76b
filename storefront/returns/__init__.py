"""Returns: the buyer sends delivered goods back to whoever shipped them.

A return (`tables.ReturnRequest`, an RMA number) covers units of one delivered group. The
eligibility rules live in one place (`eligibility`), the group's selling model routes it
(`route_return`, never a branch on the model), and staff, the group's agent or its
supplier decide (`operations`), in the admin API or on the back office's returns queue
(`views`, which finds them with `queries`). What is refunded is a quote of parts by
readable rules (`money`); an exchange holds and ships the new piece as a new group
(`exchanges`), and one for a dearer variant charges the difference (`charges`, paid on
the return's page: `charge_pages`). The buyer's pages are `buyer_views`, its mails `mails`.
"""

from __future__ import annotations

from ..mount import ShopSetup


def init_app(setup: ShopSetup) -> None:
    from . import (
        charge_pages,
        records,  # noqa: F401  (the tables join the shop's metadata)
        tables,  # noqa: F401
        views,
    )
    from .buyer_views import bp, buyer_returns, order_returns
    from .route_texts import route_text

    setup.register_blueprint(views.bp)
    setup.register_blueprint(views.portal_bp)
    setup.register_blueprint(bp)
    setup.register_blueprint(charge_pages.bp)
    # the order and account pages (checkout, customers) show returns without importing them
    setup.jinja_env.globals.update(order_returns=order_returns, buyer_returns=buyer_returns)
    setup.jinja_env.filters["route_text"] = route_text
