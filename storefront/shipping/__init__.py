"""Shipping zones, methods and weight bands (/admin/shipping); the price of each parcel.

The rate arithmetic (billed weight, bands, free-shipping threshold) lives in
`channels.shipping`; this package stores the merchant's rates and edits them.
"""

from __future__ import annotations

from flask import Blueprint

from ..mount import ShopSetup

bp = Blueprint("shipping", __name__, url_prefix="/admin/shipping")


def init_app(app: ShopSetup) -> None:
    from . import tables, views  # noqa: F401 - the tables for Alembic, the views on bp
    from .audited import track_history
    from .cli import carriers_cli

    app.register_blueprint(bp)
    app.cli.add_command(carriers_cli)
    track_history()
