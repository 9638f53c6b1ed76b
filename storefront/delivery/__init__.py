"""After payment: every selling model's group from paid to delivered, by whoever ships it
(warehouse staff, the workshop and its quality control, an agent, a supplier), its
shipments and their tracking, and rejected groups routed on or refunded."""

from __future__ import annotations

from ..mount import ShopSetup


def init_app(setup: ShopSetup) -> None:
    from . import views

    setup.register_blueprint(views.bp)
    setup.register_blueprint(views.portal_bp)
