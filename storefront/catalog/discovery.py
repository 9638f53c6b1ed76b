"""What search engines and link previews find: `/robots.txt`, `/sitemap.xml` (split into
a sitemap index past SITEMAP_MAX_URLS, the sitemaps.org limit), `/favicon.ico`, and each
buyer page's canonical URL and language alternates.

A locale's version of a page is the page with `?locale=<code>` (what `i18n.select_locale`
reads first); the URL without it is `x-default`, served in the visitor's own language.
"""

from __future__ import annotations

import os
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass

from babel import Locale
from babel.core import get_global
from flask import Blueprint, Response, abort, request, send_from_directory
from sqlalchemy import func, select

from i18n import SUPPORTED_LOCALES, current_locale

from ..config import settings
from ..db import db
from ..mail.operations import absolute_url
from ..mount import HERE, url_for
from . import queries
from .tables import Product

bp = Blueprint("discovery", __name__)

SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
XHTML_NS = "http://www.w3.org/1999/xhtml"
ET.register_namespace("", SITEMAP_NS)
ET.register_namespace("xhtml", XHTML_NS)

# The buyer pages worth indexing, and the query arguments that make another page of them
# (filters are left out: a filtered listing is the same page, narrowed).
INDEXED_PAGES = {"catalog.home": (), "catalog.category": ("page",), "catalog.product": ()}

# Paths no crawler needs: the back office, the supplier portal, a buyer's own pages.
PRIVATE_PATHS = (
    "/admin",
    "/supplier",
    "/account",
    "/checkout",
    "/cart",
    "/api/",
    "/orders/",
    "/login",
    "/logout",
    "/set-password",
    "/preferences",
    "/webhooks/",
)


def hreflang(locale: str) -> str:
    """A locale as a BCP 47 tag: zh_Hans -> zh-Hans."""
    return locale.replace("_", "-")


def og_locale(locale: str) -> str:
    """A locale as Open Graph writes it (language_TERRITORY), its likeliest territory:
    de -> de_DE, ja -> ja_JP, zh_Hans -> zh_CN."""
    subtags = get_global("likely_subtags")
    likely = subtags.get(locale) or subtags.get(locale.split("_")[0], locale)
    parsed = Locale.parse(likely)
    return f"{parsed.language}_{parsed.territory}" if parsed.territory else parsed.language


def locale_urls(endpoint: str, values: dict) -> dict[str, str]:
    """{hreflang: absolute URL} of a page in each locale the shop serves, and x-default."""
    urls = {
        hreflang(locale): absolute_url(endpoint, **values, locale=locale)
        for locale in SUPPORTED_LOCALES
    }
    urls["x-default"] = absolute_url(endpoint, **values)
    return urls


@dataclass(frozen=True)
class PageLinks:
    canonical: str
    alternates: dict[str, str]  # hreflang -> URL, x-default included
    og_locale: str
    og_alternate_locales: list[str]


def page_links() -> PageLinks | None:
    """This request's canonical URL and alternates, on the pages worth indexing."""
    endpoint = (request.endpoint or "").removeprefix("storefront.")
    kept = INDEXED_PAGES.get(endpoint)
    if kept is None:
        return None
    values = dict(request.view_args or {})
    for name in kept:
        value = request.args.get(name)
        if value and not (name == "page" and value == "1"):
            values[name] = value
    locale = current_locale()
    alternates = locale_urls(endpoint, values)
    return PageLinks(
        canonical=alternates[hreflang(locale)],
        alternates=alternates,
        og_locale=og_locale(locale),
        og_alternate_locales=[og_locale(other) for other in SUPPORTED_LOCALES if other != locale],
    )


def _shop_root() -> str:
    """The shop's path under its mount prefix (and the app's script root), without the `/`."""
    return url_for("catalog.home").rstrip("/")


@bp.get("/robots.txt")
def robots():
    root = _shop_root()
    lines = ["User-agent: *", f"Allow: {root}/"]
    lines += [f"Disallow: {root}{path}" for path in PRIVATE_PATHS]
    lines.append(f"Sitemap: {absolute_url('discovery.sitemap')}")
    return Response("\n".join(lines) + "\n", mimetype="text/plain")


# --- the sitemap -------------------------------------------------------------------------


def _units_per_file() -> int:
    """Pages per sitemap file: each page is one <url> per locale."""
    return max(1, int(settings()["SITEMAP_MAX_URLS"]) // len(SUPPORTED_LOCALES))


def _published():
    return Product.is_published.is_(True)


def _fixed_pages() -> list[tuple[str, dict]]:
    pages = [("catalog.home", {})]
    pages += [("catalog.category", {"slug": c.slug}) for c in queries.categories()]
    return pages


def _page_count(fixed: list) -> int:
    return len(fixed) + db.session.scalar(select(func.count(Product.id)).where(_published()))


def _pages(fixed: list, offset: int, limit: int) -> Iterator[tuple[str, dict]]:
    """Pages `offset` to `offset + limit`: home and categories first, then products."""
    yield from fixed[offset : offset + limit]
    taken = max(0, min(len(fixed), offset + limit) - offset)
    if taken >= limit:
        return
    slugs = db.session.scalars(
        select(Product.slug)
        .where(_published())
        .order_by(Product.id)
        .offset(max(0, offset - len(fixed)))
        .limit(limit - taken)
    )
    for slug in slugs:
        yield "catalog.product", {"slug": slug}


def _xml(root: ET.Element) -> Response:
    body = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    return Response(body, mimetype="application/xml")


def _urlset(pages: Iterator[tuple[str, dict]]) -> Response:
    urlset = ET.Element(f"{{{SITEMAP_NS}}}urlset")
    for endpoint, values in pages:
        alternates = locale_urls(endpoint, values)
        for locale in SUPPORTED_LOCALES:
            url = ET.SubElement(urlset, f"{{{SITEMAP_NS}}}url")
            ET.SubElement(url, f"{{{SITEMAP_NS}}}loc").text = alternates[hreflang(locale)]
            for lang, href in alternates.items():
                ET.SubElement(
                    url,
                    f"{{{XHTML_NS}}}link",
                    {"rel": "alternate", "hreflang": lang, "href": href},
                )
    return _xml(urlset)


@bp.get("/sitemap.xml")
def sitemap():
    """Every page in every locale; past the limit, an index of the numbered files."""
    fixed = _fixed_pages()
    total, per_file = _page_count(fixed), _units_per_file()
    if total <= per_file:
        return _urlset(_pages(fixed, 0, total))
    index = ET.Element(f"{{{SITEMAP_NS}}}sitemapindex")
    for number in range(1, -(-total // per_file) + 1):
        entry = ET.SubElement(index, f"{{{SITEMAP_NS}}}sitemap")
        ET.SubElement(entry, f"{{{SITEMAP_NS}}}loc").text = absolute_url(
            "discovery.sitemap_part", number=number
        )
    return _xml(index)


@bp.get("/sitemap-<int:number>.xml")
def sitemap_part(number: int):
    fixed = _fixed_pages()
    total, per_file = _page_count(fixed), _units_per_file()
    offset = (number - 1) * per_file
    if number < 1 or offset >= total:
        abort(404)
    return _urlset(_pages(fixed, offset, per_file))


@bp.get("/favicon.ico")
def favicon():
    return send_from_directory(
        os.path.join(HERE, "static"), "favicon.ico", mimetype="image/x-icon", max_age=86400
    )
