"""The shop's pages as absolute public URLs: the one way to build a link that leaves the
page it is on (mails, canonical and hreflang links, the sitemap, robots.txt, Open Graph and
JSON-LD images of the media folder). PUBLIC_URL when it is set, else the request's host."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import current_app, has_request_context, request

from .config import settings
from .mount import BLUEPRINT, url_for

FALLBACK_BASE = "http://localhost"


def public_base() -> str:
    """Where buyers reach the shop: PUBLIC_URL, else this request's host, else localhost."""
    configured = settings().get("PUBLIC_URL")
    if configured:
        return str(configured).rstrip("/")
    if has_request_context():
        return request.host_url.rstrip("/")
    return FALLBACK_BASE


def absolute_url(endpoint: str, **values) -> str:
    """The shop's `endpoint` (under its mount prefix) as a full URL on its public address."""
    if has_request_context() and not settings().get("PUBLIC_URL"):
        return url_for(endpoint, _external=True, **values)
    base = urlsplit(public_base())
    if not endpoint.startswith(BLUEPRINT + "."):
        endpoint = f"{BLUEPRINT}.{endpoint}"
    adapter = current_app.url_map.bind(
        base.netloc, script_name=base.path or "/", url_scheme=base.scheme or "http"
    )
    return adapter.build(endpoint, values, force_external=True)
