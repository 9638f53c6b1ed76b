"""Returns in the back office: the queue staff, agents and suppliers work (each seeing only
what it may), a return's page with its timeline and decisions, the admin API's list, the
partners' return addresses, and the dashboard's refunds and return rates."""

from __future__ import annotations

import datetime
import re
from decimal import Decimal

import pytest
from sqlalchemy import select

import test_returns
from localstripe_server import (
    CardHolder,
    app_paying_through,
    deliver,
    running_localstripe,
    stripe_event,
)
from storefront import clock
from storefront.api import returns_admin
from storefront.db import db
from storefront.orders.tables import Order
from storefront.payments import stripe_gateway as gateway
from storefront.returns.tables import ReturnRequest
from test_after_payment import PASSWORD, PartnerWorkshop, api_key, api_order, csrf, pay
from test_returns import SHIPPERS, FakeStripe, delivered_on

# the returns' own fixtures: a delivered order of every model, its card payment, the schemas
bought, card_paid, check, moment = (
    test_returns.bought,
    test_returns.card_paid,
    test_returns.check,
    test_returns.moment,
)

KINDS = ("stock", "made", "agent", "drop")


@pytest.fixture
def asked(bought):
    """One return per selling model, asked on days 3, 4, 5 and 6 after delivery, each for
    its own reason: {kind: rma}."""
    reasons = {"stock": "wrong_size", "made": "damaged", "agent": "changed_mind",
               "drop": "not_as_described"}  # fmt: skip
    rma = {}
    for days, kind in enumerate(KINDS, start=3):
        answer = bought["ask"]({bought["skus"][kind]: 1}, days=days, reason=reasons[kind])
        assert answer.status_code == 201, answer.get_json()
        rma[kind] = answer.get_json()["rma"]
    return rma


def signed_in(app, make_user, email: str, role: str, agent: str | None = None):
    """A browser of its own, signed in as a new user (an agent's of `agent`, a supplier's
    of shenzhen-silver)."""
    api_key(app, make_user, email, role, agent=agent)
    browser = app.test_client()
    assert browser.post("/login", data={"email": email, "password": PASSWORD}).status_code == 302
    return browser


def shown(page: str) -> list[str]:
    return re.findall(r'data-rma="(RMA-[0-9A-F]+)"', page)


@pytest.fixture
def staff(app, make_user):
    return signed_in(app, make_user, "returns-desk@shop.example", "staff")


def status_of(app, rma: str) -> str:
    with app.app_context():
        return db.session.scalar(select(ReturnRequest.status).where(ReturnRequest.rma == rma))


def test_staff_see_every_models_return_and_filter_them(app, staff, bought, asked, moment):
    page = staff.get("/admin/returns").get_data(as_text=True)
    assert sorted(shown(page)) == sorted(asked.values())
    # newest first
    assert shown(page) == [asked[k] for k in reversed(KINDS)]
    for other_page in ("/admin/orders", "/admin/shipping-work"):  # linked from both
        assert 'href="/admin/returns"' in staff.get(other_page).get_data(as_text=True)

    def listed(**query) -> list[str]:
        with clock.frozen(moment + datetime.timedelta(days=10)):
            answer = staff.get("/admin/returns", query_string=query)
        assert answer.status_code == 200
        return sorted(shown(answer.get_data(as_text=True)))

    assert listed(shipper=SHIPPERS["agent"]) == [asked["agent"]]
    assert listed(reason="damaged") == [asked["made"]]
    # asked on days 3 and 4: at least 6 days before day 10
    assert listed(older_than_days="6") == sorted([asked["stock"], asked["made"]])
    token = csrf(staff.get(f"/admin/returns/{asked['drop']}").get_data(as_text=True))
    staff.post(f"/admin/returns/{asked['drop']}/approve", data={"csrf_token": token})
    assert listed(status="approved") == [asked["drop"]]
    assert listed(status="requested", shipper=SHIPPERS["drop"]) == []
    refused = staff.get("/admin/returns", query_string={"status": "paid"})
    assert refused.status_code == 400
    assert "status is one of" in refused.get_data(as_text=True)


def test_the_order_page_lists_its_returns(app, staff, bought, asked):
    page = staff.get(f"/admin/orders/{bought['number']}").get_data(as_text=True)
    for rma in asked.values():
        assert f'href="/admin/returns/{rma}"' in page


def test_an_agent_sees_and_decides_only_its_groups_returns(app, make_user, bought, asked):
    agent = signed_in(app, make_user, "ops@milano.example", "agent", agent="milano-agency")
    page = agent.get("/admin/returns").get_data(as_text=True)
    assert shown(page) == [asked["agent"]]
    # the shipper filter is staff's: an agent still sees its own only
    assert shown(
        agent.get("/admin/returns", query_string={"shipper": SHIPPERS["stock"]}).get_data(
            as_text=True
        )
    ) == [asked["agent"]]
    token = csrf(page)
    for kind in ("stock", "made", "drop"):
        assert agent.get(f"/admin/returns/{asked[kind]}").status_code == 404
        post = agent.post(f"/admin/returns/{asked[kind]}/approve", data={"csrf_token": token})
        assert post.status_code == 404
        assert status_of(app, asked[kind]) == "requested"
    own = agent.get(f"/admin/returns/{asked['agent']}").get_data(as_text=True)
    assert bought["skus"]["agent"] in own and "Milano hoops" in own
    # the buyer's address and e-mail are staff's
    assert "Torstraße 1" not in own and "lena@example.de" not in own
    done = agent.post(f"/admin/returns/{asked['agent']}/approve", data={"csrf_token": token})
    assert done.status_code == 303
    assert status_of(app, asked["agent"]) == "approved"


def test_a_supplier_works_its_returns_in_its_portal(app, make_user, bought, asked):
    portal = signed_in(app, make_user, "ops@shenzhen.example", "supplier")
    moved = portal.get("/admin/returns")
    assert moved.status_code == 302 and moved.location.endswith("/supplier/returns")
    page = portal.get("/supplier/returns").get_data(as_text=True)
    assert shown(page) == [asked["drop"]] and "Your returns" in page
    for kind in ("stock", "made", "agent"):
        assert portal.get(f"/supplier/returns/{asked[kind]}").status_code == 404
    own = portal.get(f"/supplier/returns/{asked['drop']}").get_data(as_text=True)
    assert "Torstraße 1" not in own and "lena@example.de" not in own
    token = csrf(own)
    refused = portal.post(
        f"/supplier/returns/{asked['drop']}/refuse",
        data={"csrf_token": token, "reason": "Worn, not ours to take back"},
    )
    assert refused.status_code == 303
    timeline = portal.get(f"/supplier/returns/{asked['drop']}").get_data(as_text=True)
    assert "Worn, not ours to take back" in timeline
    assert "supplier:shenzhen-silver (ops@shenzhen.example)" in timeline
    assert status_of(app, asked["drop"]) == "refused"
    # the shop pays the buyer back, not the supplier (as in the supplier API)
    assert portal.post(f"/supplier/returns/{asked['drop']}/refund",
                       data={"csrf_token": token}).status_code == 403  # fmt: skip


def test_staff_decide_on_the_returns_page_and_the_timeline_shows_who(app, staff, bought, asked):
    url = f"/admin/returns/{asked['stock']}"
    page = staff.get(url).get_data(as_text=True)
    # staff see who sent it and where from
    assert "Torstraße 1" in page and "lena@example.de" in page
    assert "Stock ring" in page and bought["number"] in page
    token = csrf(page)

    # a refusal needs a reason: nothing changes without one
    empty = staff.post(f"{url}/refuse", data={"csrf_token": token, "reason": "  "})
    assert empty.status_code == 303
    after = staff.get(url).get_data(as_text=True)
    assert "Give a reason of 1 to 280 characters." in after
    assert status_of(app, asked["stock"]) == "requested"
    assert after.count("<td>requested</td>") == 1  # the timeline has the request only

    # out of turn: said why, nothing changes
    staff.post(f"{url}/received", data={"csrf_token": token})
    assert "it cannot be received" in staff.get(url).get_data(as_text=True)

    for step, status in (("approve", "approved"), ("received", "received")):
        assert staff.post(f"{url}/{step}", data={"csrf_token": token}).status_code == 303
        assert status_of(app, asked["stock"]) == status
    # no card payment: the refund is refused with the reason, the return stays received
    staff.post(f"{url}/refund", data={"csrf_token": token})
    page = staff.get(url).get_data(as_text=True)
    assert status_of(app, asked["stock"]) == "received"
    assert f"Order {bought['number']} has no card payment to refund." in page
    timeline = page.split('data-testid="return-timeline"')[1]
    rows = re.findall(
        r"<tr><td>[^<]+</td><td>([^<]+)</td><td>([^<]+)</td><td>([^<]+)</td>", timeline
    )
    who = "staff:returns-desk@shop.example"
    assert rows == [
        ("—", "requested", "buyer"),
        ("requested", "approved", who),
        ("approved", "received", who),
    ]

    other = f"/admin/returns/{asked['made']}"
    staff.post(f"{other}/refuse", data={"csrf_token": token, "reason": "Engraved to order"})
    assert status_of(app, asked["made"]) == "refused"
    assert "Engraved to order" in staff.get(other).get_data(as_text=True)


def test_staff_refund_a_card_paid_return_from_its_page_and_stripe_holds_it(
    app, client, staff, four_models, moment
):
    """Paid through Stripe (localstripe), delivered, one ring sent back and refunded on the
    return's page: Stripe holds one refund of exactly its price."""
    with running_localstripe() as base_url, app_paying_through(app, base_url):
        holder = CardHolder(base_url)
        answer = api_order(client, [four_models["stock"]], locale="en", key="page-refund")
        number, token = answer["order_id"], answer["order_token"]
        intent_id = answer["payment"]["client_secret"].split("_secret_")[0]
        assert holder.pays(intent_id)["status"] == "succeeded"
        deliver(client, stripe_event("payment_intent.succeeded", holder.intent(intent_id)))
        delivered_on(app, number, moment)
        with clock.frozen(moment + datetime.timedelta(days=2)):
            asked = client.post(
                f"/api/v1/orders/{number}/returns",
                json={"lines": [{"sku": four_models["stock"], "quantity": 1}],
                      "reason": "damaged", "resolution": "refund"},
                headers={"Authorization": f"Bearer {token}"},
            ).get_json()  # fmt: skip
        url = f"/admin/returns/{asked['rma']}"
        token = csrf(staff.get(url).get_data(as_text=True))
        for step in ("approve", "received", "refund"):
            assert staff.post(f"{url}/{step}", data={"csrf_token": token}).status_code == 303
        page = staff.get(url).get_data(as_text=True)
        price = Decimal(asked["refund"]["amount"])
        assert holder.refunded(intent_id) == [int(price * 100)]
    assert status_of(app, asked["rma"]) == "refunded"
    assert f"{price} EUR refunded by staff:returns-desk@shop.example" in page
    assert "Nothing to decide" in page


def test_the_admin_api_lists_returns_filtered_and_paged(
    app, client, make_user, bought, asked, check, moment, monkeypatch
):
    staff = api_key(app, make_user, "list@shop.example", "staff")
    supplier = api_key(app, make_user, "ops@shenzhen.example", "supplier")

    def listed(who=staff, url="/api/v1/admin/returns", **query):
        with clock.frozen(moment + datetime.timedelta(days=10)):
            answer = client.get(url, query_string=query, headers=who)
        assert answer.status_code == 200, answer.get_json()
        check("ReturnPage", answer.get_json())
        return answer.get_json()

    everything = listed()
    assert [r["rma"] for r in everything["items"]] == [asked[k] for k in reversed(KINDS)]
    assert (everything["page"], everything["pages"]) == (1, 1)
    assert [r["rma"] for r in listed(reason="changed_mind")["items"]] == [asked["agent"]]
    assert [r["rma"] for r in listed(shipper=SHIPPERS["made"])["items"]] == [asked["made"]]
    assert [r["rma"] for r in listed(older_than_days=6)["items"]] == [
        asked["made"],
        asked["stock"],
    ]
    assert listed(status="refused")["items"] == []
    # the supplier's key, in both places, finds its own only
    for url in ("/api/v1/admin/returns", "/api/v1/supplier/returns"):
        assert [r["rma"] for r in listed(supplier, url)["items"]] == [asked["drop"]]
    # pages of two
    monkeypatch.setattr(returns_admin, "PAGE_SIZE", 2)
    first, second = listed(page=1), listed(page=2)
    assert (first["pages"], second["page"]) == (2, 2)
    assert [r["rma"] for r in first["items"] + second["items"]] == [
        asked[k] for k in reversed(KINDS)
    ]
    wrong = client.get("/api/v1/admin/returns?older_than_days=soon", headers=staff)
    assert wrong.status_code == 400
    assert wrong.get_json()["error"]["field"] == "older_than_days"


# return addresses ---------------------------------------------------------------------------

BERLIN_RETURNS = "Lumen Returns\nLagerstraße 5\n10115 Berlin\nGermany"
MILANO_RETURNS = "Milano Agency - Resi\nVia Tortona 12\n20144 Milano\nItaly"


def test_return_addresses_edited_on_the_pages_and_in_the_api_are_what_a_return_answers(
    app, client, make_user, bought
):
    office = signed_in(app, make_user, "partners@shop.example", "staff")
    form = office.get("/admin/warehouses/berlin/edit").get_data(as_text=True)
    saved = office.post(
        "/admin/warehouses/berlin/edit",
        data={"csrf_token": csrf(form), "code": "berlin", "name": "Berlin", "country": "DE",
              "serves": "DE AT NL", "return_address": BERLIN_RETURNS.replace("\n", "\r\n")},
    )  # fmt: skip
    assert saved.status_code == 303
    page = office.get("/admin/partners/suppliers/shenzhen-silver").get_data(as_text=True)
    too_long = office.post(
        "/admin/partners/suppliers/shenzhen-silver",
        data={"csrf_token": csrf(page), "name": "Shenzhen Silver", "country": "CN",
              "kind": "dropship", "lead_min": "3", "lead_max": "5",
              "return_address": "x" * 501},
    )  # fmt: skip
    assert too_long.status_code == 422
    assert "at most 500 characters" in too_long.get_data(as_text=True)
    supplier_returns = "Shenzhen Silver Returns\n88 Bao'an Road\n518000 Shenzhen\nChina"
    assert office.post(
        "/admin/partners/suppliers/shenzhen-silver",
        data={"csrf_token": csrf(page), "name": "Shenzhen Silver", "country": "CN",
              "kind": "dropship", "lead_min": "3", "lead_max": "5",
              "return_address": supplier_returns},
    ).status_code == 303  # fmt: skip

    staff = api_key(app, make_user, "partners-api@shop.example", "staff")
    agent = client.patch(
        "/api/v1/admin/agents/milano-agency", json={"return_address": MILANO_RETURNS}, headers=staff
    )
    assert agent.status_code == 200 and agent.get_json()["return_address"] == MILANO_RETURNS
    workshop = client.patch(
        "/api/v1/admin/workshops/atelier", json={"return_address": ["not", "text"]}, headers=staff
    )
    assert workshop.status_code == 400
    assert workshop.get_json()["error"]["field"] == "return_address"
    warehouse = client.get("/api/v1/admin/warehouses/berlin", headers=staff).get_json()
    assert warehouse["return_address"] == BERLIN_RETURNS
    longer = client.patch(
        "/api/v1/admin/warehouses/berlin", json={"return_address": "y" * 501}, headers=staff
    )
    assert longer.status_code == 422 and longer.get_json()["error"]["field"] == "return_address"

    expected = {
        "stock": BERLIN_RETURNS,
        "made": "",  # the workshop has none yet
        "agent": MILANO_RETURNS,
        "drop": supplier_returns,
    }
    for kind, address in expected.items():
        answer = bought["ask"]({bought["skus"][kind]: 1}).get_json()
        assert answer["ship_to"] == {"shipper": SHIPPERS[kind], "address": address}

    # the changes are in the audit log, by name
    history = client.get("/api/v1/admin/audit?kind=warehouse&key=berlin", headers=staff).get_json()[
        "items"
    ]
    assert {"field": "return address", "old": "", "new": BERLIN_RETURNS} in history[0]["changes"]


# the dashboard's returns figures --------------------------------------------------------------

NOVEMBER = {"from": "2026-11-01", "to": "2026-11-30"}


def test_refunds_and_return_rates_come_from_the_return_records(
    app, client, make_user, card_paid, check, moment, monkeypatch
):
    """Five units delivered (two stock rings, one of each other model); a ring and the
    rope chain come back, the ring refunded by card: 2 of 5 units returned, 40 %."""
    monkeypatch.setattr(gateway, "create_refund", FakeStripe().create_refund)
    skus = card_paid["skus"]
    with app.app_context():
        order = db.session.scalar(select(Order).where(Order.number == card_paid["number"]))
        next(ln for ln in order.lines if ln.sku == skus["stock"]).quantity = 2
        db.session.commit()
    ring = card_paid["ask"]({skus["stock"]: 1}, reason="wrong_size").get_json()
    assert card_paid["ask"]({skus["drop"]: 1}, reason="damaged").status_code == 201
    refused = card_paid["ask"]({skus["made"]: 1}, reason="changed_mind").get_json()
    staff = api_key(app, make_user, "figures@shop.example", "staff")
    with clock.frozen(moment + datetime.timedelta(days=5)):
        for step in ("approve", "received", "refund"):
            done = client.post(f"/api/v1/admin/returns/{ring['rma']}/{step}", headers=staff)
            assert done.status_code == 200, done.get_json()
        client.post(
            f"/api/v1/admin/returns/{refused['rma']}/refuse", json={"reason": "Worn"}, headers=staff
        )
    price = Decimal(ring["refund"]["amount"])
    with app.app_context():
        order = db.session.scalar(select(Order).where(Order.number == card_paid["number"]))
        base = order.base_currency
        in_base = str((price * Decimal(order.base_rate)).quantize(Decimal("0.01")))

    answer = client.get(
        "/api/v1/admin/reports/returns", query_string=NOVEMBER, headers=staff
    ).get_json()
    check("ReturnsReport", answer)
    assert answer["totals"] == {
        "delivered_units": 5,
        "returned_units": 2,
        "return_rate": 0.4,
        "returns": 2,
        "returns_refunded": 1,
        "refunds": {"amount": in_base, "currency": base},
        "refunds_without_rate": 0,
    }
    zero = {"amount": "0.00", "currency": base}
    models = {row["selling_model"]: row for row in answer["by_selling_model"]}
    assert (models["wholesale_retail"]["return_rate"], models["oem_dropship"]["return_rate"]) == (
        0.5,
        1.0,
    )
    assert models["self_produced"]["returned_units"] == 0  # refused: not a return
    assert models["wholesale_retail"]["refunds"]["amount"] == in_base
    assert models["oem_dropship"]["refunds"] == zero
    reasons = {row["reason"]: row for row in answer["by_reason"]}
    assert set(reasons) == {"wrong_size", "damaged"}
    assert reasons["damaged"]["return_rate"] == 0.2  # one of the five units delivered
    products = {row["product"]: row for row in answer["by_product"]}
    assert products["Stock ring"]["delivered_units"] == 2
    assert products["Stock ring"]["return_rate"] == 0.5
    assert answer["refunds_by_currency"] == [
        {
            "currency": "EUR",
            "returns_refunded": 1,
            "refunded": {"amount": str(price), "currency": "EUR"},
            "refunded_in_base": {"amount": in_base, "currency": base},
        }
    ]
    one_split = client.get(
        "/api/v1/admin/reports/returns", query_string={**NOVEMBER, "by": "reason"}, headers=staff
    ).get_json()
    check("ReturnsReport", one_split)
    assert "by_product" not in one_split and one_split["by_reason"] == answer["by_reason"]
    wrong = client.get("/api/v1/admin/reports/returns?by=colour", headers=staff)
    assert wrong.status_code == 400 and wrong.get_json()["error"]["field"] == "by"
    # a month later nothing was delivered nor returned
    december = client.get(
        "/api/v1/admin/reports/returns",
        query_string={"from": "2026-12-01", "to": "2026-12-31"},
        headers=staff,
    ).get_json()
    assert december["totals"]["return_rate"] is None and december["by_product"] == []

    office = signed_in(app, make_user, "dashboard@shop.example", "staff")
    page = office.get("/admin/", query_string=NOVEMBER).get_data(as_text=True)
    assert 'data-testid="returns-return_rate">40.0 %<' in page
    assert 'data-testid="returns-returned_units">2<' in page
    csv = office.get("/admin/reports/returns.csv", query_string=NOVEMBER).get_data(as_text=True)
    assert "totals,,returned_units,2" in csv


def test_a_plug_in_models_return_is_listed_for_the_party_it_declares(
    app, client, make_user, make_product, four_models, moment, monkeypatch
):
    """A plug-in model names its acting party its own way (not the group's shipper): its
    returns are listed for that party, and for no other."""
    from models_ import Registry

    installed = app.extensions["selling_models"]
    registry = Registry([installed.get(code) for code in installed.codes()] + [PartnerWorkshop()])
    monkeypatch.setitem(app.extensions, "selling_models", registry)
    slug = make_product(
        name="Partner brooch",
        selling_model="partner_workshop",
        selling_model_settings={"partner": "shenzhen-silver"},
    )
    placed = api_order(client, [f"{slug.upper()}-0"], key="plug-in")
    pay(app, placed["order_id"])
    delivered_on(app, placed["order_id"], moment)
    with clock.frozen(moment + datetime.timedelta(days=2)):
        asked = client.post(
            f"/api/v1/orders/{placed['order_id']}/returns",
            json={"lines": [{"sku": f"{slug.upper()}-0"}], "reason": "damaged",
                  "resolution": "refund"},
            headers={"Authorization": f"Bearer {placed['order_token']}"},
        )  # fmt: skip
    assert asked.status_code == 201, asked.get_json()
    supplier = api_key(app, make_user, "ops@shenzhen.example", "supplier")
    agent = api_key(app, make_user, "ops@milano.example", "agent", agent="milano-agency")
    listed = client.get("/api/v1/supplier/returns", headers=supplier).get_json()["items"]
    assert [r["rma"] for r in listed] == [asked.get_json()["rma"]]
    assert client.get("/api/v1/admin/returns", headers=agent).get_json()["items"] == []


def test_staff_inspect_on_the_page_and_a_bank_transfer_refund_is_paid_by_hand(
    app, staff, bought, asked, monkeypatch
):
    from storefront.orders.operations import BANK_TRANSFER
    from test_returns_effects import on_hand

    stripe = FakeStripe()
    monkeypatch.setattr(gateway, "create_refund", stripe.create_refund)
    rma, sku = asked["stock"], bought["skus"]["stock"]
    url = f"/admin/returns/{rma}"
    token = csrf(staff.get(url).get_data(as_text=True))
    for step in ("approve", "received"):
        staff.post(f"{url}/{step}", data={"csrf_token": token})
    page = staff.get(url).get_data(as_text=True)
    # the own-stock model offers a restock or a write-off, per returned line
    form = page.split('data-testid="return-inspect"')[1].split("</form>")[0]
    assert '<option value="restock">' in form and '<option value="write_off">' in form
    [line_id] = re.findall(r'name="outcome-(\d+)"', form)
    before = on_hand(app, "berlin", sku)

    # a write-off without a note is refused, said why, and nothing moves
    staff.post(f"{url}/inspect", data={"csrf_token": token, f"outcome-{line_id}": "write_off"})
    assert "needs a note" in staff.get(url).get_data(as_text=True)
    assert status_of(app, rma) == "received" and on_hand(app, "berlin", sku) == before

    staff.post(f"{url}/inspect", data={"csrf_token": token, f"outcome-{line_id}": "restock"})
    assert status_of(app, rma) == "inspected"
    assert on_hand(app, "berlin", sku) == before + 1
    page = staff.get(url).get_data(as_text=True)
    assert "restock</strong> into berlin" in page.split('data-testid="return-outcomes"')[1]

    # an order paid by bank transfer: the refund is owed, then marked paid by hand
    with app.app_context():
        order = db.session.scalar(select(Order).where(Order.number == bought["number"]))
        order.payment_method = BANK_TRANSFER
        db.session.commit()
    staff.post(f"{url}/refund", data={"csrf_token": token})
    page = staff.get(url).get_data(as_text=True)
    assert "is owed to the buyer, to pay by bank transfer" in page
    assert "owed to the buyer: pay by bank transfer" in page and "Mark paid by hand" in page
    assert stripe.calls == []
    staff.post(f"{url}/paid", data={"csrf_token": token})
    page = staff.get(url).get_data(as_text=True)
    assert 'data-testid="return-payout">paid by hand' in page
    assert "Mark paid by hand" not in page


def test_a_supplier_approves_in_its_portal_with_its_own_return_address(
    app, client, make_user, bought, asked
):
    portal = signed_in(app, make_user, "ops@shenzhen.example", "supplier")
    url = f"/supplier/returns/{asked['drop']}"
    token = csrf(portal.get(url).get_data(as_text=True))
    desk = "Shenzhen Silver returns desk\nBldg 4, 12 Gaoxin Rd\n518057 Shenzhen\nChina"
    answer = portal.post(f"{url}/approve", data={"csrf_token": token, "return_address": desk})
    assert answer.status_code == 303
    assert status_of(app, asked["drop"]) == "approved"
    seen = client.get(
        f"/api/v1/orders/{bought['number']}/returns/{asked['drop']}",
        headers={"Authorization": f"Bearer {bought['token']}"},
    ).get_json()
    assert seen["ship_to"]["address"] == desk
