"""Workshops, agent companies and suppliers made, edited and archived without code: through
the admin API and the back office, with fulfilment's rules, never deleted."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from sqlalchemy import select

from storefront.catalog.operations import CatalogError
from storefront.db import db
from storefront.fulfilment.tables import AgentCompany, EntrustedBrand, Maker, Supplier
from test_after_payment import api_key, api_order, group_status, groups_by_model, pay


def csrf(page: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)


def refused_field(answer) -> str:
    assert answer.status_code == 400, answer.get_json()
    return answer.get_json()["error"]["field"]


def test_partners_made_through_the_api_sell_and_an_archived_agent_still_ships(
    app, client, make_user, make_brand, make_product, four_models
):
    staff = api_key(app, make_user, "staff@shop.example", "staff")
    make_brand("lucca", country="IT")
    workshop = client.post(
        "/api/v1/admin/workshops",
        json={"code": "atelier-porto", "name": "Atelier Porto", "country": "pt"},
        headers=staff,
    )
    assert workshop.status_code == 201 and workshop.get_json()["country"] == "PT"
    agent = client.post(
        "/api/v1/admin/agents",
        json={
            "code": "lucca-agency",
            "name": "Lucca Agency",
            "country": "IT",
            "handling_min": 1,
            "handling_max": 2,
            "commission_rate": "0.12",
            "brands": ["lucca"],
        },
        headers=staff,
    )
    assert agent.status_code == 201, agent.get_json()
    assert agent.get_json()["brands"] == ["lucca"]
    assert agent.get_json()["commission_rate"] == "0.12"
    supplier = client.post(
        "/api/v1/admin/suppliers",
        json={"code": "yiwu-beads", "name": "Yiwu Beads", "country": "CN", "kind": "oem",
              "lead_min": 4, "lead_max": 9},
        headers=staff,
    )  # fmt: skip
    assert supplier.status_code == 201 and supplier.get_json()["is_active"] is True
    edited = client.patch(
        "/api/v1/admin/suppliers/yiwu-beads", json={"name": "Yiwu Beads Co"}, headers=staff
    ).get_json()
    assert (edited["name"], edited["lead_max"], edited["kind"]) == ("Yiwu Beads Co", 9, "oem")
    found = client.get("/api/v1/admin/agents?q=lucca", headers=staff).get_json()["items"]
    assert [a["code"] for a in found] == ["lucca-agency"]
    assert client.get("/api/v1/admin/workshops/atelier-porto", headers=staff).status_code == 200

    # a product of each model names the new partners
    skus = {
        "made": make_product(
            name="Porto cuff",
            selling_model="self_produced",
            selling_model_settings={
                "maker": "atelier-porto", "production_min": 2, "production_max": 4
            },
        ),
        "agent": make_product(
            name="Lucca hoops",
            brand="lucca",
            selling_model="agent_operated",
            selling_model_settings={"agent": "lucca-agency"},
        ),
        "drop": make_product(
            name="Bead chain",
            selling_model="oem_dropship",
            selling_model_settings={"supplier": "yiwu-beads"},
        ),
    }  # fmt: skip
    skus = {k: f"{slug.upper()}-0" for k, slug in skus.items()}
    answer = api_order(client, [skus["agent"], skus["made"], skus["drop"]], key="partners-1")
    number = answer["order_id"]
    pay(app, number)
    groups = groups_by_model(app, number)
    assert group_status(app, groups["self_produced"]) == "in_production"
    assert group_status(app, groups["oem_dropship"]) == "awaiting_shipper"

    # archived: no new product names the agent, but its paid group still ships
    archived = client.post("/api/v1/admin/agents/lucca-agency/archive", headers=staff)
    assert archived.get_json()["is_active"] is False
    listed = client.get("/api/v1/admin/agents?archived=1", headers=staff).get_json()["items"]
    assert [a["code"] for a in listed] == ["lucca-agency"]
    with pytest.raises(CatalogError):
        make_product(
            name="Late hoops",
            brand="lucca",
            selling_model="agent_operated",
            selling_model_settings={"agent": "lucca-agency"},
        )
    agent_api = api_key(app, make_user, "ops@lucca.example", "agent", agent="lucca-agency")
    base = f"/api/v1/admin/orders/{number}/groups/{groups['agent_operated']}"
    assert client.post(f"{base}/accept", headers=agent_api).status_code == 200
    shipment = client.post(
        f"{base}/shipments",
        json={"carrier": "UPS", "tracking_number": "1Z12345E0205271688"},
        headers=agent_api,
    )
    assert shipment.status_code == 201, shipment.get_json()

    # archived workshops and suppliers take no new settings either
    client.post("/api/v1/admin/workshops/atelier-porto/archive", headers=staff)
    client.post("/api/v1/admin/suppliers/yiwu-beads/archive", headers=staff)
    for model, settings in (
        ("self_produced", {"maker": "atelier-porto", "production_min": 2, "production_max": 4}),
        ("oem_dropship", {"supplier": "yiwu-beads"}),
    ):
        with pytest.raises(CatalogError):
            make_product(selling_model=model, selling_model_settings=settings)
    # the agent may not use the back-office resources
    assert client.get("/api/v1/admin/agents", headers=agent_api).status_code == 403
    assert client.post(
        "/api/v1/admin/workshops", json={"code": "x1", "name": "X", "country": "PT"},
        headers=agent_api,
    ).status_code == 403  # fmt: skip


def test_the_api_refuses_bad_partners_with_the_field(app, client, make_user, make_brand):
    staff = api_key(app, make_user, "staff@shop.example", "staff")
    make_brand("lucca", country="IT")
    post = lambda path, body: client.post(f"/api/v1/admin/{path}", json=body, headers=staff)  # noqa: E731
    good = {"code": "lucca-agency", "name": "Lucca", "country": "IT", "brands": ["lucca"]}
    assert post("agents", good).status_code == 201
    assert refused_field(post("agents", {**good, "code": "Bad Code!"})) == "code"
    assert refused_field(post("agents", {**good, "code": "lucca-2"})) == "brands"  # one agent
    assert refused_field(post("agents", {**good, "code": "x2", "brands": ["nope"]})) == "brands"
    assert refused_field(post("agents", {**good, "code": "lucca-agency", "brands": []})) == "code"
    for rate in ("1.5", "-0.1", "twelve", 0.12):
        body = {**good, "code": "rate-test", "brands": [], "commission_rate": rate}
        assert refused_field(post("agents", body)) == "commission_rate"
    assert refused_field(post("workshops", {"code": "ws", "name": "", "country": "PT"})) == "name"
    assert refused_field(post("workshops", {"code": "ws", "name": "W", "country": "XX"})) == (
        "country"
    )
    bad_days = {"code": "sup", "name": "S", "country": "CN", "lead_min": 6, "lead_max": 2}
    assert refused_field(post("suppliers", bad_days)) == "lead_min"
    assert refused_field(post("suppliers", {**bad_days, "lead_min": -1})) == "lead_min"
    assert refused_field(post("suppliers", {**bad_days, "lead_min": 1, "kind": "x"})) == "kind"
    renamed = client.patch(
        "/api/v1/admin/agents/lucca-agency", json={"code": "other"}, headers=staff
    )
    assert refused_field(renamed) == "code"
    assert client.get("/api/v1/admin/suppliers/nope", headers=staff).status_code == 404
    with app.app_context():
        assert db.session.scalar(select(Supplier).where(Supplier.code == "sup")) is None
        assert db.session.scalar(select(Maker).where(Maker.code == "ws")) is None
        agent = db.session.scalar(select(AgentCompany).where(AgentCompany.code == "lucca-agency"))
        assert agent.commission_rate == Decimal("0.1")
        assert len(db.session.scalars(select(EntrustedBrand)).all()) == 1


def test_staff_make_edit_and_archive_partners_on_the_pages(
    app, logged_in, make_brand, make_product, make_user
):
    lucca = make_brand("lucca", country="IT")
    client = logged_in("staff")
    page = client.get("/admin/partners/agents").get_data(as_text=True)
    token = csrf(page)
    agent = {"csrf_token": token, "code": "lucca-agency", "name": "Lucca Agency",
             "country": "it", "handling_min": "1", "handling_max": "2",
             "commission_percent": "150", "returns_policy": "Back to Lucca.",
             "brands": [str(lucca)]}  # fmt: skip
    refused = client.post("/admin/partners/agents", data=agent)
    assert refused.status_code == 422 and "commission rate" in refused.get_data(as_text=True)
    made = client.post("/admin/partners/agents", data={**agent, "commission_percent": "12.5"})
    assert made.status_code == 303
    with app.app_context():
        saved = db.session.scalar(select(AgentCompany).where(AgentCompany.code == "lucca-agency"))
        assert saved.commission_rate == Decimal("0.125") and saved.country == "IT"
    second = client.post(
        "/admin/partners/agents", data={**agent, "code": "other-agency", "commission_percent": "5"}
    )
    assert second.status_code == 422 and "already entrusted" in second.get_data(as_text=True)
    found = client.get("/admin/partners/agents?q=lucca").get_data(as_text=True)
    assert 'data-code="lucca-agency"' in found and "12.5 %" in found
    edit = client.get("/admin/partners/agents/lucca-agency").get_data(as_text=True)
    assert f'value="{lucca}" selected' in edit

    workshop = {"csrf_token": token, "code": "atelier-porto", "name": "Atelier Porto",
                "country": "PT"}  # fmt: skip
    assert client.post("/admin/partners/workshops", data=workshop).status_code == 303
    renamed = client.post(
        "/admin/partners/workshops/atelier-porto", data={**workshop, "name": "Atelier do Porto"}
    )
    assert renamed.status_code == 303
    supplier = {"csrf_token": token, "code": "yiwu-beads", "name": "Yiwu Beads", "country": "CN",
                "kind": "oem", "lead_min": "9", "lead_max": "4"}  # fmt: skip
    bad_days = client.post("/admin/partners/suppliers", data=supplier)
    assert bad_days.status_code == 422 and "lead_min is at most" in bad_days.get_data(as_text=True)
    supplier["lead_min"] = "3"
    assert client.post("/admin/partners/suppliers", data=supplier).status_code == 303
    # the webhook desk links to the supplier's page, which shows its users and links on
    desk = client.get("/admin/suppliers").get_data(as_text=True)
    assert "/admin/partners/suppliers/yiwu-beads" in desk
    make_user(email="ops@yiwu.example", role="supplier")
    with app.app_context():
        from storefront.accounts.tables import User
        from storefront.webhooks.operations import grant_supplier_access

        grant_supplier_access(
            db.session.scalar(select(User).where(User.email == "ops@yiwu.example")), "yiwu-beads"
        )
        db.session.commit()
    page = client.get("/admin/partners/suppliers/yiwu-beads").get_data(as_text=True)
    assert "ops@yiwu.example" in page and "/admin/users" in page
    assert "/admin/suppliers/yiwu-beads" in page

    cuff = make_product(
        name="Porto cuff",
        selling_model="self_produced",
        selling_model_settings={"maker": "atelier-porto", "production_min": 2, "production_max": 4},
    )
    offered = client.get(f"/admin/products/{cuff}").get_data(as_text=True)
    assert "Atelier do Porto (atelier-porto)" in offered
    unconfirmed = client.post(
        "/admin/partners/workshops/atelier-porto/archive", data={"csrf_token": token}
    )
    assert unconfirmed.status_code == 303
    client.post(
        "/admin/partners/workshops/atelier-porto/archive",
        data={"csrf_token": token, "confirm": "yes"},
    )
    with app.app_context():
        maker = db.session.scalar(select(Maker).where(Maker.code == "atelier-porto"))
        assert (maker.name, maker.is_active) == ("Atelier do Porto", False)
    # the product page's chooser offers it no more; the product keeps its workshop
    product_page = client.get(f"/admin/products/{cuff}")
    assert product_page.status_code == 200
    assert "Atelier do Porto (atelier-porto)" not in product_page.get_data(as_text=True)
    with pytest.raises(CatalogError):
        make_product(
            selling_model="self_produced",
            selling_model_settings={"maker": "atelier-porto", "production_min": 2,
                                    "production_max": 4},
        )  # fmt: skip
    client.post(
        "/admin/partners/workshops/atelier-porto/archive",
        data={"csrf_token": token, "restore": "1"},
    )
    make_product(
        selling_model="self_produced",
        selling_model_settings={"maker": "atelier-porto", "production_min": 2, "production_max": 4},
    )
    agent_user = logged_in("agent", email="a@example.com")
    assert agent_user.get("/admin/partners/agents").status_code == 403


def test_the_answers_match_the_openapi_document(app, client, make_user, make_brand):
    from jsonschema import Draft202012Validator
    from referencing import Registry, Resource

    doc = client.get("/api/openapi.json").get_json()
    for path in ("workshops", "agents", "suppliers"):
        assert {"get", "post"} <= set(doc["paths"][f"/api/v1/admin/{path}"])
        assert "post" in doc["paths"][f"/api/v1/admin/{path}/{{code}}/archive"]
    registry = Registry().with_resource("urn:api", Resource.opaque(doc))
    staff = api_key(app, make_user, "staff@shop.example", "staff")
    make_brand("lucca", country="IT")
    bodies = {
        "Workshop": ("workshops", {"code": "ws-1", "name": "W", "country": "PT"}),
        "Agent": ("agents", {"code": "ag-1", "name": "A", "country": "IT", "brands": ["lucca"]}),
        "Supplier": ("suppliers", {"code": "su-1", "name": "S", "country": "CN"}),
    }
    for schema, (path, body) in bodies.items():
        made = client.post(f"/api/v1/admin/{path}", json=body, headers=staff)
        page = client.get(f"/api/v1/admin/{path}", headers=staff)
        for name, answer in ((schema, made.get_json()), (f"{schema}Page", page.get_json())):
            validator = Draft202012Validator(
                {"$ref": f"urn:api#/components/schemas/{name}"}, registry=registry
            )
            assert not list(validator.iter_errors(answer)), (name, answer)
