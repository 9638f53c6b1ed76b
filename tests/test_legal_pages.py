"""Legal pages: linked from every buyer page's footer in the buyer's language, edited by
staff per language in versions (back office and admin API), and the terms accepted at
checkout with their version kept on the order."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from i18n import SUPPORTED_LOCALES
from storefront.accounts.api_keys import issue_api_key
from storefront.accounts.operations import create_user
from storefront.audit.tables import AuditEntry
from storefront.db import db
from storefront.orders.tables import Order
from storefront.pages.tables import LegalPage
from test_checkout import BERLIN, _shop

# What a buyer reading each language sees as the footer's link and the page's heading.
TERMS = {
    "en": "Terms and conditions",
    "de": "Allgemeine Geschäftsbedingungen",
    "fr": "Conditions générales de vente",
    "es": "Términos y condiciones",
    "ja": "利用規約",
    "zh_Hans": "条款与条件",
    "ar": "الشروط والأحكام",
}
IMPRINT_LINK = {
    "en": "Legal notice",
    "de": "Impressum",
    "fr": "Mentions légales",
    "es": "Aviso legal",
    "ja": "法的表示",
    "zh_Hans": "法律声明",
    "ar": "البيانات القانونية",
}
KINDS = ("imprint", "terms", "privacy", "returns", "shipping", "contact")


def _footer_links(html: str) -> dict[str, str]:
    footer = html[html.index('data-testid="legal-links"') :]
    return dict(re.findall(r'<a href="(/pages/[a-z]+)">([^<]+)</a>', footer))


@pytest.mark.parametrize("locale", SUPPORTED_LOCALES)
def test_footer_links_every_legal_page_in_the_buyers_language(client, four_models, locale):
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = locale.replace("_", "-")
    links = _footer_links(client.get("/").text)
    assert sorted(links) == sorted(f"/pages/{kind}" for kind in KINDS)
    assert links["/pages/imprint"] == IMPRINT_LINK[locale]
    lang = locale.replace("_", "-")
    for href in links:
        page = client.get(href)
        assert page.status_code == 200
        assert '<article class="legal-page" data-testid="legal-page"' in page.text
        assert f'data-version="0" lang="{lang}"' in page.text
    assert f"<h1>{TERMS[locale]}</h1>" in client.get("/pages/terms").text
    withdrawal = client.get("/pages/returns").text
    assert "14" in withdrawal and "[" in withdrawal  # the EU right; a template to complete


@pytest.fixture
def staff_key(app):
    with app.app_context():
        user = create_user("legal@example.com", "correct horse battery", "staff", "Lena Legal")
        _key, raw = issue_api_key(user)
        db.session.commit()
    return {"Authorization": f"Bearer {raw}"}


def test_staff_editing_the_german_terms_makes_a_new_version(app, client, staff_key):
    url = "/api/v1/admin/pages/terms/de"
    first = client.put(url, json={"title": "AGB", "body": "Erste Fassung."}, headers=staff_key)
    assert first.status_code == 200
    assert first.json["current"]["version"] == 1
    second = client.put(
        url, json={"title": "AGB", "body": "Zweite **Fassung**."}, headers=staff_key
    )
    assert [v["version"] for v in second.json["versions"]] == [2, 1]
    german = client.get("/api/v1/pages/terms", headers={"Accept-Language": "de"}).json
    assert (german["version"], german["html"]) == (2, "<p>Zweite <strong>Fassung</strong>.</p>\n")
    # the other languages keep their own text; French falls back to the default (English)
    assert client.get("/api/v1/pages/terms", headers={"Accept-Language": "fr"}).json["template"]
    assert "Zweite" in client.get("/pages/terms?locale=de").text
    with app.app_context():
        kept = db.session.scalars(select(LegalPage.body).order_by(LegalPage.version)).all()
        assert kept == ["Erste Fassung.", "Zweite **Fassung**."]
        entry = db.session.scalar(select(AuditEntry).order_by(AuditEntry.id.desc()).limit(1))
        assert (entry.kind, entry.key, entry.actor_name) == ("legal_page", "terms/de", "Lena Legal")


def test_a_page_body_never_carries_html_or_script_links(client, staff_key):
    body = "<script>alert(1)</script>\n\n[click](javascript:alert(1))"
    client.put(
        "/api/v1/admin/pages/contact/en", json={"title": "Contact", "body": body}, headers=staff_key
    )
    page = client.get("/pages/contact?locale=en").text
    assert "<script>alert" not in page and 'href="javascript:' not in page
    assert "&lt;script&gt;" in page


def test_the_pages_api_refuses_strangers_and_unknown_pages(client, staff_key, make_user):
    body = {"title": "x", "body": "y"}
    assert client.put("/api/v1/admin/pages/terms/de", json=body).status_code == 401
    assert client.get("/api/v1/admin/pages/terms/xx", headers=staff_key).status_code == 404
    assert client.get("/api/v1/pages/nothing").status_code == 404
    empty = client.put(
        "/api/v1/admin/pages/terms/de", json={"title": " ", "body": "y"}, headers=staff_key
    )
    assert (empty.status_code, empty.json["error"]["field"]) == (400, "title")


def test_the_back_office_edits_a_page_staff_only(app, client, logged_in):
    logged_in("staff")
    assert "template" in client.get("/admin/pages").text
    saved = client.post(
        "/admin/pages/imprint/ja",
        data={"title": "特定商取引法に基づく表記", "body": "運営者：テスト"},
    )
    assert saved.status_code == 303
    assert "version 1" in client.get("/admin/pages/imprint/ja").text
    assert "運営者：テスト" in client.get("/admin/pages/imprint/ja/1").text
    assert "運営者：テスト" in client.get("/pages/imprint?locale=ja").text
    client.post("/logout")
    logged_in("customer", "buyer@example.com")
    assert client.get("/admin/pages").status_code in (302, 303, 403)


def _review(client) -> tuple[str, str]:
    page = client.get("/checkout/review")
    key = re.search(r'name="idempotency_key" value="([^"]+)"', page.text).group(1)
    terms = re.search(r'name="accept_terms_version" value="(\d+)" required', page.text).group(1)
    return key, terms


def test_checkout_refuses_an_order_without_the_terms_and_saves_nothing(app, client, four_models):
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "de-DE"
    _shop(client, "DE", [four_models["stock"]])
    client.post("/checkout", data=BERLIN)
    key, _terms = _review(client)
    refused = client.post("/checkout/place", data={"idempotency_key": key}, follow_redirects=True)
    assert "Bitte akzeptieren Sie die AGB (Version 0), um zu bestellen." in refused.text
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Order)) == 0


def test_the_order_keeps_the_terms_version_the_buyer_accepted(
    app, client, four_models, staff_key, logged_in
):
    client.put(
        "/api/v1/admin/pages/terms/de", json={"title": "AGB", "body": "Text."}, headers=staff_key
    )
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "de-DE"
    _shop(client, "DE", [four_models["stock"]])
    client.post("/checkout", data=BERLIN)
    key, terms = _review(client)
    assert terms == "1"
    placed = client.post(
        "/checkout/place", data={"idempotency_key": key, "accept_terms_version": terms}
    )
    assert placed.status_code == 303 and "/pay/" in placed.headers["Location"]
    with app.app_context():
        order = db.session.scalar(select(Order))
        assert order.terms_version == 1
        number = order.number
    logged_in("staff")
    assert "terms version 1" in client.get(f"/admin/orders/{number}").text


def test_the_api_checkout_refuses_outdated_terms_and_keeps_the_accepted_version(
    app, client, four_models, staff_key
):
    cart = client.post(
        "/api/v1/carts", json={"channel": "eu", "country": "DE"}, headers={"Accept-Language": "de"}
    ).json
    auth = {"Authorization": f"Bearer {cart['token']}", "Accept-Language": "de"}
    client.post(
        f"/api/v1/carts/{cart['id']}/lines", json={"sku": four_models["stock"]}, headers=auth
    )
    details = {"address": BERLIN, "email": "lena@example.de", "phone": "030 1234567"}
    client.put(f"/api/v1/carts/{cart['id']}/address", json=details, headers=auth)
    client.put(
        "/api/v1/admin/pages/terms/de", json={"title": "AGB", "body": "Text."}, headers=staff_key
    )
    shown = client.get("/api/v1/pages/terms", headers=auth).json["version"]
    checkout = f"/api/v1/carts/{cart['id']}/checkout"
    outdated = client.post(
        checkout, json={"idempotency_key": "k1", "accept_terms_version": 0}, headers=auth
    )
    assert outdated.status_code == 400
    assert outdated.json["error"]["code"] == "terms_not_accepted"
    assert "Version 1" in outdated.json["error"]["message"]
    placed = client.post(
        checkout, json={"idempotency_key": "k1", "accept_terms_version": shown}, headers=auth
    )
    assert placed.status_code == 201
    assert placed.json["order"]["terms_version"] == 1
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Order)) == 1


def test_the_demo_shop_fills_every_page_with_its_made_up_details(runner, client):
    assert runner.invoke(args=["shop", "seed-demo"]).exit_code == 0
    for locale in SUPPORTED_LOCALES:
        client.environ_base["HTTP_ACCEPT_LANGUAGE"] = locale.replace("_", "-")
        imprint = client.get("/api/v1/pages/imprint").json
        assert imprint["locale"] == locale and not imprint["template"]
        assert "Lumen &amp; Loom Demo GmbH" in imprint["html"]
        for kind in KINDS:
            assert "[" not in client.get(f"/api/v1/pages/{kind}").json["body"]
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "de-DE"
    withdrawal = client.get("/pages/returns").text
    assert "binnen 14 Tagen nach Erhalt der Ware" in withdrawal  # the EU/UK right
    assert "Rücksendungen binnen 14 Tagen nach Lieferung" in withdrawal  # the channels'
