"""What search engines and link previews find: `/robots.txt`, `/sitemap.xml` (split into
a sitemap index past SITEMAP_MAX_URLS, the sitemaps.org limit), `/favicon.ico`, and each
buyer page's canonical URL and language alternates.

Pages of features beside the catalog (the legal pages) join through `indexed_pages`.
Every absolute URL here, and the images' in `structured_data`, comes from
`links.absolute_url`: the shop's PUBLIC_URL when set, else the request's host.

A locale's version of a page is the page with `?locale=<code>` (what `i18n.select_locale`
reads first); the URL without it is `x-default`, served in the visitor's own language.
"""

from __future__ import annotations

import hashlib
import io
import os
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import urlencode
from xml.sax.saxutils import XMLGenerator
from xml.sax.xmlreader import AttributesNSImpl

from babel import Locale
from babel.core import get_global
from flask import Blueprint, Response, abort, request, stream_with_context
from sqlalchemy import func, select

from i18n import SUPPORTED_LOCALES, current_locale

from ..config import settings
from ..db import db
from ..indexed_pages import indexed_pages
from ..links import absolute_url
from ..mount import HERE, url_for
from . import queries
from .tables import Product

bp = Blueprint("discovery", __name__)

SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
XHTML_NS = "http://www.w3.org/1999/xhtml"

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


@lru_cache(maxsize=64)
def og_locale(locale: str) -> str:
    """A locale as Open Graph writes it (language_TERRITORY), its likeliest territory:
    de -> de_DE, ja -> ja_JP, zh_Hans -> zh_CN."""
    subtags = get_global("likely_subtags")
    likely = subtags.get(locale) or subtags.get(locale.split("_")[0], locale)
    parsed = Locale.parse(likely)
    return f"{parsed.language}_{parsed.territory}" if parsed.territory else parsed.language


def locale_urls(endpoint: str, values: dict) -> dict[str, str]:
    """{hreflang: absolute URL} of a page in each locale the shop serves, and x-default
    (the page's URL built once: a sitemap builds hundreds of thousands)."""
    bare = absolute_url(endpoint, **values)
    joint = "&" if "?" in bare else "?"
    urls = {
        hreflang(locale): f"{bare}{joint}{urlencode({'locale': locale})}"
        for locale in SUPPORTED_LOCALES
    }
    urls["x-default"] = bare
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
    values = dict(request.view_args or {})
    kept = INDEXED_PAGES.get(endpoint)
    if kept is None:
        if values not in indexed_pages().get(endpoint, ()):
            return None
        kept = ()
    for name in kept:
        value = request.args.get(name, "")
        if name == "page" and not (value.isdigit() and int(value) > 1):
            continue  # the first page is the page itself; junk is no page
        if value:
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

MAX_SITEMAP_BYTES = 50 * 1024 * 1024  # sitemaps.org: a file is at most 50 MB uncompressed
_LINK_MARKUP = len('<xhtml:link rel="alternate" hreflang="zh-Hans" href="" />')


def _units_per_file() -> int:
    """Pages per sitemap file, each page one <url> per locale: at most SITEMAP_MAX_URLS URLs,
    and under 50 MB even if every slug were as long as a slug may be."""
    locales = len(SUPPORTED_LOCALES)
    longest = max(
        len(url)
        for url in locale_urls(
            "catalog.product", {"slug": "x" * Product.__table__.c.slug.type.length}
        ).values()
    )
    entry = len("<url><loc></loc></url>") + longest + (locales + 1) * (_LINK_MARKUP + longest)
    by_count = int(settings()["SITEMAP_MAX_URLS"]) // locales
    by_size = (MAX_SITEMAP_BYTES - 1024) // (entry * locales)
    return max(1, min(by_count, by_size))


def _published():
    return Product.is_published.is_(True)


def _fixed_pages() -> list[tuple[str, dict]]:
    pages = [("catalog.home", {})]
    pages += [("catalog.category", {"slug": c.slug}) for c in queries.categories()]
    pages += [(endpoint, values) for endpoint, each in indexed_pages().items() for values in each]
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
        .execution_options(yield_per=1000)
    )
    for slug in slugs:
        yield "catalog.product", {"slug": slug}


class _Chunks(io.StringIO):
    """What the XML writer wrote since the last `take()`."""

    def take(self) -> str:
        text = self.getvalue()
        self.seek(0)
        self.truncate()
        return text


def _urlset(pages: Iterator[tuple[str, dict]]) -> Iterator[str]:
    """A <urlset>, streamed a page (its <url> in each locale) at a time, written by the
    standard library's XML writer (escaping and namespaces are its business)."""
    out = _Chunks()
    xml = XMLGenerator(out, encoding="utf-8", short_empty_elements=True)
    xml.startDocument()
    xml.startPrefixMapping(None, SITEMAP_NS)
    xml.startPrefixMapping("xhtml", XHTML_NS)
    xml.startElementNS((SITEMAP_NS, "urlset"), "urlset", AttributesNSImpl({}, {}))
    yield out.take()
    for endpoint, values in pages:
        alternates = locale_urls(endpoint, values)
        for locale in SUPPORTED_LOCALES:
            _element(xml, "url")
            _element(xml, "loc", alternates[hreflang(locale)])
            for lang, href in alternates.items():
                attributes = {(None, "rel"): "alternate", (None, "hreflang"): lang,
                              (None, "href"): href}  # fmt: skip
                xml.startElementNS((XHTML_NS, "link"), "xhtml:link", _attributes(attributes))
                xml.endElementNS((XHTML_NS, "link"), "xhtml:link")
            xml.endElementNS((SITEMAP_NS, "url"), "url")
        yield out.take()
    xml.endElementNS((SITEMAP_NS, "urlset"), "urlset")
    xml.endDocument()
    yield out.take()


def _attributes(values: dict) -> AttributesNSImpl:
    return AttributesNSImpl(values, {key: key[1] for key in values})


def _element(xml: XMLGenerator, name: str, text: str | None = None) -> None:
    """Open a sitemap element; with `text`, write it and close the element."""
    xml.startElementNS((SITEMAP_NS, name), name, _attributes({}))
    if text is not None:
        xml.characters(text)
        xml.endElementNS((SITEMAP_NS, name), name)


def _xml_response(chunks: Iterator[str]) -> Response:
    return Response(
        stream_with_context(chunk.encode() for chunk in chunks), mimetype="application/xml"
    )


def _index(files: int) -> Iterator[str]:
    out = _Chunks()
    xml = XMLGenerator(out, encoding="utf-8")
    xml.startDocument()
    xml.startPrefixMapping(None, SITEMAP_NS)
    _element(xml, "sitemapindex")
    for number in range(1, files + 1):
        _element(xml, "sitemap")
        _element(xml, "loc", absolute_url("discovery.sitemap_part", number=number))
        xml.endElementNS((SITEMAP_NS, "sitemap"), "sitemap")
    xml.endElementNS((SITEMAP_NS, "sitemapindex"), "sitemapindex")
    xml.endDocument()
    yield out.take()


@bp.get("/sitemap.xml")
def sitemap():
    """Every page in every locale; past the limits, an index of the numbered files."""
    fixed = _fixed_pages()
    total, per_file = _page_count(fixed), _units_per_file()
    if total <= per_file:
        return _xml_response(_urlset(_pages(fixed, 0, total)))
    return _xml_response(_index(-(-total // per_file)))


@bp.get("/sitemap-<int:number>.xml")
def sitemap_part(number: int):
    fixed = _fixed_pages()
    total, per_file = _page_count(fixed), _units_per_file()
    offset = (number - 1) * per_file
    if number < 1 or offset >= total:
        abort(404)
    return _xml_response(_urlset(_pages(fixed, offset, per_file)))


@lru_cache(maxsize=1)
def _favicon() -> bytes:
    with open(os.path.join(HERE, "static", "favicon.ico"), "rb") as icon:
        return icon.read()


@bp.get("/favicon.ico")
def favicon():
    """The icon, read once per process (no file is left open by a browser that hangs up)."""
    response = Response(_favicon(), mimetype="image/x-icon")
    response.cache_control.public = True
    response.cache_control.max_age = 86400
    response.set_etag(hashlib.blake2b(_favicon(), digest_size=16).hexdigest())
    return response.make_conditional(request)
