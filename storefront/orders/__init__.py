"""Orders: their groups and lines, placing them, and the status machines. Paying and
cancelling them, and `flask orders release-expired`, live in `dispatch`."""

from __future__ import annotations

from ..mount import ShopSetup


def init_app(app: ShopSetup) -> None:
    from .tables import GroupStatus, OrderStatus  # the tables belong to the app's metadata

    # pages compare statuses with the members, as the code does
    app.jinja_env.globals.update(OrderStatus=OrderStatus, GroupStatus=GroupStatus)
