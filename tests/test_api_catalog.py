"""Store API v1, buyer side: the shapes clients depend on (shared API.md)."""

import re

import pytest


@pytest.fixture
def channels(make_channel):
    make_channel(
        "eu", position=1, countries_text="DE FR IT", locales_text="en de fr", name="Europe"
    )
    make_channel("us", position=2)


def test_channels(client, channels):
    body = client.get("/api/v1/channels").get_json()
    assert body[0] == {
        "code": "eu",
        "name": "Europe",
        "currency": "EUR",
        "countries": ["DE", "FR", "IT"],
        "locales": ["en", "de", "fr"],
        "tax_display": "gross",
        "return_days": 14,
    }
    assert [c["code"] for c in body] == ["eu", "us"]


def test_products_are_paginated_with_an_opaque_cursor(client, make_product):
    slugs = [make_product(name=f"Ring {n}") for n in range(30)]
    first = client.get("/api/v1/products").get_json()
    assert len(first["items"]) == 24 and first["next"]
    second = client.get(f"/api/v1/products?cursor={first['next']}").get_json()
    assert len(second["items"]) == 6 and second["next"] is None
    seen = [p["slug"] for p in first["items"] + second["items"]]
    assert sorted(seen) == sorted(slugs)
    item = first["items"][0]
    assert set(item) == {
        "slug", "name", "price", "selling_model", "grade", "image_url", "image_sizes"
    }  # fmt: skip
    assert item["image_url"] is None and item["image_sizes"] == {}
    assert item["price"] == {"amount": "49.00", "currency": "USD"}


def test_products_filter_by_category_and_search(client, make_product):
    make_product(
        name="Pearl studs", category="earrings", material="pearl", description="Freshwater."
    )
    make_product(name="Band")
    assert [
        p["name"] for p in client.get("/api/v1/products?category=earrings").get_json()["items"]
    ] == ["Pearl studs"]
    assert [p["name"] for p in client.get("/api/v1/products?q=band").get_json()["items"]] == [
        "Band"
    ]


@pytest.mark.parametrize(
    ("query", "code", "field"),
    [
        ("cursor=not-a-cursor", "invalid_cursor", "cursor"),
        ("cursor=eyJhZnRlciI6ICJ4In0=", "invalid_cursor", "cursor"),
        ("channel=mars", "unknown_channel", "channel"),
        ("locale=tlh", "unknown_locale", "locale"),
        ("grade=imitation", "unknown_grade", "grade"),
        ("material=wood", "unknown_material", "material"),
    ],
)
def test_bad_query_is_a_400_with_a_stable_code(client, channels, query, code, field):
    response = client.get(f"/api/v1/products?{query}")
    assert response.status_code == 400
    error = response.get_json()["error"]
    assert error["code"] == code and error["field"] == field and error["message"]


def test_product_detail(client, make_product):
    slug = make_product(
        name="Twin band",
        prices=["49.00", "55.50"],
        grade="skip_order",
        qc_status="not inspected by brand",
    )
    body = client.get(f"/api/v1/products/{slug}").get_json()
    assert body["name"] == "Twin band"
    assert body["hs_code"] == "7113.11" and body["origin_country"] == "CN"
    assert body["grade"] == "skip_order" and body["qc_status"] == "not inspected by brand"
    assert body["selling_model"] == "wholesale_retail"
    assert body["price"] == {"amount": "49.00", "currency": "USD"}
    assert [v["price"]["amount"] for v in body["variants"]] == ["49.00", "55.50"]
    assert body["variants"][0]["options"] == {"size": "6"}


def test_unknown_product_is_a_json_404(client):
    response = client.get("/api/v1/products/nope")
    assert response.status_code == 404
    assert response.get_json()["error"]["code"] == "product_not_found"


def test_unknown_api_route_answers_json(client):
    response = client.get("/api/v1/nothing-here")
    assert response.status_code == 404
    assert response.get_json()["error"]["code"] == "http_404"


def test_openapi_document_describes_every_api_route(client, app):
    doc = client.get("/api/openapi.json").get_json()
    assert doc["openapi"].startswith("3.")
    api_rules = {
        re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", r.rule)
        for r in app.url_map.iter_rules()
        if r.rule.startswith("/api/v1/")
    }
    assert api_rules == set(doc["paths"])
    detail = doc["paths"]["/api/v1/products/{slug}"]["get"]
    assert detail["responses"]["200"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/Product"
    }
    assert {p["name"] for p in detail["parameters"]} == {"slug", "channel", "locale"}
    for path in doc["paths"].values():
        for op in path.values():
            for response in op["responses"].values():
                ref = response.get("content", {}).get("application/json", {}).get("schema", {})
                if "$ref" in ref:
                    assert ref["$ref"].rsplit("/", 1)[1] in doc["components"]["schemas"]
