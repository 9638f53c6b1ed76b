"""Back-office warehouse pages: list, search, paging, create, edit, archive with a
confirmation, and stock changed only by movements with a reason."""

import re

import pytest
from sqlalchemy import select

from storefront.db import db
from storefront.fulfilment.tables import StockLevel, StockMovement, Warehouse
from storefront.fulfilment.warehouses import WarehouseInput, create_warehouse


def level(app, code: str, sku: str) -> tuple[int, int]:
    from storefront.catalog.tables import Variant

    with app.app_context():
        return db.session.execute(
            select(StockLevel.on_hand, StockLevel.reserved)
            .join(Warehouse, Warehouse.id == StockLevel.warehouse_id)
            .join(Variant, Variant.id == StockLevel.variant_id)
            .where(Warehouse.code == code, Variant.sku == sku)
        ).one()


def test_staff_create_a_warehouse_and_find_it(logged_in, app):
    client = logged_in("staff")
    response = client.post(
        "/admin/warehouses/new",
        data={"code": "lisbon", "name": "Lisbon hub", "country": "pt", "serves": "PT, ES"},
    )
    assert response.status_code == 303 and response.location.endswith("/admin/warehouses/lisbon")
    page = client.get(response.location).get_data(as_text=True)
    assert "Lisbon hub" in page and "ships to PT ES" in page and "active" in page
    listing = client.get("/admin/warehouses?q=lisb").get_data(as_text=True)
    assert "Lisbon hub" in listing
    assert "Lisbon hub" not in client.get("/admin/warehouses?q=tokyo").get_data(as_text=True)


@pytest.mark.parametrize(
    "data, message",
    [
        ({"code": "Bad Code!", "name": "X", "country": "PT"}, "lower-case letters"),
        ({"code": "ok", "name": "X", "country": "XX"}, "is not an ISO country code"),
        ({"code": "ok", "name": "X", "country": "PT", "serves": "DE ZZ"}, "Not ISO country codes"),
        ({"code": "ok", "name": "", "country": "PT"}, "This field is required."),
    ],
)  # fmt: skip
def test_bad_fields_are_explained_at_the_field_and_nothing_is_saved(logged_in, app, data, message):
    client = logged_in("staff")
    response = client.post("/admin/warehouses/new", data=data)
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert re.search(r'class="field-error">[^<]*' + re.escape(message), page), page
    with app.app_context():
        assert db.session.scalar(select(Warehouse.id)) is None


def test_a_second_warehouse_with_the_same_code_is_refused(logged_in, make_warehouse):
    make_warehouse("sz", "CN")
    response = logged_in("staff").post(
        "/admin/warehouses/new", data={"code": "sz", "name": "Other", "country": "CN"}
    )
    assert response.status_code == 422
    assert "There is a warehouse sz already." in response.get_data(as_text=True)


def test_the_list_pages_fifty_at_a_time(logged_in, app):
    with app.app_context():
        for n in range(53):
            create_warehouse(f"wh-{n:02d}", WarehouseInput(f"Hall {n:02d}", "DE"))
        db.session.commit()
    client = logged_in("staff")
    first = client.get("/admin/warehouses").get_data(as_text=True)
    second = client.get("/admin/warehouses?page=2").get_data(as_text=True)
    assert "Hall 00" in first and "Hall 49" in first and "Hall 50" not in first
    assert "Hall 50" in second and "Hall 52" in second and "Hall 00" not in second
    assert "1 / 2" in first


def test_edit_keeps_the_code_and_checks_the_fields(logged_in, make_warehouse, app):
    make_warehouse("sz", "CN")
    client = logged_in("owner")
    bad = client.post("/admin/warehouses/sz/edit", data={"name": "Shenzhen", "country": "CHN"})
    assert bad.status_code == 422
    good = client.post(
        "/admin/warehouses/sz/edit",
        data={"code": "other", "name": "Shenzhen DC", "country": "HK", "serves": "*"},
    )
    assert good.status_code == 303
    with app.app_context():
        warehouse = db.session.scalars(select(Warehouse)).one()
        assert (warehouse.code, warehouse.name, warehouse.country) == ("sz", "Shenzhen DC", "HK")


def test_archiving_needs_the_confirmation_and_deletes_nothing(
    logged_in, make_product, make_warehouse, app
):
    sku = f"{make_product(name='Cuff').upper()}-0"
    make_warehouse("sz", "CN", {sku: 4})
    client = logged_in("staff")
    unconfirmed = client.post("/admin/warehouses/sz/archive", data={})
    assert unconfirmed.status_code == 422
    assert "Tick the box to confirm archiving." in unconfirmed.get_data(as_text=True)
    assert 'data-testid="warehouse-status">active' in client.get("/admin/warehouses/sz").get_data(
        as_text=True
    )
    confirmed = client.post("/admin/warehouses/sz/archive", data={"confirm": "y"})
    assert confirmed.status_code == 303
    page = client.get("/admin/warehouses/sz").get_data(as_text=True)
    assert 'data-testid="warehouse-status">archived' in page and sku in page
    # archived: no new stock
    refused = client.post(
        "/admin/warehouses/sz/movements", data={"sku": sku, "quantity": "3", "reason": "received"}
    )
    assert refused.status_code == 422
    assert "is archived: it takes no new stock" in refused.get_data(as_text=True)
    assert level(app, "sz", sku) == (4, 0)


def test_a_movement_changes_the_level_and_shows_who_and_why(
    logged_in, make_product, make_warehouse, app
):
    sku = f"{make_product(name='Signet').upper()}-0"
    make_warehouse("sz", "CN", {sku: 5})
    client = logged_in("staff", email="ana@shop.example")
    response = client.post(
        "/admin/warehouses/sz/movements",
        data={"sku": sku.lower(), "quantity": "-2", "reason": "adjusted", "note": "two scratched"},
    )
    assert response.status_code == 303
    assert level(app, "sz", sku) == (3, 0)
    page = client.get("/admin/warehouses/sz").get_data(as_text=True)
    movements = page.split('data-testid="movements"')[1]
    assert "-2" in movements and "adjusted" in movements and "ana@shop.example" in movements
    assert "two scratched" in movements and "+5" in movements and "received" in movements
    # search the levels by SKU
    assert sku in client.get(f"/admin/warehouses/sz?sku={sku[:4]}").get_data(as_text=True)
    assert "No stock matches NOPE" in client.get("/admin/warehouses/sz?sku=NOPE").get_data(
        as_text=True
    )


@pytest.mark.parametrize(
    "data, message",
    [
        ({"quantity": "-9", "reason": "adjusted"}, "Only 5 units can be taken out of sz"),
        ({"quantity": "0", "reason": "adjusted"}, "other than 0"),
        ({"quantity": "two", "reason": "adjusted"}, "Not a valid integer value."),
        ({"quantity": str(2**31), "reason": "received"}, "Number must be between"),
        ({"quantity": "9" * 30, "reason": "received"}, "Number must be between"),
        ({"quantity": "3", "reason": "stolen"}, "Not a valid choice."),
        ({"quantity": "3", "reason": "adjusted", "sku": "NOPE-1"}, "There is no variant with SKU"),
    ],
)
def test_a_refused_movement_is_explained_and_changes_nothing(
    logged_in, make_product, make_warehouse, app, data, message
):
    sku = f"{make_product(name='Signet').upper()}-0"
    make_warehouse("sz", "CN", {sku: 5})
    response = logged_in("staff").post("/admin/warehouses/sz/movements", data={"sku": sku, **data})
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert level(app, "sz", sku) == (5, 0)
    with app.app_context():
        assert db.session.scalar(select(StockMovement.quantity)) == 5  # the receipt only


@pytest.mark.parametrize("role", ["agent", "supplier", "customer"])
def test_only_the_shops_staff_see_warehouses(logged_in, make_warehouse, role):
    make_warehouse("sz", "CN")
    client = logged_in(role)
    assert client.get("/admin/warehouses").status_code == 403
    assert client.post("/admin/warehouses/sz/archive", data={"confirm": "y"}).status_code == 403


def test_forms_need_the_csrf_token(logged_in, make_product, make_warehouse, app, monkeypatch):
    sku = f"{make_product(name='Signet').upper()}-0"
    make_warehouse("sz", "CN", {sku: 5})
    client = logged_in("staff")
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    for path, data in [
        ("/admin/warehouses/new", {"code": "x1", "name": "X", "country": "DE"}),
        ("/admin/warehouses/sz/movements", {"sku": sku, "quantity": "-5", "reason": "adjusted"}),
        ("/admin/warehouses/sz/archive", {"confirm": "y"}),
    ]:
        assert client.post(path, data=data).status_code == 400
    assert level(app, "sz", sku) == (5, 0)
    with app.app_context():
        assert db.session.scalars(select(Warehouse.code)).all() == ["sz"]
        assert db.session.scalar(select(Warehouse.is_active)) is True
    # with the page's token the form goes through
    page = client.get("/admin/warehouses/sz").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    response = client.post(
        "/admin/warehouses/sz/movements",
        data={"sku": sku, "quantity": "-1", "reason": "adjusted", "csrf_token": token},
    )
    assert response.status_code == 303 and level(app, "sz", sku) == (4, 0)
