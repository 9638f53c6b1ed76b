"""The back office at /admin."""

from __future__ import annotations

import datetime

from flask import Blueprint, Flask, current_app, redirect, request, url_for

from ..accounts import roles_required
from ..accounts.tables import Role
from ..markets import all_channels
from ..markets.rates import current_rates

bp = Blueprint("admin", __name__, url_prefix="/admin")
# Agents see only their entrusted brands; until brand entrustment exists they see nothing.
STAFF_ROLES = (Role.OWNER, Role.STAFF)


@bp.get("/")
@roles_required(*STAFF_ROLES)
def index():
    return redirect(url_for("admin.products"))


@bp.app_context_processor
def rates_warning():
    """Channels whose currency's rate is stale (or missing), for the back-office banner."""
    if request.blueprint != "admin":
        return {}
    current = current_rates()
    today = datetime.datetime.now(datetime.UTC).date()
    max_age = current_app.config["FX_MAX_AGE_DAYS"]
    stale = set(current.stale_currencies(today, max_age))
    needed = {c.currency for c in all_channels()} - {current_app.config["BASE_CURRENCY"]}
    return {
        "stale_rates": sorted(needed & stale),
        "missing_rates": sorted(c for c in needed if c not in current.rateset.rates),
        "rates_date": current.rateset.date,
    }


def init_app(app: Flask) -> None:
    from . import products  # noqa: F401 - registers the product views on bp

    app.register_blueprint(bp)
