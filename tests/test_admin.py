"""The back office: who may enter, and the product form."""

import re

import pytest

from storefront.catalog.tables import Product
from storefront.db import db


def test_anonymous_is_sent_to_login(client):
    response = client.get("/admin/products")
    assert response.status_code == 302 and "/login" in response.location


def test_wrong_password_is_refused(client, make_user):
    make_user()
    response = client.post("/login", data={"email": "owner@example.com", "password": "nope"})
    assert response.status_code == 200
    assert "Wrong e-mail or password." in response.get_data(as_text=True)


@pytest.mark.parametrize("role", ["supplier", "agent"])
def test_roles_without_catalog_rights_get_403(logged_in, role):
    client = logged_in(role)
    assert client.get("/admin/products").status_code == 403


def test_staff_lists_and_searches_products(logged_in, make_product):
    client = logged_in("staff")
    make_product(name="Rope chain")
    make_product(name="Signet")
    page = client.get("/admin/products?q=rope").get_data(as_text=True)
    assert "Rope chain" in page and "Signet" not in page


def test_owner_switches_selling_model_and_price(logged_in, make_product, make_supplier, app):
    from storefront.catalog.tables import SellingModelChange

    client = logged_in("owner")
    make_supplier("shenzhen-silver")
    slug = make_product(name="Signet", prices=["49.00", "52.00"])
    form = {
        "name": "Signet ring",
        "description": "Heavy.",
        "hs_code": "7113.11",
        "origin_country": "cn",
        "material": "sterling silver",
        "grade": "none",
        "selling_model": "oem_dropship",
        "is_published": "y",
        f"price-{slug.upper()}-0": "45.00",
        f"price-{slug.upper()}-1": "52.00",
    }
    refused = client.post(f"/admin/products/{slug}", data=form)
    assert refused.status_code == 422
    assert "oem_dropship needs supplier" in refused.get_data(as_text=True)
    form["setting-oem_dropship-supplier"] = "nobody"
    refused = client.post(f"/admin/products/{slug}", data=form)
    assert "There is no active supplier &#39;nobody&#39;" in refused.get_data(as_text=True)
    form["setting-oem_dropship-supplier"] = "shenzhen-silver"
    response = client.post(f"/admin/products/{slug}", data=form)
    assert response.status_code == 303
    with app.app_context():
        product = db.session.query(Product).filter_by(slug=slug).one()
        assert (product.name, product.selling_model, product.origin_country) == (
            "Signet ring",
            "oem_dropship",
            "CN",
        )
        assert str(product.from_price_amount) == "45.000"
        assert product.selling_model_settings == {"supplier": "shenzhen-silver"}
        change = db.session.query(SellingModelChange).one()
        assert (change.from_code, change.to_code) == ("wholesale_retail", "oem_dropship")
        assert change.to_settings == {"supplier": "shenzhen-silver"} and change.changed_by
    page = client.get(f"/admin/products/{slug}").get_data(as_text=True)
    assert 'data-testid="model-history"' in page
    history = page.split('data-testid="model-history"')[1].split("</table>")[0]
    assert "owner@example.com" in history  # who switched it, by name, not by id


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("hs_code", "71", "is not an HS code"),
        ("origin_country", "XX", "is not an ISO 3166-1"),
        ("price", "-1", "Number must be at least 0"),
        ("price", "12.345", "at most the currency's decimals"),
        ("price", "abc", "Enter a price like 49.00."),
    ],
)
def test_bad_input_is_explained_and_nothing_is_saved(
    logged_in, make_product, app, field, value, message
):
    client = logged_in("owner")
    slug = make_product(name="Signet")
    form = {
        "name": "Changed",
        "description": "",
        "hs_code": "7113.11",
        "origin_country": "CN",
        "material": "sterling silver",
        "grade": "none",
        "selling_model": "wholesale_retail",
        "is_published": "y",
        f"price-{slug.upper()}-0": "49.00",
    }
    if field == "price":
        form[f"price-{slug.upper()}-0"] = value
    else:
        form[field] = value
    response = client.post(f"/admin/products/{slug}", data=form)
    text = response.get_data(as_text=True)
    assert response.status_code in (200, 422)
    assert message in text or (field == "price" and "must be above 0" in text)
    with app.app_context():
        product = db.session.query(Product).filter_by(slug=slug).one()
        assert product.name == "Signet" and str(product.variants[0].price_amount) == "49.000"


def test_edit_form_refuses_a_post_without_csrf_token(_app, make_product, make_user, tmp_path):
    _app.config["WTF_CSRF_ENABLED"] = True
    try:
        client = _app.test_client()
        make_user()
        page = client.get("/login").get_data(as_text=True)
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
        client.post(
            "/login",
            data={
                "email": "owner@example.com",
                "password": "correct horse battery",
                "csrf_token": token,
            },
        )
        slug = make_product(name="Signet")
        response = client.post(f"/admin/products/{slug}", data={"name": "Hacked"})
        assert response.status_code == 400
        assert "CSRF" in response.get_data(as_text=True)
    finally:
        _app.config["WTF_CSRF_ENABLED"] = False


def test_users_create_command_makes_a_user_who_can_sign_in(runner, client):
    result = runner.invoke(
        args=["users", "create", "--email", "Ana@Shop.example", "--role", "staff"],
        input="a long enough password\na long enough password\n",
    )
    assert result.exit_code == 0, result.output
    assert "Created staff ana@shop.example." in result.output
    response = client.post(
        "/login", data={"email": "ana@shop.example", "password": "a long enough password"}
    )
    assert response.status_code == 302
    again = runner.invoke(
        args=["users", "create", "--email", "ana@shop.example"], input="another password\n" * 2
    )
    assert again.exit_code == 1 and "exists already" in again.output
    short = runner.invoke(
        args=["users", "create", "--email", "b@shop.example"], input="short\n" * 2
    )
    assert short.exit_code == 1 and "at least 10 characters" in short.output


def test_back_office_flags_stale_and_missing_rates(logged_in, make_channel, rates):
    import datetime

    client = logged_in("owner")
    make_channel("us")
    make_channel("eu")
    make_channel("gulf")
    rates(datetime.date(2020, 1, 2))
    page = client.get("/admin/products").get_data(as_text=True)
    assert "Exchange rates older than 4 days:\n  USD (2020-01-02)." in page
    assert "No exchange rate for KWD" in page
    rates(datetime.datetime.now(datetime.UTC).date(), KWD="0.35")
    page = client.get("/admin/products").get_data(as_text=True)
    assert 'data-testid="stale-rates"' not in page and 'data-testid="missing-rates"' not in page


def test_model_settings_are_real_fields_with_a_chooser_of_partners(
    logged_in, make_product, make_supplier, make_maker, app
):
    from storefront.fulfilment.tables import Supplier

    client = logged_in("owner")
    make_supplier("shenzhen-silver")
    make_supplier("retired-works")
    make_maker("atelier", "PT")
    with app.app_context():
        db.session.query(Supplier).filter_by(code="retired-works").one().is_active = False
        db.session.commit()
    slug = make_product(name="Signet")
    page = client.get(f"/admin/products/{slug}").get_data(as_text=True)
    chooser = page.split('data-testid="choose-oem_dropship-supplier"')[1].split("</select>")[0]
    assert 'value="shenzhen-silver"' in chooser and "Shenzhen Silver" in chooser
    assert "retired-works" not in chooser  # an inactive supplier is no choice
    workshop = page.split('data-testid="choose-self_produced-maker"')[1].split("</select>")[0]
    assert 'value="atelier"' in workshop
    assert 'type="number" min="0" step="1" name="setting-self_produced-production_min"' in page
