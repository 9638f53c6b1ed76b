"""After payment: one order with a line of each selling model goes from paid to delivered,
each group through its own shipper's actions (warehouse staff in the back office, the
workshop with quality control, the agent by API, the supplier in its portal and by API),
and the buyer follows every parcel."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from storefront.accounts.api_keys import issue_api_key
from storefront.accounts.tables import User
from storefront.db import db
from storefront.dispatch.operations import mark_paid
from storefront.fulfilment.tables import AgentCompany, StockLevel, Warehouse
from storefront.orders.links import order_key
from storefront.orders.tables import GroupStatusChange, Order, OrderGroup
from storefront.webhooks.operations import grant_supplier_access
from storefront.webhooks.tables import OutboxEvent

PASSWORD = "correct horse battery"
BERLIN = {
    "name": "Lena Vogel",
    "street_address": "Torstraße 1",
    "city": "Berlin",
    "postal_code": "10119",
}


def api_order(client, skus: list[str], locale: str = "de", key: str = "order-1") -> dict:
    """An order placed through the API by a buyer whose browser speaks `locale`."""
    cart = client.post(
        "/api/v1/carts",
        json={"channel": "eu", "country": "DE"},
        headers={"Accept-Language": locale},
    ).get_json()
    auth = {"Authorization": f"Bearer {cart['token']}"}
    for sku in skus:
        added = client.post(f"/api/v1/carts/{cart['id']}/lines", json={"sku": sku}, headers=auth)
        assert added.status_code == 201, added.get_json()
    details = {"address": BERLIN, "email": "lena@example.de", "phone": "030 1234567"}
    put = client.put(f"/api/v1/carts/{cart['id']}/address", json=details, headers=auth)
    assert put.status_code == 200, put.get_json()
    placed = client.post(
        f"/api/v1/carts/{cart['id']}/checkout", json={"idempotency_key": key}, headers=auth
    )
    assert placed.status_code == 201, placed.get_json()
    return placed.get_json()


def pay(app, number: str) -> None:
    with app.app_context():
        mark_paid(db.session.scalar(select(Order).where(Order.number == number)))
        db.session.commit()


def groups_by_model(app, number: str) -> dict[str, int]:
    with app.app_context():
        order = db.session.scalar(select(Order).where(Order.number == number))
        return {g.selling_model: g.id for g in order.groups}


def group_status(app, group_id: int) -> str:
    with app.app_context():
        return db.session.get(OrderGroup, group_id).status


def api_key(app, make_user, email: str, role: str, agent: str | None = None) -> dict:
    make_user(email=email, role=role)
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == email))
        if agent:
            user.agent_id = db.session.scalar(
                select(AgentCompany.id).where(AgentCompany.code == agent)
            )
        if role == "supplier":
            grant_supplier_access(user, "shenzhen-silver")
        _key, raw = issue_api_key(user)
        db.session.commit()
    return {"Authorization": f"Bearer {raw}"}


def csrf(page: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)


@pytest.fixture
def placed(app, client, four_models):
    """A paid order of one line per model, placed by a German-speaking buyer."""
    skus = [four_models[k] for k in ("stock", "made", "agent", "drop")]
    answer = api_order(client, skus)
    number = answer["order_id"]
    pay(app, number)
    return {"number": number, "token": answer["order_token"], "skus": four_models}


def test_the_order_keeps_the_buyers_delivery_details_and_language(app, placed):
    with app.app_context():
        order = db.session.scalar(select(Order).where(Order.number == placed["number"]))
        assert order.ship_to["street_address"] == "Torstraße 1"
        assert order.ship_to["city"] == "BERLIN" or order.ship_to["city"] == "Berlin"
        assert (order.buyer_name, order.phone, order.email) == (
            "Lena Vogel",
            "+49301234567",
            "lena@example.de",
        )
        assert order.locale == "de"
        assert order.status == "paid" and order.paid_at is not None


def test_every_model_goes_from_paid_to_delivered_by_its_own_shipper(
    app, client, make_user, placed, smtp_server
):
    number = placed["number"]
    groups = groups_by_model(app, number)
    assert {m: group_status(app, g) for m, g in groups.items()} == {
        "wholesale_retail": "picking",
        "self_produced": "in_production",
        "agent_operated": "awaiting_shipper",
        "oem_dropship": "awaiting_shipper",
    }
    staff_api = api_key(app, make_user, "qc@shop.example", "staff")
    agent_api = api_key(app, make_user, "ops@milano.example", "agent", agent="milano-agency")
    supplier_api = api_key(app, make_user, "ops@shenzhen.example", "supplier")

    # the supplier hears of its group by webhook, with where it goes
    with app.app_context():
        created = db.session.scalar(
            select(OutboxEvent).where(OutboxEvent.event_type == "order_group.created")
        )
        assert created.payload["ship_to"]["street_address"] == "Torstraße 1"
        assert created.payload["ship_to"]["phone"] == "+49301234567"

    # 1. own stock: warehouse staff pick, pack and ship in the back office
    staff = app.test_client()
    make_user(email="warehouse@shop.example", role="staff")
    assert (
        staff.post(
            "/login", data={"email": "warehouse@shop.example", "password": PASSWORD}
        ).status_code
        == 302
    )
    queue = staff.get("/admin/shipping-work").get_data(as_text=True)
    assert "Torstraße 1" in queue and placed["skus"]["stock"] in queue
    stock = groups["wholesale_retail"]
    token = csrf(queue)
    pick_list = staff.get("/admin/shipping-work/pick-list/berlin").get_data(as_text=True)
    assert placed["skus"]["stock"] in pick_list and "Lena Vogel" in pick_list
    for step in ("picked", "packed"):
        answer = staff.post(
            f"/admin/shipping-work/groups/{stock}/{step}",
            data={"csrf_token": token, "back": "group"},
        )
        assert answer.status_code == 303
    assert group_status(app, stock) == "ready_to_ship"
    shipped = staff.post(
        f"/admin/shipping-work/groups/{stock}/ship",
        data={
            "csrf_token": token,
            "carrier": "deutsche-post",
            "tracking_number": "RR123456789DE",
            "parcels": "1",
            "qty-" + placed["skus"]["stock"]: "1",
        },
        follow_redirects=True,
    )
    flashes = re.findall(r'class="flash[^>]*>([^<]*)', shipped.get_data(as_text=True))
    assert any("Shipped with Deutsche Post RR123456789DE" in f for f in flashes), flashes
    staff.post(
        f"/admin/shipping-work/groups/{stock}/delivered",
        data={"csrf_token": token, "delivered_on": ""},
    )
    assert group_status(app, stock) == "delivered"

    # 2. self-produced: quality control fails once (back to production), then passes
    made = groups["self_produced"]
    base = f"/api/v1/admin/orders/{number}/groups/{made}"
    early = client.post(
        f"{base}/shipments",
        json={"carrier": "ups", "tracking_number": "1Z999"},
        headers=staff_api,
    )
    assert early.status_code == 409
    assert "production and its quality inspection" in early.get_json()["error"]["message"]
    failed = client.post(
        f"{base}/qc",
        json={"passed": False, "inspector": "Rui", "notes": "clasp"},
        headers=staff_api,
    )
    assert failed.status_code == 201 and failed.get_json()["status"] == "in_production"
    passed = client.post(f"{base}/qc", json={"passed": True, "inspector": "Rui"}, headers=staff_api)
    assert passed.get_json()["status"] == "ready_to_ship"
    sent = client.post(
        f"{base}/shipments",
        json={"carrier": "Royal Mail", "tracking_number": "AB123456789GB"},
        headers=staff_api,
    ).get_json()
    assert sent["tracking_url"].endswith("/AB123456789GB")
    tracked = client.post(
        f"{base}/shipments/{sent['id']}/tracking",
        json={"status": "delivered", "location": "Berlin"},
        headers=staff_api,
    )
    assert tracked.status_code == 201 and tracked.get_json()["group_status"] == "delivered"

    # 3. agent-operated: the agent sees only its own group, with its ship-to, by API
    listed = client.get("/api/v1/admin/groups", headers=agent_api).get_json()["items"]
    assert [g["id"] for g in listed] == [groups["agent_operated"]]
    assert listed[0]["ship_to"]["name"] == "Lena Vogel"
    agent_base = f"/api/v1/admin/orders/{number}/groups/{groups['agent_operated']}"
    stranger = client.post(
        f"/api/v1/admin/orders/{number}/groups/{stock}/accept", headers=agent_api
    )
    assert stranger.status_code == 404
    assert client.post(f"{agent_base}/accept", headers=agent_api).status_code == 200
    shipment = client.post(
        f"{agent_base}/shipments",
        json={"carrier": "UPS", "tracking_number": "1Z12345E0205271688"},
        headers=agent_api,
    )
    assert shipment.status_code == 201
    assert client.post(f"{agent_base}/delivered", json={}, headers=agent_api).status_code == 200

    # 4. OEM/dropship: the supplier accepts in its portal, ships by API, delivers in the portal
    drop = groups["oem_dropship"]
    portal = app.test_client()
    assert (
        portal.post(
            "/login", data={"email": "ops@shenzhen.example", "password": PASSWORD}
        ).status_code
        == 302
    )
    page = portal.get("/supplier").get_data(as_text=True)
    assert "Torstraße 1" in page and "Sign out" in page
    accepted = portal.post(
        f"/admin/shipping-work/groups/{drop}/accept",
        data={"csrf_token": csrf(page), "back": "portal"},
    )
    assert accepted.status_code == 303 and accepted.location.endswith("/supplier")
    by_api = client.post(
        f"/api/v1/supplier/groups/{drop}/shipments",
        json={"carrier": "SF Express", "tracking_number": "SF1234567890"},
        headers=supplier_api,
    )
    assert by_api.status_code == 201
    portal.post(
        f"/admin/shipping-work/groups/{drop}/delivered",
        data={"csrf_token": csrf(page), "back": "portal"},
    )
    assert group_status(app, drop) == "delivered"

    # the buyer follows every parcel: the API, and the order page from the mail's link
    order = client.get(f"/api/v1/orders/{number}?token={placed['token']}").get_json()
    assert order["status"] == "delivered"
    numbers = {s["tracking_number"]: s for g in order["groups"] for s in g["shipments"]}
    assert set(numbers) == {"RR123456789DE", "AB123456789GB", "1Z12345E0205271688", "SF1234567890"}
    assert numbers["1Z12345E0205271688"]["tracking_url"] == (
        "https://www.ups.com/track?tracknum=1Z12345E0205271688"
    )
    assert all(s["delivered_at"] for s in numbers.values())
    with app.app_context():
        key = order_key(db.session.scalar(select(Order).where(Order.number == number)))
        moves = db.session.scalars(select(GroupStatusChange.actor)).all()
    assert "agent:milano-agency (ops@milano.example)" in moves
    assert "staff:warehouse@shop.example" in moves
    page = app.test_client().get(f"/orders/{number}?key={key}", headers={"Accept-Language": "de"})
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    for tracking in numbers:
        assert tracking in text
    assert "https://www.ups.com/track?tracknum=1Z12345E0205271688" in text
    assert "Zugestellt" in text  # delivered, in the buyer's language
    assert app.test_client().get(f"/orders/{number}?key=forged").status_code == 404

    # the mails went out through the worker to a real SMTP server, in the buyer's language
    sent = app.test_cli_runner().invoke(args=["worker", "--once", "--only", "mail.send"])
    assert sent.exit_code == 0, sent.output
    mails = smtp_server.to("lena@example.de")
    subjects = [m.message["Subject"] for m in mails]
    shipped = [m for m in mails if "ist unterwegs" in m.message["Subject"]]
    assert len(shipped) == 4, subjects
    texts = "\n".join(m.part("plain") for m in shipped)
    for tracking in numbers:
        assert tracking in texts
    assert "https://www.ups.com/track?tracknum=1Z12345E0205271688" in "".join(
        m.part("html") for m in shipped
    )
    assert sum("zugestellt" in subject.lower() for subject in subjects) == 4, subjects


def test_shipping_a_group_that_is_not_ready_says_what_it_waits_for(app, client, make_user, placed):
    staff_api = api_key(app, make_user, "staff@shop.example", "staff")
    groups = groups_by_model(app, placed["number"])
    answer = client.post(
        f"/api/v1/admin/orders/{placed['number']}/groups/{groups['oem_dropship']}/shipments",
        json={"carrier": "dhl-express", "tracking_number": "123"},
        headers=staff_api,
    )
    assert answer.status_code == 409
    assert "waits for its shipper to accept it" in answer.get_json()["error"]["message"]
    unknown = client.post(
        f"/api/v1/admin/orders/{placed['number']}/groups/{groups['wholesale_retail']}/picked",
        headers={"Authorization": "Bearer nope"},
    )
    assert unknown.status_code == 401


def test_a_partial_shipment_then_the_rest(app, client, make_user, four_models):
    number = api_order(client, [four_models["stock"], four_models["stock"]])["order_id"]
    pay(app, number)
    staff_api = api_key(app, make_user, "staff@shop.example", "staff")
    stock = groups_by_model(app, number)["wholesale_retail"]
    base = f"/api/v1/admin/orders/{number}/groups/{stock}"
    for step in ("picked", "packed"):
        assert client.post(f"{base}/{step}", headers=staff_api).status_code == 200
    first = client.post(
        f"{base}/shipments",
        json={
            "carrier": "dhl-express",
            "tracking_number": "JD1",
            "lines": [{"sku": four_models["stock"], "quantity": 1}],
        },
        headers=staff_api,
    ).get_json()
    assert first["group_status"] == "partially_shipped"
    with app.app_context():
        order = db.session.scalar(select(Order).where(Order.number == number))
        assert order.status == "partially_shipped"
    too_soon = client.post(f"{base}/delivered", json={}, headers=staff_api)
    assert too_soon.status_code == 409
    rest = client.post(
        f"{base}/shipments",
        json={"carrier": "My Local Courier", "tracking_number": "LC-2", "parcels": 2},
        headers=staff_api,
    ).get_json()
    assert (rest["carrier_code"], rest["carrier"], rest["tracking_url"]) == (
        "other",
        "My Local Courier",
        None,
    )
    assert rest["group_status"] == "shipped" and rest["parcels"] == 2


def test_a_paid_order_cancelled_gives_its_stock_back(
    app, client, make_user, logged_in, four_models
):
    number = api_order(client, [four_models["stock"]])["order_id"]

    def on_hand() -> tuple[int, int]:
        with app.app_context():
            level = db.session.scalar(
                select(StockLevel)
                .join(Warehouse, Warehouse.id == StockLevel.warehouse_id)
                .where(Warehouse.code == "berlin")
            )
            return level.on_hand, level.reserved

    assert on_hand() == (3, 1)
    pay(app, number)
    assert on_hand() == (2, 0)
    staff = logged_in("owner")
    page = staff.get(f"/admin/orders/{number}").get_data(as_text=True)
    unconfirmed = staff.post(
        f"/admin/shipping-work/orders/{number}/cancel", data={"csrf_token": csrf(page)}
    )
    assert unconfirmed.status_code == 303 and on_hand() == (2, 0)
    staff.post(
        f"/admin/shipping-work/orders/{number}/cancel",
        data={"csrf_token": csrf(page), "confirm": "yes", "reason": "buyer asked"},
    )
    assert on_hand() == (3, 0)
    with app.app_context():
        order = db.session.scalar(select(Order).where(Order.number == number))
        assert order.status == "cancelled"
        assert [g.status for g in order.groups] == ["cancelled"]


def test_an_unpaid_dropship_order_cancelled_tells_the_supplier_nothing(app, client, four_models):
    from storefront.dispatch.operations import cancel_order

    number = api_order(client, [four_models["drop"]])["order_id"]
    with app.app_context():
        cancel_order(db.session.scalar(select(Order).where(Order.number == number)), "expired")
        db.session.commit()
        assert db.session.scalars(select(OutboxEvent.event_type)).all() == []


def test_a_production_order_is_due_when_its_slowest_product_is_made(
    app, client, make_product, four_models
):
    import datetime

    from storefront import clock
    from storefront.production.tables import ProductionOrder

    slow = make_product(
        name="Atelier torque",
        category="bracelets",
        selling_model="self_produced",
        selling_model_settings={"maker": "atelier", "production_min": 20, "production_max": 30},
    )
    number = api_order(client, [four_models["made"], f"{slow.upper()}-0"])["order_id"]
    with clock.frozen(datetime.datetime(2026, 12, 1, 9, 0, tzinfo=datetime.UTC)):
        pay(app, number)
    with app.app_context():
        orders = db.session.scalars(select(ProductionOrder)).all()
        assert [o.due_on for o in orders] == [datetime.date(2026, 12, 31)]  # 30 days, not 10


# a plug-in model gets the same steps ---------------------------------------------------------


class PartnerWorkshop:
    """A plug-in model the shop does not know: made by a partner that is set up in the
    shop as a supplier company; it sets nothing in motion when paid."""

    code = "partner_workshop"
    label = "Made by a partner workshop"
    settings = {"partner": (str, True, "the partner that makes and ships it")}
    surplus_model = None
    return_outcomes = ()

    def operator(self, settings):
        from models_ import Operator

        return Operator("partner", settings.get("partner"), "partner")

    def holding_supplier(self, settings):
        return None

    def acting_party(self, group):
        from models_ import SUPPLIER, ShipperRef

        return ShipperRef(SUPPLIER, group.settings["partner"])

    def check_settings(self, raw, context):
        from models_.base import check_declared_settings

        return check_declared_settings(self, raw)

    def quote(self, line, destination, context):
        from models_ import Days, LineQuote, ShipperRef

        return LineQuote(ShipperRef("partner", line.settings["partner"]), "FR", Days(2, 4))

    def reserve(self, lines, destination, reference, context):
        pass

    def start_fulfilment(self, group, reference, context):
        pass

    def cancel(self, group, reference, context):
        pass

    def route_return(self, group, context):
        from models_ import ReturnRoute

        return ReturnRoute(group.shipper, "Back to the partner.")


def test_a_plug_in_models_group_is_worked_by_the_party_it_declares(
    app, client, make_user, make_product, four_models, monkeypatch
):
    from models_ import Registry

    installed = app.extensions["selling_models"]
    registry = Registry([installed.get(code) for code in installed.codes()] + [PartnerWorkshop()])
    monkeypatch.setitem(app.extensions, "selling_models", registry)
    slug = make_product(
        name="Partner brooch",
        selling_model="partner_workshop",
        selling_model_settings={"partner": "shenzhen-silver"},
    )
    number = api_order(client, [f"{slug.upper()}-0"])["order_id"]
    pay(app, number)
    group = groups_by_model(app, number)["partner_workshop"]
    assert group_status(app, group) == "awaiting_shipper"  # not stuck awaiting payment

    supplier_api = api_key(app, make_user, "ops@shenzhen.example", "supplier")
    listed = client.get("/api/v1/supplier/groups", headers=supplier_api).get_json()["items"]
    assert [g["id"] for g in listed] == [group]
    base = f"/api/v1/supplier/groups/{group}"
    assert client.post(f"{base}/accept", headers=supplier_api).status_code == 200
    shipped = client.post(
        f"{base}/shipments",
        json={"carrier": "fedex", "tracking_number": "7712 3456"},
        headers=supplier_api,
    ).get_json()
    assert shipped["tracking_url"] == "https://www.fedex.com/fedextrack/?trknbr=7712%203456"
    assert client.post(f"{base}/delivered", json={}, headers=supplier_api).status_code == 200
    assert group_status(app, group) == "delivered"


def test_two_shippers_posting_the_same_parcel_at_once_ship_it_once(
    app, client, make_user, is_postgres, four_models
):
    """Warehouse staff and the API both ship the last units at the same moment: the
    group's row lock lets one in; the other is told everything has shipped."""
    if not is_postgres:
        pytest.skip("real concurrency needs PostgreSQL (SQLite serialises writers)")
    import threading

    from storefront.orders.tables import Shipment

    number = api_order(client, [four_models["stock"]])["order_id"]
    pay(app, number)
    staff_api = api_key(app, make_user, "staff@shop.example", "staff")
    stock = groups_by_model(app, number)["wholesale_retail"]
    base = f"/api/v1/admin/orders/{number}/groups/{stock}"
    for step in ("picked", "packed"):
        assert client.post(f"{base}/{step}", headers=staff_api).status_code == 200
    start = threading.Barrier(6, timeout=30)
    answers: list[int] = []
    lock = threading.Lock()

    def ship(n: int) -> None:
        local = app.test_client()
        start.wait()
        answer = local.post(
            f"{base}/shipments",
            json={"carrier": "dhl-express", "tracking_number": f"JD{n}"},
            headers=staff_api,
        )
        with lock:
            answers.append(answer.status_code)

    threads = [threading.Thread(target=ship, args=(n,)) for n in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(answers) == [201, 409, 409, 409, 409, 409]
    with app.app_context():
        assert len(db.session.scalars(select(Shipment)).all()) == 1
        assert db.session.get(OrderGroup, stock).status == "shipped"


def test_a_parcel_with_no_news_long_after_its_eta_is_flagged_once_to_staff_and_shipper(
    app, client, make_user, four_models
):
    import datetime

    from storefront import clock
    from storefront.mail.tables import MailMessage

    number = api_order(client, [four_models["drop"]])["order_id"]
    pay(app, number)
    make_user(email="ops-lead@shop.example", role="staff")
    supplier_api = api_key(app, make_user, "ops@shenzhen.example", "supplier")
    drop = groups_by_model(app, number)["oem_dropship"]
    client.post(f"/api/v1/supplier/groups/{drop}/accept", headers=supplier_api)
    client.post(
        f"/api/v1/supplier/groups/{drop}/shipments",
        json={"carrier": "ems-china-post", "tracking_number": "EE123456789CN"},
        headers=supplier_api,
    )
    runner = app.test_cli_runner()
    with clock.frozen(clock.now() + datetime.timedelta(days=60)):
        for _ in range(2):  # the second check finds it flagged already
            result = runner.invoke(args=["worker", "--once", "--only", "delivery.service_levels"])
            assert result.exit_code == 0, result.output
            with app.app_context():  # the next run is due at once
                from storefront.worker import ScheduledJob

                db.session.get(ScheduledJob, "delivery.service_levels").next_run_at = clock.now()
                db.session.commit()
    with app.app_context():
        late = db.session.scalars(
            select(MailMessage).where(MailMessage.kind == "group_overdue")
        ).all()
        assert sorted(m.to_address for m in late) == [
            "ops-lead@shop.example",
            "ops@shenzhen.example",
        ]
        assert all("A group is overdue: delivery." in m.text_body for m in late)
        assert all("Torstraße 1" in m.text_body for m in late)  # both may see the ship-to


def test_an_agent_works_only_its_own_groups_in_the_back_office(app, make_user, placed):
    groups = groups_by_model(app, placed["number"])
    api_key(app, make_user, "ops@milano.example", "agent", agent="milano-agency")
    agent = app.test_client()
    assert (
        agent.post("/login", data={"email": "ops@milano.example", "password": PASSWORD}).status_code
        == 302
    )
    queue = agent.get("/admin/shipping-work").get_data(as_text=True)
    assert f'data-group="{groups["agent_operated"]}"' in queue and "Torstraße 1" in queue
    for other in ("wholesale_retail", "self_produced", "oem_dropship"):
        assert f'data-group="{groups[other]}"' not in queue
        refused = agent.post(
            f"/admin/shipping-work/groups/{groups[other]}/accept", data={"csrf_token": csrf(queue)}
        )
        assert refused.status_code == 404
        assert agent.get(f"/admin/shipping-work/groups/{groups[other]}").status_code == 404
    assert agent.get("/admin/shipping-work/pick-list/berlin").status_code == 403
    agent.post(
        f"/admin/shipping-work/groups/{groups['agent_operated']}/reject",
        data={"csrf_token": csrf(queue), "reason": ""},
    )
    assert group_status(app, groups["agent_operated"]) == "awaiting_shipper"  # a reason is due
    agent.post(
        f"/admin/shipping-work/groups/{groups['agent_operated']}/accept",
        data={"csrf_token": csrf(queue)},
    )
    assert group_status(app, groups["agent_operated"]) == "ready_to_ship"
    page = agent.get(f"/admin/shipping-work/groups/{groups['agent_operated']}").get_data(
        as_text=True
    )
    assert "agent:milano-agency (ops@milano.example)" in page  # the history names who
