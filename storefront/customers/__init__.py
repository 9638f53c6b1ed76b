"""Buyers' own accounts (retail buyers and trade buyers): register, sign in, their orders,
saved addresses, ordering again, and finding a guest order with a code sent by mail.

The users and roles themselves live in `accounts`; this feature is the buyer's side of them.
"""

from __future__ import annotations

from ..accounts.current import current_user
from ..mount import ShopSetup
from .operations import is_buyer
from .views import bp


def init_app(app: ShopSetup) -> None:
    app.register_blueprint(bp)
    app.jinja_env.globals["is_buyer"] = lambda: is_buyer(current_user)
