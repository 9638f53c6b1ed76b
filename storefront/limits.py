"""Rate limits on what a hostile client repeats: cart creation, checkout, the supplier and
admin APIs (issue #14). Flask-Limiter counts per client address, in Redis when
`REDIS_URL` is set (so every app server and machine shares the counts), else in memory.

Limits are on by default, demo mode included, and 127.0.0.1 is counted like any client.
Behind a proxy, `TRUSTED_PROXIES` says how many proxies set X-Forwarded-For, so the
client's address is read from it (the shop's own app wraps itself in Werkzeug's ProxyFix;
a host app mounting the shop sets up its own). Only the shop's routes are limited: a host's
routes never meet these limits.
"""

from __future__ import annotations

import logging
import math
import time

from flask import Flask, current_app, request, session
from flask_babel import gettext
from flask_limiter import Limiter
from flask_limiter.errors import RateLimitExceeded
from limits import parse_many
from werkzeug.middleware.proxy_fix import ProxyFix

from .cart import SESSION_KEY as CART_SESSION_KEY
from .config import ConfigError, settings
from .errors import error_response
from .mount import BLUEPRINT, ShopSetup, render_template
from .web import wants_json

log = logging.getLogger(__name__)

EXTENSION = "storefront_limits"
CART_CREATION = ("api.create_cart", "cart.add")
CHECKOUT = ("api.checkout", "checkout.place")
SUPPLIER_API = "/api/v1/supplier/"
ADMIN_API = "/api/v1/admin/"


def client_address() -> str:
    """Who a limit counts: the client's address (as ProxyFix read it behind a proxy)."""
    return request.remote_addr or "unknown"


def _has_cart() -> bool:
    """The page's add-to-cart creates a cart only on the first add: later adds are free."""
    return isinstance(session.get(CART_SESSION_KEY), str)


def check_settings(cfg) -> None:
    """ConfigError for a limit Flask-Limiter cannot read or a bad proxy count."""
    proxies = cfg["TRUSTED_PROXIES"]
    if isinstance(proxies, bool) or not isinstance(proxies, int) or not 0 <= proxies <= 5:
        raise ConfigError(f"TRUSTED_PROXIES must be a number of proxies, 0 to 5: {proxies!r}")
    for name in ("CART_CREATION", "CHECKOUT", "SUPPLIER_API", "ADMIN_API"):
        key = f"RATE_LIMIT_{name}"
        try:
            parse_many(str(cfg[key]))
        except ValueError:
            raise ConfigError(
                f'{key} must be a rate such as "20 per minute" or "5/second; 100/hour": '
                f"{cfg[key]!r}"
            ) from None


def init_app(setup: ShopSetup) -> None:
    """The limiter and the shop's 429 answers; `limit_routes` then limits the routes."""
    app, cfg = setup.app, setup.config
    check_settings(cfg)
    if setup.standalone and cfg["TRUSTED_PROXIES"]:
        hops = cfg["TRUSTED_PROXIES"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)
    limiter = Limiter(
        key_func=client_address,
        storage_uri=cfg["REDIS_URL"] or "memory://",
        key_prefix=cfg["RATE_LIMIT_KEY_PREFIX"],
        strategy="fixed-window",
        headers_enabled=False,  # it would put Retry-After on every answer; 429s get their own
        # Redis gone: each process counts in memory until it answers again, never a 500.
        in_memory_fallback_enabled=True,
        storage_options={"socket_connect_timeout": 1, "socket_timeout": 1}
        if cfg["REDIS_URL"]
        else {},
    )
    limiter.init_app(app)
    app.extensions[EXTENSION] = limiter
    setup.errorhandler(RateLimitExceeded)(too_many_requests)


def limit_routes(app: Flask) -> None:
    """Put the limits on the shop's routes, once its blueprint is in the app."""
    limiter = app.extensions[EXTENSION]
    _limit(app, limiter, CART_CREATION, "CART_CREATION")
    _limit(app, limiter, CHECKOUT, "CHECKOUT")
    prefix = app.extensions["storefront"].url_prefix
    for path, key in ((SUPPLIER_API, "SUPPLIER_API"), (ADMIN_API, "ADMIN_API")):
        endpoints = [
            rule.endpoint.removeprefix(BLUEPRINT + ".")
            for rule in app.url_map.iter_rules()
            if rule.rule.startswith(prefix + path) and rule.endpoint.startswith(BLUEPRINT + ".")
        ]
        _limit(app, limiter, endpoints, key)


def _limit(app: Flask, limiter: Limiter, endpoints, name: str) -> None:
    # One count per client across the scope's routes (the API's and the page's cart
    # creation); the rate is read from the settings on each request.
    shared = limiter.shared_limit(
        lambda: settings()[f"RATE_LIMIT_{name}"],
        scope=name.lower(),
        exempt_when=lambda: request.endpoint == f"{BLUEPRINT}.cart.add" and _has_cart(),
    )
    for endpoint in endpoints:
        full = f"{BLUEPRINT}.{endpoint}"
        limited = app.view_functions[full] = shared(app.view_functions[full])
        limited.rate_limited = True  # the OpenAPI document names its 429


def retry_after() -> int:
    """Seconds until the breached limit's window opens again (at least 1)."""
    limit = current_app.extensions[EXTENSION].current_limit
    if limit is None:
        return 1
    return max(1, math.ceil(limit.reset_at - time.time()))


def too_many_requests(error: RateLimitExceeded):
    log.warning("rate limit %s reached by %s at %s", error.limit.limit, client_address(),
                request.path)  # fmt: skip
    message = gettext("Too many requests from your address. Please wait a moment and try again.")
    if wants_json():
        response = error_response(429, "rate_limited", message)
    else:
        page = render_template(
            "error.html", code=429, title=gettext("Too many requests"), message=message
        )
        response = (page, 429)
    return response[0], 429, {"Retry-After": str(retry_after())}
