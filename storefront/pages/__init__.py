"""Legal pages: legal notice, terms, privacy, returns and withdrawal, shipping and duties,
contact. The merchant edits each per language (`operations`, on the back office and the
admin API); every save is a new version, and an order keeps the terms version the buyer
accepted at checkout. Until saved, a page shows its starter template (`starter`). Buyers
read them at `/pages/<kind>` (`views`), linked from every page's footer."""

from __future__ import annotations

from ..mount import ShopSetup


def init_app(setup: ShopSetup) -> None:
    from . import audited, tables  # noqa: F401  (the table joins the shop's metadata)
    from .views import bp, footer_links

    audited.track_history()
    setup.register_blueprint(bp)
    setup.jinja_env.globals["legal_links"] = footer_links
