"""The back office's supplier webhook pages, and the supplier portal."""

from __future__ import annotations

import random
import threading

import pytest
from sqlalchemy import select

from orders_helpers import load, place
from storefront.accounts.tables import User
from storefront.db import db
from storefront.orders.states import move_group
from storefront.webhooks import operations
from storefront.webhooks.operations import grant_supplier_access
from storefront.webhooks.tables import SupplierEndpoint
from storefront.webhooks.worker import DeliveryWorker
from test_webhooks import FakeClock, Receiver, add_events, delivery, run_until_settled

SUPPLIER = "shenzhen-silver"
OTHER = "guangzhou-gold"
CREATED = "order_group.created"
PASSWORD = "correct horse battery"


@pytest.fixture
def hook_receiver():
    rec = Receiver()
    thread = threading.Thread(target=rec.server.serve_forever, daemon=True)
    thread.start()
    yield rec
    rec.release.set()
    rec.server.shutdown()
    rec.server.server_close()
    thread.join(5)


@pytest.fixture
def clock():
    return FakeClock()


@pytest.fixture
def worker(app, clock):
    with DeliveryWorker("test-worker", clock=clock, rng=random.Random(7), timeout=5) as w:
        yield w


@pytest.fixture
def hooked(app, make_supplier, hook_receiver):
    """The supplier with an endpoint at the receiver; returns (endpoint id, secret)."""
    make_supplier(SUPPLIER)
    with app.app_context():
        endpoint, secret = operations.add_endpoint(SUPPLIER, hook_receiver.url, [CREATED])
        db.session.commit()
        hook_receiver.secrets.append(secret)
        return endpoint.id, secret


@pytest.fixture
def failed(app, hooked, hook_receiver, worker, clock):
    """One event dead after the whole retry schedule, a second one pending; their ids."""
    [dead_id] = add_events(app, 1)
    hook_receiver.script = [(500, {})] * 20
    run_until_settled(app, worker, clock)
    assert delivery(app, dead_id).status == "dead"
    hook_receiver.script = []
    [pending_id] = add_events(app, 1)
    with app.app_context():
        operations.fan_out(clock.now)
        db.session.commit()
    return dead_id, pending_id


def section(page: str, testid: str) -> str:
    return page.split(f'data-testid="{testid}"')[1].split("</table>")[0]


# the back office -----------------------------------------------------------------------------


def test_the_supplier_list_counts_endpoints_pending_and_dead(app, failed, make_supplier, logged_in):
    make_supplier(OTHER)
    client = logged_in("owner")
    page = client.get("/admin/suppliers").get_data(as_text=True)
    row = page.split(f'data-supplier="{SUPPLIER}"')[1].split("</tr>")[0]
    assert '<td data-col="endpoints">1</td>' in row
    assert '<td data-col="pending">1</td>' in row
    assert '<td data-col="dead">1</td>' in row
    other = page.split(f'data-supplier="{OTHER}"')[1].split("</tr>")[0]
    assert '<td data-col="endpoints">0</td>' in other and '<td data-col="dead">0</td>' in other
    assert f"/admin/suppliers/{SUPPLIER}/webhooks" in page


def test_the_webhook_page_shows_endpoints_the_log_and_dead_letters(
    app, failed, hooked, hook_receiver, logged_in
):
    dead_id, _pending_id = failed
    _endpoint_id, secret = hooked
    dead = delivery(app, dead_id)
    page = logged_in("staff").get(f"/admin/suppliers/{SUPPLIER}/webhooks").get_data(as_text=True)

    endpoints = section(page, "endpoints")
    assert hook_receiver.url in endpoints and CREATED in endpoints
    assert secret[:12] in endpoints and secret not in page  # a prefix only
    log = section(page, "attempts")
    assert log.count("<tr data-attempt=") == dead.attempts
    assert dead.message_id in log and CREATED in log
    assert "<td>500</td>" in log and "<code>ok</code>" in log and " ms</td>" in log
    letters = section(page, "dead-letters")
    assert f'<tr data-event="{dead_id}">' in letters
    assert dead.message_id in letters and dead.last_error in letters


def test_replaying_one_event_queues_it_again_and_the_worker_delivers_it(
    app, failed, hook_receiver, worker, logged_in
):
    dead_id, pending_id = failed
    message_id = delivery(app, dead_id).message_id
    client = logged_in("owner")
    response = client.post(
        f"/admin/suppliers/{SUPPLIER}/webhooks/replay",
        data={"event_id": str(dead_id)},
        follow_redirects=True,
    )
    assert "1 deliveries queued again." in response.get_data(as_text=True)
    assert f'<tr data-event="{dead_id}">' not in section(
        response.get_data(as_text=True), "dead-letters"
    )
    assert delivery(app, dead_id).status == "pending"

    sent_before = len(hook_receiver.requests)
    with app.app_context():
        report = worker.run_once()
    assert report.delivered == 2  # the replayed one and the pending one
    assert (delivery(app, dead_id).status, delivery(app, pending_id).status) == (
        "delivered",
        "delivered",
    )
    assert message_id in hook_receiver.ids()[sent_before:]  # the same webhook-id again


def test_replaying_all_sends_every_dead_letter_again(app, failed, worker, logged_in):
    dead_id, _pending_id = failed
    client = logged_in("owner")
    response = client.post(f"/admin/suppliers/{SUPPLIER}/webhooks/replay", follow_redirects=True)
    assert "1 deliveries queued again." in response.get_data(as_text=True)
    with app.app_context():
        worker.run_once()
    assert delivery(app, dead_id).status == "delivered"
    nothing = client.post(f"/admin/suppliers/{SUPPLIER}/webhooks/replay", follow_redirects=True)
    assert "Nothing to send again." in nothing.get_data(as_text=True)
    bad = client.post(
        f"/admin/suppliers/{SUPPLIER}/webhooks/replay",
        data={"event_id": "x"},
        follow_redirects=True,
    )
    assert "Choose an event to send again." in bad.get_data(as_text=True)


def test_rotating_shows_the_new_secret_once(app, hooked, make_supplier, logged_in):
    endpoint_id, old = hooked
    client = logged_in("owner")
    response = client.post(f"/admin/suppliers/{SUPPLIER}/webhooks/endpoints/{endpoint_id}/rotate")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    with app.app_context():
        endpoint = db.session.get(SupplierEndpoint, endpoint_id)
        new, previous = endpoint.secret, endpoint.previous_secret
    assert previous == old and new != old
    shown = page.split('data-testid="new-secret"')[1].split("</p>")[0]
    assert f"<code>{new}</code>" in shown
    assert new not in client.get(f"/admin/suppliers/{SUPPLIER}/webhooks").get_data(as_text=True)

    make_supplier(OTHER)
    other = client.post(f"/admin/suppliers/{OTHER}/webhooks/endpoints/{endpoint_id}/rotate")
    assert other.status_code == 404  # the endpoint is not that supplier's
    assert client.get("/admin/suppliers/nobody/webhooks").status_code == 404


def test_the_forms_need_a_csrf_token(app, failed, logged_in, monkeypatch):
    dead_id, _pending_id = failed
    client = logged_in("owner")
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    response = client.post(f"/admin/suppliers/{SUPPLIER}/webhooks/replay")
    assert response.status_code == 400
    assert delivery(app, dead_id).status == "dead"
    page = client.get(f"/admin/suppliers/{SUPPLIER}/webhooks").get_data(as_text=True)
    assert 'name="csrf_token"' in page


@pytest.mark.parametrize("role", ["agent", "supplier"])
def test_other_roles_are_refused_the_back_office_pages(app, hooked, logged_in, role):
    endpoint_id, _secret = hooked
    client = logged_in(role)
    for url in ("/admin/suppliers", f"/admin/suppliers/{SUPPLIER}/webhooks"):
        assert client.get(url).status_code == 403, url
    for url in (
        f"/admin/suppliers/{SUPPLIER}/webhooks/replay",
        f"/admin/suppliers/{SUPPLIER}/webhooks/endpoints/{endpoint_id}/rotate",
    ):
        assert client.post(url).status_code == 403, url


def test_anonymous_visitors_are_sent_to_the_login(client):
    for url in ("/admin/suppliers", f"/admin/suppliers/{SUPPLIER}/webhooks", "/supplier"):
        response = client.get(url)
        assert response.status_code == 302 and "/login" in response.location, url


# the supplier portal -------------------------------------------------------------------------


@pytest.fixture
def two_suppliers(app, four_models, make_supplier, make_product):
    """Orders for shenzhen-silver (one to accept, one accepted) and one for guangzhou-gold."""
    make_supplier(OTHER, lead_max=9)
    other_sku = (
        make_product(
            name="Gold bangle",
            category="bracelets",
            selling_model="oem_dropship",
            selling_model_settings={"supplier": OTHER},
        ).upper()
        + "-0"
    )
    ids = {
        "new": place(app, {four_models["drop"]: 2, four_models["stock"]: 1}, "k-new", paid=True),
        "accepted": place(app, {four_models["drop"]: 1}, "k-acc", paid=True),
        "other": place(app, {other_sku: 3}, "k-other", paid=True),
    }
    with app.app_context():
        move_group(load(ids["accepted"]).groups[0], "ready_to_ship", "accepted")
        db.session.commit()
        numbers = {k: load(v).number for k, v in ids.items()}
    return {"numbers": numbers, "drop": four_models["drop"], "other_sku": other_sku}


def supplier_client(app, client, make_user, email: str, supplier: str | None):
    make_user(email=email, role="supplier")
    if supplier:
        with app.app_context():
            user = db.session.scalar(select(User).where(User.email == email))
            grant_supplier_access(user, supplier)
            db.session.commit()
    assert client.post("/login", data={"email": email, "password": PASSWORD}).status_code == 302
    return client


def test_the_portal_lists_only_the_suppliers_own_open_groups(app, client, make_user, two_suppliers):
    numbers = two_suppliers["numbers"]
    portal = supplier_client(app, client, make_user, "ops@shenzhen.example", SUPPLIER)
    page = portal.get("/supplier").get_data(as_text=True)

    to_accept = section(page, "to-accept")
    assert numbers["new"] in to_accept and numbers["accepted"] not in to_accept
    assert f"2 × {two_suppliers['drop']}" in to_accept
    assert "DE" in to_accept and "accept by" in to_accept and "UTC" in to_accept
    to_ship = section(page, "to-ship")
    assert numbers["accepted"] in to_ship and f"1 × {two_suppliers['drop']}" in to_ship
    # never another supplier's group, nor the shop's own stock lines
    assert numbers["other"] not in page and two_suppliers["other_sku"] not in page
    assert "STOCK-RING-0" not in page


def test_the_other_supplier_sees_only_its_group(app, client, make_user, two_suppliers):
    numbers = two_suppliers["numbers"]
    portal = supplier_client(app, client, make_user, "ops@guangzhou.example", OTHER)
    page = portal.get("/supplier").get_data(as_text=True)
    assert numbers["other"] in section(page, "to-accept")
    assert numbers["new"] not in page and numbers["accepted"] not in page


def test_a_supplier_user_without_a_supplier_and_other_roles_are_refused(
    app, client, make_user, logged_in, two_suppliers
):
    unlinked = supplier_client(app, client, make_user, "nobody@example.com", None)
    assert unlinked.get("/supplier").status_code == 403
    for role in ("owner", "agent"):
        client.post("/logout")
        assert logged_in(role).get("/supplier").status_code == 403, role


def test_a_supplier_signs_in_to_the_portal_and_staff_find_suppliers_in_the_nav(
    client, make_user, logged_in
):
    make_user(email="ops@supplier.example", role="supplier")
    response = client.post(
        "/login", data={"email": "ops@supplier.example", "password": "correct horse battery"}
    )
    assert response.location.endswith("/supplier")
    staff = logged_in("staff", email="staff@shop.example")
    assert 'href="/admin/suppliers"' in staff.get("/admin/products").get_data(as_text=True)
