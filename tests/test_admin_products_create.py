"""Products made through the admin API, checked as the CSV import checks them, and sold at
once through the Store API; an agent adds products only for its own brands."""

from __future__ import annotations

from sqlalchemy import select

from storefront.catalog.tables import Product
from storefront.db import db
from test_after_payment import api_key, api_order


def product_body(**overrides) -> dict:
    body = {
        "slug": "lagoon-ring",
        "name": "Lagoon ring",
        "description": "Sterling silver, blue topaz.",
        "brand": "aurora",
        "category": "rings",
        "hs_code": "7113.11",
        "origin_country": "cn",
        "material": "sterling silver",
        "weight_grams": 12,
        "length_mm": 40,
        "width_mm": 40,
        "height_mm": 20,
        "selling_model": "oem_dropship",
        "selling_model_settings": {"supplier": "shenzhen-silver"},
        "variants": [
            {"sku": "LAGOON-7", "price": "59.00", "options": {"size": "7"}},
            {"sku": "LAGOON-8", "price": "59.00", "options": {"size": "8"}},
        ],
    }
    return {**body, **overrides}


def test_staff_create_a_product_a_buyer_buys_at_once(app, client, make_user, four_models):
    staff = api_key(app, make_user, "staff@shop.example", "staff")
    made = client.post("/api/v1/admin/products", json=product_body(), headers=staff)
    assert made.status_code == 201, made.get_json()
    assert made.get_json()["selling_model_settings"] == {"supplier": "shenzhen-silver"}
    placed = api_order(client, ["LAGOON-7"], key="lagoon")
    assert placed["order"]["groups"][0]["selling_model"] == "oem_dropship"

    for change, field in (
        ({"grade": "imitation"}, "grade"),
        ({"hs_code": "71"}, "hs_code"),
        ({"origin_country": "XX"}, "origin_country"),
        ({"slug": "lagoon-ring"}, "slug"),  # taken now
        ({"slug": "other", "variants": [{"sku": "LAGOON-7", "price": "1"}]}, "sku"),
        ({"slug": "other", "selling_model_settings": {"supplier": "nobody"}},
         "selling_model_settings.supplier"),
        ({"slug": "other", "variants": [{"sku": "X-1", "price": "cheap"}]}, "variants[0].price"),
        ({"slug": "other", "weight_grams": "12"}, "weight_grams"),
    ):  # fmt: skip
        refused = client.post("/api/v1/admin/products", json=product_body(**change), headers=staff)
        assert refused.status_code == 400, (change, refused.get_json())
        assert refused.get_json()["error"]["field"] == field, refused.get_json()
    with app.app_context():
        assert db.session.scalars(select(Product.slug).where(Product.slug == "other")).all() == []


def test_an_agent_adds_products_only_for_its_own_brands(app, client, make_user, four_models):
    agent = api_key(app, make_user, "ops@milano.example", "agent", agent="milano-agency")
    foreign = client.post(
        "/api/v1/admin/products",
        json=product_body(selling_model="agent_operated",
                          selling_model_settings={"agent": "milano-agency"}),
        headers=agent,
    )  # fmt: skip
    assert foreign.status_code == 403
    own = client.post(
        "/api/v1/admin/products",
        json=product_body(
            slug="milano-drops",
            brand="milano",
            category="earrings",
            selling_model="agent_operated",
            selling_model_settings={"agent": "milano-agency"},
            variants=[{"sku": "MILANO-DROPS-0", "price": "89.00"}],
        ),
        headers=agent,
    )
    assert own.status_code == 201, own.get_json()
    with app.app_context():
        assert db.session.scalar(select(Product.slug).where(Product.slug == "lagoon-ring")) is None


def test_staff_create_a_product_on_the_page(app, logged_in, four_models):
    import re

    staff = logged_in("staff")
    page = staff.get("/admin/products/new").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    form = {
        "csrf_token": token,
        "slug": "tide-cuff",
        "name": "Tide cuff",
        "brand": "aurora",
        "category": "bracelets",
        "selling_model": "self_produced",
        "setting-self_produced-maker": "atelier",
        "setting-self_produced-production_min": "4",
        "setting-self_produced-production_max": "9",
        "grade": "original_order",
        "material": "sterling silver",
        "hs_code": "7113.11",
        "origin_country": "PT",
        "weight_grams": "30",
        "length_mm": "70",
        "width_mm": "60",
        "height_mm": "20",
        "sku-0": "TIDE-S",
        "options-0": "size=S",
        "price-0": "120.00",
        "sku-1": "TIDE-M",
        "options-1": "size=M",
        "price-1": "125.00",
    }
    refused = staff.post("/admin/products/new", data={**form, "hs_code": "71"})
    assert refused.status_code == 422 and 'data-field="hs_code"' in refused.get_data(as_text=True)
    bad_options = staff.post("/admin/products/new", data={**form, "options-1": "large"})
    assert "name=value" in bad_options.get_data(as_text=True)
    made = staff.post("/admin/products/new", data=form)
    assert made.status_code == 303 and made.location.endswith("/admin/products/tide-cuff")
    with app.app_context():
        product = db.session.scalar(select(Product).where(Product.slug == "tide-cuff"))
        assert product.selling_model_settings == {
            "maker": "atelier",
            "production_min": 4,
            "production_max": 9,
        }
        assert [(v.sku, v.options, str(v.price_amount)) for v in product.variants] == [
            ("TIDE-S", {"size": "S"}, "120.000"),
            ("TIDE-M", {"size": "M"}, "125.000"),
        ]
