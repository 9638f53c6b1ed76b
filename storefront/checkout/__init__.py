"""The buyer's web checkout: delivery details, review, card payment, confirmation."""

from __future__ import annotations

from flask import Flask

from .views import bp, orders_bp


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    app.register_blueprint(orders_bp)
