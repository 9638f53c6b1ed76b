"""The back office at /admin."""

from __future__ import annotations

import datetime

from flask import Blueprint, Flask, redirect, request, url_for

from ..accounts import roles_required
from ..accounts.tables import Role
from ..markets.rates import rate_health

bp = Blueprint("admin", __name__, url_prefix="/admin")
# Agents see only their entrusted brands; until brand entrustment exists they see nothing.
STAFF_ROLES = (Role.OWNER, Role.STAFF)


@bp.get("/")
@roles_required(*STAFF_ROLES)
def index():
    return redirect(url_for("admin.products"))


@bp.app_context_processor
def rates_warning():
    """Stale or missing rates of the channels' currencies, for the back-office banner."""
    if request.blueprint != "admin":
        return {}
    health = rate_health(datetime.datetime.now(datetime.UTC).date())
    return {
        "stale_rates": health.stale,
        "missing_rates": health.missing,
        "rate_dates": health.rates.dates,
    }


def init_app(app: Flask) -> None:
    from . import products  # noqa: F401 - registers the product views on bp

    app.register_blueprint(bp)
