"""The back office at /admin."""

from __future__ import annotations

from flask import Blueprint

from .. import clock
from ..markets.rates import rate_health
from ..mount import ShopSetup

bp = Blueprint("admin", __name__, url_prefix="/admin")
# Pages only the shop itself uses take accounts.STAFF_ROLES; pages agents share go
# through `scoped_view`. `/admin` itself is the dashboard (dashboard.py).


@bp.context_processor
def rates_warning():
    """Stale or missing rates of the channels' currencies, for the back-office banner."""
    health = rate_health(clock.today())
    return {
        "stale_rates": health.stale,
        "missing_rates": health.missing,
        "rate_dates": health.rates.dates,
    }


def init_app(app: ShopSetup) -> None:
    from . import (  # noqa: F401 - they register views on bp
        agent_commission,
        channels,
        companies,
        dashboard,
        legal_pages,
        mail,
        order_terms,
        orders,
        partners,
        prices,
        product_images,
        product_texts,
        products,
        settlements,
        supplier_access,
        taxonomy,
        users,
        variants,
        warehouses,
    )

    app.register_blueprint(bp)
