"""Issue #14, findings 1, 3, 4 and 5, each as the attack: open redirects through `next`,
password guessing and e-mail enumeration at sign-in, missing security headers and a weak
secret, and sessions that outlive sign-out."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa
from flask import Flask

from localstripe_server import app_paying_through, running_localstripe
from storefront import Storefront, create_app
from storefront.accounts import operations as accounts
from storefront.accounts.tables import User
from storefront.config import ConfigError
from storefront.db import db
from storefront.mail.operations import queue_mail
from storefront.redirects import safe_next

PASSWORD = "correct horse battery"
OFF_SITE = [
    "/%09/evil.example/x",
    "/\t/evil.example/x",
    "/%0a/x",
    "/\n/x",
    "//evil.example/x",
    "/\\evil.example/x",
    "/%5Cevil.example/x",
    "/%2F%2Fevil.example/x",
    "/%252F%252Fevil.example/x",
    "https://evil.example/x",
    "javascript:alert(1)",
    "evil.example/x",
]


def _user(app, email: str, role: str = "owner") -> User:
    with app.app_context():
        return db.session.scalar(sa.select(User).where(User.email == email))


def _sign_in_back_office(client, email: str, password: str = PASSWORD, **kw):
    return client.post("/login", data={"email": email, "password": password}, **kw)


def _register_buyer(client, email="erika@example.de"):
    answer = client.post(
        "/account/register",
        data={"name": "Erika", "email": email, "password": PASSWORD, "password_again": PASSWORD},
    )
    assert answer.status_code == 303
    return email


# 1. open redirects through `next` ----------------------------------------------------------


@pytest.mark.parametrize("target", OFF_SITE)
def test_preferences_never_send_the_browser_off_site(client, make_channel, target):
    make_channel("eu")
    answer = client.get("/preferences", query_string={"next": target, "country": "DE"})
    assert answer.status_code == 303
    assert answer.headers["Location"] == "/"


def test_the_reported_preferences_urls_answer_the_home_page(client, make_channel):
    make_channel("eu")
    tab = client.get("/preferences?next=/%09/evil.example/x")
    newline = client.get("/preferences?next=/%0a/x")
    assert (tab.status_code, tab.headers["Location"]) == (303, "/")
    assert (newline.status_code, newline.headers["Location"]) == (303, "/")


def test_preferences_still_go_back_to_the_page_the_buyer_was_on(client, make_channel):
    make_channel("eu")
    answer = client.get("/preferences?country=DE&next=/c/rings%3Fpage%3D2")
    assert answer.headers["Location"] == "/c/rings?page=2"


@pytest.mark.parametrize("target", ["/%09/evil.example/x", "//evil.example/x", "/\\evil.example"])
def test_adding_to_the_cart_never_sends_the_browser_off_site(client, four_models, target):
    client.get("/preferences?country=DE&next=/")
    answer = client.post("/cart/add", data={"sku": four_models["stock"], "next": target})
    assert answer.status_code == 303
    assert answer.headers["Location"].startswith("/p/")


def test_back_office_sign_in_never_sends_the_browser_off_site(client, make_user):
    make_user()
    for target in ("/%09/evil.example/x", "https:/\\evil.example", "//evil.example"):
        client.post("/logout")
        answer = _sign_in_back_office(client, "owner@example.com", query_string={"next": target})
        assert answer.headers["Location"] == "/admin/products", target


def test_buyer_sign_in_never_sends_the_browser_off_site(client, make_channel):
    make_channel("eu")
    _register_buyer(client)
    client.post("/account/sign-out")
    answer = client.post(
        "/account/sign-in",
        query_string={"next": "/%09/evil.example/x"},
        data={"email": "erika@example.de", "password": PASSWORD},
    )
    assert answer.headers["Location"] == "/account"


def test_a_mounted_shop_sends_back_only_inside_its_own_prefix(tmp_path, spare_database):
    site = Flask("host", root_path=str(tmp_path), instance_path=str(tmp_path / "i"))
    site.config.update(SECRET_KEY="the-host-site-secret", STOREFRONT_DATABASE_URL=spare_database)
    Storefront(site, url_prefix="/shop")
    with site.test_request_context("/shop/"):
        assert safe_next("/shop/c/rings?page=2", "/shop/") == "/shop/c/rings?page=2"
        assert safe_next("/shop", "/shop/") == "/shop"
        assert safe_next("/host-admin/delete-all", "/shop/") == "/shop/"
        assert safe_next("/shopping-elsewhere", "/shop/") == "/shop/"
        assert safe_next("/%2F%2Fevil.example/shop/", "/shop/") == "/shop/"
    with site.app_context():
        db.engine.dispose()


# 3. sign-in: guessing and enumeration -------------------------------------------------------


def test_thirty_wrong_passwords_meet_a_429_and_the_right_one_waits_too(client, make_user, caplog):
    make_user()
    caplog.set_level("WARNING", logger="storefront.accounts.throttle")
    answers = [
        _sign_in_back_office(client, "owner@example.com", f"guess number {n}").status_code
        for n in range(30)
    ]
    assert answers[:5] == [200] * 5  # five tries: "wrong e-mail or password"
    assert set(answers[5:]) == {429}
    refused = _sign_in_back_office(client, "owner@example.com")
    assert refused.status_code == 429
    assert 0 < int(refused.headers["Retry-After"]) <= 15 * 60
    assert "Too many wrong passwords" in refused.text
    with client.session_transaction() as session:
        assert "_user_id" not in session
    # logged with the client's address, never the account's e-mail
    assert "too many wrong passwords from 127.0.0.1" in caplog.text
    assert "owner@example.com" not in caplog.text


def test_one_client_guessing_many_e_mails_is_throttled_too(client, make_user):
    make_user()
    answers = [
        _sign_in_back_office(client, f"someone{n}@example.com", "a guess").status_code
        for n in range(21)
    ]
    assert answers[:20] == [200] * 20 and answers[20] == 429
    # the owner signing in from another address is not locked out by this client's guesses
    other = _sign_in_back_office(
        client, "owner@example.com", environ_base={"REMOTE_ADDR": "10.9.8.7"}
    )
    assert other.status_code == 302


def test_buyers_are_told_to_wait_in_their_language(client, make_channel):
    make_channel("eu")
    _register_buyer(client)
    client.post("/account/sign-out")
    headers = {"Accept-Language": "de"}
    for n in range(5):
        wrong = {"email": "erika@example.de", "password": f"falsch {n}"}
        assert client.post("/account/sign-in", data=wrong, headers=headers).status_code == 400
    right = {"email": "erika@example.de", "password": PASSWORD}
    refused = client.post("/account/sign-in", data=right, headers=headers)
    assert refused.status_code == 429 and int(refused.headers["Retry-After"]) > 0
    assert 'lang="de"' in refused.text and "Versuchen Sie es" in refused.text


def test_unknown_and_known_e_mails_both_run_the_password_hash(client, make_user, monkeypatch):
    make_user()
    checked: list[str] = []
    real = accounts.verify_password

    def counting(password_hash: str, password: str) -> bool:
        checked.append(password_hash)
        return real(password_hash, password)

    monkeypatch.setattr(accounts, "verify_password", counting)
    _sign_in_back_office(client, "nobody@example.com", "a guess")
    _sign_in_back_office(client, "owner@example.com", "a guess")
    assert len(checked) == 2 and all(h.startswith("$argon2") for h in checked)
    assert checked[0] != checked[1]  # the unknown e-mail was checked against a stand-in hash


# 4. security headers, cookie and secret -----------------------------------------------------


def _policy(response) -> dict[str, list[str]]:
    directives = response.headers["Content-Security-Policy"].split(";")
    return {d.split()[0]: d.split()[1:] for d in directives if d.strip()}


@pytest.mark.parametrize(
    "path", ["/", "/login", "/admin/orders", "/api/v1/products", "/static/shop.css", "/nowhere"]
)
def test_every_response_carries_the_security_headers(client, make_channel, path):
    make_channel("eu")
    answer = client.get(path)
    answer.close()  # the static file's
    assert answer.headers["X-Content-Type-Options"] == "nosniff"
    assert answer.headers["X-Frame-Options"] == "DENY"
    assert answer.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    policy = _policy(answer)
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["script-src"][0] == "'self'" and "'unsafe-inline'" not in policy["script-src"]
    assert "Strict-Transport-Security" not in answer.headers  # tests run over http


def test_the_back_office_cannot_be_framed(logged_in):
    client = logged_in("owner")
    answer = client.get("/admin/orders")
    assert answer.status_code == 200
    assert answer.headers["X-Frame-Options"] == "DENY"
    assert _policy(answer)["frame-ancestors"] == ["'none'"]


def test_the_pay_page_allows_stripe_js_and_only_its_own_inline_scripts(client, four_models):
    client.get("/preferences?country=DE&next=/")
    client.post("/cart/add", data={"sku": four_models["stock"]})
    details = {
        "name": "Erika Mustermann",
        "street_address": "Torstraße 1",
        "city": "Berlin",
        "postal_code": "10119",
        "email": "erika@example.de",
        "phone": "030 1234567",
    }
    assert client.post("/checkout", data=details).status_code == 303
    review = client.get("/checkout/review").text
    key = re.search(r'name="idempotency_key" value="([^"]+)"', review).group(1)
    pay_url = client.post(
        "/checkout/place", data={"idempotency_key": key, "accept_terms_version": "0"}
    ).headers["Location"]
    with running_localstripe() as base_url, app_paying_through(client.application, base_url):
        page = client.get(pay_url)
    assert page.status_code == 200
    policy = _policy(page)
    assert base_url in policy["script-src"] and base_url in policy["connect-src"]
    nonces = set(re.findall(r'<script nonce="([^"]+)"', page.text))
    assert len(nonces) == 1 and f"'nonce-{nonces.pop()}'" in policy["script-src"]
    assert f'<script src="{base_url}/js.stripe.com/v3/"></script>' in page.text
    assert _policy(client.get("/"))["script-src"] == ["'self'"]  # not on other pages


def test_a_mails_own_styles_show_in_its_back_office_preview_and_no_script_runs(app, logged_in):
    with app.app_context():
        html = '<p style="color:#a00">Danke</p><script>alert("x")</script>'
        message = queue_mail("buyer@example.com", "Bestellung", "Danke", html, kind="order")
        db.session.commit()
        message_id = message.id
    staff = logged_in("staff")
    page = staff.get(f"/admin/mail/{message_id}")
    assert page.status_code == 200 and 'sandbox=""' in page.text
    policy = _policy(page)
    # the sandboxed srcdoc frame inherits the page's policy: its inline styles may apply
    assert "'unsafe-inline'" in policy["style-src"]
    assert "'unsafe-inline'" not in policy["script-src"]
    assert _policy(staff.get("/admin/orders"))["style-src"] == ["'self'"]  # only there


def _production_app(database_url, tmp_path, **settings):
    return create_app({"DATABASE_URL": database_url, "MEDIA_FOLDER": str(tmp_path), **settings})


@pytest.mark.parametrize("key", ["a", "x" * 40, "short-but-not-empty"])
def test_a_weak_secret_key_is_refused_at_start(app, database_url, tmp_path, monkeypatch, key):
    monkeypatch.setenv("STOREFRONT_SECRET_KEY", key)
    with pytest.raises(ConfigError, match="SECRET_KEY is too weak"):
        _production_app(database_url, tmp_path)


def test_outside_demo_the_cookie_is_secure_and_https_is_pinned(
    app, database_url, tmp_path, make_channel
):
    make_channel("eu")
    shop = _production_app(database_url, tmp_path, SECRET_KEY="a3f1c9e07b5d4c2a8e6f0b1d3c5e7a9f")
    client = shop.test_client()
    page = client.get("/login", base_url="https://shop.example")
    assert "max-age=31536000" in page.headers["Strict-Transport-Security"]
    cookie = page.headers["Set-Cookie"]
    assert cookie.startswith("session=")
    assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie
    # the visitor's country, currency and language are kept the same way
    chosen = client.get("/preferences?locale=de", base_url="https://shop.example").headers.getlist(
        "Set-Cookie"
    )
    assert any(c.startswith("locale=de") for c in chosen), chosen
    assert all("Secure" in c and "HttpOnly" in c and "SameSite=Lax" in c for c in chosen)
    with shop.app_context():
        db.engine.dispose()


def test_a_host_keeps_its_own_headers_on_its_own_pages(tmp_path, spare_database):
    site = Flask("host", root_path=str(tmp_path), instance_path=str(tmp_path / "i"))
    site.config.update(SECRET_KEY="the-host-site-secret", STOREFRONT_DATABASE_URL=spare_database)

    @site.get("/")
    def home():
        return "the host's page", {"X-Frame-Options": "SAMEORIGIN"}

    Storefront(site, url_prefix="/shop")
    client = site.test_client()
    host_page, shop_file = client.get("/"), client.get("/shop/static/shop.css")
    shop_file.close()
    assert host_page.headers["X-Frame-Options"] == "SAMEORIGIN"
    assert "Content-Security-Policy" not in host_page.headers
    assert shop_file.headers["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'none'" in shop_file.headers["Content-Security-Policy"]
    with site.app_context():
        db.engine.dispose()


# 5. sessions end at sign-out, and can be ended everywhere -----------------------------------


def _cookie(client) -> str:
    return client.get_cookie("session").value


def _browser_with(app, cookie: str):
    thief = app.test_client()
    thief.set_cookie("session", cookie)
    return thief


def test_a_staff_cookie_copied_before_sign_out_no_longer_opens_the_back_office(
    app, client, make_user
):
    make_user()
    _sign_in_back_office(client, "owner@example.com")
    copied = _cookie(client)
    assert _browser_with(app, copied).get("/admin/orders").status_code == 200
    client.post("/logout")
    answer = _browser_with(app, copied).get("/admin/orders")
    assert answer.status_code == 302 and "/login" in answer.headers["Location"]


def test_back_office_sign_in_starts_an_empty_session(client, make_user):
    make_user()
    with client.session_transaction() as planted:
        planted["cart_id"] = "a-cart-someone-left"
        planted["csrf_token"] = "planted-by-someone-else"
    _sign_in_back_office(client, "owner@example.com")
    with client.session_transaction() as session:
        assert "cart_id" not in session and "csrf_token" not in session
        assert session["_user_id"]


def test_buyer_sign_out_forgets_cart_orders_and_the_copied_cookie(app, client, four_models):
    _register_buyer(client)
    client.get("/preferences?country=DE&next=/")
    client.post("/cart/add", data={"sku": four_models["stock"]})
    with client.session_transaction() as session:
        session["orders"] = {"LL-1": "a-link-key"}
    copied = _cookie(client)
    assert client.post("/account/sign-out").status_code == 303
    with client.session_transaction() as session:
        assert dict(session) == {}
    assert _browser_with(app, copied).get("/account").status_code == 303


@pytest.mark.parametrize("revoke", ["new_password", "switched_off", "everywhere"])
def test_staff_sessions_are_revoked_elsewhere(app, client, make_user, revoke):
    make_user()
    _sign_in_back_office(client, "owner@example.com")
    other = app.test_client()
    _sign_in_back_office(other, "owner@example.com")
    if revoke == "everywhere":
        assert client.post("/logout-everywhere").status_code == 303
        assert client.get("/admin/orders").status_code == 200  # this browser stays in
    else:
        with app.app_context():
            user = db.session.scalar(sa.select(User))
            if revoke == "new_password":
                token = accounts.password_token(user)
                accounts.set_password_with(token, "a brand new password")
            else:
                accounts.set_active(user, False)
            db.session.commit()
    assert other.get("/admin/orders").status_code == 302


def test_a_hosts_signed_in_user_is_revoked_in_the_shop_too(tmp_path, spare_database):
    from flask_login import LoginManager, UserMixin, login_user

    from storefront.accounts.sessions import end_everywhere
    from storefront.schema import upgrade

    site = Flask("login_site", root_path=str(tmp_path), instance_path=str(tmp_path / "i"))
    site.config.update(SECRET_KEY="the-host-site-secret", STOREFRONT_DATABASE_URL=spare_database)
    logins = LoginManager(site)

    class Editor(UserMixin):
        id, email = "1", "chief@host.example"

    logins.user_loader(lambda _id: Editor())

    @site.get("/as-chief")
    def sign_in_as():
        login_user(Editor())
        return "signed in"

    def shop_user_for(editor):
        if not editor.is_authenticated:
            return None
        return db.session.scalar(sa.select(User).where(User.email == editor.email))

    Storefront(site, url_prefix="/shop", user_loader=shop_user_for)
    with site.app_context():
        upgrade()
        accounts.create_user("chief@host.example", "unused-password-1", "staff")
        db.session.commit()
    client = site.test_client()
    client.get("/as-chief")
    assert client.get("/shop/admin/orders").status_code == 200
    copied = _cookie(client)
    with site.app_context():
        end_everywhere(db.session.scalar(sa.select(User)))
        db.session.commit()
    # the host's login manager has no sign-in page: 401 (a 302 to it otherwise)
    assert _browser_with(site, copied).get("/shop/admin/orders").status_code == 401
    assert client.get("/shop/admin/orders").status_code == 401
    client.get("/as-chief")  # signing in on the host again opens the shop again
    assert client.get("/shop/admin/orders").status_code == 200
    with site.app_context():
        db.session.remove()
        db.engine.dispose()
