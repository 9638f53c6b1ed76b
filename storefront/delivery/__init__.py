"""After payment: every selling model's group from paid to delivered, by whoever ships it
(warehouse staff, the workshop and its quality control, an agent, a supplier), its
shipments and their tracking, and rejected groups routed on or refunded."""

from __future__ import annotations

from ..mount import ShopSetup

# How often the worker refunds rejected groups a Stripe outage (or a crash) left owed.
REFUND_OWED_SECONDS = 300
# How often it looks for late groups (each raised once: a supplier event, staff mails).
SERVICE_LEVELS_SECONDS = 300


def init_app(setup: ShopSetup) -> None:
    from . import views
    from .operations import check_service_levels, refund_all_owed

    setup.register_blueprint(views.bp)
    setup.register_blueprint(views.portal_bp)
    setup.add_job("delivery.refund_owed", refund_all_owed, every=REFUND_OWED_SECONDS)
    setup.add_job("delivery.service_levels", check_service_levels, every=SERVICE_LEVELS_SECONDS)
