"""A short-lived, per-process cache of whole pages for anonymous visitors.

Listing pages are the same for every visitor without a session, so they are
rendered once per few seconds per worker. A visitor with a cart, a login or a
flash message has a session and is always served fresh. Prices on cached
pages are re-checked in the cart and at checkout, so a few seconds of
staleness never reaches what a buyer pays.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from functools import wraps

from flask import current_app, request, session

from i18n import current_locale

from .config import settings
from .markets import CHANNEL_COOKIE, COUNTRY_COOKIE
from .markets.guess import guessed_countries

MAX_PAGES = 1024


class PageCache:
    def __init__(self, max_pages: int = MAX_PAGES):
        self.max_pages = max_pages
        self._pages: OrderedDict[tuple, tuple[float, bytes]] = OrderedDict()

    def get(self, key: tuple) -> bytes | None:
        entry = self._pages.get(key)
        if entry is None:
            return None
        expires, body = entry
        if expires < time.monotonic():
            del self._pages[key]
            return None
        self._pages.move_to_end(key)
        return body

    def put(self, key: tuple, body: bytes, seconds: float) -> None:
        self._pages[key] = (time.monotonic() + seconds, body)
        self._pages.move_to_end(key)
        while len(self._pages) > self.max_pages:
            self._pages.popitem(last=False)

    def clear(self) -> None:
        self._pages.clear()


def page_key() -> tuple:
    """Everything an anonymous page depends on: the URL (host and scheme included, for the
    absolute links), the language, and the market cookies that pick the channel, its
    currency and the country shown (the raw cookies: resolving the channel costs a query),
    or, before the buyer chose a country, the countries guessed from their language and the
    trusted country header."""
    country = request.cookies.get(COUNTRY_COOKIE)
    return (
        request.url_root,
        request.full_path,
        current_locale(),
        request.cookies.get(CHANNEL_COOKIE),
        country,
        None if country else guessed_countries(),
    )


def cached_page(view):
    """Serve the view from the page cache when the visitor has no session."""

    @wraps(view)
    def wrapper(*args, **kwargs):
        seconds = settings()["LISTING_CACHE_SECONDS"]
        if not seconds or session or request.method != "GET":
            return view(*args, **kwargs)
        cache: PageCache = current_app.extensions["page_cache"]
        key = page_key()
        body = cache.get(key)
        if body is not None:
            return current_app.response_class(body, mimetype="text/html")
        response = current_app.make_response(view(*args, **kwargs))
        # Rendering may have started a session (a flash, a CSRF token): then it is personal.
        if response.status_code == 200 and not session:
            cache.put(key, response.get_data(), seconds)
        return response

    return wrapper


def init_app(app) -> None:
    app.extensions["page_cache"] = PageCache()
