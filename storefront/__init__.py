"""The Flask storefront: create_app() wires every feature package."""

from __future__ import annotations

import os

from flask import Flask


def create_app(config: dict | None = None) -> Flask:
    app = Flask(__name__, instance_relative_config=True)

    from . import config as settings

    settings.load(app, config)
    os.makedirs(app.instance_path, exist_ok=True)

    from i18n import init_app as init_i18n

    from . import (
        accounts,
        admin,
        api,
        cart,
        catalog,
        checkout,
        compliance,
        db,
        dispatch,
        fulfilment,
        markets,
        orders,
        page_cache,
        payments,
        production,
        purchasing,
        shipping,
        shop,
        web,
        webhooks,
    )

    db.init_app(app)
    init_i18n(app)
    web.init_app(app)
    page_cache.init_app(app)
    markets.init_app(app)
    fulfilment.init_app(app)
    accounts.init_app(app)
    catalog.init_app(app)
    cart.init_app(app)
    checkout.init_app(app)
    orders.init_app(app)
    dispatch.init_app(app)
    payments.init_app(app)
    admin.init_app(app)
    compliance.init_app(app)
    production.init_app(app)
    purchasing.init_app(app)
    shipping.init_app(app)
    api.init_app(app)
    webhooks.init_app(app)
    shop.init_app(app)
    return app
