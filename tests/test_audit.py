"""The back office's audit log: who changed which record, when and what, by name, on the
record's page and in the admin API; children on their parent's page; never a secret;
nothing for a refused change."""

from __future__ import annotations

import html
import re

import pytest
from sqlalchemy import func, select

from storefront.accounts.api_keys import issue_api_key
from storefront.accounts.operations import create_user
from storefront.accounts.tables import ApiKey, User
from storefront.audit.tables import AuditEntry
from storefront.db import db
from storefront.fulfilment.tables import AgentCompany
from storefront.webhooks.operations import add_endpoint, rotate_secret
from storefront.webhooks.tables import SupplierEndpoint

PASSWORD = "correct horse battery"


@pytest.fixture
def person(app):
    """A back-office user with a name; signs in on `client` or returns an API key header."""

    def make(email: str, name: str, role: str = "owner", agent: str | None = None):
        with app.app_context():
            user = create_user(email, PASSWORD, role, name)
            if agent:
                user.agent_id = db.session.scalar(
                    select(AgentCompany.id).where(AgentCompany.code == agent)
                )
            _key, raw = issue_api_key(user)
            db.session.commit()
        return {"Authorization": f"Bearer {raw}"}

    return make


def sign_in(client, email: str) -> None:
    response = client.post("/login", data={"email": email, "password": PASSWORD})
    assert response.status_code in (302, 303)


def history_of(page: str) -> list[str]:
    """The lines of a page's History section, as a person reads them."""
    section = page.split('data-testid="history"', 1)[1].split("</section>", 1)[0]
    return [
        html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", item))).strip()
        for item in re.findall(r"<li[^>]*>(.*?)</li>", section, re.S)
    ]


def entry_count() -> int:
    return db.session.scalar(select(func.count()).select_from(AuditEntry))


def product_form(slug: str, **changes) -> dict:
    form = {
        "name": "Signet",
        "description": "A plain band in 925 silver.",
        "hs_code": "7113.11",
        "origin_country": "CN",
        "material": "sterling silver",
        "grade": "none",
        "selling_model": "wholesale_retail",
        "is_published": "y",
        f"price-{slug.upper()}-0": "39.00",
    }
    form.update(changes)
    return form


def test_a_price_edited_on_the_page_shows_on_the_product_page_by_name(
    app, client, person, make_product
):
    person("ana@shop.example", "Ana Lima")
    sign_in(client, "ana@shop.example")
    slug = make_product(name="Signet", prices=["39.00"])
    sku = f"{slug.upper()}-0"

    saved = client.post(
        f"/admin/products/{slug}",
        data=product_form(slug, name="Signet ring", **{f"price-{sku}": "41.00"}),
    )
    assert saved.status_code == 303

    lines = history_of(client.get(f"/admin/products/{slug}").get_data(as_text=True))
    assert len(lines) == 2  # newest first: the edit, then the creation by the fixture
    assert re.fullmatch(
        r"\d{1,2} \w{3} \d{4} \d{2}:\d{2} · Ana Lima \(ana@shop\.example\) · changed "
        rf"(name: Signet → Signet ring; price of {sku}: 39\.00 → 41\.00"
        rf"|price of {sku}: 39\.00 → 41\.00; name: Signet → Signet ring)",
        lines[0],
    ), lines[0]
    assert lines[1].endswith("· system · created")  # made outside a request: the system


def test_a_refused_edit_leaves_no_entry(app, client, person, make_product):
    person("ana@shop.example", "Ana Lima")
    sign_in(client, "ana@shop.example")
    slug = make_product(name="Signet", prices=["39.00"])
    with app.app_context():
        before = entry_count()
    # The prices are written (flushed) before the selling model is refused: all undone.
    refused = client.post(
        f"/admin/products/{slug}",
        data=product_form(slug, selling_model="oem_dropship", **{f"price-{slug.upper()}-0": "45"}),
    )
    assert refused.status_code == 422
    with app.app_context():
        assert entry_count() == before
    page = client.get(f"/admin/products/{slug}").get_data(as_text=True)
    assert not any("Ana Lima" in line for line in history_of(page))


def test_an_api_edit_names_the_keys_user_and_children_show_on_the_parent(
    app, client, person, make_product, make_channel, rates
):
    make_channel("jp")
    rates()
    slug = make_product(name="Moon ring", prices=["40.00"])
    sku = f"{slug.upper()}-0"
    staff = person("bo@shop.example", "Bo Chen", role="staff")
    for price in ("5990", "6200"):
        answer = client.put(
            "/api/v1/admin/channel-prices",
            json={"channel": "jp", "sku": sku, "price": price},
            headers=staff,
        )
        assert answer.status_code == 200
    renamed = client.patch(
        "/api/v1/admin/brands/aurora", json={"name": "Aurora Gold"}, headers=staff
    )
    assert renamed.status_code == 200

    answer = client.get(f"/api/v1/admin/audit?kind=product&key={slug}", headers=staff)
    items = answer.get_json()["items"]
    assert [i["action"] for i in items] == ["changed", "changed", "created"]
    assert items[0]["actor"] == {"name": "Bo Chen", "email": "bo@shop.example"}
    assert items[0]["changes"] == [
        {"field": f"price of {sku} in jp", "old": "5990.00", "new": "6200.00"}
    ]
    assert items[1]["changes"] == [{"field": f"{sku} in jp", "note": "added"}]
    assert items[0]["summary"].endswith(
        f"· Bo Chen (bo@shop.example) · changed price of {sku} in jp: 5990.00 → 6200.00"
    )

    sign_in(client, "bo@shop.example")
    page = client.get("/admin/brands/aurora").get_data(as_text=True)
    assert history_of(page)[0].endswith(
        "· Bo Chen (bo@shop.example) · changed name: Aurora → Aurora Gold"
    )


def test_archive_and_restore_on_the_pages(app, client, person, make_brand):
    person("ana@shop.example", "Ana Lima")
    sign_in(client, "ana@shop.example")
    make_brand("aurora")
    assert client.post("/admin/brands/aurora/archive", data={"confirm": "yes"}).status_code == 303
    assert client.post("/admin/brands/aurora/archive", data={"restore": "1"}).status_code == 303
    lines = history_of(client.get("/admin/brands/aurora").get_data(as_text=True))
    assert [line.rsplit(" · ", 1)[1] for line in lines] == ["restored", "archived", "created"]


def test_secrets_are_logged_as_rotated_never_their_values(app, client, person, make_supplier):
    make_supplier("shenzhen-silver")
    headers = person("ana@shop.example", "Ana Lima")  # an API key: its hash is a secret too
    with app.app_context():
        _endpoint, first = add_endpoint("shenzhen-silver", "https://supplier.example/hook", ["*"])
        db.session.commit()
        endpoint = db.session.scalar(select(SupplierEndpoint))
        second = rotate_secret(endpoint)
        user = db.session.scalar(select(User).where(User.email == "ana@shop.example"))
        user.password_hash = "argon2-not-a-real-hash-but-secret"
        db.session.commit()
        key_hash = db.session.scalar(select(ApiKey.key_hash))
        logged = " ".join(str(e.changes) + e.label for e in db.session.scalars(select(AuditEntry)))
    assert first not in logged and second not in logged and key_hash not in logged
    assert "argon2" not in logged and headers["Authorization"].split()[1] not in logged
    person("bo@shop.example", "Bo Chen")
    sign_in(client, "bo@shop.example")
    supplier_lines = history_of(
        client.get("/admin/partners/suppliers/shenzhen-silver").get_data(as_text=True)
    )
    assert supplier_lines[0].endswith(
        "· system · changed rotated secret of endpoint https://supplier.example/hook"
    )
    team = history_of(client.get("/admin/users").get_data(as_text=True))
    assert any(line.endswith("ana@shop.example: changed rotated password") for line in team)


def test_an_agent_reads_only_its_own_products_history(
    app, client, person, make_agent, make_product
):
    make_agent("milano-agency", brands=("milano",))
    own = make_product(name="Milano hoops", brand="milano")
    other = make_product(name="Aurora band", brand="aurora")
    agent = person("gia@agency.example", "Gia Rossi", role="agent", agent="milano-agency")

    mine = client.get(f"/api/v1/admin/audit?kind=product&key={own}", headers=agent)
    assert mine.status_code == 200 and [i["action"] for i in mine.get_json()["items"]] == [
        "created"
    ]
    assert (
        client.get(f"/api/v1/admin/audit?kind=product&key={other}", headers=agent).status_code
        == 404
    )
    assert client.get("/api/v1/admin/audit?kind=brand&key=milano", headers=agent).status_code == 403
    assert client.get("/api/v1/admin/audit?kind=product", headers=agent).status_code == 403
    staff = person("bo@shop.example", "Bo Chen", role="staff")
    assert client.get("/api/v1/admin/audit?kind=nope", headers=staff).status_code == 400
    everything = client.get("/api/v1/admin/audit?kind=product", headers=staff).get_json()
    assert {i["key"] for i in everything["items"]} == {own, other}


def test_methods_and_bands_show_on_their_zone(app, client, person):
    person("ana@shop.example", "Ana Lima")
    sign_in(client, "ana@shop.example")
    client.post(
        "/admin/shipping/zones", data={"code": "eu", "name": "Europe", "countries": "DE FR"}
    )
    method = {"zone": "eu", "code": "std", "name": "Standard", "currency": "EUR",
              "bands": "500: 5.00", "active": "1"}  # fmt: skip
    for changes in ({}, {"name": "Standard post", "bands": "1000: 7.50"}):
        answer = client.post("/admin/shipping/methods", data={**method, **changes})
        assert answer.status_code == 303, answer.get_data(as_text=True)
    lines = history_of(client.get("/admin/shipping/").get_data(as_text=True))
    assert [line.split(" · ", 2)[1:] for line in lines] == [
        ["Ana Lima (ana@shop.example)",
         "Europe: changed name of method std: Standard → Standard post; "
         "removed band up to 500 g of method std; added band up to 1000 g of method std"],
        ["Ana Lima (ana@shop.example)", "Europe: changed added method std"],
        ["Ana Lima (ana@shop.example)", "Europe: created"],
    ]  # fmt: skip


def test_the_api_lists_pages_with_a_cursor(app, client, person, make_brand):
    staff = person("bo@shop.example", "Bo Chen", role="staff")
    make_brand("aurora")
    for n in range(52):
        client.patch("/api/v1/admin/brands/aurora", json={"name": f"Aurora {n}"}, headers=staff)
    first = client.get("/api/v1/admin/audit?kind=brand&key=aurora", headers=staff).get_json()
    second = client.get(
        f"/api/v1/admin/audit?kind=brand&key=aurora&cursor={first['next']}", headers=staff
    ).get_json()
    assert len(first["items"]) == 50 and first["items"][0]["changes"][0]["new"] == "Aurora 51"
    assert [i["action"] for i in second["items"]] == ["changed", "changed", "created"]
    assert second["next"] is None


def test_each_record_page_shows_its_history_by_name(app, client, person, make_channel):
    make_channel("eu")
    staff = person("bo@shop.example", "Bo Chen", role="staff")
    calls = [
        ("post", "/api/v1/admin/workshops", {"code": "atelier", "name": "Atelier",
                                             "country": "PT"}),
        ("patch", "/api/v1/admin/workshops/atelier", {"name": "Atelier Porto"}),
        ("post", "/api/v1/admin/warehouses", {"code": "lisbon", "name": "Lisbon", "country": "PT",
                                              "serves": ["PT", "ES"]}),
        ("patch", "/api/v1/admin/warehouses/lisbon", {"serves": ["PT"]}),
        ("patch", "/api/v1/admin/channels/eu", {"free_shipping_over": "150.00"}),
        ("post", "/api/v1/admin/fx-rates", {"currency": "KWD", "rate": "0.3551",
                                            "date": "2026-12-01"}),
    ]  # fmt: skip
    for method, path, body in calls:
        answer = getattr(client, method)(path, json=body, headers=staff)
        assert answer.status_code in (200, 201), (path, answer.get_json())
    person("ana@shop.example", "Ana Lima")
    sign_in(client, "ana@shop.example")
    by = "Bo Chen (bo@shop.example)"
    pages = {
        "/admin/partners/workshops/atelier": f"{by} · changed name: Atelier → Atelier Porto",
        "/admin/warehouses/lisbon": f"{by} · changed ships to: PT ES → PT",
        "/admin/channels/eu": f"{by} · changed free shipping from: — → 150.00",
        "/admin/fx-rates": f"{by} · KWD from 2026-12-01: created",
    }
    for path, line in pages.items():
        lines = history_of(client.get(path).get_data(as_text=True))
        assert lines and lines[0].endswith(line), (path, lines)


def test_the_documented_kinds_are_the_registered_ones(app, client):
    from storefront import audit

    document = client.get("/api/openapi.json").get_json()
    kind = next(
        p for p in document["paths"]["/api/v1/admin/audit"]["get"]["parameters"]
        if p["name"] == "kind"
    )  # fmt: skip
    assert sorted(kind["schema"]["enum"]) == audit.kinds()


def test_trade_breaks_saved_again_log_only_what_changed(
    app, client, person, make_product, make_channel, rates
):
    make_channel("jp")
    rates()
    slug = make_product(name="Moon ring", prices=["40.00"])
    sku = f"{slug.upper()}-0"
    staff = person("bo@shop.example", "Bo Chen", role="staff")
    terms = {"channel": "jp", "sku": sku, "price": "5990", "min_quantity": 2,
             "breaks": [{"min_quantity": 10, "price": "5200"}]}  # fmt: skip
    for breaks in ([{"min_quantity": 10, "price": "5200"}],) * 2 + (
        [{"min_quantity": 10, "price": "5000"}],
    ):
        answer = client.put("/api/v1/admin/channel-prices", json={**terms, "breaks": breaks},
                            headers=staff)  # fmt: skip
        assert answer.status_code == 200, answer.get_json()
    items = client.get(f"/api/v1/admin/audit?kind=product&key={slug}", headers=staff).get_json()
    assert [i["changes"] for i in items["items"][:2]] == [
        [{"field": f"{sku} from 10 units in jp", "old": "tier price 5200.00",
          "new": "tier price 5000.00"}],
        [{"field": f"{sku} in jp", "note": "added"},
         {"field": f"wholesale minimum of {sku}", "old": "1", "new": "2"},
         {"field": f"{sku} from 10 units in jp", "note": "added"}],
    ]  # fmt: skip
    assert len(items["items"]) == 3  # the second, unchanged save logged nothing
