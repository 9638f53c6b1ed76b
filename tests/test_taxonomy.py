"""Brands and categories made, edited and archived without code: in the back office and
through the admin API, with the catalog's rules, never deleted."""

from __future__ import annotations

import re

from sqlalchemy import select

from storefront.catalog.operations import CatalogError
from storefront.catalog.tables import Brand, Category
from storefront.db import db
from test_after_payment import api_key


def csrf(page: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)


def test_staff_create_edit_and_archive_a_brand_on_the_pages(app, logged_in, make_product):
    client = logged_in("staff")
    page = client.get("/admin/brands").get_data(as_text=True)
    token = csrf(page)
    refused = client.post(
        "/admin/brands",
        data={"csrf_token": token, "slug": "Casa Ornata!", "name": "Casa", "country": "IT"},
    )
    assert refused.status_code == 422 and "lowercase letters" in refused.get_data(as_text=True)
    wrong_country = client.post(
        "/admin/brands",
        data={"csrf_token": token, "slug": "casa-ornata", "name": "Casa", "country": "XX"},
    )
    assert "is not an ISO 3166-1" in wrong_country.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(Brand).where(Brand.slug == "casa-ornata")) is None
    made = client.post(
        "/admin/brands",
        data={"csrf_token": token, "slug": "casa-ornata", "name": "Casa Ornata", "country": "it"},
    )
    assert made.status_code == 303
    found = client.get("/admin/brands?q=ornata").get_data(as_text=True)
    assert 'data-slug="casa-ornata"' in found
    edited = client.post(
        "/admin/brands/casa-ornata",
        data={"csrf_token": token, "slug": "casa-ornata", "name": "Casa Ornata Milano",
              "country": "IT"},
    )  # fmt: skip
    assert edited.status_code == 303
    unconfirmed = client.post("/admin/brands/casa-ornata/archive", data={"csrf_token": token})
    assert unconfirmed.status_code == 303
    with app.app_context():
        assert not db.session.scalar(select(Brand).where(Brand.slug == "casa-ornata")).is_archived
    client.post("/admin/brands/casa-ornata/archive", data={"csrf_token": token, "confirm": "yes"})
    with app.app_context():
        brand = db.session.scalar(select(Brand).where(Brand.slug == "casa-ornata"))
        assert (brand.name, brand.country, brand.is_archived) == ("Casa Ornata Milano", "IT", True)
    # an archived brand takes no new product
    try:
        make_product(name="Late ring", brand="casa-ornata")
    except CatalogError as refused_product:
        assert refused_product.field == "brand"
    else:
        raise AssertionError("an archived brand took a new product")
    assert logged_in("agent", email="a@example.com").get("/admin/brands").status_code == 403


def test_an_archived_category_leaves_the_shops_navigation(app, client, logged_in, make_category):
    make_category("rings", "Rings")
    make_category("anklets", "Anklets")
    staff = logged_in("staff")
    token = csrf(staff.get("/admin/categories").get_data(as_text=True))
    staff.post("/admin/categories/anklets/archive", data={"csrf_token": token, "confirm": "yes"})
    home = app.test_client().get("/").get_data(as_text=True)
    assert "Rings" in home and "Anklets" not in home
    staff.post("/admin/categories/anklets/archive", data={"csrf_token": token, "restore": "1"})
    assert "Anklets" in app.test_client().get("/").get_data(as_text=True)


def test_brands_and_categories_through_the_admin_api(app, client, make_user):
    staff = api_key(app, make_user, "staff@shop.example", "staff")
    made = client.post(
        "/api/v1/admin/categories", json={"slug": "brooches", "name": "Brooches"}, headers=staff
    )
    assert made.status_code == 201 and made.get_json()["position"] == 0
    taken = client.post(
        "/api/v1/admin/categories", json={"slug": "brooches", "name": "Again"}, headers=staff
    )
    assert taken.status_code == 400 and taken.get_json()["error"]["field"] == "slug"
    moved = client.patch(
        "/api/v1/admin/categories/brooches", json={"position": 3}, headers=staff
    ).get_json()
    assert (moved["name"], moved["position"]) == ("Brooches", 3)
    for n in range(55):
        client.post(
            "/api/v1/admin/brands",
            json={"slug": f"brand-{n:02d}", "name": f"Brand {n}", "country": "CN"},
            headers=staff,
        )
    first = client.get("/api/v1/admin/brands", headers=staff).get_json()
    second = client.get(f"/api/v1/admin/brands?cursor={first['next']}", headers=staff).get_json()
    assert len(first["items"]) == 50 and len(second["items"]) == 5 and second["next"] is None
    archived = client.post("/api/v1/admin/brands/brand-00/archive", headers=staff).get_json()
    assert archived["is_archived"] is True
    listed = client.get("/api/v1/admin/brands?archived=1", headers=staff).get_json()["items"]
    assert [b["slug"] for b in listed] == ["brand-00"]
    assert client.get("/api/v1/admin/brands/nope", headers=staff).status_code == 404
    agent = api_key(app, make_user, "agent@shop.example", "agent")
    assert client.get("/api/v1/admin/brands", headers=agent).status_code == 403
    with app.app_context():
        assert db.session.scalar(select(Category.position).where(Category.slug == "brooches")) == 3
