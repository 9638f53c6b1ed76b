"""Quotes to trade buyers with Incoterms 2020, and their proforma invoices (issue 17).

Staff draft a quote (or a trade buyer asks for one from the cart), revise it in versions
and send it; the buyer reads it on `/quotes/<id>`, downloads the proforma and accepts the
current version, which places ONE order at the quoted prices and terms (`acceptance`).
Where quotes meet companies, payment terms and the document renderer: `seams`.
"""

from __future__ import annotations

from flask import Blueprint

from ..mount import ShopSetup

bp = Blueprint("quotes", __name__, url_prefix="/quotes")
admin_bp = Blueprint("quotes_admin", __name__, url_prefix="/admin/quotes")


def init_app(setup: ShopSetup) -> None:
    from . import (  # noqa: F401  (the tables join the metadata; the views register)
        admin_views,
        buyer_views,
        tables,
    )

    setup.register_blueprint(bp)
    setup.register_blueprint(admin_bp)
    # the account page (customers, below quotes) lists the buyer's quotes without importing it
    setup.jinja_env.globals.update(buyer_quotes=buyer_views.buyer_quotes)
