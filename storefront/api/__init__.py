"""Store API v1 (shop, carts, back office, suppliers) and its OpenAPI document."""

from __future__ import annotations

from flask import Flask, jsonify

from ..web import csrf
from . import spec
from .errors import ApiError, error_response
from .views import bp


def init_app(app: Flask) -> None:
    # they register their routes on bp: back office; carts, checkout and orders
    from . import admin, carts  # noqa: F401
    from .supplier import bp as supplier_bp

    csrf.exempt(bp)  # API clients authenticate with bearer tokens, not cookies
    app.register_blueprint(bp)
    csrf.exempt(supplier_bp)  # suppliers authenticate with bearer keys, not cookies
    app.register_blueprint(supplier_bp)

    @app.errorhandler(ApiError)
    def api_error(error: ApiError):
        return error_response(error.status, error.code, error.message, error.field)

    @app.get("/api/openapi.json")
    def openapi():
        return jsonify(spec.build(app))
