"""Pages search engines may index that the catalog does not serve itself (the legal
pages): their feature names them here in its `init_app`, and the catalog's discovery lists
them in the sitemap in every locale and gives them canonical and hreflang links. The
catalog may not import a feature beside it; both may import this."""

from __future__ import annotations

from flask import current_app

from .mount import ShopSetup

EXTENSION = "storefront.indexed_pages"


def index_pages(setup: ShopSetup, endpoint: str, pages: list[dict]) -> None:
    """List `endpoint` (the shop's, e.g. "pages.page") with each of its URL values."""
    setup.extensions.setdefault(EXTENSION, {})[endpoint] = [dict(values) for values in pages]


def indexed_pages() -> dict[str, list[dict]]:
    """{endpoint: [URL values of each page]} the features named."""
    return current_app.extensions.get(EXTENSION, {})
