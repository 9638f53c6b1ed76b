"""A short-lived, per-process cache of whole pages for anonymous visitors.

The home page, listings, search and product pages are the same for every visitor without
a session (and the same market and language: `page_key`), so they are rendered once per
few seconds per worker. A guest with a cart (a session holding nothing else) gets these
pages kept for their market the same way, apart from the anonymous ones, with their own
cart count and form token filled in (`guest_page`); a signed-in visitor, a message waiting
to be shown, or anything else in the session is always served fresh. Prices on
cached pages are re-checked in the cart and at
checkout, so a few seconds of staleness never reaches what a buyer pays. A product page's
stock and delivery estimate are the same trade-off as a listing's: an option still shown
in stock a few seconds after it sold out shows as out of stock in the cart, and checkout
holds the stock it sells.

A cached page starts no session: the product page's add-to-cart form carries no CSRF token
for a visitor without one (the token lives in the session), and the cart lets its post in
when the browser says it comes from the shop's own pages (web.py, `token_or_same_origin`).

A repeat request for a kept page does not even reach Flask: `AnonymousPages`, around the
app's WSGI callable, answers it with the whole answer kept (headers and all), which serves
it several times faster than the app's request handling could.

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

from flask import current_app, g, request, session
from werkzeug.http import parse_etags, unquote_etag

from i18n import current_locale

from .config import settings
from .markets import CHANNEL_COOKIE, COUNTRY_COOKIE
from .markets.guess import guessed_countries
from .mount import shop_path, state

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
    """Pages by key for a few seconds each: the view's (body and ETag) and the WSGI layer's
    (the whole answer); the least recently used leave first."""

    def __init__(self, max_pages: int = MAX_PAGES):
        self.max_pages = max_pages
        self._pages: OrderedDict[tuple, tuple[float, object]] = OrderedDict()

    def find(self, key: tuple):
        entry = self._pages.get(key)
        if entry is None:
            return None
        expires, value = entry
        if expires < time.monotonic():
            del self._pages[key]
            return None
        self._pages.move_to_end(key)
        return value

    def keep(self, key: tuple, value, seconds: float) -> None:
        self._pages[key] = (time.monotonic() + seconds, value)
        self._pages.move_to_end(key)
        while len(self._pages) > self.max_pages:
            self._pages.popitem(last=False)

    def get(self, key: tuple) -> tuple[bytes, str, str] | None:
        """A page's body, ETag and mimetype."""
        return self.find(key)

    def put(self, key: tuple, body: bytes, seconds: float, mimetype: str = "text/html") -> str:
        """Keep the page `seconds`; its ETag (hashed once, here)."""
        etag = _etag(body)
        self.keep(key, (body, etag, mimetype), seconds)
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


def cached_page(view=None, *, guests: bool = False):
    """Serve the view from the page cache when the visitor has no session (and, for the
    Store API's product list, sends no Authorization header). `guests=True`: a guest with
    a cart gets it too, with their own cart count (`guest_page`)."""
    if view is None:
        return lambda view: cached_page(view, guests=guests)

    @wraps(view)
    def wrapper(*args, **kwargs):
        seconds = settings()["LISTING_CACHE_SECONDS"]
        if request.method != "GET" or "Authorization" in request.headers:
            return view(*args, **kwargs)
        if session:
            if guests and seconds and session.keys() <= GUEST_KEYS:
                return guest_page(view, args, kwargs, seconds)
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
            body, etag, mimetype = kept
            page = current_app.response_class(body, mimetype=mimetype)
            request.environ[KEEP_WHOLE] = seconds
            return public(page, seconds, etag)
        response = current_app.make_response(view(*args, **kwargs))
        # Rendering may have started a session (a flash, a form token): then it is personal.
        if response.status_code == 200 and not session:
            etag = cache.put(key, response.get_data(), seconds, response.mimetype)
            request.environ[KEEP_WHOLE] = seconds
            return public(response, seconds, etag)
        return response

    return wrapper


# A guest's session holding nothing but these (a cart, a form token, Flask's own marks:
# no sign-in, no message waiting, no order looked up) changes nothing on a home page,
# listing or search results but the header's cart count.
GUEST_KEYS = frozenset({"cart_id", "csrf_token", "_fresh", "_permanent"})
_COUNT = '<span class="cart-count">{}</span>'
_HOLE = _COUNT.format("\x00").encode()  # a NUL: never in a page (request_checks refuses it)


_TOKEN_HOLE = b"\x00form-token\x00"


def guest_page(view, args, kwargs, seconds: float):
    """The page a guest with a cart sees: kept a few seconds per market and language
    (`page_key`, apart from the anonymous pages) with holes where the cart count and, on
    a product page, the add-to-cart form's CSRF token go, filled with this guest's. It
    stays `private, no-store` (a session's page)."""
    cache: PageCache = current_app.extensions["page_cache"]
    key = ("guest", *page_key())
    helpers = state().jinja_env.globals
    shown = _COUNT.format(helpers["cart_count"]()).encode()
    kept = cache.find(key)
    if kept is not None:
        body = kept.replace(_HOLE, shown)
        if _TOKEN_HOLE in body:
            body = body.replace(_TOKEN_HOLE, helpers["csrf_token"]().encode())
        return current_app.response_class(body, mimetype="text/html")
    response = current_app.make_response(view(*args, **kwargs))
    if response.status_code == 200 and session.keys() <= GUEST_KEYS:
        body = response.get_data()
        token = g.get(current_app.config.get("WTF_CSRF_FIELD_NAME", "csrf_token"))
        if token:  # the page has a form with this guest's token
            if body.count(token.encode()) != 1:
                return response
            body = body.replace(token.encode(), _TOKEN_HOLE)
        if body.count(b'class="cart-count"') == 1 and body.count(shown) == 1:
            cache.keep(key, body.replace(shown, _HOLE), seconds)
    return response


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


KEEP_WHOLE = "storefront.page_cache.seconds"  # set by cached_page: AnonymousPages may keep it
_KEY_HEADERS = (  # all that can change an anonymous page, as the request brought it
    "wsgi.url_scheme",
    "HTTP_HOST",
    "SERVER_NAME",
    "SERVER_PORT",
    "SCRIPT_NAME",
    "PATH_INFO",
    "QUERY_STRING",
    "HTTP_COOKIE",  # the language, channel and country cookies (and any other)
    "HTTP_ACCEPT_LANGUAGE",
    "HTTP_X_FORWARDED_HOST",
    "HTTP_X_FORWARDED_PROTO",
    "HTTP_X_FORWARDED_PORT",
    "HTTP_X_FORWARDED_PREFIX",
)


class AnonymousPages:
    """The page cache in front of Flask: a request for a page `cached_page` has kept is
    answered from the whole answer kept (status, headers, body) before the app's request
    handling runs (its hooks alone cost more than answering). Only GETs without a session
    or remember-me cookie; the key is the request's own address, cookies, languages and
    forwarding and country headers, a finer key than `page_key` (a visitor's other cookies
    make their own copies), so what the app would answer is what is kept. Answers that set
    a cookie or are not 200 are never kept; an If-None-Match of the kept ETag is answered
    304. Anything else goes to the app untouched."""

    def __init__(self, app, wsgi_app):
        self.app, self.wsgi_app = app, wsgi_app

    def __call__(self, environ, start_response):
        if environ.get("REQUEST_METHOD") != "GET" or self._personal(environ):
            return self.wsgi_app(environ, start_response)
        shop_settings = self.app.extensions["storefront"].settings
        seconds = shop_settings["LISTING_CACHE_SECONDS"]
        if not seconds:
            return self.wsgi_app(environ, start_response)
        cache: PageCache = self.app.extensions["page_cache"]
        country = shop_settings.get("COUNTRY_HEADER")
        key = ("whole", *(environ.get(name) for name in _KEY_HEADERS), _header(environ, country))
        kept = cache.find(key)
        if kept is not None:
            return _answer(kept, environ, start_response)
        answered: list = []

        def capture(status, headers, exc_info=None):
            answered[:] = [status, headers]
            return start_response(status, headers, exc_info)

        body = self.wsgi_app(environ, capture)
        kept_for = environ.get(KEEP_WHOLE)
        if not kept_for or not answered or not answered[0].startswith("200 "):
            return body
        if any(name.lower() == "set-cookie" for name, _ in answered[1]):
            return body
        try:
            data = b"".join(body)
        finally:
            if hasattr(body, "close"):
                body.close()
        etag = next((v for n, v in answered[1] if n.lower() == "etag"), None)
        cache.keep(key, (answered[0], list(answered[1]), data, etag), kept_for)
        return [data]

    def _personal(self, environ) -> bool:
        if "HTTP_AUTHORIZATION" in environ:  # an API caller with its key or cart token
            return True
        cookies = environ.get("HTTP_COOKIE")
        if not cookies:
            return False
        config = self.app.config
        names = (
            config["SESSION_COOKIE_NAME"],
            config.get("REMEMBER_COOKIE_NAME", "remember_token"),
        )
        return any(f"{name}=" in cookies for name in names)


def _header(environ, name: str | None) -> str | None:
    return environ.get("HTTP_" + name.upper().replace("-", "_")) if name else None


def _answer(kept, environ, start_response):
    status, headers, data, etag = kept
    asked = environ.get("HTTP_IF_NONE_MATCH")
    if etag and asked and parse_etags(asked).contains_weak(unquote_etag(etag)[0]):
        unchanged = [(n, v) for n, v in headers if n.lower() not in _NOT_IN_304]
        start_response("304 NOT MODIFIED", unchanged)
        return [b""]
    start_response(status, headers)
    return [data]


_NOT_IN_304 = {"content-length", "content-type"}


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
    setup.app.wsgi_app = AnonymousPages(setup.app, setup.app.wsgi_app)
    (setup.app if setup.standalone else setup.blueprint).after_request(private_pages)
