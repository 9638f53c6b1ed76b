"""The back-office API: API keys, switching a product's selling model, listing orders."""

from __future__ import annotations

import datetime

import pytest
from sqlalchemy import select

from orders_helpers import load, place
from storefront.accounts.api_keys import hash_key, issue_api_key
from storefront.accounts.tables import ApiKey, User
from storefront.catalog.tables import Product, SellingModelChange
from storefront.db import db

RING, CUFF = "aurora-ring", "nordic-cuff"
RING_SKU, CUFF_SKU = "AURORA-RING-0", "NORDIC-CUFF-0"


@pytest.fixture
def world(app, make_product, make_channel, make_warehouse, make_agent, make_supplier):
    """Milano runs aurora, Oslo runs nordic; three paid orders: ring, cuff, both."""
    make_channel("us")
    make_supplier("shenzhen-silver")
    milano = make_agent("milano-agency", brands=("aurora",))
    make_agent("oslo-agency", brands=("nordic",), country="NO")
    make_product(slug=RING, name="Aurora ring", brand="aurora")
    make_product(slug=CUFF, name="Nordic cuff", brand="nordic", prices=["75.00"])
    make_warehouse("sz", "CN", {RING_SKU: 20, CUFF_SKU: 20})
    orders = {
        "ring": place(app, {RING_SKU: 1}, "k-ring", "us", "US", paid=True),
        "cuff": place(app, {CUFF_SKU: 1}, "k-cuff", "us", "US", paid=True),
        "both": place(app, {RING_SKU: 2, CUFF_SKU: 1}, "k-both", "us", "US", paid=True),
    }
    with app.app_context():
        numbers = {label: load(order_id).number for label, order_id in orders.items()}
    return {"milano": milano, "orders": numbers}


@pytest.fixture
def key_for(app, make_user):
    """key_for(role, agent_id=None) -> (raw key, user id)."""

    def make(role: str, agent_id: int | None = None) -> tuple[str, int]:
        email = make_user(email=f"{role}-{agent_id or 0}@api.example", role=role)
        with app.app_context():
            user = db.session.scalar(select(User).where(User.email == email))
            user.agent_id = agent_id
            _key, raw = issue_api_key(user)
            db.session.commit()
            return raw, user.id

    return make


def bearer(raw: str) -> dict:
    return {"Authorization": f"Bearer {raw}"}


def error_of(response) -> dict:
    assert response.is_json, response.data
    return response.get_json()["error"]


# keys ------------------------------------------------------------------------------------------


def test_the_cli_shows_a_key_once_and_keeps_only_its_hash(app, runner, client, make_user, world):
    make_user(email="ana@shop.example", role="staff")
    result = runner.invoke(args=["users", "api-key", "--email", "Ana@Shop.example"])
    assert result.exit_code == 0, result.output
    raw = result.output.splitlines()[1]
    assert raw.startswith("sfk_") and len(raw) > 40
    assert "cannot be shown again" in result.output
    with app.app_context():
        key = db.session.scalars(select(ApiKey)).one()
        assert key.key_hash == hash_key(raw) and raw.startswith(key.prefix)
        assert len(key.prefix) == 12 and f"prefix {key.prefix}" in result.output
    assert client.get("/api/v1/admin/orders", headers=bearer(raw)).status_code == 200
    missing = runner.invoke(args=["users", "api-key", "--email", "nobody@shop.example"])
    assert missing.exit_code == 1 and "There is no user" in missing.output


@pytest.mark.parametrize(
    ("headers", "code"),
    [
        ({}, "authentication_required"),
        ({"Authorization": "Basic YWJjOmRlZg=="}, "authentication_required"),
        ({"Authorization": "Bearer "}, "authentication_required"),
        ({"Authorization": "Bearer sfk_not-a-real-key"}, "invalid_api_key"),
        ({"Authorization": "Bearer " + "x" * 5000}, "invalid_api_key"),
    ],
)
def test_missing_or_bad_keys_get_401(client, world, headers, code):
    for method, url in (
        ("GET", "/api/v1/admin/orders"),
        ("PATCH", f"/api/v1/admin/products/{RING}"),
    ):
        response = client.open(url, method=method, headers=headers, json={})
        assert response.status_code == 401
        assert error_of(response)["code"] == code


def test_revoked_keys_and_inactive_users_get_401(app, client, world, key_for):
    raw, user_id = key_for("staff")
    assert client.get("/api/v1/admin/orders", headers=bearer(raw)).status_code == 200
    with app.app_context():
        db.session.scalars(select(ApiKey)).one().revoked_at = datetime.datetime.now(datetime.UTC)
        db.session.commit()
    assert client.get("/api/v1/admin/orders", headers=bearer(raw)).status_code == 401
    raw, user_id = key_for("owner")
    with app.app_context():
        db.session.get(User, user_id).is_active_account = False
        db.session.commit()
    assert client.get("/api/v1/admin/orders", headers=bearer(raw)).status_code == 401


@pytest.mark.parametrize("role", ["supplier", "agent"])  # an agent of no company is no agent
def test_supplier_keys_get_403(client, world, key_for, role):
    raw, _ = key_for(role)
    orders = client.get("/api/v1/admin/orders", headers=bearer(raw))
    switch = client.patch(
        f"/api/v1/admin/products/{RING}",
        headers=bearer(raw),
        json={"selling_model": "wholesale_retail"},
    )
    assert (orders.status_code, switch.status_code) == (403, 403)
    assert error_of(orders)["code"] == "forbidden"


# switching a selling model ---------------------------------------------------------------------


def test_staff_switches_a_model_and_placed_orders_keep_theirs(app, client, world, key_for):
    raw, user_id = key_for("staff")
    response = client.patch(
        f"/api/v1/admin/products/{RING}",
        headers=bearer(raw),
        json={
            "selling_model": "oem_dropship",
            "selling_model_config": {"supplier": "shenzhen-silver"},
        },
    )
    assert response.status_code == 200, response.data
    assert (
        response.get_json().items()
        >= {
            "slug": RING,
            "selling_model": "oem_dropship",
            "selling_model_settings": {"supplier": "shenzhen-silver"},
            "selling_model_config": {"supplier": "shenzhen-silver"},
            "texts": {},
        }.items()
    )
    with app.app_context():
        change = db.session.scalars(select(SellingModelChange)).one()
        assert (change.changed_by, change.from_code, change.to_code) == (
            user_id,
            "wholesale_retail",
            "oem_dropship",
        )
        placed = db.session.scalars(select(Product).where(Product.slug == RING)).one()
        assert placed.selling_model == "oem_dropship"
    orders = client.get("/api/v1/admin/orders", headers=bearer(raw)).get_json()["items"]
    assert {g["selling_model"] for o in orders for g in o["groups"]} == {"wholesale_retail"}
    # the settings may also come as selling_model_settings, as the tables name them
    back = client.patch(
        f"/api/v1/admin/products/{RING}",
        headers=bearer(raw),
        json={"selling_model": "wholesale_retail", "selling_model_settings": {}},
    )
    assert back.status_code == 200 and back.get_json()["selling_model"] == "wholesale_retail"


@pytest.mark.parametrize(
    ("body", "code", "field"),
    [
        ("not json", "invalid_json", None),
        ([1, 2], "invalid_json", None),
        ({}, "invalid_selling_model", "selling_model"),
        ({"selling_model": 7}, "invalid_selling_model", "selling_model"),
        ({"selling_model": "barter"}, "unknown_selling_model", "selling_model"),
        (
            {"selling_model": "oem_dropship"},
            "invalid_selling_model_settings",
            "selling_model_config.supplier",
        ),
        (
            {"selling_model": "oem_dropship", "selling_model_config": {"supplier": "nobody"}},
            "invalid_selling_model_settings",
            "selling_model_config.supplier",
        ),
        (
            {"selling_model": "wholesale_retail", "selling_model_settings": {"colour": "red"}},
            "invalid_selling_model_settings",
            "selling_model_settings.colour",
        ),
        (
            {"selling_model": "oem_dropship", "selling_model_config": ["shenzhen-silver"]},
            "invalid_selling_model_settings",
            "selling_model_config",
        ),
        (
            {
                "selling_model": "oem_dropship",
                "selling_model_config": {"supplier": "shenzhen-silver"},
                "selling_model_settings": {},
            },
            "conflicting_settings",
            "selling_model_config",
        ),
    ],
)
def test_bad_switches_get_400_and_change_nothing(app, client, world, key_for, body, code, field):
    raw, _ = key_for("owner")
    kwargs = (
        {"data": body, "content_type": "application/json"}
        if isinstance(body, str)
        else {"json": body}
    )
    response = client.patch(f"/api/v1/admin/products/{RING}", headers=bearer(raw), **kwargs)
    assert response.status_code == 400
    error = error_of(response)
    assert error["code"] == code and error["message"]
    if field is None:
        assert "field" not in error
    else:
        assert error["field"] == field, error
    with app.app_context():
        assert db.session.scalars(select(SellingModelChange)).all() == []
        assert db.session.scalar(select(Product.selling_model).where(Product.slug == RING)) == (
            "wholesale_retail"
        )


def test_an_agent_switches_its_own_brand_only(app, client, world, key_for):
    raw, user_id = key_for("agent", world["milano"])
    own = client.patch(
        f"/api/v1/admin/products/{RING}",
        headers=bearer(raw),
        json={
            "selling_model": "agent_operated",
            "selling_model_config": {"agent": "milano-agency"},
        },
    )
    assert own.status_code == 200, own.data
    other = client.patch(
        f"/api/v1/admin/products/{CUFF}",
        headers=bearer(raw),
        json={
            "selling_model": "agent_operated",
            "selling_model_config": {"agent": "milano-agency"},
        },
    )
    missing = client.patch(
        "/api/v1/admin/products/no-such-thing",
        headers=bearer(raw),
        json={"selling_model": "wholesale_retail"},
    )
    assert other.status_code == missing.status_code == 404
    assert error_of(other)["code"] == error_of(missing)["code"] == "product_not_found"
    stolen = client.patch(
        f"/api/v1/admin/products/{RING}",
        headers=bearer(raw),
        json={"selling_model": "agent_operated", "selling_model_config": {"agent": "oslo-agency"}},
    )
    assert stolen.status_code == 400
    assert error_of(stolen)["field"] == "selling_model_config.agent"
    with app.app_context():
        change = db.session.scalars(select(SellingModelChange)).one()
        assert change.changed_by == user_id
        assert db.session.scalar(select(Product.selling_model).where(Product.slug == CUFF)) == (
            "wholesale_retail"
        )


# orders ----------------------------------------------------------------------------------------


def test_an_agent_lists_its_orders_with_its_lines_only(client, world, key_for):
    raw, _ = key_for("agent", world["milano"])
    body = client.get("/api/v1/admin/orders", headers=bearer(raw)).get_json()
    assert body["next"] is None
    numbers = [o["number"] for o in body["items"]]
    assert numbers == [world["orders"]["both"], world["orders"]["ring"]]  # newest first
    both = body["items"][0]
    assert both["total"] == {"amount": "98.00", "currency": "USD"}
    lines = [line for group in both["groups"] for line in group["lines"]]
    assert [(line["sku"], line["quantity"]) for line in lines] == [(RING_SKU, 2)]
    assert lines[0]["unit_price"] == {"amount": "49.00", "currency": "USD"}
    assert lines[0]["total"] == {"amount": "98.00", "currency": "USD"}
    assert "Nordic" not in str(body) and CUFF_SKU not in str(body)


def test_staff_lists_every_order_by_status_and_page(app, client, world, key_for, monkeypatch):
    from storefront.api import admin

    raw, _ = key_for("staff")
    everything = client.get("/api/v1/admin/orders?status=paid", headers=bearer(raw)).get_json()
    assert len(everything["items"]) == 3
    both = everything["items"][0]
    assert both["total"] == {"amount": "173.00", "currency": "USD"}
    assert client.get("/api/v1/admin/orders?status=refunded", headers=bearer(raw)).get_json() == {
        "items": [],
        "next": None,
    }
    monkeypatch.setattr(admin, "ORDERS_PAGE_SIZE", 2)
    first = client.get("/api/v1/admin/orders", headers=bearer(raw)).get_json()
    second = client.get(
        "/api/v1/admin/orders", headers=bearer(raw), query_string={"cursor": first["next"]}
    ).get_json()
    assert len(first["items"]) == 2 and second["next"] is None
    assert [o["number"] for o in first["items"] + second["items"]] == [
        world["orders"][label] for label in ("both", "cuff", "ring")
    ]
    unknown = client.get("/api/v1/admin/orders?status=lost", headers=bearer(raw))
    assert unknown.status_code == 400 and error_of(unknown)["field"] == "status"
    bad_cursor = client.get("/api/v1/admin/orders?cursor=%%%", headers=bearer(raw))
    assert bad_cursor.status_code == 400 and error_of(bad_cursor)["code"] == "invalid_cursor"


def test_the_openapi_document_describes_the_admin_routes(client):
    document = client.get("/api/openapi.json").get_json()
    switch = document["paths"]["/api/v1/admin/products/{slug}"]["patch"]
    orders = document["paths"]["/api/v1/admin/orders"]["get"]
    for operation in (switch, orders):
        assert operation["security"] == [{"bearer": []}]
        assert {"401", "403"} <= set(operation["responses"])
    assert switch["requestBody"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/ProductChange"
    }
    assert "404" in switch["responses"]
    assert [p["name"] for p in orders["parameters"]] == ["status", "cursor"]
    schemas = document["components"]["schemas"]
    refs = [
        part.rsplit("/", 1)[1]
        for part in str(schemas).replace("'", " ").split()
        if part.startswith("#/components/schemas/")
    ]
    assert {"ProductChange", "AdminProduct", "AdminOrderPage"} <= set(schemas)
    assert all(name in schemas for name in refs)
