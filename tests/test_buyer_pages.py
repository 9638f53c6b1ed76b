"""Buyer pages as a shopper meets them: server-rendered HTML."""

import re


def card_names(html: str) -> list[str]:
    return re.findall(r'<h3 class="card-name"><bdi>([^<]+)</bdi></h3>', html)


def test_home_shows_categories_and_newest_products(client, make_product, make_category):
    make_category("necklaces", "Necklaces", position=2)
    make_product(name="Moonlit band")
    page = client.get("/").get_data(as_text=True)
    assert "Necklaces" in page and "Rings" in page
    assert "Moonlit band" in card_names(page)
    assert "$49.00" in page


def test_category_lists_its_products_and_filters_by_material_and_grade(client, make_product):
    make_product(name="Silver band", material="sterling silver")
    make_product(name="Gold hoop ring", material="14k gold", grade="original_order")
    make_product(name="Pearl drop", category="earrings", material="pearl")

    page = client.get("/c/rings").get_data(as_text=True)
    assert sorted(card_names(page)) == ["Gold hoop ring", "Silver band"]
    assert "2 pieces" in page

    gold = client.get("/c/rings?material=14k+gold").get_data(as_text=True)
    assert card_names(gold) == ["Gold hoop ring"]
    assert "Surplus: original order" in gold

    surplus = client.get("/c/rings?grade=original_order").get_data(as_text=True)
    assert card_names(surplus) == ["Gold hoop ring"]


def test_listing_paginates(client, make_product):
    for n in range(30):
        make_product(name=f"Ring {n:02d}")
    first = client.get("/c/rings").get_data(as_text=True)
    second = client.get("/c/rings?page=2").get_data(as_text=True)
    assert len(card_names(first)) == 24 and len(card_names(second)) == 6
    assert "Page 1 of 2" in first and 'rel="next"' in first
    assert not set(card_names(first)) & set(card_names(second))


def test_unknown_category_is_a_friendly_404(client):
    response = client.get("/c/tiaras")
    assert response.status_code == 404
    assert "There is no such category." in response.get_data(as_text=True)


def test_search_finds_by_name_and_brand(client, make_product, make_brand):
    make_brand("perla", "Perla di Mare")
    make_product(name="Baroque pearl pendant", brand="perla", material="pearl")
    make_product(name="Plain band")
    by_name = client.get("/search?q=baroque").get_data(as_text=True)
    assert card_names(by_name) == ["Baroque pearl pendant"]
    by_brand = client.get("/search?q=perla+di").get_data(as_text=True)
    assert card_names(by_brand) == ["Baroque pearl pendant"]
    nothing = client.get("/search?q=tiara").get_data(as_text=True)
    assert "Nothing matches" in nothing


def test_product_page_shows_facts_variants_and_surplus_disclosure(client, make_product):
    slug = make_product(
        name="Follow-up signet",
        grade="follow_up_order",
        prices=["59.00", "64.50"],
        origin_country="IT",
    )
    page = client.get(f"/p/{slug}").get_data(as_text=True)
    assert "<h1><bdi>Follow-up signet</bdi></h1>" in page
    assert "Surplus: follow-up order" in page and "substitute materials" in page
    assert "Italy" in page and "7113.11" in page
    assert "$59.00" in page and "$64.50" in page


def test_unpublished_product_is_not_found(client, make_product, app):
    from storefront.catalog.tables import Product
    from storefront.db import db

    slug = make_product()
    with app.app_context():
        db.session.query(Product).filter_by(slug=slug).update({"is_published": False})
        db.session.commit()
    assert client.get(f"/p/{slug}").status_code == 404
    assert card_names(client.get("/c/rings").get_data(as_text=True)) == []


def test_product_page_uses_the_translation_for_the_buyers_language(client, make_product, app):
    from storefront.catalog.tables import Product, ProductText
    from storefront.db import db

    slug = make_product(name="Twisted band")
    with app.app_context():
        product = db.session.query(Product).filter_by(slug=slug).one()
        db.session.add(
            ProductText(
                product=product, locale="de", name="Gedrehter Ring", description="Aus 925er Silber."
            )
        )
        db.session.commit()
    from storefront.catalog.queries import localized_text

    with app.app_context():
        product = db.session.query(Product).filter_by(slug=slug).one()
        assert localized_text(product, "de") == ("Gedrehter Ring", "Aus 925er Silber.")
        assert localized_text(product, "de_CH")[0] == "Gedrehter Ring"
        assert localized_text(product, "fr")[0] == "Twisted band"


def test_links_follow_the_path_the_shop_is_served_under(client, make_product):
    """Built links are kept per process (mount.url_for): behind a proxy that serves the
    shop under a path, and beside one that does not, each page links where it is served."""
    slug = make_product(name="Moonlit band")
    plain = client.get("/c/rings").get_data(as_text=True)
    proxied = client.get("/c/rings", environ_overrides={"SCRIPT_NAME": "/eu"})
    assert f'href="/p/{slug}"' in plain
    assert f'href="/eu/p/{slug}"' in proxied.get_data(as_text=True)
    assert f'href="/p/{slug}"' in client.get("/c/rings").get_data(as_text=True)


def test_links_carry_what_the_apps_url_defaults_add_from_each_request(
    app, make_product, database_url
):
    """An app whose url_defaults add values from the request (a campaign code here) gets
    them on every link, request by request: such links are never kept."""
    from flask import request

    from storefront import create_app
    from storefront.db import db

    app = create_app(  # set up before its first request, as Flask wants
        {"TESTING": True, "DATABASE_URL": database_url, "LISTING_CACHE_SECONDS": 0}
    )

    @app.url_defaults
    def campaign(endpoint, values):
        if endpoint.endswith("catalog.product") and request.args.get("ref"):
            values.setdefault("ref", request.args["ref"])

    slug = make_product(name="Moonlit band")
    client = app.test_client()
    for ref in ("winter", "summer"):
        page = client.get(f"/c/rings?ref={ref}").get_data(as_text=True)
        assert f'href="/p/{slug}?ref={ref}"' in page
    with app.app_context():
        db.engine.dispose()
