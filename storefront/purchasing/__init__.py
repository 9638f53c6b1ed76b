"""OEM purchase orders: goods a factory makes under the shop's brand, received into stock."""

from __future__ import annotations

from flask import Blueprint, Flask

from ..accounts.tables import Role

bp = Blueprint("purchasing", __name__, url_prefix="/admin/purchase-orders")
# Buying from factories is the shop's own business: not agents', not suppliers'.
PURCHASING_ROLES = (Role.OWNER, Role.STAFF)


def init_app(app: Flask) -> None:
    from . import tables, views  # noqa: F401 - the tables join the metadata; views join bp

    if "purchasing" not in app.blueprints:
        app.register_blueprint(bp)
