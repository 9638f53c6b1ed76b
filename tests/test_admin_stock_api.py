"""Admin API of warehouses and stock movements: staff keys only, paged lists, validation
errors naming the field, and answers that match the OpenAPI document."""

import pytest
from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from sqlalchemy import select

from storefront.accounts.api_keys import issue_api_key
from storefront.accounts.tables import User
from storefront.db import db
from storefront.fulfilment.tables import StockMovement
from storefront.fulfilment.warehouses import WarehouseInput, create_warehouse


@pytest.fixture
def key_for(app, make_user):
    def make(role: str = "staff") -> dict:
        email = make_user(email=f"{role}@api.example", role=role)
        with app.app_context():
            user = db.session.scalar(select(User).where(User.email == email))
            _key, raw = issue_api_key(user)
            db.session.commit()
        return {"Authorization": f"Bearer {raw}"}

    return make


@pytest.fixture
def check(client):
    doc = client.get("/api/openapi.json").get_json()
    registry = Registry().with_resource("urn:api", Resource.opaque(doc))

    def against(name: str, body: dict) -> None:
        schema = {"$ref": f"urn:api#/components/schemas/{name}"}
        errors = list(Draft202012Validator(schema, registry=registry).iter_errors(body))
        assert not errors, [f"{list(e.path)}: {e.message}" for e in errors[:5]]

    return against


@pytest.fixture
def sku(make_product):
    return f"{make_product(name='Signet').upper()}-0"


def test_create_read_change_and_archive_a_warehouse(client, key_for, check):
    staff = key_for("staff")
    created = client.post(
        "/api/v1/admin/warehouses",
        json={"code": "lisbon", "name": "Lisbon hub", "country": "PT", "serves": ["PT", "ES"]},
        headers=staff,
    )
    assert created.status_code == 201, created.get_json()
    check("Warehouse", created.get_json())
    assert created.get_json()["serves"] == ["PT", "ES"] and created.get_json()["is_active"]
    changed = client.patch(
        "/api/v1/admin/warehouses/lisbon", json={"name": "Lisbon DC", "serves": "*"}, headers=staff
    )
    assert changed.status_code == 200
    assert (changed.get_json()["name"], changed.get_json()["serves"]) == ("Lisbon DC", ["*"])
    archived = client.post("/api/v1/admin/warehouses/lisbon/archive", headers=staff)
    assert archived.status_code == 200 and archived.get_json()["is_active"] is False
    one = client.get("/api/v1/admin/warehouses/lisbon", headers=staff).get_json()
    assert one["is_active"] is False and one["country"] == "PT"
    assert client.get("/api/v1/admin/warehouses/nowhere", headers=staff).status_code == 404


@pytest.mark.parametrize(
    "body, status, field",
    [
        ({"code": "Bad!", "name": "X", "country": "PT"}, 422, "code"),
        ({"code": "ok", "name": "X", "country": "ZZ"}, 422, "country"),
        ({"code": "ok", "name": "", "country": "PT"}, 422, "name"),
        ({"code": "ok", "name": "X", "country": "PT", "serves": ["DE", "QQ"]}, 422, "serves"),
        ({"code": "ok", "name": "X", "country": "PT", "serves": 5}, 400, "serves"),
        ({"code": 7, "name": "X", "country": "PT"}, 400, "code"),
    ],
)
def test_bad_warehouses_are_refused_with_the_field(client, key_for, app, body, status, field):
    response = client.post("/api/v1/admin/warehouses", json=body, headers=key_for())
    assert response.status_code == status
    assert response.get_json()["error"]["field"] == field
    assert client.get("/api/v1/admin/warehouses", headers=key_for("owner")).get_json() == {
        "items": [],
        "next": None,
    }


def test_the_list_pages_with_a_cursor_and_searches(client, key_for, app, check):
    with app.app_context():
        for n in range(55):
            create_warehouse(f"wh-{n:02d}", WarehouseInput(f"Hall {n:02d}", "DE"))
        db.session.commit()
    staff = key_for()
    first = client.get("/api/v1/admin/warehouses", headers=staff).get_json()
    check("WarehousePage", first)
    second = client.get(f"/api/v1/admin/warehouses?cursor={first['next']}", headers=staff)
    codes = [w["code"] for w in first["items"] + second.get_json()["items"]]
    assert codes == [f"wh-{n:02d}" for n in range(55)] and second.get_json()["next"] is None
    found = client.get("/api/v1/admin/warehouses?q=hall 07", headers=staff).get_json()
    assert [w["code"] for w in found["items"]] == ["wh-07"]
    bad = client.get("/api/v1/admin/warehouses?cursor=nonsense", headers=staff)
    assert bad.status_code == 400 and bad.get_json()["error"]["field"] == "cursor"


def test_movements_change_the_level_and_are_listed_newest_first(
    client, key_for, make_warehouse, sku, check
):
    make_warehouse("sz", "CN", {sku: 5})
    staff = key_for()
    recorded = client.post(
        "/api/v1/admin/stock-movements",
        json={"warehouse": "sz", "sku": sku, "quantity": 7, "reason": "received", "note": "PO 1"},
        headers=staff,
    )
    assert recorded.status_code == 201, recorded.get_json()
    check("StockMovementRecorded", recorded.get_json())
    assert recorded.get_json()["level"] == {"on_hand": 12, "reserved": 0}
    assert recorded.get_json()["actor"] == "staff@api.example"
    listed = client.get(f"/api/v1/admin/stock-movements?warehouse=sz&sku={sku}", headers=staff)
    check("StockMovementPage", listed.get_json())
    items = listed.get_json()["items"]
    assert [(m["quantity"], m["reason"]) for m in items] == [(7, "received"), (5, "received")]
    assert items[0]["created_at"].endswith("+00:00")
    none = client.get("/api/v1/admin/stock-movements?warehouse=elsewhere", headers=staff)
    assert none.get_json()["items"] == []
    stock = client.get("/api/v1/admin/warehouses/sz/stock", headers=staff).get_json()
    check("StockLevelPage", stock)
    assert stock["items"] == [
        {"sku": sku, "product": "Signet", "on_hand": 12, "reserved": 0, "free": 12}
    ]
    assert (
        client.get("/api/v1/admin/warehouses/sz", headers=staff).get_json()["units_on_hand"] == 12
    )


def test_the_movement_list_pages_with_a_cursor(client, key_for, make_warehouse, sku, app):
    make_warehouse("sz", "CN", {sku: 100})
    staff = key_for()
    for _ in range(54):
        client.post(
            "/api/v1/admin/stock-movements",
            json={"warehouse": "sz", "sku": sku, "quantity": -1, "reason": "adjusted"},
            headers=staff,
        )
    first = client.get("/api/v1/admin/stock-movements", headers=staff).get_json()
    second = client.get(
        f"/api/v1/admin/stock-movements?cursor={first['next']}", headers=staff
    ).get_json()
    ids = [m["id"] for m in first["items"] + second["items"]]
    assert len(ids) == 55 and ids == sorted(ids, reverse=True) and second["next"] is None


@pytest.mark.parametrize(
    "change, status, field",
    [
        ({"quantity": -6}, 422, "quantity"),
        ({"quantity": 0}, 422, "quantity"),
        ({"quantity": "3"}, 400, "quantity"),
        ({"quantity": 2.5}, 400, "quantity"),
        ({"quantity": True}, 400, "quantity"),
        ({"reason": "stolen"}, 422, "reason"),
        ({"reason": "sold", "quantity": 2}, 422, "quantity"),
        ({"sku": "NOPE-0"}, 422, "sku"),
        ({"warehouse": "nowhere"}, 422, "warehouse"),
        ({"note": ["x"]}, 400, "note"),
    ],
)
def test_refused_movements_name_the_field_and_change_nothing(
    client, key_for, make_warehouse, sku, app, change, status, field
):
    make_warehouse("sz", "CN", {sku: 5})
    body = {"warehouse": "sz", "sku": sku, "quantity": -1, "reason": "adjusted", **change}
    response = client.post("/api/v1/admin/stock-movements", json=body, headers=key_for())
    assert response.status_code == status, response.get_json()
    assert response.get_json()["error"]["field"] == field
    with app.app_context():
        assert db.session.scalars(select(StockMovement.quantity)).all() == [5]


def test_an_archived_warehouse_takes_no_new_stock(client, key_for, make_warehouse, sku):
    make_warehouse("sz", "CN", {sku: 5})
    staff = key_for()
    client.post("/api/v1/admin/warehouses/sz/archive", headers=staff)
    body = {"warehouse": "sz", "sku": sku, "quantity": 3, "reason": "received"}
    refused = client.post("/api/v1/admin/stock-movements", json=body, headers=staff)
    assert refused.status_code == 422
    assert refused.get_json()["error"]["code"] == "warehouse_archived"
    # taking units out (clearing the archived warehouse) is still allowed
    body = {"warehouse": "sz", "sku": sku, "quantity": -5, "reason": "adjusted"}
    assert client.post("/api/v1/admin/stock-movements", json=body, headers=staff).status_code == 201


@pytest.mark.parametrize("role", ["agent", "supplier"])
def test_agents_and_suppliers_get_403(client, key_for, make_warehouse, role):
    make_warehouse("sz", "CN")
    key = key_for(role)
    for method, path in [
        ("get", "/api/v1/admin/warehouses"),
        ("get", "/api/v1/admin/warehouses/sz"),
        ("post", "/api/v1/admin/warehouses/sz/archive"),
        ("get", "/api/v1/admin/stock-movements"),
        ("post", "/api/v1/admin/stock-movements"),
    ]:
        response = getattr(client, method)(path, headers=key, json={})
        assert response.status_code == 403, (path, response.get_json())
    assert client.get("/api/v1/admin/warehouses").status_code == 401


def test_the_openapi_document_lists_the_routes(client):
    paths = client.get("/api/openapi.json").get_json()["paths"]
    assert set(paths["/api/v1/admin/warehouses"]) == {"get", "post"}
    assert set(paths["/api/v1/admin/warehouses/{code}"]) == {"get", "patch"}
    assert "201" in paths["/api/v1/admin/stock-movements"]["post"]["responses"]
    assert "422" in paths["/api/v1/admin/stock-movements"]["post"]["responses"]
    assert "post" in paths["/api/v1/admin/warehouses/{code}/archive"]
