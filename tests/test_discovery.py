"""What search engines and link previews read: robots.txt, the sitemap, canonical and
hreflang links, Open Graph tags, the product's schema.org JSON-LD, the favicon."""

from __future__ import annotations

import io
import json
import re
import xml.etree.ElementTree as ET
from decimal import Decimal
from html.parser import HTMLParser
from urllib.parse import parse_qs, urlsplit

import pytest
from babel.numbers import format_currency
from PIL import Image
from sqlalchemy import update

from channels.money import Money
from i18n import SUPPORTED_LOCALES
from storefront.db import db

NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}
LEGAL_PAGES = ("imprint", "terms", "privacy", "returns", "shipping", "contact")
HREFLANGS = {locale.replace("_", "-") for locale in SUPPORTED_LOCALES} | {"x-default"}


class Head(HTMLParser):
    """The <link>, <meta> and JSON-LD <script> elements of a page."""

    def __init__(self, html: str):
        super().__init__()
        self.links: list[dict] = []
        self.meta: dict[str, list[str]] = {}
        self.json_ld: list[tuple[dict, str]] = []  # (attributes, text)
        self._script: dict | None = None
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "link":
            self.links.append(attrs)
        elif tag == "meta" and "property" in attrs:
            self.meta.setdefault(attrs["property"], []).append(attrs["content"])
        elif tag == "script" and attrs.get("type") == "application/ld+json":
            self._script = attrs

    def handle_data(self, data):
        if self._script is not None:
            self.json_ld.append((self._script, data))
            self._script = None

    def rel(self, rel: str) -> list[dict]:
        return [link for link in self.links if link.get("rel") == rel]

    @property
    def canonical(self) -> str:
        (link,) = self.rel("canonical")
        return link["href"]

    @property
    def alternates(self) -> dict[str, str]:
        return {link["hreflang"]: link["href"] for link in self.rel("alternate")}

    def product(self) -> dict:
        (_, text), *_ = self.json_ld
        return json.loads(text)


def path_of(url: str) -> str:
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def locale_of(url: str) -> str | None:
    return parse_qs(urlsplit(url).query).get("locale", [None])[0]


def shown_price(html: str) -> str:
    match = re.search(r'data-testid="price">(.*?)</p>', html, re.S)
    return re.sub(r'<span class="muted">.*?</span>', "", match.group(1)).strip()


def unpublish(app, slug: str) -> None:
    from storefront.catalog.tables import Product

    with app.app_context():
        db.session.execute(update(Product).where(Product.slug == slug).values(is_published=False))
        db.session.commit()


def archive_category(app, slug: str) -> None:
    from storefront.catalog.tables import Category
    from storefront.catalog.taxonomy import archive

    with app.app_context():
        archive(db.session.query(Category).filter_by(slug=slug).one())
        db.session.commit()


# --- robots.txt ---------------------------------------------------------------------------


def test_robots_txt_keeps_crawlers_out_of_private_pages_and_names_the_sitemap(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200 and response.mimetype == "text/plain"
    lines = response.get_data(as_text=True).splitlines()
    assert lines[0] == "User-agent: *"
    assert "Allow: /" in lines
    disallowed = {line.removeprefix("Disallow: ") for line in lines if line.startswith("Disallow")}
    assert {"/admin", "/supplier", "/account", "/checkout", "/cart", "/api/", "/orders/"} <= (
        disallowed
    )
    assert not any(page.startswith(("/p/", "/c/")) or page == "/" for page in disallowed)
    assert "Sitemap: http://localhost/sitemap.xml" in lines


def test_robots_and_sitemap_name_the_public_url_when_one_is_set(app, client, monkeypatch):
    monkeypatch.setitem(app.config, "PUBLIC_URL", "https://shop.example.com")
    robots = client.get("/robots.txt").get_data(as_text=True)
    assert "Sitemap: https://shop.example.com/sitemap.xml" in robots
    root = ET.fromstring(client.get("/sitemap.xml").data)
    assert all(
        loc.text.startswith("https://shop.example.com/") for loc in root.iterfind(".//s:loc", NS)
    )


# --- the sitemap --------------------------------------------------------------------------


@pytest.fixture
def small_catalog(app, make_product, make_category):
    shown = [
        make_product(slug="silver-band", category="rings"),
        make_product(slug="pearl-drop", category="earrings"),
        make_product(slug="rope-chain", category="necklaces"),
    ]
    hidden = make_product(slug="withdrawn-ring", category="rings")
    unpublish(app, hidden)
    make_category("brooches")
    archive_category(app, "brooches")
    return shown


def sitemap_urls(root: ET.Element) -> dict[str, dict[str, str]]:
    """{loc: {hreflang: href}} of a <urlset>."""
    return {
        url.findtext("s:loc", namespaces=NS): {
            link.get("hreflang"): link.get("href") for link in url.iterfind("x:link", NS)
        }
        for url in root.iterfind("s:url", NS)
    }


def expected_pages(products: list[str]) -> set[str]:
    pages = ["/", "/c/rings", "/c/earrings", "/c/necklaces"] + [f"/p/{p}" for p in products]
    pages += [f"/pages/{kind}" for kind in LEGAL_PAGES]
    return {f"http://localhost{page}?locale={code}" for page in pages for code in SUPPORTED_LOCALES}


def test_the_sitemap_lists_every_published_page_in_every_locale_with_alternates(
    client, small_catalog
):
    response = client.get("/sitemap.xml")
    assert response.status_code == 200 and response.mimetype == "application/xml"
    root = ET.fromstring(response.data)
    assert root.tag == f"{{{NS['s']}}}urlset"
    urls = sitemap_urls(root)
    assert set(urls) == expected_pages(small_catalog)
    assert not any("withdrawn-ring" in loc or "brooches" in loc for loc in urls)
    for loc, alternates in urls.items():
        assert set(alternates) == HREFLANGS
        # Each locale's version names itself among the alternates; x-default is bare.
        assert alternates[locale_of(loc).replace("_", "-")] == loc
        assert locale_of(alternates["x-default"]) is None
        assert loc.split("?")[0] == alternates["x-default"]


@pytest.mark.parametrize("locale", ["de", "ja", "ar", "zh_Hans"])
def test_a_sitemap_url_serves_its_locale(client, small_catalog, locale):
    urls = sitemap_urls(ET.fromstring(client.get("/sitemap.xml").data))
    followed = [loc for loc in urls if locale_of(loc) == locale and "/p/" in loc][:2]
    followed.append(next(loc for loc in urls if locale_of(loc) == locale and "/c/" in loc))
    for loc in followed:
        page = client.get(path_of(loc))
        assert page.status_code == 200, loc
        assert f'<html lang="{locale.replace("_", "-")}"' in page.get_data(as_text=True)


def test_a_big_sitemap_is_split_into_an_index_of_files_within_the_limit(
    app, client, small_catalog, monkeypatch
):
    # Seven locales per page: at most 14 URLs a file is two pages a file; 13 pages in all
    # (home, three categories, six legal pages, three products).
    monkeypatch.setitem(app.config, "SITEMAP_MAX_URLS", 14)
    index = ET.fromstring(client.get("/sitemap.xml").data)
    assert index.tag == f"{{{NS['s']}}}sitemapindex"
    parts = [loc.text for loc in index.iterfind("s:sitemap/s:loc", NS)]
    assert parts == [f"http://localhost/sitemap-{n}.xml" for n in range(1, 8)]
    listed: dict[str, dict] = {}
    for part in parts:
        response = client.get(path_of(part))
        assert response.status_code == 200
        urls = sitemap_urls(ET.fromstring(response.data))
        assert 0 < len(urls) <= 14
        assert not set(urls) & set(listed)
        listed.update(urls)
    assert set(listed) == expected_pages(small_catalog)
    assert client.get("/sitemap-8.xml").status_code == 404
    assert client.get("/sitemap-0.xml").status_code == 404


def test_no_sitemap_file_outgrows_the_size_limit(app, client, make_product, monkeypatch):
    from storefront.catalog import discovery
    from storefront.catalog.operations import VariantInput

    # Slugs as long as a slug may be; a 40 kB limit stands in for the 50 MB one.
    slugs = [
        make_product(
            slug=f"{'x' * 117}-{n}",
            variants=[VariantInput(sku=f"LONG-{n}", price=Money(Decimal("49.00"), "USD"))],
        )
        for n in range(5)
    ]
    monkeypatch.setattr(discovery, "MAX_SITEMAP_BYTES", 40_000)
    index = ET.fromstring(client.get("/sitemap.xml").data)
    listed = set()
    for loc in index.iterfind("s:sitemap/s:loc", NS):
        body = client.get(path_of(loc.text)).data
        assert len(body) <= 40_000
        listed |= set(sitemap_urls(ET.fromstring(body)))
    assert len(listed) == (7 + len(LEGAL_PAGES)) * len(SUPPORTED_LOCALES) and len(index) > 1
    assert {f"http://localhost/p/{slug}?locale=ja" for slug in slugs} <= listed


def test_the_sitemap_reads_the_catalog_in_a_few_statements_however_big(app, client, count_queries):
    from test_query_counts import bulk_catalog

    def statements() -> int:
        with count_queries() as counted:
            response = client.get("/sitemap.xml")
            assert response.status_code == 200 and len(response.get_data()) > 0
        return counted.n

    bulk_catalog(app, {"rings": 3})
    few = statements()
    bulk_catalog(app, {"chains": 400})
    assert statements() == few <= 4


# --- canonical, alternates, Open Graph ----------------------------------------------------


def test_a_category_page_names_its_canonical_url_and_its_other_languages(client, small_catalog):
    html = client.get("/c/rings?material=gold&page=2&locale=fr").get_data(as_text=True)
    head = Head(html)
    # Filters narrow the same page; the page number makes another one.
    assert head.canonical == "http://localhost/c/rings?page=2&locale=fr"
    assert set(head.alternates) == HREFLANGS
    assert head.alternates["ja"] == "http://localhost/c/rings?page=2&locale=ja"
    assert head.alternates["x-default"] == "http://localhost/c/rings?page=2"
    assert head.meta["og:locale"] == ["fr_FR"]
    assert "zh_CN" in head.meta["og:locale:alternate"]
    for first in ("1", "zz", "-3"):
        html = client.get(f"/c/rings?page={first}&locale=fr").get_data(as_text=True)
        assert Head(html).canonical == "http://localhost/c/rings?locale=fr"


def test_the_home_page_in_the_visitors_language_is_canonical_for_that_language(client):
    head = Head(client.get("/", headers={"Accept-Language": "ja-JP"}).get_data(as_text=True))
    assert head.canonical == "http://localhost/?locale=ja"
    assert head.meta["og:type"] == ["website"]


def test_private_pages_carry_no_canonical_link(client):
    assert not Head(client.get("/cart").get_data(as_text=True)).rel("canonical")


# --- the product page: JSON-LD and Open Graph --------------------------------------------


@pytest.fixture
def priced_product(make_product, make_channel, rates):
    make_channel("us")
    make_channel("eu")
    make_channel("jp")
    rates()
    return make_product(slug="pearl-studs", name="Pearl studs", prices=["49.00", "59.00"])


@pytest.mark.parametrize(
    ("channel", "locale", "currency"), [("eu", "de", "EUR"), ("jp", "ja", "JPY")]
)
def test_the_product_json_ld_prices_the_piece_as_the_page_shows_it(
    client, priced_product, channel, locale, currency
):
    client.set_cookie("channel", channel)
    response = client.get(f"/p/{priced_product}?locale={locale}")
    html = response.get_data(as_text=True)
    head = Head(html)
    product = head.product()
    assert product["@context"] == "https://schema.org" and product["@type"] == "Product"
    assert product["name"] == "Pearl studs"
    assert product["brand"] == {"@type": "Brand", "name": "Aurora"}
    assert product["sku"] == "PEARL-STUDS-0"
    offers = product["offers"]
    assert [o["sku"] for o in offers] == ["PEARL-STUDS-0", "PEARL-STUDS-1"]
    assert {o["priceCurrency"] for o in offers} == {currency}
    lowest = min(offers, key=lambda o: Decimal(o["price"]))
    assert format_currency(Decimal(lowest["price"]), currency, locale=locale) == shown_price(html)
    # Each option's price is the one its <option> shows.
    for offer in offers:
        assert format_currency(Decimal(offer["price"]), currency, locale=locale) in html
    assert product["url"] == head.canonical == f"http://localhost/p/pearl-studs?locale={locale}"
    # A data block, never run: no nonce (the policy does not apply to it, and a per-response
    # nonce would make every render of a page shared by anonymous visitors differ).
    (attrs, _), *_ = head.json_ld
    assert "nonce" not in attrs
    assert "nonce-" not in response.headers["Content-Security-Policy"]


def test_the_json_ld_says_in_stock_out_of_stock_or_pre_order(
    client, four_models, make_product, make_warehouse
):
    gone = make_product(slug="sold-ring", name="Sold ring")
    make_warehouse("lyon", "FR", {"SOLD-RING-0": 0})
    slugs = {
        "stock": four_models["stock"].removesuffix("-0").lower(),
        "made": four_models["made"].removesuffix("-0").lower(),
        "gone": gone,
    }
    client.set_cookie("channel", "eu")
    client.set_cookie("country", "DE")
    availability = {
        kind: Head(client.get(f"/p/{slug}").get_data(as_text=True)).product()["offers"][0][
            "availability"
        ]
        for kind, slug in slugs.items()
    }
    assert availability == {
        "stock": "https://schema.org/InStock",
        "made": "https://schema.org/PreOrder",
        "gone": "https://schema.org/OutOfStock",
    }


def test_a_product_page_has_open_graph_tags_canonical_and_hreflang(app, client, priced_product):
    from storefront.catalog.tables import Product, ProductImage

    with app.app_context():
        product = db.session.query(Product).filter_by(slug=priced_product).one()
        db.session.add(ProductImage(product_id=product.id, filename="pearl.png", alt="Pearls"))
        db.session.commit()
    head = Head(client.get(f"/p/{priced_product}?locale=es").get_data(as_text=True))
    assert head.meta["og:type"] == ["product"]
    assert head.meta["og:title"] == ["Pearl studs"]
    assert head.meta["og:url"] == [head.canonical]
    assert head.meta["og:image"] == ["http://localhost/media/pearl.png"]
    assert head.meta["og:description"] == ["A plain band in 925 silver."]
    assert head.meta["og:locale"] == ["es_ES"]
    assert head.canonical == "http://localhost/p/pearl-studs?locale=es"
    assert set(head.alternates) == HREFLANGS
    assert head.alternates["ar"] == "http://localhost/p/pearl-studs?locale=ar"
    assert head.product()["image"] == ["http://localhost/media/pearl.png"]


def test_the_json_ld_cannot_close_its_script_element(app, client, make_product, make_channel):
    make_channel("us")
    hostile = 'Lovely </script><script>alert("x")</script> <!-- & more'
    slug = make_product(description=hostile)
    html = client.get(f"/p/{slug}").get_data(as_text=True)
    block = html.split('<script type="application/ld+json"', 1)[1]
    body = block.split(">", 1)[1].split("</script>", 1)[0]
    assert "<" not in body and ">" not in body
    assert json.loads(body)["description"] == hostile


# --- the favicon --------------------------------------------------------------------------


def test_the_favicon_is_a_real_icon_every_page_links(client):
    with client.get("/favicon.ico") as response:
        assert response.status_code == 200
        assert response.mimetype.startswith("image/")
        icon = Image.open(io.BytesIO(response.data))
        etag = response.headers["ETag"]
    assert icon.format == "ICO" and icon.size[0] >= 16
    # A browser that has it asks again with its ETag and is told it has not changed.
    again = client.get("/favicon.ico", headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.data == b""
    home = Head(client.get("/").get_data(as_text=True))
    (link,) = home.rel("icon")
    assert link["href"] == "/favicon.ico"


def test_a_choice_in_the_header_wins_over_the_language_in_a_search_result_link(
    client, priced_product
):
    # A buyer lands from a search engine on the German URL, then picks Japanese and yen.
    landed = f"/p/{priced_product}?locale=de&channel=eu"
    assert 'lang="de"' in client.get(landed).get_data(as_text=True)
    response = client.get(
        "/preferences", query_string={"next": landed, "locale": "ja", "currency": "JPY"}
    )
    assert response.headers["Location"] == f"/p/{priced_product}"
    html = client.get(response.headers["Location"]).get_data(as_text=True)
    assert 'lang="ja"' in html and "￥" in shown_price(html)
    # Only the currency changed: the page's language stays the one in its address.
    response = client.get("/preferences", query_string={"next": landed, "currency": "USD"})
    assert response.headers["Location"] == f"/p/{priced_product}?locale=de"
