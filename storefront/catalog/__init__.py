"""The catalog: brands, categories, products, variants; buyer pages, what search engines
read of them (robots.txt, sitemap, canonical links, JSON-LD) and `flask catalog`."""

from __future__ import annotations

from ..mount import ShopSetup


def init_app(app: ShopSetup) -> None:
    from . import cards, images
    from .audited import track_history
    from .cli import catalog_cli
    from .discovery import bp as discovery_bp
    from .discovery import page_links
    from .search import keep_current
    from .structured_data import script_json
    from .views import bp

    for key, value in images.DEFAULTS.items():
        app.config.setdefault(key, value)
    app.jinja_env.globals["image_url"] = images.image_url
    app.jinja_env.globals["image_srcset"] = images.srcset
    app.jinja_env.globals["page_links"] = page_links
    cards.init_app(app)
    app.jinja_env.filters["json_ld"] = script_json

    app.register_blueprint(bp)
    app.register_blueprint(discovery_bp)
    app.cli.add_command(catalog_cli)
    track_history()
    keep_current()
