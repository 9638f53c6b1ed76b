"""Buyer accounts: register, sign in, My account, saved addresses, order again, who sees
which order (page and API)."""

from __future__ import annotations

import re

from sqlalchemy import select

from storefront.accounts.tables import User
from storefront.catalog.tables import Product
from storefront.db import db
from storefront.orders.tables import Order

PASSWORD = "correct horse battery"
BERLIN = {
    "name": "Erika Mustermann",
    "street_address": "Torstraße 1",
    "city": "Berlin",
    "postal_code": "10119",
    "country_area": "",
    "email": "erika@example.de",
    "phone": "030 1234567",
}


def register(client, email="erika@example.de", name="Erika Mustermann", password=PASSWORD):
    return client.post(
        "/account/register",
        data={"name": name, "email": email, "password": password, "password_again": password},
    )


def sign_in(client, email="erika@example.de", password=PASSWORD):
    return client.post("/account/sign-in", data={"email": email, "password": password})


def shop(client, skus, country="DE") -> None:
    client.get(f"/preferences?country={country}&next=/")
    for sku in skus:
        assert client.post("/cart/add", data={"sku": sku}).status_code == 303


def place(client, skus, details=BERLIN) -> str:
    """Cart, delivery details, review, place: the order number."""
    shop(client, skus)
    assert client.post("/checkout", data=details).status_code == 303
    review = client.get("/checkout/review").text
    key = re.search(r'name="idempotency_key" value="([^"]+)"', review).group(1)
    placed = client.post(
        "/checkout/place", data={"idempotency_key": key, "accept_terms_version": "0"}
    )
    assert placed.headers["Location"].startswith("/checkout/pay/")
    return placed.headers["Location"].rsplit("/", 1)[1]


def orders_listed(client) -> list[str]:
    page = client.get("/account")
    assert page.status_code == 200
    return re.findall(r'data-testid="order" data-number="([^"]+)"', page.text)


# register and sign in ----------------------------------------------------------------------


def test_a_buyer_registers_and_is_signed_in(app, client, make_channel):
    make_channel("eu")
    assert 'data-testid="sign-in-link"' in client.get("/").text
    answer = register(client)
    assert answer.status_code == 303 and answer.headers["Location"] == "/account"
    home = client.get("/").text
    assert 'data-testid="account-link"' in home and 'data-testid="sign-in-link"' not in home
    assert "erika@example.de" in client.get("/account").text
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == "erika@example.de"))
        assert user.role == "customer" and user.name == "Erika Mustermann"
        assert PASSWORD not in user.password_hash


def test_register_refuses_what_the_password_rules_refuse_in_german(client, make_channel):
    make_channel("eu")
    short = client.post(
        "/account/register?locale=de",
        data={"name": "E", "email": "e@x.de", "password": "short", "password_again": "short"},
    )
    assert short.status_code == 400
    assert 'data-testid="error-password">Das Passwort braucht mindestens 10 Zeichen.' in short.text
    differ = client.post(
        "/account/register",
        data={
            "name": "E",
            "email": "e@x.de",
            "password": PASSWORD,
            "password_again": PASSWORD + "!",
        },
    )
    assert differ.status_code == 400 and 'data-testid="error-password_again"' in differ.text
    bad_mail = register(client, email="not-an-address")
    assert bad_mail.status_code == 400 and 'data-testid="error-email"' in bad_mail.text
    assert client.get("/account").status_code == 303  # nobody was signed in


def test_a_taken_email_says_no_more_than_needed(app, client, make_user, make_channel):
    make_channel("eu")
    make_user(email="boss@shop.example", role="owner")
    answer = register(client, email="Boss@Shop.example")
    assert answer.status_code == 400
    assert "cannot be used for a new account" in answer.text
    assert "owner" not in answer.text.lower() and "staff" not in answer.text.lower()
    with app.app_context():
        assert db.session.scalar(select(User.role).where(User.email == "boss@shop.example")) == (
            "owner"
        )


def test_wrong_password_and_staff_cannot_use_the_buyers_sign_in(client, make_user, make_channel):
    make_channel("eu")
    register(client)
    client.post("/account/sign-out")
    assert sign_in(client, password="wrong password!").status_code == 400
    make_user(email="staff@shop.example", role="staff")
    staff = sign_in(client, email="staff@shop.example")
    assert staff.status_code == 400 and "Wrong e-mail or password." in staff.text
    assert client.get("/account").status_code == 303


def test_a_buyer_in_the_back_office_is_sent_to_the_shops_sign_in(client, make_channel):
    make_channel("eu")
    register(client)
    client.post("/account/sign-out")
    answer = client.post("/login", data={"email": "erika@example.de", "password": PASSWORD})
    assert answer.status_code == 200
    assert "Buyers sign in on the shop&#39;s sign-in page." in answer.text
    assert 'href="/account/sign-in"' in answer.text
    assert client.get("/admin/products").status_code == 302  # not signed in


def test_signing_in_starts_a_new_session_and_keeps_the_cart(client, four_models):
    register(client)
    client.post("/account/sign-out")
    shop(client, [four_models["stock"]])
    with client.session_transaction() as before:
        before["csrf_token"] = "planted-by-someone-else"
        cart_id = before["cart_id"]
    assert sign_in(client).status_code == 303
    with client.session_transaction() as after:
        assert "csrf_token" not in after and after["cart_id"] == cart_id
        assert after["_user_id"]


def test_signing_out_forgets_the_buyer_and_the_cart(client, four_models):
    register(client)
    shop(client, [four_models["stock"]])
    assert client.post("/account/sign-out").status_code == 303
    assert client.get("/account").headers["Location"].startswith("/account/sign-in")
    assert 'class="cart-count">0<' in client.get("/").text


def test_sign_in_goes_back_where_the_buyer_was_going(client, make_channel):
    make_channel("eu")
    register(client)
    client.post("/account/sign-out")
    asked = client.get("/account/addresses/new")
    assert asked.headers["Location"] == "/account/sign-in?next=/account/addresses/new"
    answer = client.post(
        "/account/sign-in?next=/account/addresses/new",
        data={"email": "erika@example.de", "password": PASSWORD},
    )
    assert answer.headers["Location"] == "/account/addresses/new"
    outside = client.post(
        "/account/sign-in?next=//evil.example/",
        data={"email": "erika@example.de", "password": PASSWORD},
    )
    assert outside.headers["Location"] == "/account"


# orders ------------------------------------------------------------------------------------


def test_a_buyers_order_is_theirs_in_any_browser_and_404_for_another_buyer(app, four_models):
    first_browser = app.test_client()
    register(first_browser)
    number = place(first_browser, [four_models["stock"]])
    with app.app_context():
        customer_id = db.session.scalar(select(Order.customer_id).where(Order.number == number))
        assert customer_id == db.session.scalar(
            select(User.id).where(User.email == "erika@example.de")
        )

    second_browser = app.test_client()
    sign_in(second_browser)
    assert orders_listed(second_browser) == [number]
    page = second_browser.get(f"/orders/{number}")
    assert page.status_code == 200 and number in page.text
    api = second_browser.get(f"/api/v1/orders/{number}")
    assert api.status_code == 200 and api.json["id"] == number

    other = app.test_client()
    register(other, email="max@example.de", name="Max")
    assert orders_listed(other) == []
    assert other.get(f"/orders/{number}").status_code == 404
    assert other.get(f"/api/v1/orders/{number}").status_code == 404
    assert other.post(f"/account/orders/{number}/again").status_code == 404
    signed_out = app.test_client()
    assert signed_out.get(f"/api/v1/orders/{number}").status_code == 404


def test_my_account_lists_orders_newest_first_with_status_and_total(app, client, four_models):
    register(client)
    first = place(client, [four_models["stock"]])
    second = place(client, [four_models["made"]])
    assert orders_listed(client) == [second, first]
    page = client.get("/account?locale=de").text
    assert "wartet auf Zahlung" in page and "€" in page
    assert f'href="/orders/{first}"' in page


def test_guest_orders_with_the_same_email_are_not_attached_silently(app, four_models):
    guest = app.test_client()
    number = place(guest, [four_models["stock"]])
    buyer = app.test_client()
    register(buyer, email=BERLIN["email"])
    assert orders_listed(buyer) == []
    assert buyer.get(f"/orders/{number}").status_code == 404


def test_the_api_opens_an_order_with_its_signed_link_key(app, four_models):
    from storefront.orders.links import order_key

    number = place(app.test_client(), [four_models["stock"]])
    with app.app_context():
        key = order_key(db.session.scalar(select(Order).where(Order.number == number)))
    stranger = app.test_client()
    assert stranger.get(f"/api/v1/orders/{number}?key={key}").status_code == 200
    assert stranger.get(f"/api/v1/orders/{number}?key=forged").status_code == 404


# saved addresses ---------------------------------------------------------------------------


def save(client, path="/account/addresses/new", **fields):
    data = {"country": "DE", **{k: v for k, v in BERLIN.items() if k != "email"}, **fields}
    return client.post(path, data=data)


def addresses(client) -> list[str]:
    return re.findall(r'data-testid="address" data-id="(\d+)"', client.get("/account").text)


def test_a_saved_address_prefills_the_checkout(client, four_models):
    register(client)
    assert save(client).status_code == 303
    shop(client, [four_models["stock"]])
    form = client.get("/checkout").text
    assert 'value="Torstraße 1"' in form and 'value="+49301234567"' in form
    assert 'value="erika@example.de"' in form
    assert client.post("/checkout", data=BERLIN).status_code == 303


def test_addresses_are_checked_per_country_like_the_checkout(client, make_channel):
    make_channel("eu")
    register(client)
    bad = save(client, postal_code="1011", phone="12")
    assert bad.status_code == 400
    assert 'data-testid="error-postal_code"' in bad.text and 'data-testid="error-phone"' in bad.text
    elsewhere = save(client, country="KP")
    assert elsewhere.status_code == 400 and 'data-testid="error-country"' in elsewhere.text
    assert addresses(client) == []


def test_addresses_edit_delete_and_one_default(client, make_channel):
    make_channel("eu")
    register(client)
    save(client)
    save(
        client,
        country="FR",
        city="Paris",
        postal_code="75001",
        phone="01 23 45 67 89",
        street_address="1 rue de Rivoli",
        is_default="1",
    )
    first, second = sorted(addresses(client), key=int)
    page = client.get("/account").text
    assert page.count('data-testid="default-address"') == 1
    assert re.search(rf'data-id="{second}">\s*<p>\s*<strong data-testid="default-address"', page)
    edited = save(
        client, f"/account/addresses/{first}", street_address="Unter den Linden 1", is_default="1"
    )
    assert edited.status_code == 303
    page = client.get("/account").text
    assert "Unter den Linden 1" in page and page.count('data-testid="default-address"') == 1
    assert client.post(f"/account/addresses/{first}/delete").status_code == 303
    assert addresses(client) == [second]
    assert 'data-testid="default-address"' in client.get("/account").text  # the rest is default


def test_another_buyers_address_is_404(app, client, make_channel):
    make_channel("eu")
    register(client)
    save(client)
    (mine,) = addresses(client)
    other = app.test_client()
    register(other, email="max@example.de", name="Max")
    assert other.get(f"/account/addresses/{mine}").status_code == 404
    assert save(other, f"/account/addresses/{mine}", city="Hamburg").status_code == 404
    assert other.post(f"/account/addresses/{mine}/delete").status_code == 404
    assert addresses(client) == [mine]


# order again -------------------------------------------------------------------------------


def cart_skus(client) -> list[str]:
    return sorted(set(re.findall(r"\(([A-Z0-9-]+-0)\)", client.get("/cart").text)))


def test_order_again_adds_the_lines_at_todays_prices(app, client, four_models):
    register(client)
    number = place(client, [four_models["stock"], four_models["drop"]])
    with app.app_context():
        product = db.session.scalar(select(Product).where(Product.name == "Stock ring"))
        product.variants[0].price_amount = 59
        db.session.commit()
    later = app.test_client()  # another day, another browser: an empty cart
    sign_in(later)
    answer = later.post(f"/account/orders/{number}/again")
    assert answer.status_code == 303 and answer.headers["Location"] == "/cart"
    cart = later.get("/cart").text
    assert "Stock ring" in cart and "Rope chain" in cart
    # today's price (59 USD is 47.20 EUR, ending in .99 in this channel), not the 39.99 paid
    assert "€47.99" in cart and "was €39.99" not in cart


def test_order_again_names_what_is_no_longer_sold(app, client, four_models):
    register(client)
    number = place(client, [four_models["stock"], four_models["drop"]])
    with app.app_context():
        product = db.session.scalar(select(Product).where(Product.name == "Rope chain"))
        product.is_published = False
        db.session.commit()
    client.post(f"/account/orders/{number}/again")
    cart = client.get("/cart").text
    assert "No longer available, so not added: Rope chain." in cart
    assert "Stock ring" in cart


# trade buyers ------------------------------------------------------------------------------


def test_a_trade_buyer_signs_in_on_the_buyers_page_and_gets_trade_prices(
    app, client, make_user, four_models
):
    from decimal import Decimal

    from storefront.catalog.tables import Variant
    from storefront.markets.tables import PriceTier

    with app.app_context():
        variant = db.session.scalar(select(Variant).where(Variant.sku == four_models["stock"]))
        db.session.add(PriceTier(variant_id=variant.id, min_quantity=10, amount=Decimal("30.00")))
        db.session.commit()
    make_user(email="buyer@boutique.example", role="wholesale")
    # a retail cart from before signing in is not carried into trade prices
    shop(client, [four_models["stock"]])
    assert 'data-testid="sign-in-link"' in client.get("/").text
    assert sign_in(client, email="buyer@boutique.example").status_code == 303
    assert 'data-testid="account-link"' in client.get("/").text
    assert client.get("/account").status_code == 200
    client.post("/cart/add", data={"sku": four_models["stock"], "quantity": "10"})
    page = client.get("/cart").text
    assert "€24.99" in page and "€249.90" in page  # the 10-piece tier (30 USD), 10 x 24.99
    number = place(client, [])
    assert orders_listed(client) == [number]
    with app.app_context():
        assert db.session.scalar(select(Order.wholesale).where(Order.number == number))


def test_sign_in_and_register_need_the_forms_csrf_token(app, client, make_channel, monkeypatch):
    make_channel("eu")
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    assert register(client).status_code == 400
    page = client.get("/account/register").text
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    data = {"name": "E", "email": "e@x.de", "password": PASSWORD, "password_again": PASSWORD}
    assert client.post("/account/register", data={**data, "csrf_token": token}).status_code == 303
    # signing in dropped the old session's token: the account page has a new one
    assert client.post("/account/sign-out", data={"csrf_token": token}).status_code == 400
    token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/account").text).group(1)
    assert client.post("/account/sign-out", data={"csrf_token": token}).status_code == 303
    forged = client.post("/account/sign-in", data={"email": "e@x.de", "password": PASSWORD})
    assert forged.status_code == 400
    assert client.get("/account").status_code == 303  # not signed in
    page = client.get("/account/sign-in").text
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    signed = client.post(
        "/account/sign-in", data={"email": "e@x.de", "password": PASSWORD, "csrf_token": token}
    )
    assert signed.status_code == 303 and client.get("/account").status_code == 200
