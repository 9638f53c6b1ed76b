"""Store API v1 (shop, carts, back office, suppliers) and its OpenAPI document."""

from __future__ import annotations

from flask import current_app, jsonify

from ..mount import ShopSetup, state
from ..web import exempt_from_csrf
from . import spec
from .views import bp


def init_app(app: ShopSetup) -> None:
    # they register their routes on bp: back office; carts, checkout and orders
    from . import (  # noqa: F401
        admin,
        agent_payouts,
        audit,
        carts,
        channels,
        companies,
        documents,
        images_admin,
        pages,
        partners,
        prices_admin,
        products_admin,
        quotes,
        reports,
        returns,
        returns_admin,
        shipping,
        shipping_zones,
        stock,
        supplier_access,
        supplier_credits,
        taxonomy,
        team,
        terms,
        variants_admin,
    )
    from .supplier import bp as supplier_bp

    exempt_from_csrf(app, bp)  # API clients authenticate with bearer tokens, not cookies
    app.register_blueprint(bp)
    exempt_from_csrf(app, supplier_bp)  # suppliers authenticate with bearer keys, not cookies
    app.register_blueprint(supplier_bp)

    @app.get("/api/openapi.json")
    def openapi():
        shop = state()
        return jsonify(spec.build(current_app, shop.url_prefix, shop.settings["SHOP_NAME"]))
