"""The shop as a Flask extension: `Storefront(app, url_prefix="/shop")` mounts it in any app.

Everything the shop adds to a host app is its own: one blueprint (`storefront`, under the
prefix) holding every feature's blueprint, static files and media; its own database engine
and session (`storefront.db`), its own Jinja environment (a host's `base.html` or `money`
filter never meets the shop's), its own settings (the host's `STOREFRONT_*` keys), its
own CLI group (`flask shop ...`). Error pages and CSRF checks apply to the shop's routes
only, so the host's routes, templates, hooks and error pages work as before.
"""

from __future__ import annotations

import os
from collections.abc import Callable

import click
from flask import Blueprint, Flask
from flask.cli import AppGroup

from . import config as shop_config
from . import limits
from .db import db
from .mount import BLUEPRINT, HERE, ShopSetup, ShopState, jinja_env
from .schema import db_cli


class MountError(RuntimeError):
    """The host app cannot take the shop as it is set up."""


class Storefront:
    """The shop, mountable in any Flask app::

        shop = Storefront(app, url_prefix="/shop")
        # or: shop = Storefront(); shop.init_app(app, url_prefix="/shop")

    `user_loader`, for a host that signs its users in with its own Flask-Login: a callable
    given the host's `current_user` that returns the shop's `User` for it (or None).
    """

    def __init__(
        self,
        app: Flask | None = None,
        *,
        url_prefix: str | None = None,
        user_loader: Callable | None = None,
    ) -> None:
        if app is not None:
            self.init_app(app, url_prefix=url_prefix, user_loader=user_loader)

    def init_app(
        self,
        app: Flask,
        *,
        url_prefix: str | None = None,
        user_loader: Callable | None = None,
        _standalone: bool = False,
    ) -> None:
        if "storefront" in app.extensions:
            raise MountError("The shop is already mounted in this app.")
        if getattr(app, "login_manager", None) is not None and user_loader is None:
            raise MountError(
                "The host app signs its users in with Flask-Login already: pass "
                "Storefront(app, user_loader=...) to tell the shop which of its users "
                "(buyers, staff) each of yours is."
            )
        if "babel" in app.extensions:
            raise MountError(
                "The host app has its own Flask-Babel; the shop needs its own translations "
                "and locale choice. Mount the shop in an app without Flask-Babel."
            )
        prefix = (url_prefix or "").rstrip("/")
        if prefix and not prefix.startswith("/"):
            raise MountError(f"url_prefix must start with '/': {url_prefix!r}")
        settings = app.config if _standalone else shop_config.load_mounted(app)
        os.makedirs(app.instance_path, exist_ok=True)
        shop = ShopState(
            settings=settings,
            engine=db.create_engine(
                app, settings["DATABASE_URL"], settings["DATABASE_ENGINE_OPTIONS"]
            ),
            url_prefix=prefix,
            jinja_env=jinja_env(app, settings),
            user_loader=user_loader,
            standalone=_standalone,
        )
        app.extensions["storefront"] = shop

        blueprint = Blueprint(
            BLUEPRINT,
            __name__,
            static_folder=os.path.join(HERE, "static"),
            static_url_path="/static",
        )
        cli = AppGroup(
            "shop", help="The shop: database, catalog, rates, webhooks, orders, the worker."
        )
        cli.add_command(db_cli)
        setup = ShopSetup(app, blueprint, shop, cli)
        _init_features(setup)
        app.register_blueprint(blueprint, url_prefix=prefix or None)
        limits.limit_routes(app)  # the shop's routes only, now that they are in the app
        app.cli.add_command(cli)
        if _standalone:
            # The shop's own app also keeps the short forms: `flask db upgrade`, `flask fx update`.
            for name, command in cli.commands.items():
                if isinstance(command, click.Group):
                    app.cli.add_command(command, name)


def _init_features(setup: ShopSetup) -> None:
    from i18n import init_app as init_i18n

    from . import (
        accounts,
        admin,
        api,
        audit,
        cart,
        catalog,
        checkout,
        companies,
        compliance,
        customers,
        delivery,
        dispatch,
        documents,
        fulfilment,
        mail,
        markets,
        media,
        notices,
        orders,
        page_cache,
        pages,
        payments,
        production,
        purchasing,
        quotes,
        request_checks,
        returns,
        settlements,
        shipping,
        shop,
        terms,
        web,
        webhooks,
        worker,
    )

    init_i18n(setup.app, setup.jinja_env)
    for feature in (
        web,
        request_checks,
        page_cache,
        audit,
        markets,
        fulfilment,
        accounts,
        mail,
        media,
        catalog,
        pages,
        cart,
        checkout,
        customers,
        orders,
        dispatch,
        notices,
        payments,
        terms,
        delivery,
        returns,
        quotes,
        settlements,
        admin,
        compliance,
        companies,
        documents,
        production,
        purchasing,
        shipping,
        api,
        webhooks,
        shop,
    ):
        feature.init_app(setup)
    worker.init_app(setup)  # `flask worker`: runs the jobs the features registered
    limits.init_app(setup)
