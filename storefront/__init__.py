"""The Flask storefront: mount it in any Flask app with `Storefront`, or run it on its own
with `create_app()`."""

from __future__ import annotations

from flask import Flask

from .plugin import Storefront

__all__ = ["Storefront", "create_app"]


def create_app(config: dict | None = None) -> Flask:
    """The shop as its own app, mounted at `/`: `make demo`, `wsgi.py` and the tests."""
    from . import config as settings
    from .web import init_standalone

    app = Flask(__name__, instance_relative_config=True, static_folder=None)
    settings.load_standalone(app, config)
    Storefront().init_app(app, _standalone=True)
    init_standalone(app)
    return app
