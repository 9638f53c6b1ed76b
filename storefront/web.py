"""What every shop page shares: error pages, media files, CSRF, template helpers, and the
`Vary` header that keeps caches from sharing a page between visitors.

CSRF: every form post of the shop carries the form's token (Flask-WTF's, kept in the
session), except the forms on pages cached for anonymous visitors (`token_or_same_origin`:
the product page's add-to-cart form), whose page holds no token for a visitor without a
session, so that it starts no session and can be shared."""

from __future__ import annotations

from decimal import Decimal
from functools import lru_cache, wraps
from urllib.parse import urlsplit

from babel import numbers
from flask import Blueprint, Flask, abort, current_app, request, send_from_directory
from flask_babel import format_currency, get_locale, gettext
from flask_wtf.csrf import CSRFProtect, generate_csrf
from werkzeug.exceptions import HTTPException, default_exceptions

from channels.money import Money

from .config import settings
from .db import db
from .errors import error_response
from .mount import ShopSetup, render_template, shop_path, url_for
from .security_headers import init_security_headers


def format_money(money: Money) -> str:
    # Babel rounds half-even; Money rounds half-up first so display equals what is charged.
    rounded = money.rounded()
    locale = get_locale()
    if locale is None:
        return format_currency(rounded.amount, rounded.currency)
    return _formatted(rounded.amount, rounded.currency, str(locale))


@lru_cache(maxsize=8192)
def _formatted(amount: Decimal, currency: str, locale: str) -> str:
    """A price as the locale writes it, worked out once per process: a listing formats
    dozens (equal amounts format alike: the currency's digits are always shown)."""
    return numbers.format_currency(amount, currency, locale=locale)


csrf = CSRFProtect()


def money(amount: Decimal, currency: str) -> Money:
    return Money(amount, currency)


def page_url(number: int) -> str:
    """This page's URL with its filters kept and another page number."""
    args = request.args.to_dict()
    args["page"] = number
    return url_for(request.endpoint, **(request.view_args or {}), **args)


def wants_json() -> bool:
    return shop_path().startswith(("/api/", "/webhooks/"))


def vary_by_visitor(response):
    """An HTML page differs by visitor: the header's cart count, the signed-in name and the
    chosen country, currency and language come from cookies (the session among them), a
    first visit's language from Accept-Language, its country also from the trusted country
    header. Shared caches (a CDN, a proxy) must key on them, or serve one buyer's page to
    another; so must they for the Store API's public product list (its channel, language
    and prices come from the same). Other JSON and files are left alone."""
    if response.mimetype == "text/html" or response.cache_control.public:
        response.vary.add("Cookie")
        response.vary.add("Accept-Language")
        header = settings().get("COUNTRY_HEADER")
        if header:
            response.vary.add(header)
    return response


def http_error(error: HTTPException):
    if (error.code or 500) >= 500:
        # A failed statement left the transaction aborted; the page below queries again.
        db.session.rollback()
    if wants_json():
        return error_response(error.code, f"http_{error.code}", error.description)
    titles = {
        404: gettext("Page not found"),
        403: gettext("Not allowed"),
        400: gettext("Bad request"),
        405: gettext("Not allowed"),
    }
    return (
        render_template(
            "error.html",
            code=error.code,
            title=titles.get(error.code, error.name),
            message=error.description,
        ),
        error.code,
    )


def _check_csrf() -> None:
    # Mounted in a host without CSRFProtect of its own: the shop's forms are still checked,
    # the host's routes are left alone.
    if settings().get("WTF_CSRF_ENABLED", True):
        csrf.protect(apply_exemptions=True)


# Views let in by `token_or_same_origin`, as Flask-WTF names them ("module.function").
_SAME_ORIGIN_VIEWS: set[str] = set()


def token_or_same_origin(view):
    """A form post whose form may come from a page shared by anonymous visitors (cached,
    so without a token): let in with a valid CSRF token, as every other form, or without
    one when the browser itself says the post comes from the shop's own pages
    (`same_origin_post`). Anything else is refused as a missing or bad token always is
    (400, the shop's error page), before the view changes anything."""
    name = f"{view.__module__}.{view.__name__}"
    csrf.exempt(name)  # the shop's own check; a host's CSRFProtect is told in init_app
    _SAME_ORIGIN_VIEWS.add(name)

    @wraps(view)
    def checked(*args, **kwargs):
        if _csrf_enabled() and not same_origin_post():
            csrf.protect()  # the token's own check: raises CSRFError (400) without one
        return view(*args, **kwargs)

    return checked


def same_origin_post() -> bool:
    """Whether the browser says this request comes from a page of the shop's own origin.

    Fetch Metadata first: a browser that sends `Sec-Fetch-Site` has worked out where the
    request comes from, and only `same-origin` is let in (`same-site`, a sibling subdomain,
    is not the shop; `cross-site` and `none` are not a form of its pages). A browser without
    Fetch Metadata (older ones; plain http off localhost, where browsers send none) still
    sends `Origin` with every form post: it must be the shop's own, the request's scheme and
    host or PUBLIC_URL's (behind a proxy that hides the scheme). Neither header (a script,
    an old client) proves nothing: such a post needs the token. A page cannot forge either
    header: browsers set them."""
    fetch_site = request.headers.get("Sec-Fetch-Site")
    if fetch_site is not None:
        return fetch_site.strip().lower() == "same-origin"
    origin = (request.headers.get("Origin") or "").strip().lower()
    return bool(origin) and origin in _own_origins()


def _own_origins() -> set[str]:
    own = {f"{request.scheme}://{request.host}".lower()}
    public = settings().get("PUBLIC_URL")
    if public:
        parts = urlsplit(str(public))
        own.add(f"{parts.scheme}://{parts.netloc}".lower())
    return own


def _csrf_enabled() -> bool:
    """Whether form posts are checked: the setting of whichever CSRFProtect checks the
    shop's other forms (a host's own, or the shop's)."""
    checker = current_app.extensions.get("csrf")
    if checker is not None and checker is not csrf:
        return current_app.config.get("WTF_CSRF_ENABLED", True)
    return settings().get("WTF_CSRF_ENABLED", True)


def exempt_from_csrf(setup: ShopSetup, blueprint: Blueprint) -> None:
    """A blueprint whose callers sign their requests (API keys, Stripe, suppliers)."""
    csrf.exempt(blueprint)
    host_csrf = setup.app.extensions.get("csrf")
    if host_csrf is not None and host_csrf is not csrf:
        host_csrf.exempt(blueprint)


def init_app(setup: ShopSetup) -> None:
    app = setup.app
    init_security_headers(setup)
    if "csrf" not in app.extensions:
        if setup.standalone:
            csrf.init_app(app)  # the shop's own app: every form post is checked
        else:
            _csrf_defaults(app)
            setup.blueprint.before_request(_check_csrf)
    elif app.extensions["csrf"] is not csrf:
        for name in _SAME_ORIGIN_VIEWS:  # a host's CSRFProtect: these check themselves
            app.extensions["csrf"].exempt(name)
    env = setup.jinja_env
    env.filters["money"] = format_money
    env.globals["money"] = money
    env.globals["page_url"] = page_url
    env.globals["shop_name"] = setup.config["SHOP_NAME"]
    env.globals["csrf_token"] = generate_csrf

    @setup.blueprint.route("/media/<path:filename>")
    def media(filename: str):
        return send_from_directory(settings()["MEDIA_FOLDER"], filename, max_age=86400)

    (app if setup.standalone else setup.blueprint).after_request(vary_by_visitor)
    setup.errorhandler(HTTPException)(http_error)
    for code in default_exceptions:  # a host's handler for a code would otherwise come first
        setup.errorhandler(code)(http_error)
    if not setup.standalone:
        # Mounted: a URL under the prefix that no shop route matches is still the shop's
        # (its page, or the API's JSON error), not the host's 404.
        setup.blueprint.add_url_rule("/<path:_>", "not_found", _not_found, methods=["GET"])
        setup.blueprint.add_url_rule(
            "/api/<path:_>", "api_not_found", _not_found, methods=_API_METHODS
        )


_API_METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"]


def _not_found(_: str):
    abort(404)


def _csrf_defaults(app: Flask) -> None:
    """The settings Flask-WTF reads, as its own init_app would set them, without its
    app-wide check (which would refuse a host's own form posts)."""
    app.extensions["csrf"] = csrf
    app.config.setdefault("WTF_CSRF_ENABLED", True)
    app.config.setdefault("WTF_CSRF_CHECK_DEFAULT", True)
    app.config["WTF_CSRF_METHODS"] = set(
        app.config.get("WTF_CSRF_METHODS", ["POST", "PUT", "PATCH", "DELETE"])
    )
    app.config.setdefault("WTF_CSRF_FIELD_NAME", "csrf_token")
    app.config.setdefault("WTF_CSRF_HEADERS", ["X-CSRFToken", "X-CSRF-Token"])
    app.config.setdefault("WTF_CSRF_TIME_LIMIT", 3600)
    app.config.setdefault("WTF_CSRF_SSL_STRICT", True)


def init_standalone(app: Flask) -> None:
    """The shop's own app: its error page also for URLs no route matches."""
    app.register_error_handler(HTTPException, http_error)
