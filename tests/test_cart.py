"""The session cart: add, change, remove; bad input gets a message, never a 500."""

import re

import pytest


@pytest.fixture(autouse=True)
def _us(make_channel):
    make_channel("us")


def cart_lines(client) -> dict[str, int]:
    page = client.get("/cart").get_data(as_text=True)
    skus = re.findall(r'class="cart-line" data-sku="([^"]+)"', page)
    quantities = re.findall(r'name="quantity" value="(\d+)"', page)
    return dict(zip(skus, map(int, quantities), strict=True))


def line_ids(client) -> dict[str, str]:
    page = client.get("/cart").get_data(as_text=True)
    skus = re.findall(r'class="cart-line" data-sku="([^"]+)"', page)
    ids = re.findall(r'name="line" value="(\d+)"', page)[::2]  # change and remove forms
    return dict(zip(skus, ids, strict=True))


def test_add_change_remove(client, make_product):
    slug = make_product(prices=["49.00", "52.00"])
    sku0, sku1 = f"{slug.upper()}-0", f"{slug.upper()}-1"

    response = client.post("/cart/add", data={"sku": sku0, "quantity": "2"})
    assert response.status_code == 303 and response.location.endswith(f"/p/{slug}")
    client.post("/cart/add", data={"sku": sku1, "quantity": "1"})
    client.post("/cart/add", data={"sku": sku0, "quantity": "1"})
    assert cart_lines(client) == {sku0: 3, sku1: 1}
    page = client.get("/cart").get_data(as_text=True)
    assert "$147.00" in page and "$199.00" in page  # 3 x 49 and the subtotal
    assert '<span class="cart-count">4</span>' in page

    ids = line_ids(client)
    client.post("/cart/change", data={"line": ids[sku0], "quantity": "1"})
    assert cart_lines(client) == {sku0: 1, sku1: 1}
    client.post("/cart/remove", data={"line": ids[sku1]})
    assert cart_lines(client) == {sku0: 1}


def test_unknown_sku_is_explained(client):
    response = client.post(
        "/cart/add", data={"sku": "NOPE-1", "quantity": "1"}, follow_redirects=True
    )
    assert response.status_code == 200
    assert "We could not find the item NOPE-1." in response.get_data(as_text=True)
    assert cart_lines(client) == {}


def test_bad_quantities_are_explained_and_change_nothing(client, make_product):
    slug = make_product()
    sku = f"{slug.upper()}-0"
    client.post("/cart/add", data={"sku": sku, "quantity": "2"})
    for bad in ["0", "-3", "abc", "1.5", "", "1000"]:
        response = client.post(
            "/cart/add", data={"sku": sku, "quantity": bad}, follow_redirects=True
        )
        text = response.get_data(as_text=True)
        assert response.status_code == 200
        assert ("whole number" in text) or ("between 1 and 999" in text), bad
        response = client.post(
            "/cart/change", data={"sku": sku, "quantity": bad}, follow_redirects=True
        )
        assert response.status_code == 200
    assert cart_lines(client) == {sku: 2}


def test_removing_what_is_not_there_is_explained(client):
    response = client.post("/cart/remove", data={"line": "12345"}, follow_redirects=True)
    assert "no longer in your cart" in response.get_data(as_text=True)


def test_a_tampered_redirect_target_stays_on_the_shop(client, make_product):
    slug = make_product()
    response = client.post(
        "/cart/add",
        data={"sku": f"{slug.upper()}-0", "quantity": "1", "next": "//evil.example/phish"},
    )
    assert response.location.endswith(f"/p/{slug}")


def test_empty_cart_page_invites_to_shop(client):
    assert "Your cart is empty." in client.get("/cart").get_data(as_text=True)
