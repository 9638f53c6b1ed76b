"""The buyer's web checkout: delivery details, review, card payment, confirmation."""

from __future__ import annotations

from ..mount import ShopSetup
from . import terms_pages
from .views import bp, orders_bp


def init_app(app: ShopSetup) -> None:
    app.register_blueprint(bp)
    app.register_blueprint(orders_bp)
    app.register_blueprint(terms_pages.bp)
