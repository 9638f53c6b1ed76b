"""Self-produced goods: open production orders and their quality inspections.

A group made in the shop's workshop may ship only once an inspection passes.
"""

from __future__ import annotations

from flask import Blueprint

from ..accounts.tables import Role
from ..mount import ShopSetup

bp = Blueprint("production", __name__, url_prefix="/admin/production")
# Quality control is the shop's own business: not agents', not suppliers'.
QC_ROLES = (Role.OWNER, Role.STAFF)


def init_app(app: ShopSetup) -> None:
    from . import (
        tables,  # noqa: F401 - the tables belong to the app's metadata
        views,  # noqa: F401 - registers the views on bp
    )

    app.register_blueprint(bp)
