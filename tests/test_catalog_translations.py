"""Catalog content in the buyer's language: product texts, brand, category and shipping
method names per locale, edited on the back-office pages, through the admin API and the
CSV import; buyers read them on every page, in the API, on the confirmation page and in
their mails, falling back to the default language where a translation is missing."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from storefront.catalog import taxonomy
from storefront.catalog.importer import CatalogImportError, read_catalog_csv
from storefront.catalog.operations import set_texts
from storefront.catalog.tables import Brand, Category, Product, Variant
from storefront.db import db
from storefront.mail import send_due
from storefront.orders.tables import Order
from storefront.shipping.operations import MethodInput, save_method
from storefront.shipping.tables import ShippingMethod
from test_after_payment import api_key
from test_api_carts import deliver_to_berlin
from test_shipping import ADDRESS, eu_rates  # noqa: F401 - a fixture used here

EUR = "EUR"


def csrf(page: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)


def text_of(html: str) -> str:
    """What a reader sees: the page without its tags, spaces collapsed."""
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def _product_of(sku: str) -> Product:
    return db.session.scalar(select(Product).join(Variant).where(Variant.sku == sku))


# back office -----------------------------------------------------------------------------


def test_staff_name_a_brand_and_a_category_per_locale_and_buyers_read_them(
    app, client, logged_in, make_product
):
    make_product(name="Rope ring", brand="aurora", category="rings")
    staff = logged_in("staff")
    token = csrf(staff.get("/admin/brands").get_data(as_text=True))
    edited = staff.post(
        "/admin/categories/rings",
        data={"csrf_token": token, "slug": "rings", "name": "Rings", "position": "0",
              "name_de": "Ringe", "name_ar": "خواتم"},
    )  # fmt: skip
    assert edited.status_code == 303
    form = staff.get("/admin/categories/rings").get_data(as_text=True)
    assert 'name="name_de" value="Ringe"' in form and 'name="name_fr" value=""' in form
    staff.post(
        "/admin/brands/aurora",
        data={"csrf_token": token, "slug": "aurora", "name": "Aurora", "country": "CN",
              "name_ja": "オーロラ"},
    )  # fmt: skip
    refused = staff.post(
        "/admin/brands/aurora",
        data={"csrf_token": token, "slug": "aurora", "name": "Aurora", "country": "CN",
              "name_de": "x" * 121},
    )  # fmt: skip
    assert refused.status_code == 422 and "more than 120 characters" in text_of(
        refused.get_data(as_text=True)
    )
    with app.app_context():
        assert db.session.scalar(select(Brand.names)) == {"ja": "オーロラ"}
        assert db.session.scalar(select(Category.names)) == {"de": "Ringe", "ar": "خواتم"}

    german = text_of(client.get("/c/rings?locale=de").get_data(as_text=True))
    assert "Ringe" in german and "Rings" not in german
    japanese = client.get("/c/rings?locale=ja").get_data(as_text=True)
    assert "<bdi>オーロラ</bdi>" in japanese  # the brand on the card
    # French has no name of its own: the default language's shows
    french = text_of(client.get("/c/rings?locale=fr").get_data(as_text=True))
    assert "Rings" in french and "Aurora" in french and "Ringe" not in french


def test_a_products_texts_per_locale_on_its_edit_page(app, client, logged_in, make_product):
    slug = make_product(name="Rope ring", description="Twisted 925 silver.")
    owner = logged_in("owner")
    page = owner.get(f"/admin/products/{slug}").get_data(as_text=True)
    assert 'data-testid="product-texts"' in page and 'name="description_zh_Hans"' in page
    token = csrf(page)
    saved = owner.post(
        f"/admin/products/{slug}/texts",
        data={"csrf_token": token, "name_de": "Kordelring", "description_de": "Gedrehtes Silber.",
              "name_ja": "ロープリング"},
    )  # fmt: skip
    assert saved.status_code == 303
    refused = owner.post(
        f"/admin/products/{slug}/texts",
        data={"csrf_token": token, "name_de": "Kordelring", "description_fr": "Argent torsadé."},
    )
    body = refused.get_data(as_text=True)
    assert refused.status_code == 422 and "The fr text needs a name" in body
    assert 'value="Kordelring"' in body  # what was typed is still there
    again = owner.get(f"/admin/products/{slug}").get_data(as_text=True)
    assert 'name="name_de" value="Kordelring"' in again
    assert 'name="name_ja" value="ロープリング"' in again

    german = client.get(f"/p/{slug}?locale=de").get_data(as_text=True)
    assert "<h1><bdi>Kordelring</bdi></h1>" in german and "Gedrehtes Silber." in german
    # Japanese has a name but no description: the description falls back on its own
    japanese = client.get(f"/p/{slug}?locale=ja").get_data(as_text=True)
    assert "ロープリング" in japanese and "Twisted 925 silver." in japanese
    spanish = client.get(f"/p/{slug}?locale=es").get_data(as_text=True)
    assert "<h1><bdi>Rope ring</bdi></h1>" in spanish


def test_staff_name_a_shipping_method_per_locale(app, logged_in, make_shipping):
    method_id = make_shipping("eu", "DE FR", {500: "4.90"}, EUR, "standard")
    staff = logged_in("staff")
    page = staff.get("/admin/shipping/").get_data(as_text=True)
    # reopened to change it, the method form holds the method as it is
    reopened = staff.get(f"/admin/shipping/?method={method_id}").get_data(as_text=True)
    assert 'name="bands"' in reopened and "500 4.90" in reopened
    saved = staff.post(
        "/admin/shipping/methods",
        data={"csrf_token": csrf(page), "zone": "eu", "code": "standard", "name": "Standard",
              "currency": "EUR", "bands": "500 4.90", "active": "1", "position": "0",
              "name_de": "Standardversand", "name_fr": "Livraison standard"},
    )  # fmt: skip
    assert saved.status_code == 303
    listed = staff.get("/admin/shipping/").get_data(as_text=True)
    assert "Standardversand" in listed
    reopened = staff.get(f"/admin/shipping/?method={method_id}").get_data(as_text=True)
    assert 'name="name_de" value="Standardversand"' in reopened
    with app.app_context():
        method = db.session.get(ShippingMethod, method_id)
        assert method.names == {"de": "Standardversand", "fr": "Livraison standard"}
        # a change that does not name them keeps the names it has (the demo's and the API's way)
        save_method(MethodInput("eu", "standard", "Standard", "EUR", "500 5.90"))
        assert method.names == {"de": "Standardversand", "fr": "Livraison standard"}


# admin API -------------------------------------------------------------------------------


def test_the_admin_api_takes_and_answers_texts_and_names(
    app, client, make_user, make_brand, make_category, make_shipping
):
    make_brand("aurora")
    make_category("rings")
    staff = api_key(app, make_user, "staff@api.example", "staff")
    product = {
        "slug": "rope-ring", "name": "Rope ring", "description": "Twisted silver.",
        "brand": "aurora", "category": "rings", "hs_code": "7113.11", "origin_country": "CN",
        "material": "sterling silver", "weight_grams": 4, "length_mm": 21, "width_mm": 21,
        "height_mm": 3, "selling_model": "wholesale_retail",
        "variants": [{"sku": "RR-7", "price": "29.00", "options": {"size": "7"}}],
    }  # fmt: skip
    unknown = client.post(
        "/api/v1/admin/products",
        headers=staff,
        json={**product, "texts": {"xx": {"name": "Ring"}}},
    )
    assert unknown.status_code == 400 and unknown.get_json()["error"]["field"] == "texts.xx"
    created = client.post(
        "/api/v1/admin/products",
        headers=staff,
        json={**product, "texts": {"de": {"name": "Kordelring", "description": "Gedreht."}}},
    )
    assert created.status_code == 201, created.get_json()
    assert created.get_json()["texts"] == {"de": {"name": "Kordelring", "description": "Gedreht."}}
    # PATCH changes the locales given: French added, German removed, the model untouched
    patched = client.patch(
        "/api/v1/admin/products/rope-ring",
        headers=staff,
        json={"texts": {"fr": {"name": "Bague corde"}, "de": None}},
    )
    assert patched.status_code == 200, patched.get_json()
    body = patched.get_json()
    assert body["texts"] == {"fr": {"name": "Bague corde", "description": ""}}
    assert body["selling_model"] == "wholesale_retail"
    bad = client.patch(
        "/api/v1/admin/products/rope-ring",
        headers=staff,
        json={"texts": {"ja": {"description": "ねじれた銀。"}}},
    )
    assert bad.status_code == 400 and bad.get_json()["error"]["field"] == "texts.ja.name"

    brand = client.patch(
        "/api/v1/admin/brands/aurora", headers=staff, json={"names": {"zh_Hans": "极光"}}
    )
    assert brand.status_code == 200 and brand.get_json()["names"] == {"zh_Hans": "极光"}
    # a change without names keeps them
    renamed = client.patch("/api/v1/admin/brands/aurora", headers=staff, json={"name": "Aurora"})
    assert renamed.get_json()["names"] == {"zh_Hans": "极光"}
    refused = client.patch(
        "/api/v1/admin/categories/rings", headers=staff, json={"names": {"en_GB": "Rings"}}
    )
    assert refused.status_code == 400 and refused.get_json()["error"]["field"] == "names"
    category = client.post(
        "/api/v1/admin/categories",
        headers=staff,
        json={"slug": "hoops", "name": "Hoops", "names": {"es": "Aros"}},
    )
    assert category.status_code == 201 and category.get_json()["names"] == {"es": "Aros"}

    make_shipping("eu", "DE FR", {500: "4.90"}, EUR, "standard")
    method = {
        "name": "Standard",
        "currency": "EUR",
        "bands": [{"up_to_grams": 500, "price": "4.90"}],
    }
    put = client.put(
        "/api/v1/admin/shipping-zones/eu/methods/standard",
        headers=staff,
        json={**method, "names": {"de": "Standardversand"}},
    )
    assert put.status_code == 200, put.get_json()
    assert put.get_json()["methods"][0]["names"] == {"de": "Standardversand"}
    wrong = client.put(
        "/api/v1/admin/shipping-zones/eu/methods/standard",
        headers=staff,
        json={**method, "names": {"klingon": "Standard"}},
    )
    assert wrong.status_code == 400 and wrong.get_json()["error"]["field"] == "names"

    # the Store API reads them in the request's locale, falling back to the default language
    client.patch("/api/v1/admin/categories/rings", headers=staff, json={"names": {"fr": "Bagues"}})
    french = client.get("/api/v1/products/rope-ring?locale=fr").get_json()
    assert (french["name"], french["category_name"]) == ("Bague corde", "Bagues")
    chinese = client.get("/api/v1/products/rope-ring?locale=zh-CN").get_json()
    assert (chinese["name"], chinese["brand"], chinese["category_name"]) == (
        "Rope ring",
        "极光",
        "Rings",
    )


def test_the_openapi_document_describes_the_translations(client):
    schemas = client.get("/api/openapi.json").get_json()["components"]["schemas"]
    assert set(schemas["LocaleNames"]["properties"]) == {"de", "fr", "es", "ja", "zh_Hans", "ar"}
    assert schemas["Brand"]["properties"]["names"] == {"$ref": "#/components/schemas/LocaleNames"}
    assert "texts" in schemas["ProductCreate"]["properties"]
    assert "texts" in schemas["ProductChange"]["properties"]
    assert "name" in schemas["CartLine"]["properties"]


# CSV import ------------------------------------------------------------------------------


def test_the_csv_import_takes_a_name_and_description_per_locale(
    app, tmp_path, make_brand, make_category
):
    from storefront.catalog.importer import import_catalog

    make_brand("aurora")
    make_category("rings")
    header = (
        "slug,name,description,brand,category,hs_code,origin_country,material,weight_grams,"
        "length_mm,width_mm,height_mm,grade,selling_model,sku,options,price,currency,"
        "name_ar,description_ar,name_zh_Hans"
    )
    row = (
        "rope-ring,Ring (size 7),925 Silver,aurora,rings,7113.11,CN,sterling silver,4,21,21,3,"
        "none,wholesale_retail,RR-7,size=7,29.00,USD,خاتم حبل,فضة 925,绳戒"
    )
    path = tmp_path / "catalog.csv"
    path.write_text(f"{header}\n{row}\n", encoding="utf-8")
    with app.app_context():
        result = import_catalog(read_catalog_csv(path), "USD")
        db.session.commit()
        assert result.rejected == []
        product = db.session.scalar(select(Product).where(Product.slug == "rope-ring"))
        texts = {t.locale: (t.name, t.description) for t in product.texts}
    assert texts == {"ar": ("خاتم حبل", "فضة 925"), "zh_Hans": ("绳戒", "")}

    foreign = tmp_path / "foreign.csv"
    foreign.write_text(f"{header},name_en\n{row},Rope ring\n", encoding="utf-8")
    with pytest.raises(CatalogImportError, match="'en', which the shop does not sell in"):
        read_catalog_csv(foreign)


# the buyer's way through -----------------------------------------------------------------


@pytest.fixture
def german_catalog(app, eu_rates):  # noqa: F811 - the fixture imported above
    """The dropshipped chain, its category, brand and the standard method named in German;
    the stock ring keeps its English name only."""
    with app.app_context():
        chain = _product_of(eu_rates["skus"]["drop"])
        set_texts(chain, {"de": ("Kordelkette", "Gedrehte Kette.")})
        taxonomy.save_category(
            taxonomy.CategoryInput("necklaces", "Necklaces", 0, {"de": "Halsketten"}),
            chain.category,
        )
        brand = chain.brand
        taxonomy.save_brand(
            taxonomy.BrandInput(brand.slug, brand.name, brand.country, {"de": "Aurora DE"}), brand
        )
        save_method(
            MethodInput("eu", "standard", "Standard", EUR, "500 4.90\n2000 9.90", position=1,
                        names={"de": "Standardversand"})
        )  # fmt: skip
        db.session.commit()
        return {"chain": chain.slug, **eu_rates}


def test_a_german_buyer_reads_german_names_from_listing_to_mail(
    app, client, german_catalog, smtp_server
):
    skus = german_catalog["skus"]
    client.get("/preferences?country=DE&locale=de&next=/")
    listing = client.get("/c/necklaces").get_data(as_text=True)
    assert "<bdi>Kordelkette</bdi>" in listing and "<h1><bdi>Halsketten</bdi></h1>" in listing
    assert "<bdi>Aurora DE</bdi>" in listing
    assert "<bdi>Halsketten</bdi>" in client.get("/").get_data(as_text=True)  # the navigation
    product = client.get(f"/p/{german_catalog['chain']}").get_data(as_text=True)
    assert "Gedrehte Kette." in product and "<bdi>Halsketten</bdi>" in product

    for sku in (skus["drop"], skus["stock"]):
        client.post("/cart/add", data={"sku": sku, "quantity": "1"})
    cart = text_of(client.get("/cart").get_data(as_text=True))
    assert "Kordelkette" in cart and "Stock ring" in cart and "Rope chain" not in cart
    assert "Standardversand" in cart
    client.post("/checkout", data={**ADDRESS, "email": "lena@example.de", "phone": "030 1234567"})
    review = client.get("/checkout/review").get_data(as_text=True)
    assert "Kordelkette" in text_of(review) and "Standardversand: 4,90" in text_of(review)
    key = review.split('name="idempotency_key" value="')[1].split('"')[0]
    placed = client.post(
        "/checkout/place", data={"idempotency_key": key, "accept_terms_version": "0"}
    )
    number = placed.headers["Location"].rsplit("/", 1)[1]
    confirmation = text_of(client.get(f"/orders/{number}").get_data(as_text=True))
    assert "1 × Kordelkette" in confirmation and "Standardversand" in confirmation
    assert "1 × Stock ring" in confirmation  # no German name: the default language's
    assert "Rope chain" not in confirmation

    with app.app_context():
        order = db.session.scalar(select(Order).where(Order.number == number))
        # the back office and the shippers keep reading the default language
        assert {ln.name for ln in order.lines} == {"Rope chain", "Stock ring"}
        assert "Standard" in {g.shipping_method for g in order.groups}
        assert send_due() >= 1
    [mail] = smtp_server.to("lena@example.de")
    for body in (mail.part("plain"), text_of(mail.part("html"))):
        assert "Kordelkette" in body and "Standardversand" in body and "Stock ring" in body
        assert "Rope chain" not in body


def test_the_store_api_cart_and_order_name_things_in_the_buyers_language(client, german_catalog):
    skus = german_catalog["skus"]
    headers = {"Accept-Language": "de-DE,de;q=0.9"}
    cart = client.post(
        "/api/v1/carts", json={"channel": "eu", "country": "DE"}, headers=headers
    ).get_json()
    auth = {"Authorization": f"Bearer {cart['token']}", **headers}
    for sku in (skus["drop"], skus["stock"]):
        client.post(
            f"/api/v1/carts/{cart['id']}/lines", json={"sku": sku, "quantity": 1}, headers=auth
        )
    deliver_to_berlin(client, cart["id"], auth)
    body = client.get(f"/api/v1/carts/{cart['id']}", headers=auth).get_json()
    assert sorted(line["name"] for line in body["lines"]) == ["Kordelkette", "Stock ring"]
    options = [o["name"] for g in body["groups"] for o in g["shipping_options"]]
    assert "Standardversand" in options
    listing = client.get("/api/v1/products?category=necklaces", headers=headers).get_json()
    assert [item["name"] for item in listing["items"]] == ["Kordelkette"]
    placed = client.post(
        f"/api/v1/carts/{cart['id']}/checkout", json={"idempotency_key": "de-api"}, headers=auth
    ).get_json()
    order = client.get(
        f"/api/v1/orders/{placed['order_id']}?token={placed['order_token']}", headers=headers
    )
    assert order.status_code == 200, order.get_json()
    lines = [ln["name"] for g in order.get_json()["groups"] for ln in g["lines"]]
    assert sorted(lines) == ["Kordelkette", "Stock ring"]
    assert "Standardversand" in [g["shipping_method"] for g in order.get_json()["groups"]]


# Arabic ----------------------------------------------------------------------------------


def test_an_arabic_page_isolates_names_written_left_to_right(
    app, client, make_product, make_channel
):
    make_channel("gulf")
    slug = make_product(name="Ring (size 7)", brand="silver-925", category="rings")
    with app.app_context():
        category = db.session.scalar(select(Category).where(Category.slug == "rings"))
        taxonomy.save_category(
            taxonomy.CategoryInput("rings", "Rings", 0, {"ar": "خواتم"}), category
        )
        brand = db.session.scalar(select(Brand).where(Brand.slug == "silver-925"))
        brand.name = "925 Silver"
        db.session.commit()
    listing = client.get("/c/rings?locale=ar").get_data(as_text=True)
    assert '<html lang="ar" dir="rtl">' in listing
    # "Ring (size 7)" kept whole and left-to-right: no bracket or number jumps to the far side
    assert '<h3 class="card-name"><bdi>Ring (size 7)</bdi></h3>' in listing
    assert "<bdi>925 Silver</bdi>" in listing
    assert "<h1><bdi>خواتم</bdi></h1>" in listing
    page = client.get(f"/p/{slug}?locale=ar").get_data(as_text=True)
    assert "<h1><bdi>Ring (size 7)</bdi></h1>" in page
    assert '<p class="card-brand"><bdi>925 Silver</bdi></p>' in page
    assert 'class="description" dir="auto"' in page
