"""Delivery details: addresses per country, ISO 3166-2 regions, phones, in the buyer's language."""

import pytest

from storefront.cart.address import DeliveryError, check_address, check_delivery, check_phone

BERLIN = {
    "name": "Lena Vogel",
    "street_address": "Torstraße 1",
    "city": "Berlin",
    "postal_code": "10119",
}


def test_a_german_address_is_kept_as_typed(app):
    with app.test_request_context():
        address = check_address("DE", BERLIN)
    assert address["postal_code"] == "10119" and address["country_code"] == "DE"
    assert address["city"] == "Berlin" and address["name"] == "Lena Vogel"


@pytest.mark.parametrize(
    ("country", "area", "city", "postal"),
    [
        ("US", "US-CA", "Mountain View", "94043"),
        ("JP", "JP-13", "Chiyoda-ku", "100-0001"),
        ("CA", "CA-QC", "Montréal", "H2X 1Y4"),
    ],
)
def test_regions_travel_as_iso_codes(app, country, area, city, postal):
    raw = {
        "name": "A Buyer",
        "street_address": "1-1",
        "city": city,
        "postal_code": postal,
        "country_area": area,
    }
    with app.test_request_context():
        assert check_address(country, raw)["country_area"] == area


def test_each_bad_field_is_named_with_a_helpful_message(app):
    raw = {
        "name": "",
        "street_address": "1 Main St",
        "city": "Mountain View",
        "postal_code": "1234",
        "country_area": "US-XX",
    }
    with app.test_request_context(), pytest.raises(DeliveryError) as refused:
        check_address("US", raw)
    assert set(refused.value.errors) == {"name", "country_area"}
    with app.test_request_context(), pytest.raises(DeliveryError) as refused:
        check_address("US", {**raw, "name": "Al", "country_area": "US-CA"})
    assert refused.value.errors == {"postal_code": "Enter a postal code like 95014."}


def test_errors_are_in_the_buyers_language(app):
    with app.test_request_context("/?locale=de"), pytest.raises(DeliveryError) as refused:
        check_address("DE", {**BERLIN, "postal_code": "1011"})
    assert refused.value.errors["postal_code"].startswith("Geben Sie eine Postleitzahl")


def test_phones_are_read_in_the_delivery_country_and_kept_in_e164(app):
    with app.test_request_context():
        assert check_phone("DE", "030 1234567") == "+49301234567"
        assert check_phone("JP", "+81 3-1234-5678") == "+81312345678"
        with pytest.raises(DeliveryError, match="phone"):
            check_phone("DE", "12")


def test_all_problems_come_back_at_once(app):
    with app.test_request_context(), pytest.raises(DeliveryError) as refused:
        check_delivery("DE", {**BERLIN, "postal_code": "1"}, "not-an-email", "12")
    assert set(refused.value.errors) == {"address.postal_code", "email", "phone"}


def test_api_keeps_checked_delivery_details(client, four_models):
    cart = client.post("/api/v1/carts", json={"channel": "eu", "country": "DE"}).get_json()
    auth = {"Authorization": f"Bearer {cart['token']}"}
    assert cart["problems"][0]["code"] == "address_missing"
    bad = client.put(
        f"/api/v1/carts/{cart['id']}/address",
        headers=auth,
        json={"address": {**BERLIN, "postal_code": "x"}, "email": "l@v.de", "phone": "030 1234567"},
    )
    assert bad.status_code == 400
    assert bad.get_json()["error"]["field"] == "address.postal_code"
    moved = client.put(
        f"/api/v1/carts/{cart['id']}/address",
        headers=auth,
        json={"address": {**BERLIN, "country_code": "FR"}},
    )
    assert moved.get_json()["error"]["code"] == "country_mismatch"
    good = client.put(
        f"/api/v1/carts/{cart['id']}/address",
        headers=auth,
        json={"address": BERLIN, "email": "lena@example.de", "phone": "030 1234567"},
    )
    body = good.get_json()
    assert good.status_code == 200 and body["phone"] == "+49301234567"
    assert body["address"]["postal_code"] == "10119" and body["problems"] == []


def test_a_region_the_post_does_not_need_is_kept_as_its_iso_code(app):
    crimea = {
        "name": "A",
        "street_address": "vul. Pushkinska 1",
        "city": "Simferopol",
        "postal_code": "95000",
        "country_area": "UA-43",
    }
    with app.test_request_context():
        assert check_address("UA", crimea)["country_area"] == "UA-43"
        vinnytsia = {**crimea, "country_area": "UA-05", "postal_code": "21000", "city": "Vinnytsia"}
        assert check_address("UA", vinnytsia)["country_area"] == "UA-05"
        with pytest.raises(DeliveryError):
            check_address("UA", {**crimea, "country_area": "UA-99"})
