"""A short-lived, per-process cache of whole pages for anonymous visitors.

The home page, listings, search and product pages are the same for every visitor without
a session (and the same market and language: `page_key`), so they are rendered once per
few seconds per worker. A visitor with a cart, a login or a flash message has a session
and is always served fresh. Prices on cached pages are re-checked in the cart and at
checkout, so a few seconds of staleness never reaches what a buyer pays. A product page's
stock and delivery estimate are the same trade-off as a listing's: an option still shown
in stock a few seconds after it sold out shows as out of stock in the cart, and checkout
holds the stock it sells.

A cached page starts no session: the product page's add-to-cart form carries no CSRF token
for a visitor without one (the token lives in the session), and the cart lets its post in
when the browser says it comes from the shop's own pages (web.py, `token_or_same_origin`).

The same pages tell caches in front of the shop (a CDN, a reverse proxy before several
app servers) that they may keep them as briefly: `Cache-Control: public, s-maxage=...`,
the `Vary` of web.py, and an `ETag` (a hash of the body) that an `If-None-Match` is
answered 304 on. Every other HTML page of a visitor with a session (a cart, a login), and
the buyer's and staff's own pages (cart, checkout, account, orders, back office, supplier
portal), are `private, no-store`.
"""

from __future__ import annotations

import hashlib
import time
from collections import OrderedDict
from functools import wraps

from flask import current_app, request, session

from i18n import current_locale

from .config import settings
from .markets import CHANNEL_COOKIE, COUNTRY_COOKIE
from .markets.guess import guessed_countries
from .mount import shop_path

MAX_PAGES = 1024
# Paths whose pages are one visitor's own, session or not (their first page included).
PERSONAL_PATHS = (
    "/admin",
    "/supplier",
    "/account",
    "/checkout",
    "/cart",
    "/orders",
    "/returns",
    "/quotes",
    "/login",
    "/logout",
    "/register",
    "/set-password",
    "/reset-password",
)


class PageCache:
    """Pages by key, each with its ETag (hashed once, when the page is kept)."""

    def __init__(self, max_pages: int = MAX_PAGES):
        self.max_pages = max_pages
        self._pages: OrderedDict[tuple, tuple[float, bytes, str]] = OrderedDict()

    def get(self, key: tuple) -> tuple[bytes, str] | None:
        entry = self._pages.get(key)
        if entry is None:
            return None
        expires, body, etag = entry
        if expires < time.monotonic():
            del self._pages[key]
            return None
        self._pages.move_to_end(key)
        return body, etag

    def put(self, key: tuple, body: bytes, seconds: float) -> str:
        """Keep the page `seconds`; its ETag."""
        etag = _etag(body)
        self._pages[key] = (time.monotonic() + seconds, body, etag)
        self._pages.move_to_end(key)
        while len(self._pages) > self.max_pages:
            self._pages.popitem(last=False)
        return etag

    def clear(self) -> None:
        self._pages.clear()


def _etag(body: bytes) -> str:
    return hashlib.blake2b(body, digest_size=16).hexdigest()


def page_key() -> tuple:
    """Everything an anonymous page depends on: the URL (host and scheme included, for the
    absolute links; the path names the product; the query a `?channel=` or `?locale=`), the
    language, and the market cookies that pick the channel, its currency and prices, tax
    display, and the country whose stock and delivery estimate a product page shows (the raw
    cookies: resolving the channel costs a query), or, before the buyer chose a country, the
    countries guessed from their language and the trusted country header. What a visitor's
    own session would change (a cart's count, a trade buyer's prices, a form token) never
    reaches a cached page: a session is served fresh."""
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
        if session or request.method != "GET":
            return view(*args, **kwargs)
        if not seconds:  # no page cache here; caches in front may still revalidate
            response = current_app.make_response(view(*args, **kwargs))
            if response.status_code == 200 and not session:
                return public(response, 0)
            return response
        cache: PageCache = current_app.extensions["page_cache"]
        key = page_key()
        kept = cache.get(key)
        if kept is not None:
            body, etag = kept
            page = current_app.response_class(body, mimetype="text/html")
            return public(page, seconds, etag)
        response = current_app.make_response(view(*args, **kwargs))
        # Rendering may have started a session (a flash, a form token): then it is personal.
        if response.status_code == 200 and not session:
            etag = cache.put(key, response.get_data(), seconds)
            return public(response, seconds, etag)
        return response

    return wrapper


def public(response, seconds: float, etag: str | None = None):
    """An anonymous page: shared caches may keep it `seconds` (revalidating by its ETag
    after that; every time when 0); a matching If-None-Match is answered 304. `etag`: the
    body's, when the page cache has it already."""
    response.cache_control.public = True
    if seconds:
        response.cache_control.s_maxage = int(seconds)
    else:
        response.cache_control.no_cache = True
    response.set_etag(etag or _etag(response.get_data()))
    return response.make_conditional(request)


def is_personal_path(path: str) -> bool:
    return any(path == p or path.startswith(p + "/") for p in PERSONAL_PATHS)


def private_pages(response):
    """A page made for one visitor is kept by no cache: `private, no-store`."""
    if response.mimetype != "text/html" or response.cache_control.public:
        return response
    if session or is_personal_path(shop_path()):
        response.cache_control.private = True
        response.cache_control.no_store = True
    return response


def init_app(setup) -> None:
    setup.app.extensions["page_cache"] = PageCache()
    (setup.app if setup.standalone else setup.blueprint).after_request(private_pages)
