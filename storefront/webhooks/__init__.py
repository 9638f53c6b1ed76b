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
    # Deliveries one worker claims per round (`flask worker`'s webhooks.deliver).
    "WEBHOOK_BATCH": 20,
    # How long a supplier has to accept or reject a group before it is overdue.
    "SUPPLIER_ACCEPT_HOURS": 24,
    # A shipped group with no delivery this many days after its latest ETA is overdue.
    "DELIVERY_GRACE_DAYS": 7,
}


def init_app(app: ShopSetup) -> None:
    from . import tables  # noqa: F401  (the tables belong to the app's metadata)
    from .audited import track_history
    from .cli import webhooks_cli
    from .jobs import deliver
    from .views import admin_bp

    for key, value in DEFAULTS.items():
        app.config.setdefault(key, value)
    if app.config["WEBHOOK_LEASE_SECONDS"] <= app.config["WEBHOOK_TIMEOUT_SECONDS"]:
        # A lease shorter than a POST would let a second worker send the same attempt.
        raise ConfigError("WEBHOOK_LEASE_SECONDS must be longer than WEBHOOK_TIMEOUT_SECONDS.")
    hours = app.config["SUPPLIER_ACCEPT_HOURS"]
    if isinstance(hours, bool) or not isinstance(hours, int | float) or hours <= 0:
        raise ConfigError("SUPPLIER_ACCEPT_HOURS must be a positive number of hours.")
    for key in ("DELIVERY_GRACE_DAYS", "WEBHOOK_BATCH"):
        value = app.config[key]
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise ConfigError(f"{key} must be a whole number, at least 1: {value!r}")
    app.cli.add_command(webhooks_cli)
    app.add_job("webhooks.deliver", deliver)
    track_history()
    app.register_blueprint(admin_bp)
