"""Security headers on every response of the shop (pages, back office, API, static files):
a Content-Security-Policy with a per-response nonce for the few inline scripts and styles,
no framing, no MIME sniffing, a strict referrer policy, and HSTS outside demo and tests.

Set on the shop's blueprint only when mounted, so a host's own pages keep their headers.
"""

from __future__ import annotations

import secrets
from urllib.parse import urlsplit

from flask import Flask, Response, g, request

from .config import settings
from .mount import ShopSetup

# What a page that loads a payment script also needs from the same provider.
_COMPANIONS = {
    "https://js.stripe.com": {
        "connect-src": ("https://api.stripe.com",),
        "frame-src": ("https://js.stripe.com", "https://hooks.stripe.com"),
    },
}


def csp_nonce() -> str:
    """The nonce of this response's inline `<script>` and `<style>` elements."""
    if "csp_nonce" not in g:
        g.csp_nonce = secrets.token_urlsafe(16)
    return g.csp_nonce


def csp_allow(url: str) -> str:
    """Allow this page to load a script from `url`'s origin (and what that script needs to
    reach and frame there); returns `url`, for `<script src="{{ csp_allow(url) }}">`."""
    parts = urlsplit(url)
    if parts.scheme in ("http", "https") and parts.netloc:
        g.setdefault("csp_origins", set()).add(f"{parts.scheme}://{parts.netloc}")
    return url


def csp_inline_styles() -> str:
    """Let this page's styles be inline: only for showing an e-mail's own HTML in a
    sandboxed `srcdoc` frame (no scripts run there), which inherits the page's policy."""
    g.csp_inline_styles = True
    return ""


def content_security_policy() -> str:
    sources = {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "frame-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
    if "csp_nonce" in g:
        sources["script-src"].append(f"'nonce-{g.csp_nonce}'")
    if g.get("csp_inline_styles"):
        sources["style-src"].append("'unsafe-inline'")  # a nonce beside it would void it
    elif "csp_nonce" in g:
        sources["style-src"].append(f"'nonce-{g.csp_nonce}'")
    for origin in sorted(g.get("csp_origins", ())):
        for directive in ("script-src", "connect-src", "frame-src"):
            sources[directive].append(origin)
        for directive, extra in _COMPANIONS.get(origin, {}).items():
            sources[directive].extend(s for s in extra if s not in sources[directive])
    return "; ".join(f"{name} {' '.join(values)}" for name, values in sources.items())


def add_security_headers(response: Response) -> Response:
    headers = response.headers
    headers.setdefault("Content-Security-Policy", content_security_policy())
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
    config = settings()
    if request.is_secure or not (config["DEMO"] or config["TESTING"]):
        headers.setdefault(
            "Strict-Transport-Security", f"max-age={config['HSTS_SECONDS']}; includeSubDomains"
        )
    return response


def init_security_headers(setup: ShopSetup) -> None:
    setup.jinja_env.globals.update(
        csp_nonce=csp_nonce, csp_allow=csp_allow, csp_inline_styles=csp_inline_styles
    )
    if setup.standalone:
        app: Flask = setup.app  # also the pages no route matched
        app.after_request(add_security_headers)
    else:
        setup.blueprint.after_request(add_security_headers)
