"""What search engines, link previews and shared caches read beyond the catalog's pages:
images and links on the shop's public address (PUBLIC_URL), the legal pages in the sitemap
with their languages, and the `Vary` header that keeps one buyer's page from another."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

import pytest

from i18n import SUPPORTED_LOCALES
from storefront import page_cache
from storefront.db import db
from test_discovery import HREFLANGS, LEGAL_PAGES, Head, locale_of, path_of, sitemap_urls
from test_page_cache import rename

PUBLIC = "https://shop.example.com/store"


@pytest.fixture
def pictured(app, make_product, make_channel):
    """A product with one image in the media folder."""
    from storefront.catalog.tables import Product, ProductImage

    make_channel("us")
    slug = make_product(slug="pearl-studs", name="Pearl studs")
    with app.app_context():
        product = db.session.query(Product).filter_by(slug=slug).one()
        db.session.add(ProductImage(product_id=product.id, filename="pearl.png", alt="Pearls"))
        db.session.commit()
    return slug


@pytest.fixture
def public_url(app, monkeypatch):
    monkeypatch.setitem(app.config, "PUBLIC_URL", PUBLIC + "/")
    return PUBLIC


def json_ld(html: str) -> dict:
    """The page's JSON-LD block, read as JSON."""
    (_, text), *_ = Head(html).json_ld
    return json.loads(text)


# --- images and links on the public address ----------------------------------------------


def test_link_previews_and_search_engines_get_images_on_the_public_address(
    client, pictured, public_url
):
    # The request comes to an internal host (an app server behind a proxy); what the
    # page hands to crawlers is on the address buyers use.
    html = client.get(f"/p/{pictured}?locale=de", base_url="http://10.0.0.7:8000").text
    head = Head(html)
    image = f"{public_url}/media/pearl.png"
    assert head.meta["og:image"] == [image]
    product = json_ld(html)
    assert product["image"] == [image]
    assert product["url"] == head.canonical == f"{public_url}/p/{pictured}?locale=de"
    assert head.alternates["x-default"] == f"{public_url}/p/{pictured}"
    assert head.meta["og:url"] == [head.canonical]
    # The page's own <img> stays relative: it is read by the browser that asked.
    assert 'src="/media/pearl.png"' in html


def test_without_a_public_address_images_are_on_the_requests_host(client, pictured):
    html = client.get(f"/p/{pictured}", base_url="https://lumen.test").text
    assert json_ld(html)["image"] == ["https://lumen.test/media/pearl.png"]
    assert Head(html).meta["og:image"] == ["https://lumen.test/media/pearl.png"]
    # Built links are kept per process, under the host they were built for.
    other = client.get(f"/p/{pictured}", base_url="http://shop.internal:8000").text
    assert json_ld(other)["image"] == ["http://shop.internal:8000/media/pearl.png"]
    again = client.get(f"/p/{pictured}", base_url="https://lumen.test").text
    assert json_ld(again)["image"] == ["https://lumen.test/media/pearl.png"]


def test_images_in_a_bucket_keep_the_buckets_address(app, client, pictured, public_url):
    from storefront.media import EXTENSION
    from storefront.media.s3 import S3Store

    cdn = "https://cdn.example.com/shop-media"
    app.extensions[EXTENSION], local = (
        S3Store(None, "shop-media", cdn + "/"),
        app.extensions[EXTENSION],
    )
    try:
        html = client.get(f"/p/{pictured}").text
    finally:
        app.extensions[EXTENSION] = local
    assert json_ld(html)["image"] == [f"{cdn}/pearl.png"]
    assert Head(html).meta["og:image"] == [f"{cdn}/pearl.png"]
    assert Head(html).canonical.startswith(public_url + "/")


def test_mail_links_and_page_links_come_from_one_function(app, public_url):
    from storefront.catalog import discovery
    from storefront.links import absolute_url
    from storefront.mail import operations

    assert operations.absolute_url is discovery.absolute_url is absolute_url
    with app.test_request_context("/", base_url="http://10.0.0.7:8000"):
        assert absolute_url("media", filename="a/b.webp") == f"{public_url}/media/a/b.webp"


# --- the legal pages in the sitemap -------------------------------------------------------


def test_the_sitemap_lists_every_legal_page_in_every_locale_with_alternates(client):
    urls = sitemap_urls(ET.fromstring(client.get("/sitemap.xml").data))
    for kind in LEGAL_PAGES:
        page = f"http://localhost/pages/{kind}"
        listed = {loc: alternates for loc, alternates in urls.items() if loc.split("?")[0] == page}
        assert {locale_of(loc) for loc in listed} == set(SUPPORTED_LOCALES), kind
        for loc, alternates in listed.items():
            assert set(alternates) == HREFLANGS
            assert alternates[locale_of(loc).replace("_", "-")] == loc
            assert alternates["x-default"] == page


def test_a_legal_page_in_the_sitemap_opens_in_its_language_and_names_its_alternates(client):
    urls = sitemap_urls(ET.fromstring(client.get("/sitemap.xml").data))
    loc = "http://localhost/pages/terms?locale=de"
    assert loc in urls
    html = client.get(path_of(loc)).text
    assert '<html lang="de"' in html and "Allgemeine Geschäftsbedingungen" in html
    head = Head(html)
    assert head.canonical == loc
    assert head.alternates == urls[loc]


def test_an_unknown_legal_page_is_neither_listed_nor_canonical(client):
    response = client.get("/pages/nonsense")
    assert response.status_code == 404
    assert not Head(response.text).rel("canonical")
    sitemap = client.get("/sitemap.xml").text
    assert "/pages/nonsense" not in sitemap


def test_the_legal_pages_in_the_sitemap_are_on_the_public_address(client, public_url):
    urls = sitemap_urls(ET.fromstring(client.get("/sitemap.xml").data))
    assert f"{public_url}/pages/privacy?locale=ja" in urls
    assert all(loc.startswith(public_url + "/") for loc in urls)


# --- Vary: a page for one visitor is not another's -----------------------------------------


@pytest.fixture
def cache_on(app, monkeypatch):
    clock = [1000.0]
    monkeypatch.setattr(page_cache.time, "monotonic", lambda: clock[0])
    monkeypatch.setitem(app.config, "LISTING_CACHE_SECONDS", 5)
    app.extensions["page_cache"].clear()
    yield clock
    app.extensions["page_cache"].clear()


@pytest.mark.parametrize("path", ["/", "/c/rings", "/search?q=band", "/p/silver-band", "/cart",
                                  "/pages/terms", "/nowhere"])  # fmt: skip
def test_every_html_page_varies_on_cookies_and_the_browsers_language(
    client, make_product, make_channel, path
):
    make_channel("us")
    make_product(slug="silver-band", name="Silver band")
    response = client.get(path)
    assert response.mimetype == "text/html"
    assert {"Cookie", "Accept-Language"} <= set(response.vary), path


def test_a_trusted_country_header_joins_the_vary_of_every_page(client, app, monkeypatch):
    monkeypatch.setitem(app.config, "COUNTRY_HEADER", "CF-IPCountry")
    client.set_cookie("country", "DE")  # chosen: the guess is not even read
    assert {"Cookie", "Accept-Language", "CF-IPCountry"} <= set(client.get("/pages/terms").vary)


def test_a_page_from_the_anonymous_cache_still_says_what_it_varies_on(
    app, make_product, make_channel, cache_on
):
    make_channel("us")
    slug = make_product(name="Silver band")
    visitors = [app.test_client(), app.test_client()]
    for visitor in visitors:  # chose their country: the language is still the browser's
        visitor.set_cookie("country", "US")
    first = visitors[0].get("/c/rings")
    rename(app, slug, "Gold band")
    again = visitors[1].get("/c/rings")
    assert "Silver band" in again.text  # served from the cache
    assert {"Cookie", "Accept-Language"} <= set(again.vary)
    assert {"Cookie", "Accept-Language"} <= set(first.vary)


def test_the_anonymous_cache_keeps_one_page_per_browser_language(
    app, make_product, make_channel, cache_on
):
    make_channel("us")
    make_product(name="Silver band")
    english = app.test_client().get("/c/rings", headers={"Accept-Language": "en-US"})
    german = app.test_client().get("/c/rings", headers={"Accept-Language": "de"})
    japanese = app.test_client().get("/c/rings", headers={"Accept-Language": "ja"})
    assert '<html lang="en"' in english.text
    assert '<html lang="de"' in german.text
    assert '<html lang="ja"' in japanese.text
    # a second German visitor gets the German page from the cache, not the first one's
    assert (
        '<html lang="de"'
        in app.test_client().get("/c/rings", headers={"Accept-Language": "de-AT"}).text
    )
