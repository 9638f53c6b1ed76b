"""Signed webhooks to suppliers: endpoints, a transactional outbox fan-out, a delivery worker;
the supplier pages. The supplier API that answers them is `api.supplier`."""

from __future__ import annotations

from ..config import ConfigError
from ..mount import ShopSetup

DEFAULTS = {
    "WEBHOOK_TIMEOUT_SECONDS": 15,
    # Longer than one POST can take, so a live worker never loses a delivery it is sending.
    "WEBHOOK_LEASE_SECONDS": 60,
    "WEBHOOK_IDLE_SECONDS": 1.0,
    # How long a supplier has to accept or reject a group before it is overdue.
    "SUPPLIER_ACCEPT_HOURS": 24,
}


def init_app(app: ShopSetup) -> None:
    from . import tables  # noqa: F401  (the tables belong to the app's metadata)
    from .cli import webhooks_cli
    from .views import admin_bp

    for key, value in DEFAULTS.items():
        app.config.setdefault(key, value)
    if app.config["WEBHOOK_LEASE_SECONDS"] <= app.config["WEBHOOK_TIMEOUT_SECONDS"]:
        # A lease shorter than a POST would let a second worker send the same attempt.
        raise ConfigError("WEBHOOK_LEASE_SECONDS must be longer than WEBHOOK_TIMEOUT_SECONDS.")
    hours = app.config["SUPPLIER_ACCEPT_HOURS"]
    if isinstance(hours, bool) or not isinstance(hours, int | float) or hours <= 0:
        raise ConfigError("SUPPLIER_ACCEPT_HOURS must be a positive number of hours.")
    app.cli.add_command(webhooks_cli)
    app.register_blueprint(admin_bp)
