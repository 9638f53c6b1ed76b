"""A product's variants after it was created, on the back-office page and in the admin API:
added, changed and archived with the import's checks; an archived variant is not sold any
more, while the orders that point at it stay whole; an agent works only on its brands."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from storefront.accounts.tables import User
from storefront.catalog.tables import Product, Variant
from storefront.db import db
from storefront.fulfilment.tables import AgentCompany
from storefront.orders.tables import OrderLine
from test_after_payment import PASSWORD, api_key, api_order


def slug_of(sku: str) -> str:
    return sku.removesuffix("-0").lower()


def product_row(app, slug: str) -> Product:
    with app.app_context():
        product = db.session.scalar(select(Product).where(Product.slug == slug))
        db.session.expunge(product)
        return product


def variants_of(app, slug: str) -> dict[str, tuple]:
    """sku -> (options, price, min, step, archived), as saved."""
    with app.app_context():
        rows = db.session.scalars(
            select(Variant).join(Product).where(Product.slug == slug).order_by(Variant.id)
        )
        return {
            v.sku: (
                v.options,
                str(v.price_amount.normalize()),
                v.wholesale_min_quantity,
                v.wholesale_step,
                v.is_archived,
            )
            for v in rows
        }


def store_skus(client, slug: str) -> list[str]:
    answer = client.get(f"/api/v1/products/{slug}?channel=eu").get_json()
    return [v["sku"] for v in answer["variants"]]


def add_to_new_cart(client, sku: str, locale: str = "en"):
    cart = client.post(
        "/api/v1/carts",
        json={"channel": "eu", "country": "DE"},
        headers={"Accept-Language": locale},
    ).get_json()
    auth = {"Authorization": f"Bearer {cart['token']}", "Accept-Language": locale}
    return (
        cart,
        auth,
        client.post(f"/api/v1/carts/{cart['id']}/lines", json={"sku": sku}, headers=auth),
    )


@pytest.fixture
def staff(app, make_user):
    return api_key(app, make_user, "staff@shop.example", "staff")


# the admin API ---------------------------------------------------------------------------------


def test_staff_add_and_change_a_variant_with_the_imports_checks(app, client, staff, four_models):
    slug = slug_of(four_models["drop"])
    url = f"/api/v1/admin/products/{slug}/variants"
    good = {"sku": "ROPE-60", "price": "35.00", "options": {"length": "60 cm"}}
    for change, field in (
        ({"sku": "rope 60"}, "sku"),
        ({"sku": four_models["stock"]}, "sku"),  # another product's
        ({"price": "cheap"}, "price"),
        ({"price": "0"}, "price"),
        ({"price": "35.001"}, "price"),
        ({"options": {"length": "60;70"}}, "options"),
        ({"options": ["60 cm"]}, "options"),
        ({"min_quantity": 0}, "min_quantity"),
        ({"step": "2"}, "step"),
    ):
        refused = client.post(url, json={**good, **change}, headers=staff)
        assert refused.status_code == 400, (change, refused.get_json())
        assert refused.get_json()["error"]["field"] == field, (change, refused.get_json())
    assert "ROPE-60" not in variants_of(app, slug)

    added = client.post(url, json={**good, "min_quantity": 5, "step": 5}, headers=staff)
    assert added.status_code == 201, added.get_json()
    assert added.get_json() == {
        "sku": "ROPE-60",
        "options": {"length": "60 cm"},
        "price": {"amount": "35.00", "currency": product_row(app, slug).price_currency},
        "min_quantity": 5,
        "step": 5,
        "is_archived": False,
    }
    assert product_row(app, slug).from_price_amount == 35  # cheaper than the first variant
    assert "ROPE-60" in store_skus(client, slug)
    listed = client.get(url, headers=staff).get_json()["items"]
    assert [v["sku"] for v in listed] == [four_models["drop"], "ROPE-60"]

    one = f"{url}/ROPE-60"
    for body, field in (({"price": "-1"}, "price"), ({"step": 0}, "step"),
                        ({"options": {"": "x"}}, "options")):  # fmt: skip
        refused = client.patch(one, json=body, headers=staff)
        assert refused.status_code == 400 and refused.get_json()["error"]["field"] == field
    changed = client.patch(
        one, json={"price": "52.00", "options": {"length": "65 cm"}, "step": 1}, headers=staff
    )
    assert changed.status_code == 200, changed.get_json()
    assert variants_of(app, slug)["ROPE-60"] == ({"length": "65 cm"}, "52", 5, 1, False)
    assert product_row(app, slug).from_price_amount == 49  # the first variant again
    assert client.patch(f"{url}/NOPE", json={}, headers=staff).status_code == 404


def test_an_archived_variant_is_not_sold_and_its_orders_stay_whole(app, client, staff, four_models):
    sku = four_models["drop"]
    slug = slug_of(sku)
    url = f"/api/v1/admin/products/{slug}/variants"
    client.post(url, json={"sku": "ROPE-60", "price": "45.00"}, headers=staff)
    placed = api_order(client, ["ROPE-60"], key="before-archiving")
    stale_cart, stale_auth, stale = add_to_new_cart(client, "ROPE-60")  # filled before
    assert stale.status_code == 201

    archived = client.post(f"{url}/ROPE-60/archive", headers=staff)
    assert archived.status_code == 200 and archived.get_json()["is_archived"] is True
    assert store_skus(client, slug) == [sku]
    assert product_row(app, slug).from_price_amount == 49  # the cheaper one is off sale
    _cart, _auth, refused = add_to_new_cart(client, "ROPE-60", locale="de")
    assert refused.status_code == 400
    assert refused.get_json()["error"] == {
        "code": "variant_archived",
        "field": "sku",
        "message": "ROPE-60 wird nicht mehr verkauft. Bitte wählen Sie eine andere Option.",
    }
    # the cart filled before cannot check out with it
    cart = client.get(f"/api/v1/carts/{stale_cart['id']}", headers=stale_auth)
    problems = {p["code"]: p["message"] for p in cart.get_json()["problems"]}
    assert problems["not_for_sale"] == "ROPE-60 is no longer sold. Please choose another option."
    # the placed order keeps its line, and staff still see it
    with app.app_context():
        line = db.session.scalar(select(OrderLine).where(OrderLine.sku == "ROPE-60"))
        assert line is not None and line.variant_id is not None
    orders = client.get("/api/v1/admin/orders", headers=staff).get_json()["items"]
    assert [o["number"] for o in orders] == [placed["order_id"]]
    assert orders[0]["groups"][0]["lines"][0]["sku"] == "ROPE-60"

    last = client.post(f"{url}/{sku}/archive", headers=staff)  # the only one left on sale
    assert last.status_code == 400 and last.get_json()["error"]["field"] == "sku"
    restored = client.post(f"{url}/ROPE-60/restore", headers=staff)
    assert restored.get_json()["is_archived"] is False
    assert store_skus(client, slug) == [sku, "ROPE-60"]
    assert add_to_new_cart(client, "ROPE-60")[2].status_code == 201


def test_a_patch_changes_the_products_other_fields_with_the_imports_checks(
    app, client, staff, four_models
):
    slug = slug_of(four_models["stock"])
    url = f"/api/v1/admin/products/{slug}"
    for body, field in (
        ({"weight_grams": 0}, "weight_grams"),
        ({"height_mm": "4"}, "height_mm"),
        ({"category": "hats"}, "category"),
        ({"brand": "nobody"}, "brand"),
        ({"hs_code": "71"}, "hs_code"),
        ({"grade": "imitation"}, "grade"),
        ({"qc_status": "x" * 61}, "qc_status"),
        ({"is_published": "yes"}, "is_published"),
    ):
        refused = client.patch(url, json=body, headers=staff)
        assert refused.status_code == 400, (body, refused.get_json())
        assert refused.get_json()["error"]["field"] == field, (body, refused.get_json())
    changed = client.patch(
        url,
        json={"weight_grams": 9, "length_mm": 30, "width_mm": 25, "height_mm": 5,
              "grade": "skip_order", "qc_status": "passed", "category": "bracelets",
              "origin_country": "pt"},
        headers=staff,
    )  # fmt: skip
    assert changed.status_code == 200, changed.get_json()
    answer = changed.get_json()
    assert (answer["weight_grams"], answer["category"], answer["origin_country"]) == (
        9,
        "bracelets",
        "PT",
    )
    assert answer["selling_model"] == "wholesale_retail"  # untouched without selling_model
    product = product_row(app, slug)
    assert (product.length_mm, product.width_mm, product.height_mm) == (30, 25, 5)
    assert (product.grade, product.qc_status) == ("skip_order", "passed")
    shown = client.get(f"/api/v1/products/{slug}?channel=eu").get_json()
    assert (shown["weight_grams"], shown["qc_status"]) == (9, "passed")
    cleared = client.patch(url, json={"qc_status": None}, headers=staff)
    assert cleared.get_json()["qc_status"] is None


def test_an_agent_changes_only_its_own_brands_variants(app, client, make_user, four_models):
    agent = api_key(app, make_user, "ops@milano.example", "agent", agent="milano-agency")
    own, foreign = slug_of(four_models["agent"]), slug_of(four_models["stock"])
    body = {"sku": "HOOPS-XL", "price": "70.00"}
    assert (
        client.post(
            f"/api/v1/admin/products/{foreign}/variants", json=body, headers=agent
        ).status_code
        == 404
    )
    assert (
        client.post(
            f"/api/v1/admin/products/{foreign}/variants/{four_models['stock']}/archive",
            headers=agent,
        ).status_code
        == 404
    )
    assert (
        client.patch(
            f"/api/v1/admin/products/{foreign}", json={"weight_grams": 1}, headers=agent
        ).status_code
        == 404
    )
    added = client.post(f"/api/v1/admin/products/{own}/variants", json=body, headers=agent)
    assert added.status_code == 201, added.get_json()
    # nor may it move its product to a brand it does not run
    moved = client.patch(f"/api/v1/admin/products/{own}", json={"brand": "aurora"}, headers=agent)
    assert moved.status_code == 403
    with app.app_context():
        brand = db.session.scalar(select(Product).where(Product.slug == own)).brand.slug
    assert brand == "milano"
    assert "HOOPS-XL" not in variants_of(app, foreign) and "HOOPS-XL" in variants_of(app, own)


# the back-office page --------------------------------------------------------------------------


def test_staff_manage_variants_on_the_page(app, logged_in, four_models):
    sku = four_models["drop"]
    slug = slug_of(sku)
    staff = logged_in("staff")
    edit = staff.get(f"/admin/products/{slug}").get_data(as_text=True)
    assert f"/admin/products/{slug}/variants" in edit
    page = staff.get(f"/admin/products/{slug}/variants")
    assert page.status_code == 200 and sku in page.get_data(as_text=True)

    url = f"/admin/products/{slug}/variants"
    form = {"sku": "ROPE-60", "options": "length=60 cm", "price": "45.00",
            "min_quantity": "1", "step": "1"}  # fmt: skip
    for change, field in (
        ({"price": "cheap"}, "price"),
        ({"options": "long"}, "options"),
        ({"step": "0"}, "step"),
        ({"sku": sku}, "sku"),
    ):
        refused = staff.post(url, data={**form, **change})
        text = refused.get_data(as_text=True)
        assert refused.status_code == 422 and f'data-field="{field}"' in text, (change, text)
    assert "ROPE-60" not in variants_of(app, slug)
    assert staff.post(url, data=form).status_code == 303
    assert variants_of(app, slug)["ROPE-60"] == ({"length": "60 cm"}, "45", 1, 1, False)

    row = f"{url}/ROPE-60"
    refused = staff.post(row, data={**form, "price": "0"})
    assert refused.status_code == 422 and 'data-field="price"' in refused.get_data(as_text=True)
    saved = staff.post(row, data={"options": "length=65 cm", "price": "47.50",
                                  "min_quantity": "3", "step": "3"})  # fmt: skip
    assert saved.status_code == 303
    assert variants_of(app, slug)["ROPE-60"] == ({"length": "65 cm"}, "47.5", 3, 3, False)

    unticked = staff.post(f"{row}/archive", data={})
    assert unticked.status_code == 422 and "Tick the box" in unticked.get_data(as_text=True)
    assert variants_of(app, slug)["ROPE-60"][4] is False
    assert staff.post(f"{row}/archive", data={"confirm": "y"}).status_code == 303
    assert variants_of(app, slug)["ROPE-60"][4] is True
    shop_page = staff.get(f"/p/{slug}").get_data(as_text=True)
    assert 'value="ROPE-60"' not in shop_page and f'value="{sku}"' in shop_page
    stale = staff.post("/cart/add", data={"sku": "ROPE-60", "quantity": "1"},
                       follow_redirects=True)  # fmt: skip
    assert "ROPE-60 is no longer sold" in stale.get_data(as_text=True)
    last = staff.post(f"{url}/{sku}/archive", data={"confirm": "y"})
    assert last.status_code == 422 and "last variant on sale" in last.get_data(as_text=True)
    assert staff.post(f"{row}/restore", data={}).status_code == 303
    assert 'value="ROPE-60"' in staff.get(f"/p/{slug}").get_data(as_text=True)


def test_the_forms_need_their_csrf_token(app, logged_in, four_models):
    slug = slug_of(four_models["drop"])
    staff = logged_in("staff")
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        refused = staff.post(f"/admin/products/{slug}/variants",
                             data={"sku": "ROPE-60", "price": "45.00"})  # fmt: skip
    finally:
        app.config["WTF_CSRF_ENABLED"] = False
    assert refused.status_code == 400
    assert "ROPE-60" not in variants_of(app, slug)


def test_the_edit_page_changes_weight_sizes_qc_status_and_category(app, logged_in, four_models):
    slug = slug_of(four_models["stock"])
    staff = logged_in("staff")
    page = staff.get(f"/admin/products/{slug}").get_data(as_text=True)
    assert 'name="weight_grams"' in page and 'name="category_slug"' in page
    product = product_row(app, slug)
    form = {
        "name": product.name,
        "hs_code": product.hs_code,
        "origin_country": product.origin_country,
        "material": product.material,
        "grade": "skip_order",
        "selling_model": product.selling_model,
        "is_published": "y",
        "weight_grams": "8",
        "length_mm": "23",
        "width_mm": "23",
        "height_mm": "5",
        "qc_status": "not inspected by brand",
        "brand_slug": "aurora",
        "category_slug": "necklaces",
    }
    for change in ({"weight_grams": "0"}, {"category_slug": "hats"}, {"weight_grams": "8g"}):
        refused = staff.post(f"/admin/products/{slug}", data={**form, **change})
        assert refused.status_code == 422, change
    assert product_row(app, slug).weight_grams == product.weight_grams
    assert staff.post(f"/admin/products/{slug}", data=form).status_code == 303
    saved = product_row(app, slug)
    assert (saved.weight_grams, saved.height_mm, saved.qc_status, saved.grade) == (
        8,
        5,
        "not inspected by brand",
        "skip_order",
    )
    with app.app_context():
        assert db.session.get(Product, saved.id).category.slug == "necklaces"


def test_an_agent_on_the_page_sees_only_its_brands_variants(app, client, make_user, four_models):
    make_user(email="ops@milano.example", role="agent")
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == "ops@milano.example"))
        user.agent_id = db.session.scalar(
            select(AgentCompany.id).where(AgentCompany.code == "milano-agency")
        )
        db.session.commit()
    client.post("/login", data={"email": "ops@milano.example", "password": PASSWORD})
    own, foreign = slug_of(four_models["agent"]), slug_of(four_models["stock"])
    assert client.get(f"/admin/products/{own}/variants").status_code == 200
    assert client.get(f"/admin/products/{foreign}/variants").status_code == 404
    assert client.get(f"/admin/products/{foreign}/prices").status_code == 404
    taken = client.post(
        f"/admin/products/{foreign}/variants/{four_models['stock']}/archive",
        data={"confirm": "y"},
    )
    assert taken.status_code == 404
    assert variants_of(app, foreign)[four_models["stock"]][4] is False
