"""Issue #14, finding 7: bad input is answered with a clear 400 or 404, never a 500, on
SQLite and PostgreSQL. Each test is the attack as it was made."""

from __future__ import annotations

import base64
import json

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import DataError, ProgrammingError

from localstripe_server import WEBHOOK_SECRET, sign
from orders_helpers import load, place
from storefront.accounts.api_keys import issue_api_key
from storefront.accounts.tables import User
from storefront.catalog import queries as catalog_queries
from storefront.db import db

HUGE = "99999999999999999999999"
BEYOND_INT32 = 2**31


def cursor(after) -> str:
    return base64.urlsafe_b64encode(json.dumps({"after": after}).encode()).decode()


def bearer(app, email: str) -> dict:
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == email))
        _key, raw = issue_api_key(user)
        db.session.commit()
    return {"Authorization": f"Bearer {raw}"}


@pytest.fixture
def owner(app, make_user) -> dict:
    return bearer(app, make_user(email="owner@example.com", role="owner"))


@pytest.fixture
def supplier(app, runner, make_user, make_supplier) -> dict:
    make_supplier("shenzhen-silver")
    email = make_user(email="s@suppliers.example", role="supplier")
    result = runner.invoke(
        args=["webhooks", "supplier-key", "--supplier", "shenzhen-silver", "--email", email]
    )
    assert result.exit_code == 0, result.output
    return {"Authorization": f"Bearer {result.output.split('(shown once): ')[1].strip()}"}


@pytest.fixture
def api_cart(client, four_models):
    response = client.post("/api/v1/carts", json={"channel": "eu", "country": "DE"})
    body = response.get_json()
    return body["id"], {"Authorization": f"Bearer {body['token']}"}, four_models


def assert_refused(response, status: int = 400) -> None:
    assert response.status_code == status, response.get_data(as_text=True)[:500]


# finding 7: numbers beyond what the database holds ---------------------------------------


@pytest.mark.parametrize("after", [10**30, BEYOND_INT32, -1])
def test_a_cursor_beyond_any_id_is_a_400(client, owner, after):
    for path in ("/api/v1/products", "/api/v1/admin/orders"):
        response = client.get(path, query_string={"cursor": cursor(after)}, headers=owner)
        assert_refused(response)
        assert response.get_json()["error"]["code"] == "invalid_cursor"


@pytest.mark.parametrize(
    "path",
    [
        "/c/rings",
        "/search?q=ring",
        "/admin/orders",
        "/admin/products",
        "/admin/mail",
        "/admin/warehouses",
        "/admin/partners/suppliers",
    ],
)
def test_a_page_number_beyond_any_page_is_a_404(client, logged_in, make_product, path):
    make_product()
    logged_in("owner")
    separator = "&" if "?" in path else "?"
    assert_refused(client.get(f"{path}{separator}page={HUGE}"), 404)
    assert_refused(client.get(f"{path}{separator}page={BEYOND_INT32}"), 404)
    assert client.get(f"{path}{separator}page=many").status_code == 200


def test_a_group_id_beyond_any_id_is_a_404(client, supplier):
    response = client.post(f"/api/v1/supplier/groups/{HUGE}/accept", headers=supplier)
    assert_refused(response, 404)
    response = client.post(f"/api/v1/supplier/groups/{BEYOND_INT32}/accept", headers=supplier)
    assert_refused(response, 404)


@pytest.mark.parametrize("quantity", [10**21, BEYOND_INT32])
def test_a_stock_level_beyond_any_count_is_a_400(client, supplier, quantity):
    response = client.put(
        "/api/v1/supplier/stock", json=[{"sku": "ANY-0", "quantity": quantity}], headers=supplier
    )
    assert_refused(response)
    assert response.get_json()["error"]["field"] == "[0].quantity"


def test_a_cart_quantity_beyond_any_count_is_a_400(client, api_cart):
    cart_id, auth, skus = api_cart
    response = client.post(
        f"/api/v1/carts/{cart_id}/lines",
        json={"sku": skus["stock"], "quantity": BEYOND_INT32},
        headers=auth,
    )
    assert_refused(response)
    assert response.get_json()["error"]["field"] == "quantity"
    response = client.patch(
        f"/api/v1/carts/{cart_id}/lines/{BEYOND_INT32}", json={"quantity": 1}, headers=auth
    )
    assert_refused(response)
    assert response.get_json()["error"]["code"] == "unknown_line"


# finding 7: shapes and sizes ----------------------------------------------------------------


BERLIN = {
    "name": "Lena Vogel",
    "street_address": "Torstraße 1",
    "city": "Berlin",
    "postal_code": "10119",
}


def test_an_email_that_is_a_list_is_a_400_naming_it(client, api_cart):
    cart_id, auth, _skus = api_cart
    response = client.put(
        f"/api/v1/carts/{cart_id}/address",
        json={"address": BERLIN, "email": ["a"], "phone": ["030 1234567"]},
        headers=auth,
    )
    assert_refused(response)
    assert set(response.get_json()["error"]["details"]) == {"email", "phone"}


def test_json_nested_100000_deep_is_a_400(client, api_cart):
    cart_id, auth, _skus = api_cart
    body = '{"sku": ' + "[" * 100_000 + "]" * 100_000 + "}"
    response = client.post(
        f"/api/v1/carts/{cart_id}/lines", data=body, content_type="application/json", headers=auth
    )
    assert_refused(response)
    assert response.get_json()["error"]["code"] == "invalid_json"


def test_a_signed_stripe_event_whose_body_is_an_array_is_a_400(app, client, monkeypatch):
    monkeypatch.setitem(app.config, "STRIPE_WEBHOOK_SECRET", WEBHOOK_SECRET)
    monkeypatch.setitem(app.config, "STRIPE_SECRET_KEY", "sk_test_storefront")
    body = json.dumps([{"id": "evt_1", "type": "payment_intent.succeeded"}])
    response = client.post(
        "/webhooks/stripe",
        data=body,
        headers={"Stripe-Signature": sign(body), "Content-Type": "application/json"},
    )
    assert_refused(response)
    assert response.get_json()["error"]["code"] == "invalid_event"


def test_a_20_mb_body_is_refused_before_it_is_read(client):
    response = client.post(
        "/api/v1/carts", data=b"x" * (20 * 1024 * 1024), content_type="application/json"
    )
    assert_refused(response, 413)


# finding 7: NUL bytes (PostgreSQL refuses them in text) ----------------------------------------


def test_a_nul_byte_in_a_path_is_a_404(client, api_cart, logged_in):
    cart_id, auth, _skus = api_cart
    for path in (
        "/p/ring%00x",
        "/c/rings%00",
        "/api/v1/products/ring%00",
        "/api/v1/orders/LL-1%00",
        "/orders/LL-1%00",
    ):
        assert_refused(client.get(path), 404)
    assert_refused(client.get(f"/api/v1/carts/{cart_id}%00", headers=auth), 404)
    logged_in("owner")
    assert_refused(client.get("/admin/orders/LL-1%00"), 404)


def test_a_nul_byte_in_a_query_form_or_json_is_a_400(client, api_cart):
    cart_id, auth, _skus = api_cart
    assert_refused(client.get("/search?q=ring%00"))
    assert_refused(client.get("/api/v1/products?q=ring%00"))
    response = client.post(
        f"/api/v1/carts/{cart_id}/lines", json={"sku": "RING\x00-0"}, headers=auth
    )
    assert_refused(response)
    assert response.get_json()["error"]["code"] == "invalid_json"
    assert_refused(client.post("/cart/add", data={"sku": "RING\x00", "quantity": "1"}))


# finding 7: after the database refused a statement, the error page still renders --------


def _failing_listing(is_postgres: bool, statement: str, error: type[Exception]):
    def listing(*args, **kwargs):
        if is_postgres:  # the real thing: the transaction is aborted until rolled back
            db.session.execute(text(statement))
        raise error(statement, {}, Exception("refused"))

    return listing


def test_a_value_the_database_refuses_is_a_400_page_not_a_500(
    app, client, make_product, is_postgres, monkeypatch
):
    make_product()
    monkeypatch.setattr(
        catalog_queries,
        "listing",
        _failing_listing(is_postgres, "SELECT CAST('x' AS INTEGER)", DataError),
    )
    response = client.get("/search?q=ring")
    assert_refused(response)
    assert "Rings" in response.get_data(as_text=True)  # the nav, read after the rollback


def test_the_500_page_renders_after_a_failed_statement(
    app, client, make_product, is_postgres, monkeypatch
):
    make_product()
    monkeypatch.setitem(app.config, "PROPAGATE_EXCEPTIONS", False)
    monkeypatch.setattr(
        catalog_queries,
        "listing",
        _failing_listing(is_postgres, "SELECT * FROM no_such_table", ProgrammingError),
    )
    response = client.get("/search?q=ring")
    assert_refused(response, 500)
    assert "Rings" in response.get_data(as_text=True)


def test_an_id_in_a_form_that_is_no_number_or_too_large_finds_nothing(
    app, client, logged_in, four_models
):
    order_id = place(app, {four_models["stock"]: 1}, "hostile-1", paid=True)
    with app.app_context():
        group_id = load(order_id).groups[0].id
    logged_in("owner")
    for shipment_id in ("abc", "²", HUGE, str(BEYOND_INT32)):
        response = client.post(
            f"/admin/shipping-work/groups/{group_id}/track", data={"shipment_id": shipment_id}
        )
        assert response.status_code < 500, response.get_data(as_text=True)[:300]
        assert "There is no shipment" in client.get(response.location).get_data(as_text=True)


def test_a_saved_address_id_beyond_any_id_is_a_404(client, logged_in):
    logged_in("customer")
    for address_id in ("²", HUGE, str(BEYOND_INT32)):
        assert_refused(client.get(f"/account/addresses/{address_id}"), 404)


def test_a_shipping_method_that_is_a_superscript_digit_is_refused_not_a_500(client, four_models):
    client.post("/cart/add", data={"sku": four_models["stock"], "quantity": "1"})
    for method in ("²", HUGE):
        response = client.post("/cart/shipping", data={"shipper": "warehouse:sz", "method": method})
        assert response.status_code == 303
