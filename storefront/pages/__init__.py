"""Legal pages: legal notice, terms, privacy, returns and withdrawal, shipping and duties,
contact. The merchant edits each per language (`operations`, on the back office and the
admin API); every save is a new version, and an order keeps the terms version the buyer
accepted at checkout. Until saved, a page shows its starter template (`starter`). Buyers
read them at `/pages/<kind>` (`views`), linked from every page's footer and listed in the
sitemap in every language."""

from __future__ import annotations

from ..indexed_pages import index_pages
from ..mount import ShopSetup


def init_app(setup: ShopSetup) -> None:
    from . import audited, tables  # noqa: F401  (the table joins the shop's metadata)
    from .operations import KINDS
    from .views import bp, footer_links

    audited.track_history()
    setup.register_blueprint(bp)
    index_pages(setup, "pages.page", [{"kind": kind} for kind in KINDS])  # in the sitemap
    setup.jinja_env.globals["legal_links"] = footer_links
