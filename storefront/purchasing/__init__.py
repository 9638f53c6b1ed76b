"""OEM purchase orders: goods a factory makes under the shop's brand, received into stock."""

from __future__ import annotations

from flask import Blueprint

from ..accounts.tables import Role
from ..mount import ShopSetup

bp = Blueprint("purchasing", __name__, url_prefix="/admin/purchase-orders")
# Buying from factories is the shop's own business: not agents', not suppliers'.
PURCHASING_ROLES = (Role.OWNER, Role.STAFF)


def init_app(app: ShopSetup) -> None:
    from . import views  # noqa: F401 - the views join bp
    from .tables import PurchaseOrderStatus  # the tables join the metadata

    app.register_blueprint(bp)
    app.jinja_env.globals["PurchaseOrderStatus"] = PurchaseOrderStatus
