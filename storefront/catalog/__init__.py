"""The catalog: brands, categories, products, variants; buyer pages and `flask catalog`."""

from __future__ import annotations

from ..mount import ShopSetup


def init_app(app: ShopSetup) -> None:
    from . import images
    from .audited import track_history
    from .cli import catalog_cli
    from .views import bp

    for key, value in images.DEFAULTS.items():
        app.config.setdefault(key, value)
    app.jinja_env.globals["image_url"] = images.image_url
    app.jinja_env.globals["image_srcset"] = images.srcset

    app.register_blueprint(bp)
    app.cli.add_command(catalog_cli)
    track_history()
